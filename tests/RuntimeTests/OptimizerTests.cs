using System.Numerics;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Sgd and Adam against hand-computed updates and an independent loop reference, their shape
/// validation (nothing written on a mismatch) and allocation-free steps; the Armijo line search and
/// gradient descent on quadratics.
/// </summary>
public class OptimizerTests
{
    [Fact]
    public void SgdStepIsThetaMinusEtaG()
    {
        var w = Matrix<double>.FromArray(new[,] { { 1.0, 2 }, { 3, 4 } });
        var b = Vector<double>.FromArray([1.0, -1]);
        var sgd = new Sgd<double>([w], [b], 0.1);
        sgd.Step([Matrix<double>.FromArray(new[,] { { 0.5, -1 }, { 0, 10 } })], [Vector<double>.FromArray([2.0, 0])]);
        AssertClose(new[] { 0.95, 2.1, 3, 3 }, w.AsSpan().ToArray(), 1e-15);
        AssertClose(new[] { 0.8, -1 }, b.ToArray(), 1e-15);
        Assert.Equal(1, sgd.StepCount);
    }

    [Fact]
    public void SgdMomentumAccumulatesVelocity()
    {
        var x = Vector<float>.FromArray([0f]);
        var sgd = new Sgd<float>([], [x], 0.1f, 0.9f);
        sgd.Step([], [Vector<float>.FromArray([1f])]);   // v = 1,             x = −0.1
        sgd.Step([], [Vector<float>.FromArray([2f])]);   // v = 0.9·1 + 2 = 2.9, x = −0.1 − 0.29
        sgd.Step([], [Vector<float>.FromArray([-1f])]);  // v = 0.9·2.9 − 1 = 1.61, x = −0.39 − 0.161
        Assert.Equal(-0.551f, x[0], 1e-6f);
    }

    [Fact]
    public void AdamFirstStepsMatchHandComputation()
    {
        // Step 1: m = 0.1 g, v = 0.001 g², m̂ = g, v̂ = g² ⇒ θ −= η g / (|g| + ε) ≈ η sign(g).
        var x = Vector<double>.FromArray([1.0, 1, 1]);
        var adam = new Adam<double>([], [x], 0.01);
        adam.Step([], [Vector<double>.FromArray([0.5, -2, 0])]);
        AssertClose(new[] { 1 - (0.01 * 0.5 / (0.5 + 1e-8)), 1 + (0.01 * 2 / (2 + 1e-8)), 1 }, x.ToArray(), 1e-15);

        // Step 2 with g₂ = 1 on the first entry: m = 0.09·0.5·... computed from the definitions.
        adam.Step([], [Vector<double>.FromArray([1.0, 0, 0])]);
        double m = (0.9 * 0.05) + (0.1 * 1), v = (0.999 * 0.001 * 0.25) + (0.001 * 1);
        double mHat = m / (1 - (0.9 * 0.9)), vHat = v / (1 - (0.999 * 0.999));
        Assert.Equal(1 - (0.01 * 0.5 / (0.5 + 1e-8)) - (0.01 * mHat / (Math.Sqrt(vHat) + 1e-8)), x[0], 1e-14);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    public void AdamMatchesLoopReference(int size)
    {
        AdamAgainstReference<double>(size, 1e-12);
        AdamAgainstReference<float>(size, 1e-4);
    }

    [Fact]
    public void OptimizersDescendOnAQuadratic()
    {
        // f(W) = ½‖W − C‖², ∇f = W − C.
        var c = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(3, 4, 1));
        foreach (var make in new Func<Matrix<double>, Optimizer<double>>[]
                 {
                     w => new Sgd<double>([w], [], 0.1), w => new Sgd<double>([w], [], 0.05, 0.9), w => new Adam<double>([w], [], 0.05),
                 })
        {
            var w = new Matrix<double>(3, 4);
            var optimizer = make(w);
            for (int k = 0; k < 500; k++)
            {
                optimizer.Step([w - c]);
            }

            Assert.True(SquaredNorm(w - c) < 1e-6, $"{optimizer.GetType().Name}: ‖W − C‖² = {SquaredNorm(w - c)}");
        }
    }

    [Fact]
    public void StepValidatesEverythingBeforeWriting()
    {
        var w = Matrix<double>.FromArray(new[,] { { 1.0, 2, 3 } });
        var b = Vector<double>.FromArray([1.0, 2]);
        var adam = new Adam<double>([w], [b], 0.1);
        var good = new Matrix<double>(1, 3);
        good[0, 0] = 1;

        var ex = Assert.Throws<ArgumentException>(() => adam.Step([good], [new Vector<double>(3)]));
        Assert.Contains("2×1", ex.Message);
        Assert.Contains("3×1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new Sgd<double>([w], [b], 0.1).Step([new Matrix<double>(3, 1)], [b]));
        Assert.Contains("1×3", ex.Message);
        Assert.Contains("3×1", ex.Message);
        Assert.Throws<ArgumentException>(() => adam.Step([good]));
        Assert.Throws<ArgumentNullException>("vectorGradients", () => adam.Step([good], [null!]));

        Assert.Equal(new[] { 1.0, 2, 3 }, w.AsSpan().ToArray());
        Assert.Equal(new[] { 1.0, 2 }, b.ToArray());
        Assert.Equal(0, adam.StepCount);
    }

    [Fact]
    public void BadHyperparametersThrow()
    {
        var w = new Matrix<double>(1, 1);
        Assert.Throws<ArgumentOutOfRangeException>("learningRate", () => new Sgd<double>([w], [], 0));
        Assert.Throws<ArgumentOutOfRangeException>("momentum", () => new Sgd<double>([w], [], 0.1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("beta2", () => new Adam<double>([w], [], 0.1, 0.9, -0.1, 1e-8));
        Assert.Throws<ArgumentOutOfRangeException>("learningRate", () => new Adam<double>([w], [], double.NaN));
        Assert.Throws<ArgumentNullException>("matrices", () => new Adam<double>([null!], [], 0.1));
    }

    [Fact]
    public void StepsAllocateNothing()
    {
        var w = new Matrix<double>(8, 8);
        var b = new Vector<double>(8);
        var dw = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(8, 8, 2));
        var db = Vector<double>.FromArray(Inputs.RandomArray<double>(8, 3));
        var optimizers = new Optimizer<double>[] { new Adam<double>([w], [b], 0.01), new Sgd<double>([w], [b], 0.01, 0.5), new Sgd<double>([w], [b], 0.01) };
        foreach (var optimizer in optimizers)
        {
            optimizer.Step([dw], [db]); // warm up (JIT)
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 10; k++)
            {
                optimizer.Step([dw], [db]);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void ArmijoBacktracksToASufficientDecrease()
    {
        // f(x) = ½ xᵀAx − bᵀx along d = −∇f from x = 0: φ(α) = f(α b).
        double[,] a = { { 3, 1 }, { 1, 2 } };
        double[] bv = { 1, -2 };
        double F(double[] x) => (0.5 * ((x[0] * ((a[0, 0] * x[0]) + (a[0, 1] * x[1]))) + (x[1] * ((a[1, 0] * x[0]) + (a[1, 1] * x[1]))))) - ((bv[0] * x[0]) + (bv[1] * x[1]));
        double Phi(double alpha) => F([alpha * bv[0], alpha * bv[1]]);
        double slope = -((bv[0] * bv[0]) + (bv[1] * bv[1]));

        double step = LineSearch.Armijo(Phi, 0.0, slope, 16.0);
        Assert.True(step is > 0 and < 16, $"step {step}");
        Assert.True(Phi(step) <= 1e-4 * step * slope, "sufficient decrease");
        Assert.True(Phi(2 * step) > 1e-4 * 2 * step * slope, "the previous (twice as long) trial was rejected");
        Assert.Equal(1.0, step); // φ(α) = 3.5α² − 5α: 16, 8, 4, 2 fail, 1 is the first power of ½ with φ ≤ cαφ′(0)

        float stepF = LineSearch.Armijo(alpha => (float)Phi(alpha), 0f, (float)slope, 1f, 0.5f, 0.1f, 30);
        Assert.True(Phi(stepF) < 0);
        Assert.Throws<ArgumentException>("slope", () => LineSearch.Armijo(Phi, 0.0, 1.0, 1.0));
        Assert.Equal(0.0, LineSearch.Armijo(alpha => 1.0, 0.0, -1.0, 1.0)); // never decreases
    }

    [Fact]
    public void GradientDescentMinimizesQuadratics()
    {
        var a = Matrix<double>.FromArray(new[,] { { 3.0, 1, 0 }, { 1, 2, 0.5 }, { 0, 0.5, 1 } });
        var b = Vector<double>.FromArray([1.0, -2, 0.5]);
        var values = new List<double>();
        var result = GradientDescent.Minimize<double>(
            x =>
            {
                var ax = a * x;
                double f = (0.5 * Dot(x, ax)) - Dot(b, x);
                values.Add(f);
                return (f, ax - b);
            },
            new Vector<double>(3), 1e-7); // far below this, c α ‖∇f‖² drops under the rounding of f itself
        Assert.True(result.Converged && result.Iterations < 200, $"{result}");
        Assert.True(result.Value <= values[0], "the result is no worse than the start");
        var expected = Solve(a, b);
        AssertClose(expected.ToArray(), result.Minimizer.ToArray(), 1e-7);

        var c = Matrix<double>.FromArray(Inputs.RandomMatrix<double>(2, 3, 5));
        var start = new Matrix<double>(2, 3);
        var m = GradientDescent.Minimize<double>(x => (SquaredNorm(x - c), 2.0 * (x - c)), start, 1e-9);
        Assert.True(m.Converged, $"{m}");
        AssertClose(c.AsSpan().ToArray(), m.Minimizer.AsSpan().ToArray(), 1e-9);
        Assert.Equal(0.0, SquaredNorm(start)); // the start is not modified

        var stalled = GradientDescent.Minimize<double>(x => (0.0, x.Clone()), Vector<double>.FromArray([1.0]), 1e-12, 5);
        Assert.False(stalled.Converged);
        Assert.Throws<ArgumentException>(() => GradientDescent.Minimize<double>(x => (0.0, new Vector<double>(2)), new Vector<double>(3), 1e-6));
    }

    private static void AdamAgainstReference<T>(int size, double tol)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(size, 2, size));
        double[] theta = Naive.Flatten(Naive.ToDouble(w.ToArray()));
        double[] m = new double[theta.Length], v = new double[theta.Length];
        const double lr = 0.01, b1 = 0.8, b2 = 0.99, eps = 1e-6;
        var adam = new Adam<T>([w], [], T.CreateChecked(lr), T.CreateChecked(b1), T.CreateChecked(b2), T.CreateChecked(eps));
        for (int t = 1; t <= 4; t++)
        {
            var gs = Inputs.RandomMatrix<T>(size, 2, (100 * t) + size);
            double[] g = Naive.Flatten(Naive.ToDouble(gs));
            for (int i = 0; i < theta.Length; i++)
            {
                m[i] = (b1 * m[i]) + ((1 - b1) * g[i]);
                v[i] = (b2 * v[i]) + ((1 - b2) * g[i] * g[i]);
                double mHat = m[i] / (1 - Math.Pow(b1, t)), vHat = v[i] / (1 - Math.Pow(b2, t));
                theta[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }

            adam.Step([Matrix<T>.FromArray(gs)]);
        }

        AssertClose(theta, Naive.Flatten(Naive.ToDouble(w.ToArray())), tol);
    }

    private static void AssertClose(double[] expected, double[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])), $"at {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
