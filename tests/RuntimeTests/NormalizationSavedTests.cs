using System.Numerics;
using AutoGradGen.Compute;
using Xunit;
using static AutoGradGen.RuntimeTests.IntoInputs;
using static AutoGradGen.RuntimeTests.NormalizationChecks;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Normalization with saved statistics (<see cref="Normalization"/>'s forward overloads that keep x̂ and 1/σ, and the fused
/// backward that reads them): against the plain loops in double of <see cref="NormalizationReference"/> — each line's mean, biased variance and x̂, the
/// Jacobian J = (1/σ)(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n) applied as an explicit matrix to γ ⊙ sG, γ̄ and β̄ as sums of sG ⊙ x̂ and sG — on
/// odd shapes (vector tails) and wide ones (pooled scratch), float and double, with every accumulate flag and null output;
/// shape and aliasing errors name both operands and write nothing; the workspace forms allocate nothing.
/// </summary>
public class NormalizationSavedTests
{
    private const double Eps = 1e-3;

    public static TheoryData<bool, int, int> Shapes()
    {
        var data = new TheoryData<bool, int, int>();
        (int, int)[] shapes = [(1, 1), (1, 9), (9, 1), (3, 17), (17, 3), (5, 31), (33, 7), (4, 67), (2, 300), (3, 1031)];
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
    public void Double_MatchesThePlainLoops(bool layer, int rows, int cols) => Check<double>(layer, rows, cols, 1e-11);

    [Theory, MemberData(nameof(Shapes))]
    public void Single_MatchesThePlainLoops(bool layer, int rows, int cols) => Check<float>(layer, rows, cols, 3e-4);

    private static void Check<T>(bool layer, int rows, int cols, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, gamma, beta, g) = (M<T>(rows, cols, 31, 1.5, 3.5), V<T>(rows, 32, 0.5, 1.5), V<T>(rows, 33), M<T>(rows, cols, 34));
        var e = T.CreateChecked(Eps);
        var reference = new NormalizationReference(D(x), layer, Eps);
        var (hat, inverse) = reference.Statistics();

        // the allocating form and the workspace form, with stale contents in the buffers
        var y = layer ? Normalization.LayerNorm(x, gamma, beta, e, out var normalized, out var inverseStd)
                      : Normalization.BatchNorm(x, gamma, beta, e, out normalized, out inverseStd);
        Near(hat, normalized, tolerance, "x̂");
        Near(inverse, inverseStd, tolerance, "1/σ");
        Near(reference.Forward(D(gamma), D(beta)), y, tolerance, "Y");
        var (normalized2, inverseStd2, y2) = (M<T>(rows, cols, 35), V<T>(layer ? cols : rows, 36), (Matrix<T>?)M<T>(rows, cols, 37));
        var kept = y2;
        var returned = layer ? Normalization.LayerNorm(x, gamma, beta, e, normalized2, inverseStd2, ref y2)
                             : Normalization.BatchNorm(x, gamma, beta, e, normalized2, inverseStd2, ref y2);
        Assert.Same(kept, returned);
        Assert.Equal(y.AsSpan().ToArray(), y2!.AsSpan().ToArray());
        Assert.Equal(normalized.AsSpan().ToArray(), normalized2.AsSpan().ToArray());
        Assert.Equal(inverseStd.AsSpan().ToArray(), inverseStd2.AsSpan().ToArray());

        // the backward pass with s = −1.5, overwriting and accumulating
        const double s = -1.5;
        var (xBar, gammaBar, betaBar) = reference.Backward(D(g), D(gamma), s);
        var (dx, dgamma, dbeta) = (M<T>(rows, cols, 38), V<T>(rows, 39), V<T>(rows, 40));
        Backward(layer, normalized, inverseStd, gamma, T.CreateChecked(s), g, dx, dgamma, dbeta, false, false, false);
        Near(xBar, dx, tolerance, "X̄");
        Near(gammaBar, dgamma, tolerance, "γ̄");
        Near(betaBar, dbeta, tolerance, "β̄");
        var (before, beforeGamma, beforeBeta) = (M<T>(rows, cols, 41), V<T>(rows, 42), V<T>(rows, 43));
        (dx, dgamma, dbeta) = (before.Clone(), Clone(beforeGamma), Clone(beforeBeta));
        Backward(layer, normalized, inverseStd, gamma, T.CreateChecked(s), g, dx, dgamma, dbeta, true, false, true);
        Near(Add(D(before), xBar), dx, tolerance, "X̄ accumulated");
        Near(gammaBar, dgamma, tolerance, "γ̄ overwritten");
        Near(Add(D(beforeBeta), betaBar), dbeta, tolerance, "β̄ accumulated");
    }

    private static void Backward<T>(bool layer, Matrix<T> normalized, Vector<T> inverseStd, Vector<T> gamma, T s, Matrix<T> g,
        Matrix<T>? dx, Vector<T>? dgamma, Vector<T>? dbeta, bool accumulateX, bool accumulateGamma, bool accumulateBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (layer)
        {
            Normalization.LayerNormBackward(normalized, inverseStd, gamma, s, g, dx, dgamma, dbeta, accumulateX, accumulateGamma, accumulateBeta);
        }
        else
        {
            Normalization.BatchNormBackward(normalized, inverseStd, gamma, s, g, dx, dgamma, dbeta, accumulateX, accumulateGamma, accumulateBeta);
        }
    }

    public static TheoryData<bool> Both() => new() { true, false };

    [Theory, MemberData(nameof(Both))]
    public void NullOutputs_AreSkipped_AndTheOthersAreTheSame(bool layer)
    {
        var (x, gamma, beta, g) = (M<double>(5, 7, 51, 1, 2), V<double>(5, 52), V<double>(5, 53), M<double>(5, 7, 54));
        var reference = new NormalizationReference(D(x), layer, Eps);
        var (xBar, gammaBar, betaBar) = reference.Backward(D(g), D(gamma), 2);
        _ = layer ? Normalization.LayerNorm(x, gamma, beta, Eps, out var normalized, out var inverseStd)
                  : Normalization.BatchNorm(x, gamma, beta, Eps, out normalized, out inverseStd);
        var dx = new Matrix<double>(5, 7);
        Backward(layer, normalized, inverseStd, gamma, 2.0, g, dx, null, null, false, false, false);
        Near(xBar, dx, 1e-11, "X̄ alone");
        var (dgamma, dbeta) = (new Vector<double>(5), new Vector<double>(5));
        Backward(layer, normalized, inverseStd, gamma, 2.0, g, null, dgamma, dbeta, false, false, false);
        Near(gammaBar, dgamma, 1e-11, "γ̄ without X̄");
        Near(betaBar, dbeta, 1e-11, "β̄ without X̄");
        var single = new Vector<double>(5);
        if (layer)
        {
            Normalization.LayerNormBackward(normalized, inverseStd, gamma, 2.0, g, null, null, single, accumulate: false);
        }
        else
        {
            Normalization.BatchNormBackward(normalized, inverseStd, gamma, 2.0, g, null, null, single, accumulate: false);
        }
        Near(betaBar, single, 1e-11, "β̄ alone, one flag");
    }

    [Theory, MemberData(nameof(Both))]
    public void ShapeErrors_NameBothShapes_AndWriteNothing(bool layer)
    {
        var (x, gamma, beta) = (M<double>(3, 4, 61), V<double>(3, 62), V<double>(3, 63));
        string op = layer ? "LayerNorm" : "BatchNorm";
        int lines = layer ? 4 : 3;
        Matrix<double>? destination = null;

        // forward: x̂ of another shape, 1/σ of another length, γ of another length
        var (badHat, badInverse, inverse, hat) = (new Matrix<double>(4, 3), new Vector<double>(lines + 1), new Vector<double>(lines), new Matrix<double>(3, 4));
        var error = Assert.Throws<ArgumentException>(() => Forward(layer, x, gamma, beta, badHat, inverse, ref destination));
        Assert.Contains(op, error.Message);
        Assert.Contains("3×4", error.Message);
        Assert.Contains("4×3", error.Message);
        error = Assert.Throws<ArgumentException>(() => Forward(layer, x, gamma, beta, hat, badInverse, ref destination));
        Assert.Contains("3×4", error.Message);
        Assert.Contains((lines + 1) + "×1", error.Message);
        Assert.Equal("inverseStd", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => Forward(layer, x, new Vector<double>(2), beta, hat, inverse, ref destination));
        Assert.Contains("2×1", error.Message);
        Assert.Null(destination);
        Assert.All(hat.AsSpan().ToArray(), v => Assert.Equal(0, v));
        Assert.All(inverse.AsSpan().ToArray(), v => Assert.Equal(0, v));

        // backward: G, ∇X, ∇γ of other shapes
        Forward(layer, x, gamma, beta, hat, inverse, ref destination);
        var (dx, dgamma, dbeta) = (new Matrix<double>(3, 4), new Vector<double>(3), new Vector<double>(3));
        error = Assert.Throws<ArgumentException>(() => Backward(layer, hat, inverse, gamma, 1.0, new Matrix<double>(3, 5), dx, dgamma, dbeta, false, false, false));
        Assert.Contains("3×4", error.Message);
        Assert.Contains("3×5", error.Message);
        error = Assert.Throws<ArgumentException>(() => Backward(layer, hat, inverse, gamma, 1.0, x, new Matrix<double>(2, 4), dgamma, dbeta, false, false, false));
        Assert.Contains("2×4", error.Message);
        Assert.Equal("dx", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => Backward(layer, hat, inverse, gamma, 1.0, x, dx, new Vector<double>(4), dbeta, false, false, false));
        Assert.Contains("4×1", error.Message);
        Assert.Equal("dgamma", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => Backward(layer, hat, badInverse, gamma, 1.0, x, dx, dgamma, dbeta, false, false, false));
        Assert.Contains((lines + 1) + "×1", error.Message);
        Assert.All(dx.AsSpan().ToArray(), v => Assert.Equal(0, v));
        Assert.All(dgamma.AsSpan().ToArray(), v => Assert.Equal(0, v));
        Assert.All(dbeta.AsSpan().ToArray(), v => Assert.Equal(0, v));
    }

    [Theory, MemberData(nameof(Both))]
    public void AliasedBuffers_AreRejected(bool layer)
    {
        var (x, gamma, beta, g) = (M<double>(3, 4, 71), V<double>(3, 72), V<double>(3, 73), M<double>(3, 4, 74));
        var (hat, inverse) = (new Matrix<double>(3, 4), new Vector<double>(layer ? 4 : 3));
        Matrix<double>? destination = hat;
        Assert.Throws<ArgumentException>(() => Forward(layer, x, gamma, beta, x, inverse, ref destination));
        Assert.Throws<ArgumentException>(() => Forward(layer, x, gamma, beta, hat, inverse, ref destination));
        if (!layer)
        {
            Assert.Throws<ArgumentException>(() => Forward(layer, x, gamma, beta, hat, gamma, ref destination));
        }
        destination = null;
        Forward(layer, x, gamma, beta, hat, inverse, ref destination);
        var dgamma = new Vector<double>(3);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => Backward(layer, hat, inverse, gamma, 1.0, g, g, null, null, false, false, false)).ParamName);
        Assert.Equal("dgamma", Assert.Throws<ArgumentException>(() => Backward(layer, hat, inverse, gamma, 1.0, g, null, gamma, null, false, false, false)).ParamName);
        Assert.Equal("dgamma", Assert.Throws<ArgumentException>(() => Backward(layer, hat, inverse, gamma, 1.0, g, null, dgamma, dgamma, false, false, false)).ParamName);
    }

    [Theory, MemberData(nameof(Both))]
    public void TheWorkspaceForms_AllocateNothing_InSteadyState(bool layer)
    {
        // 300 columns: layer normalization's backward scratch (4 · cols) is pooled, not on the stack
        var (x, gamma, beta, g) = (M<float>(8, 300, 81), V<float>(8, 82), V<float>(8, 83), M<float>(8, 300, 84));
        var (hat, inverse, dx, dgamma, dbeta) = (new Matrix<float>(8, 300), new Vector<float>(layer ? 300 : 8), new Matrix<float>(8, 300), new Vector<float>(8), new Vector<float>(8));
        Matrix<float>? y = null;
        void Step()
        {
            Forward(layer, x, gamma, beta, hat, inverse, ref y);
            Backward(layer, hat, inverse, gamma, 2f, g, dx, dgamma, dbeta, true, false, true);
        }
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static Matrix<T> Forward<T>(bool layer, Matrix<T> x, Vector<T> gamma, Vector<T> beta, Matrix<T> hat, Vector<T> inverse, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> => layer
        ? Normalization.LayerNorm(x, gamma, beta, T.CreateChecked(Eps), hat, inverse, ref destination)
        : Normalization.BatchNorm(x, gamma, beta, T.CreateChecked(Eps), hat, inverse, ref destination);

    private static Vector<T> Clone<T>(Vector<T> v)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector<T>.FromArray(v.ToArray());

    private static double[,] Add(double[,] a, double[,] b)
    {
        var c = (double[,])a.Clone();
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                c[i, j] += b[i, j];
            }
        }
        return c;
    }

    private static double[] Add(double[] a, double[] b) => a.Zip(b, (p, q) => p + q).ToArray();
}
