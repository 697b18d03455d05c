using System.Numerics;
using AutoGradGen.Compute;
using Xunit;
using static AutoGradGen.RuntimeTests.IntoInputs;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Layer and batch normalization (<see cref="Normalization"/>): the forward pass and the backward kernels against formulas
/// written here (explicit means and variances, the Jacobian J = (1/σ)(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n) as a matrix), the tangent and the
/// second-order kernels against central differences, adjointness of tangent and backward; shape errors name both shapes;
/// the destination-passing forms (bitwise equal, reused, allocation-free, aliasing rejected); the running statistics.
/// </summary>
public class NormalizationTests
{
    private const double Eps = 1e-3;

    /// <summary>The lines (columns for LN, rows for BN) of a matrix, as arrays.</summary>
    private static double[][] Lines(Matrix<double> m, bool layer) => layer
        ? Enumerable.Range(0, m.Cols).Select(j => Enumerable.Range(0, m.Rows).Select(i => m[i, j]).ToArray()).ToArray()
        : Enumerable.Range(0, m.Rows).Select(i => Enumerable.Range(0, m.Cols).Select(j => m[i, j]).ToArray()).ToArray();

    private static double Get(Matrix<double> m, bool layer, int line, int t) => layer ? m[t, line] : m[line, t];

    private static int Row(bool layer, int line, int t) => layer ? t : line;

    /// <summary>x̂ of one line, and 1/σ.</summary>
    private static (double[] Hat, double InverseSigma) Normalize(double[] x)
    {
        double mean = x.Average(), variance = x.Select(v => (v - mean) * (v - mean)).Average();
        double inverse = 1 / Math.Sqrt(variance + Eps);
        return (x.Select(v => (v - mean) * inverse).ToArray(), inverse);
    }

    /// <summary>The Jacobian of x̂ for one line, as a matrix.</summary>
    private static double[,] Jacobian(double[] x)
    {
        var (hat, inverse) = Normalize(x);
        int n = x.Length;
        var j = new double[n, n];
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                j[a, b] = inverse * ((a == b ? 1 : 0) - (1.0 / n) - (hat[a] * hat[b] / n));
            }
        }
        return j;
    }

    private static Matrix<double> Forward(Matrix<double> x, Vector<double> gamma, Vector<double> beta, bool layer)
        => layer ? Normalization.LayerNorm(x, gamma, beta, Eps) : Normalization.BatchNorm(x, gamma, beta, Eps);

    public static TheoryData<bool> Both() => new() { true, false };

    [Theory, MemberData(nameof(Both))]
    public void Forward_MatchesTheFormula(bool layer)
    {
        var (x, gamma, beta) = (M<double>(4, 5, 1), V<double>(4, 2), V<double>(4, 3));
        var y = Forward(x, gamma, beta, layer);
        var lines = Lines(x, layer);
        for (int k = 0; k < lines.Length; k++)
        {
            var (hat, _) = Normalize(lines[k]);
            for (int t = 0; t < hat.Length; t++)
            {
                int r = Row(layer, k, t);
                Assert.Equal((gamma[r] * hat[t]) + beta[r], Get(y, layer, k, t), 12);
            }
        }
    }

    [Theory, MemberData(nameof(Both))]
    public void Backward_IsTheJacobianTimesGammaG_AndScaleBackwardIsTheSumOfGTimesXHat(bool layer)
    {
        var (x, g, gamma) = (M<double>(4, 5, 4), M<double>(4, 5, 5), V<double>(4, 6));
        var xBar = layer ? Normalization.LayerNormBackward(x, g, gamma, Eps) : Normalization.BatchNormBackward(x, g, gamma, Eps);
        var gammaBar = layer ? Normalization.LayerNormScaleBackward(x, g, Eps) : Normalization.BatchNormScaleBackward(x, g, Eps);
        var lines = Lines(x, layer);
        var expectedGamma = new double[4];
        for (int k = 0; k < lines.Length; k++)
        {
            var j = Jacobian(lines[k]);
            var (hat, _) = Normalize(lines[k]);
            for (int a = 0; a < hat.Length; a++)
            {
                double sum = 0;
                for (int b = 0; b < hat.Length; b++)
                {
                    sum += j[a, b] * gamma[Row(layer, k, b)] * Get(g, layer, k, b);
                }
                Assert.Equal(sum, Get(xBar, layer, k, a), 10);
                expectedGamma[Row(layer, k, a)] += Get(g, layer, k, a) * hat[a];
            }
        }
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expectedGamma[i], gammaBar[i], 10);
        }
    }

    /// <summary>Central differences of <paramref name="f"/> along <paramref name="direction"/> at <paramref name="x"/>.</summary>
    private static double[] Difference(Func<Matrix<double>, double[]> f, Matrix<double> x, Matrix<double> direction)
    {
        const double h = 1e-5;
        Matrix<double> Step(double s)
        {
            var m = x.Clone();
            for (int i = 0; i < x.Rows; i++)
            {
                for (int j = 0; j < x.Cols; j++)
                {
                    m[i, j] += s * direction[i, j];
                }
            }
            return m;
        }
        var (plus, minus) = (f(Step(h)), f(Step(-h)));
        return plus.Zip(minus, (p, q) => (p - q) / (2 * h)).ToArray();
    }

    private static void Close(double[] expected, double[] actual, double tolerance = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: {expected[i]} vs {actual[i]}");
        }
    }

    [Theory, MemberData(nameof(Both))]
    public void Tangent_AndScale_AreTheDifferentials_OfTheForwardPass_AndTheTangentIsAdjointToTheBackward(bool layer)
    {
        var (x, dx, gamma, beta, dGamma, g) = (M<double>(3, 6, 7), M<double>(3, 6, 8), V<double>(3, 9), V<double>(3, 10), V<double>(3, 11), M<double>(3, 6, 12));
        var tangent = layer ? Normalization.LayerNormTangent(x, dx, gamma, Eps) : Normalization.BatchNormTangent(x, dx, gamma, Eps);
        Close(Difference(m => Forward(m, gamma, beta, layer).AsSpan().ToArray(), x, dx), tangent.AsSpan().ToArray());
        var scale = layer ? Normalization.LayerNormScale(x, dGamma, Eps) : Normalization.BatchNormScale(x, dGamma, Eps);
        var zero = new Vector<double>(3);
        Close(Forward(x, dGamma, zero, layer).AsSpan().ToArray(), scale.AsSpan().ToArray(), 1e-12);
        var backward = layer ? Normalization.LayerNormBackward(x, g, gamma, Eps) : Normalization.BatchNormBackward(x, g, gamma, Eps);
        double left = Ops.Dot(g, tangent), right = Ops.Dot(backward, dx);
        Assert.Equal(left, right, 10);
    }

    [Theory, MemberData(nameof(Both))]
    public void Curvature_AndScaleCurvature_AreTheDifferentials_OfTheBackwardKernels(bool layer)
    {
        var (x, h, g) = (M<double>(4, 3, 13), M<double>(4, 3, 14), M<double>(4, 3, 15));
        var ones = new Vector<double>(4);
        ones.AsSpan().Fill(1);
        var curvature = layer ? Normalization.LayerNormCurvature(x, h, g, Eps) : Normalization.BatchNormCurvature(x, h, g, Eps);
        Close(Difference(m => (layer ? Normalization.LayerNormBackward(m, g, ones, Eps) : Normalization.BatchNormBackward(m, g, ones, Eps)).AsSpan().ToArray(), x, h),
            curvature.AsSpan().ToArray());
        var swapped = layer ? Normalization.LayerNormCurvature(x, g, h, Eps) : Normalization.BatchNormCurvature(x, g, h, Eps);
        Close(curvature.AsSpan().ToArray(), swapped.AsSpan().ToArray(), 1e-12);
        var scaleCurvature = layer ? Normalization.LayerNormScaleCurvature(x, g, h, Eps) : Normalization.BatchNormScaleCurvature(x, g, h, Eps);
        Close(Difference(m => (layer ? Normalization.LayerNormScaleBackward(m, g, Eps) : Normalization.BatchNormScaleBackward(m, g, Eps)).AsSpan().ToArray(), x, h),
            scaleCurvature.AsSpan().ToArray());
    }

    public static TheoryData<string, Action, string, string> Mismatches() => new()
    {
        { "LayerNorm γ", () => Normalization.LayerNorm(M<double>(3, 4, 1), V<double>(2, 2), V<double>(3, 3), Eps), "3×4", "2×1" },
        { "BatchNorm β", () => Normalization.BatchNorm(M<double>(3, 4, 1), V<double>(3, 2), V<double>(4, 3), Eps), "3×4", "4×1" },
        { "LayerNormBackward", () => Normalization.LayerNormBackward(M<double>(3, 4, 1), M<double>(4, 3, 2), V<double>(3, 3), Eps), "3×4", "4×3" },
        { "BatchNormTangent", () => Normalization.BatchNormTangent(M<double>(3, 4, 1), M<double>(3, 5, 2), V<double>(3, 3), Eps), "3×4", "3×5" },
        { "LayerNormScale", () => Normalization.LayerNormScale(M<double>(3, 4, 1), V<double>(4, 2), Eps), "3×4", "4×1" },
        { "BatchNormScaleBackward", () => Normalization.BatchNormScaleBackward(M<double>(3, 4, 1), M<double>(2, 4, 2), Eps), "3×4", "2×4" },
        { "LayerNormCurvature", () => Normalization.LayerNormCurvature(M<double>(3, 4, 1), M<double>(3, 4, 2), M<double>(1, 4, 3), Eps), "3×4", "1×4" },
        { "BatchNormScaleCurvature", () => Normalization.BatchNormScaleCurvature(M<double>(3, 4, 1), M<double>(3, 4, 2), M<double>(3, 2, 3), Eps), "3×4", "3×2" },
        { "Ops.BatchNormInference", () => Ops.BatchNormInference(M<double>(3, 4, 1), V<double>(3, 2), V<double>(3, 3), V<double>(3, 4), V<double>(5, 5), Eps), "3×4", "5×1" },
    };

    [Theory, MemberData(nameof(Mismatches))]
    public void ShapeErrors_NameBothShapes(string name, Action call, string first, string second)
    {
        var ex = Assert.Throws<ArgumentException>(call);
        Assert.Contains(first, ex.Message, StringComparison.Ordinal);
        Assert.Contains(second, ex.Message, StringComparison.Ordinal);
        Assert.Contains(name.Split(' ')[0].Replace("Ops.", "", StringComparison.Ordinal), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeEpsilon_IsRejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Normalization.LayerNorm(M<double>(2, 2, 1), V<double>(2, 2), V<double>(2, 3), -1.0));

    [Fact]
    public void OpsDefaultEpsilon_IsOneEMinusFive()
    {
        var (x, gamma, beta) = (M<double>(3, 4, 1), V<double>(3, 2), V<double>(3, 3));
        Assert.Equal(Normalization.LayerNorm(x, gamma, beta, 1e-5).AsSpan().ToArray(), Ops.LayerNorm(x, gamma, beta).AsSpan().ToArray());
        Assert.Equal(Normalization.BatchNorm(x, gamma, beta, 1e-5).AsSpan().ToArray(), Ops.BatchNorm(x, gamma, beta).AsSpan().ToArray());
    }

    [Fact]
    public void RunningStatistics_MovingAverages_AndInference()
    {
        var stats = new BatchNormStatistics<double>(2, momentum: 0.5);
        var x = Matrix<double>.FromArray(new double[,] { { 1, 2, 3, 6 }, { -1, -1, 1, 1 } });
        stats.Update(x);
        Assert.Equal(0.5 * 3, stats.Mean[0], 12);                           // (1 − m)·0 + m·3
        Assert.Equal((0.5 * 1) + (0.5 * 14.0 / 3), stats.Variance[0], 12);   // unbiased: Σ(x − 3)² / 3 = 14/3
        Assert.Equal(0.0, stats.Mean[1], 12);
        Assert.Equal((0.5 * 1) + (0.5 * 4.0 / 3), stats.Variance[1], 12);
        var (gamma, beta) = (V<double>(2, 2), V<double>(2, 3));
        var y = stats.Normalize(x, gamma, beta, Eps);
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                Assert.Equal((gamma[i] * (x[i, j] - stats.Mean[i]) / Math.Sqrt(stats.Variance[i] + Eps)) + beta[i], y[i, j], 12);
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNormStatistics<double>(2, momentum: 1.5));
    }

    // ── destination-passing forms ──

    // (2, 1031): the layer-norm sums and the batch-norm row scratch exceed the stack limit and come from the pool
    private static readonly (int Rows, int Cols)[] Shapes = [(0, 3), (3, 0), (1, 1), (4, 5), (7, 3), (5, 67), (2, 1031)];

    public static TheoryData<string> Names() => new(All<double>().Select(c => c.Name));

    [Theory, MemberData(nameof(Names))]
    public void IntoDouble(string name) => All<double>().Single(c => c.Name == name).Run();

    [Theory, MemberData(nameof(Names))]
    public void IntoSingle(string name) => All<float>().Single(c => c.Name == name).Run();

    private static IEnumerable<IIntoCase> All<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => Shapes.SelectMany(s => Cases<T>(s.Rows, s.Cols));

    private static IEnumerable<IIntoCase> Cases<T>(int r, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, d, g, gamma, beta) = (M<T>(r, c, 1), M<T>(r, c, 2), M<T>(r, c, 3), V<T>(r, 4), V<T>(r, 5));
        var e = T.CreateChecked(1e-3);
        string at = $" {r}×{c}";
        yield return Mat("LayerNorm" + at, () => Normalization.LayerNorm(x, gamma, beta, e), (ref m) => Normalization.LayerNorm(x, gamma, beta, e, ref m), x);
        yield return Mat("LayerNormTangent" + at, () => Normalization.LayerNormTangent(x, d, gamma, e), (ref m) => Normalization.LayerNormTangent(x, d, gamma, e, ref m), x, d);
        yield return Mat("LayerNormBackward" + at, () => Normalization.LayerNormBackward(x, g, gamma, e), (ref m) => Normalization.LayerNormBackward(x, g, gamma, e, ref m), x, g);
        yield return Mat("LayerNormScale" + at, () => Normalization.LayerNormScale(x, gamma, e), (ref m) => Normalization.LayerNormScale(x, gamma, e, ref m), x);
        yield return Vec("LayerNormScaleBackward" + at, () => Normalization.LayerNormScaleBackward(x, g, e), (ref v) => Normalization.LayerNormScaleBackward(x, g, e, ref v), x, g);
        yield return Mat("LayerNormCurvature" + at, () => Normalization.LayerNormCurvature(x, d, g, e), (ref m) => Normalization.LayerNormCurvature(x, d, g, e, ref m), x, d, g);
        yield return Vec("LayerNormScaleCurvature" + at, () => Normalization.LayerNormScaleCurvature(x, g, d, e), (ref v) => Normalization.LayerNormScaleCurvature(x, g, d, e, ref v), x, g, d);
        yield return Mat("BatchNorm" + at, () => Normalization.BatchNorm(x, gamma, beta, e), (ref m) => Normalization.BatchNorm(x, gamma, beta, e, ref m), x);
        yield return Mat("BatchNormTangent" + at, () => Normalization.BatchNormTangent(x, d, gamma, e), (ref m) => Normalization.BatchNormTangent(x, d, gamma, e, ref m), x, d);
        yield return Mat("BatchNormBackward" + at, () => Normalization.BatchNormBackward(x, g, gamma, e), (ref m) => Normalization.BatchNormBackward(x, g, gamma, e, ref m), x, g);
        yield return Mat("BatchNormScale" + at, () => Normalization.BatchNormScale(x, gamma, e), (ref m) => Normalization.BatchNormScale(x, gamma, e, ref m), x);
        yield return Vec("BatchNormScaleBackward" + at, () => Normalization.BatchNormScaleBackward(x, g, e), (ref v) => Normalization.BatchNormScaleBackward(x, g, e, ref v), x, g);
        yield return Mat("BatchNormCurvature" + at, () => Normalization.BatchNormCurvature(x, d, g, e), (ref m) => Normalization.BatchNormCurvature(x, d, g, e, ref m), x, d, g);
        yield return Vec("BatchNormScaleCurvature" + at, () => Normalization.BatchNormScaleCurvature(x, g, d, e), (ref v) => Normalization.BatchNormScaleCurvature(x, g, d, e, ref v), x, g, d);
    }
}
