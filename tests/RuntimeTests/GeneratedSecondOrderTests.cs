using SecondOrder;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The SecondOrder sample's generated second order (samples/SecondOrder/Model.cs, linked) on the real
/// breast-cancer table: the generated Hessian and Hessian-vector product (zero-allocation twins) equal the
/// independently hand-written <see cref="LogisticProblem{T}"/>; Newton and Newton–CG on the twins converge
/// to ‖∇f‖ ≤ 1e-8 in far fewer iterations than gradient descent needs, classify the held-out set, and a
/// whole run allocates nothing once warmed up.
/// </summary>
public sealed class GeneratedSecondOrderTests
{
    private const double Lambda = 1e-3;

    private static readonly Lazy<(BreastCancerSet Train, BreastCancerSet Test)> Data = new(() => BreastCancer.LoadSplit());

    [Fact]
    public void GeneratedHessianAndProduct_EqualTheHandWrittenOnes()
    {
        var train = Data.Value.Train;
        var problem = new LogisticProblem<double>(train.X, train.Y, Lambda);
        int n = problem.Dimension;
        var random = new Random(5);
        var w = new Vector<double>(n);
        var v = new Vector<double>(n);
        for (int j = 0; j < n; j++)
        {
            w[j] = random.NextDouble() - 0.5;
            v[j] = random.NextDouble() - 0.5;
        }

        var g = new Vector<double>(n);
        var h = new Matrix<double>(n, n);
        double f = problem.ValueGradientHessian(w, g, h);
        var hv = new Vector<double>(n);
        problem.HessianVector(w, v, hv);

        var workspace = new LogisticModel.LossWorkspace();
        var gg = new Vector<double>(n);
        var gh = new Matrix<double>(n, n);
        double gf = LogisticModel.LossHessian(w, train.X, train.Y, Lambda, workspace, gg, gh, accumulate: false);
        var ghv = new Vector<double>(n);
        LogisticModel.LossHessianVectorProduct(w, train.X, train.Y, Lambda, v, workspace, null, ghv, accumulate: false);

        Assert.Equal(f, gf, 1e-12);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(g[i], gg[i], 1e-12);
            Assert.Equal(hv[i], ghv[i], 1e-12);
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(h[i, j], gh[i, j], 1e-12);
            }
        }
    }

    [Fact]
    public void NewtonAndNewtonCG_OnTheGeneratedTwins_ConvergeFast_Classify_AndAllocateNothing()
    {
        var (train, test) = Data.Value;
        int n = train.Columns;
        var workspace = new LogisticModel.LossWorkspace();
        var newton = new Newton<double>(n,
            (w, g, h) => LogisticModel.LossHessian(w, train.X, train.Y, Lambda, workspace, g, h, accumulate: false), 1e-8, 50);
        var newtonCG = new NewtonCG<double>(n,
            (w, g) => LogisticModel.LossBackward(w, train.X, train.Y, Lambda, workspace, g, accumulate: false),
            (w, v, product) => LogisticModel.LossHessianVectorProduct(w, train.X, train.Y, Lambda, v, workspace, null, product, accumulate: false),
            1e-8, 50);
        foreach (var minimizer in new SecondOrderMinimizer<double>[] { newton, newtonCG })
        {
            minimizer.Minimize(new Vector<double>(n));   // warm-up, twice: the first run's JIT and lazy runtime state settle
            minimizer.Minimize(new Vector<double>(n));
            var start = new Vector<double>(n);
            var steps = new long[64];
            int k = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            minimizer.Start(start);
            steps[k++] = GC.GetAllocatedBytesForCurrentThread() - before;
            bool more = true;
            while (more)
            {
                long b = GC.GetAllocatedBytesForCurrentThread();
                more = minimizer.Step();
                steps[k++] = GC.GetAllocatedBytesForCurrentThread() - b;
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, string.Join(", ", steps.Take(k)));
            Assert.Equal(SecondOrderStatus.Converged, minimizer.Status);
            Assert.InRange(minimizer.Iterations, 3, 15);
            Assert.True(allocated == 0, minimizer.GetType().Name + " allocated " + allocated + " bytes");
            Assert.True(test.Accuracy(Vector<double>.FromSpan(minimizer.Point)) >= 0.95, minimizer.GetType().Name + " held-out accuracy " + test.Accuracy(Vector<double>.FromSpan(minimizer.Point)));
        }

        // Gradient descent with Armijo from the same start needs hundreds of steps to the same tolerance.
        var descent = GradientDescent.Minimize(w =>
        {
            double value = LogisticModel.LossWithGradient(w, train.X, train.Y, Lambda, out var gradient);
            return (value, gradient);
        }, new Vector<double>(n), 1e-8, 5000);
        Assert.True(descent.Iterations > 10 * newton.Iterations, "gradient descent took " + descent.Iterations + " steps, Newton " + newton.Iterations);
    }
}
