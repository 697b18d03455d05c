using System.Numerics;
using AutoGradGen.Compute;
using Xunit;
using static AutoGradGen.RuntimeTests.IntoInputs;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The normalization kernels (<see cref="Normalization"/>) on shapes that exercise every vector remainder (odd line
/// lengths and line counts 1..67) and the pooled scratch (more than a thousand columns of per-column sums), float and
/// double, against references written here in double: x̂ and the Jacobian J = (1/σ)(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n) as an explicit
/// matrix per line, and for the second-order kernels central differences of those references.
/// </summary>
public class NormalizationShapeTests
{
    private const double Eps = 1e-3;

    public static TheoryData<bool, int, int> Shapes()
    {
        var data = new TheoryData<bool, int, int>();
        (int, int)[] shapes = [(1, 1), (1, 67), (67, 1), (2, 3), (3, 17), (17, 3), (5, 31), (31, 5), (7, 33), (33, 7),
            (9, 65), (65, 9), (4, 67), (67, 4), (2, 211), (3, 1031)];
        foreach (var layer in new[] { true, false })
        {
            foreach (var (r, c) in shapes)
            {
                data.Add(layer, r, c);
            }
        }
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Double_MatchesTheReference(bool layer, int rows, int cols) => Check<double>(layer, rows, cols, 1e-10, 1e-6);

    [Theory, MemberData(nameof(Shapes))]
    public void Single_MatchesTheReference(bool layer, int rows, int cols) => Check<float>(layer, rows, cols, 2e-4, 5e-4);

    private static void Check<T>(bool layer, int rows, int cols, double tolerance, double differenceTolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // x offset from 0 (the mean matters), the others centred
        var (x, d, g, gamma, beta) = (M<T>(rows, cols, 21, 1.5, 3.5), M<T>(rows, cols, 22), M<T>(rows, cols, 23), V<T>(rows, 24), V<T>(rows, 25));
        var e = T.CreateChecked(Eps);
        var rx = new Reference(D(x), layer);
        var (rd, rg, rgamma, rbeta) = (D(d), D(g), D(gamma), D(beta));
        var zero = new double[rows];
        Near(rx.Forward(rgamma, rbeta), layer ? Normalization.LayerNorm(x, gamma, beta, e) : Normalization.BatchNorm(x, gamma, beta, e), tolerance, "forward");
        Near(rx.Forward(rgamma, zero), layer ? Normalization.LayerNormScale(x, gamma, e) : Normalization.BatchNormScale(x, gamma, e), tolerance, "scale");
        Near(rx.Jacobian(rd, rgamma, scaleOutput: true), layer ? Normalization.LayerNormTangent(x, d, gamma, e) : Normalization.BatchNormTangent(x, d, gamma, e), tolerance, "tangent");
        Near(rx.Jacobian(rg, rgamma, scaleOutput: false), layer ? Normalization.LayerNormBackward(x, g, gamma, e) : Normalization.BatchNormBackward(x, g, gamma, e), tolerance, "backward");
        Near(rx.ScaleBackward(rg), layer ? Normalization.LayerNormScaleBackward(x, g, e) : Normalization.BatchNormScaleBackward(x, g, e), tolerance, "scale backward");

        // second order: the differentials of the references' backward kernels along ∂X = d
        var ones = Enumerable.Repeat(1.0, rows).ToArray();
        var curvature = Difference(rx, rd, r => r.Jacobian(rg, ones, scaleOutput: false).Cast<double>().ToArray());
        Near(curvature, layer ? Normalization.LayerNormCurvature(x, d, g, e) : Normalization.BatchNormCurvature(x, d, g, e), differenceTolerance, "curvature");
        var scaleCurvature = Difference(rx, rd, r => r.ScaleBackward(rg));
        Near(scaleCurvature, layer ? Normalization.LayerNormScaleCurvature(x, g, d, e) : Normalization.BatchNormScaleCurvature(x, g, d, e), differenceTolerance, "scale curvature");
    }

    private static double[] Difference(Reference at, double[,] direction, Func<Reference, double[]> f)
    {
        const double h = 1e-5;
        var (plus, minus) = (f(at.Step(direction, h)), f(at.Step(direction, -h)));
        return plus.Zip(minus, (p, q) => (p - q) / (2 * h)).ToArray();
    }

    private static double[,] D<T>(Matrix<T> m)
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

    private static double[] D<T>(Vector<T> v)
        where T : unmanaged, IFloatingPointIeee754<T> => v.AsSpan().ToArray().Select(double.CreateChecked).ToArray();

    private static void Near<T>(double[,] expected, Matrix<T> actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal((expected.GetLength(0), expected.GetLength(1)), (actual.Rows, actual.Cols));
        Near(expected.Cast<double>().ToArray(), actual.AsSpan().ToArray().Select(double.CreateChecked).ToArray(), tolerance, what);
    }

    private static void Near<T>(double[] expected, Matrix<T> actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Near(expected, actual.AsSpan().ToArray().Select(double.CreateChecked).ToArray(), tolerance, what);

    private static void Near<T>(double[] expected, Vector<T> actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Near(expected, actual.AsSpan().ToArray().Select(double.CreateChecked).ToArray(), tolerance, what);

    private static void Near(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"{what} [{i}]: {expected[i]} vs {actual[i]}");
        }
    }

    /// <summary>The naive per-line formulas in double, on X (lines: the columns for LN, the rows for BN).</summary>
    private sealed class Reference(double[,] x, bool layer)
    {
        private int Rows => x.GetLength(0);

        private int Cols => x.GetLength(1);

        private int Count => layer ? Cols : Rows;

        private int Length => layer ? Rows : Cols;

        /// <summary>The (row, column) of element t of line k.</summary>
        private (int Row, int Col) At(int k, int t) => layer ? (t, k) : (k, t);

        public Reference Step(double[,] direction, double s)
        {
            var m = (double[,])x.Clone();
            for (int i = 0; i < Rows; i++)
            {
                for (int j = 0; j < Cols; j++)
                {
                    m[i, j] += s * direction[i, j];
                }
            }
            return new Reference(m, layer);
        }

        /// <summary>x̂ of line k (explicit mean and biased variance) and 1/σ.</summary>
        private (double[] Hat, double InverseSigma) Normalize(int k)
        {
            var line = Enumerable.Range(0, Length).Select(t => x[At(k, t).Row, At(k, t).Col]).ToArray();
            double mean = line.Average(), variance = line.Select(v => (v - mean) * (v - mean)).Average();
            double inverse = 1 / Math.Sqrt(variance + Eps);
            return (line.Select(v => (v - mean) * inverse).ToArray(), inverse);
        }

        public double[,] Forward(double[] gamma, double[] beta)
        {
            var y = new double[Rows, Cols];
            for (int k = 0; k < Count; k++)
            {
                var (hat, _) = Normalize(k);
                for (int t = 0; t < Length; t++)
                {
                    var (i, j) = At(k, t);
                    y[i, j] = (gamma[i] * hat[t]) + beta[i];
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
            var result = new double[Rows];
            for (int k = 0; k < Count; k++)
            {
                var (hat, _) = Normalize(k);
                for (int t = 0; t < Length; t++)
                {
                    var (i, j) = At(k, t);
                    result[i] += g[i, j] * hat[t];
                }
            }
            return result;
        }
    }
}
