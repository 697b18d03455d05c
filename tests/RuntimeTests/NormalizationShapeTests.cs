using System.Numerics;
using AutoGradGen.Compute;
using Xunit;
using static AutoGradGen.RuntimeTests.IntoInputs;
using static AutoGradGen.RuntimeTests.NormalizationChecks;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The normalization kernels (<see cref="Normalization"/>) on shapes that exercise every vector remainder (odd line
/// lengths and line counts 1..67) and the pooled scratch (more than a thousand columns of per-column sums), float and
/// double, against the naive references in double of <see cref="NormalizationReference"/>: x̂ and the Jacobian J = (1/σ)(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n) as an explicit
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
        var rx = new NormalizationReference(D(x), layer, Eps);
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

    private static double[] Difference(NormalizationReference at, double[,] direction, Func<NormalizationReference, double[]> f)
    {
        const double h = 1e-5;
        var (plus, minus) = (f(at.Step(direction, h)), f(at.Step(direction, -h)));
        return plus.Zip(minus, (p, q) => (p - q) / (2 * h)).ToArray();
    }
}
