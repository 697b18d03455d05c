using System.Numerics;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Layer and batch normalization written out naively in double, for <see cref="NormalizationShapeTests"/> and
/// <see cref="NormalizationSavedTests"/>: each line's explicit mean and biased variance, x̂, and the Jacobian
/// J = (1/σ)(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n) built as a matrix per line (lines: the columns of X for LN, the rows for BN).
/// </summary>
internal sealed class NormalizationReference(double[,] x, bool layer, double eps)
{
    private int Rows => x.GetLength(0);

    private int Cols => x.GetLength(1);

    private int Count => layer ? Cols : Rows;

    private int Length => layer ? Rows : Cols;

    /// <summary>The (row, column) of element t of line k.</summary>
    private (int Row, int Col) At(int k, int t) => layer ? (t, k) : (k, t);

    /// <summary>The reference at X + s·direction (for central differences).</summary>
    public NormalizationReference Step(double[,] direction, double s)
    {
        var m = (double[,])x.Clone();
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Cols; j++)
            {
                m[i, j] += s * direction[i, j];
            }
        }
        return new NormalizationReference(m, layer, eps);
    }

    /// <summary>x̂ of line k (explicit mean and biased variance) and 1/σ.</summary>
    private (double[] Hat, double InverseSigma) Normalize(int k)
    {
        var line = Enumerable.Range(0, Length).Select(t => x[At(k, t).Row, At(k, t).Col]).ToArray();
        double mean = line.Average(), variance = line.Select(v => (v - mean) * (v - mean)).Average();
        double inverse = 1 / Math.Sqrt(variance + eps);
        return (line.Select(v => (v - mean) * inverse).ToArray(), inverse);
    }

    /// <summary>x̂ (X's shape) and 1/σ (one per line).</summary>
    public (double[,] Hat, double[] Inverse) Statistics()
    {
        var hat = new double[Rows, Cols];
        var inverse = new double[Count];
        for (int k = 0; k < Count; k++)
        {
            (var line, inverse[k]) = Normalize(k);
            for (int t = 0; t < Length; t++)
            {
                var (i, j) = At(k, t);
                hat[i, j] = line[t];
            }
        }
        return (hat, inverse);
    }

    public double[,] Forward(double[] gamma, double[] beta)
    {
        var (hat, _) = Statistics();
        var y = new double[Rows, Cols];
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Cols; j++)
            {
                y[i, j] = (gamma[i] * hat[i, j]) + beta[i];
            }
        }
        return y;
    }

    /// <summary>γ ⊙ J v (<paramref name="scaleOutput"/>) or J (γ ⊙ v), with J built as a matrix per line.</summary>
    public double[,] Jacobian(double[,] v, double[] gamma, bool scaleOutput)
    {
        var y = new double[Rows, Cols];
        int n = Length;
        for (int k = 0; k < Count; k++)
        {
            var (hat, inverse) = Normalize(k);
            for (int a = 0; a < n; a++)
            {
                double sum = 0;
                for (int b = 0; b < n; b++)
                {
                    double jab = inverse * ((a == b ? 1 : 0) - (1.0 / n) - (hat[a] * hat[b] / n));
                    var (ib, jb) = At(k, b);
                    sum += jab * v[ib, jb] * (scaleOutput ? 1 : gamma[ib]);
                }
                var (ia, ja) = At(k, a);
                y[ia, ja] = scaleOutput ? gamma[ia] * sum : sum;
            }
        }
        return y;
    }

    /// <summary>Σ over the columns of G ⊙ x̂, one entry per row.</summary>
    public double[] ScaleBackward(double[,] g)
    {
        var (hat, _) = Statistics();
        var result = new double[Rows];
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Cols; j++)
            {
                result[i] += g[i, j] * hat[i, j];
            }
        }
        return result;
    }

    /// <summary>The pullback at s G: X̄ = J (γ ⊙ sG), γ̄ = Σ sG ⊙ x̂ and β̄ = Σ sG per row (sums over the columns).</summary>
    public (double[,] X, double[] Gamma, double[] Beta) Backward(double[,] g, double[] gamma, double s)
    {
        var sg = new double[Rows, Cols];
        var betaBar = new double[Rows];
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Cols; j++)
            {
                sg[i, j] = s * g[i, j];
                betaBar[i] += sg[i, j];
            }
        }
        return (Jacobian(sg, gamma, scaleOutput: false), ScaleBackward(sg), betaBar);
    }
}

/// <summary>Conversions to double and tolerance checks (relative to the largest expected magnitude, at least 1) for the normalization tests.</summary>
internal static class NormalizationChecks
{
    public static double[,] D<T>(Matrix<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[m.Rows, m.Cols];
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Cols; j++)
            {
                result[i, j] = double.CreateChecked(m[i, j]);
            }
        }
        return result;
    }

    public static double[] D<T>(Vector<T> v)
        where T : unmanaged, IFloatingPointIeee754<T> => v.AsSpan().ToArray().Select(double.CreateChecked).ToArray();

    public static void Near<T>(double[,] expected, Matrix<T> actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal((expected.GetLength(0), expected.GetLength(1)), (actual.Rows, actual.Cols));
        Near(expected.Cast<double>().ToArray(), actual.AsSpan().ToArray().Select(double.CreateChecked).ToArray(), tolerance, what);
    }

    public static void Near<T>(double[] expected, Matrix<T> actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Near(expected, actual.AsSpan().ToArray().Select(double.CreateChecked).ToArray(), tolerance, what);

    public static void Near<T>(double[] expected, Vector<T> actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Near(expected, actual.AsSpan().ToArray().Select(double.CreateChecked).ToArray(), tolerance, what);

    public static void Near(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"{what} [{i}]: {expected[i]} vs {actual[i]}");
        }
    }
}
