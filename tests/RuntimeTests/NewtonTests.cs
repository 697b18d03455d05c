using System.Numerics;
using SecondOrder;
using Xunit;
using Xunit.Abstractions;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// <see cref="Newton{T}"/> and <see cref="NewtonCG{T}"/> on L2-regularised logistic regression over the
/// breast-cancer table (hand-written loss, gradient, Hessian and Hessian-vector product), Rosenbrock from
/// (−1.2, 1), and a double well started where the Hessian is indefinite: convergence, far fewer
/// iterations than gradient descent, quadratic convergence, f never increasing, no allocation per step.
/// </summary>
public sealed class NewtonTests(ITestOutputHelper output)
{
    private const double Lambda = 1e-2;

    private static readonly Lazy<(BreastCancerSet Train, BreastCancerSet Test)> Data = new(() => BreastCancer.LoadSplit());

    private static LogisticProblem<T> Logistic<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new(Data.Value.Train.X, Data.Value.Train.Y, Lambda);

    private static Newton<T> NewtonOn<T>(LogisticProblem<T> problem, T tolerance, int maxIterations = 100)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new(problem.Dimension, problem.ValueGradientHessian, tolerance, maxIterations);

    private static NewtonCG<T> NewtonCGOn<T>(LogisticProblem<T> problem, T tolerance, int maxIterations = 100)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new(problem.Dimension, problem.ValueAndGradient, problem.HessianVector, tolerance, maxIterations);

    [Fact]
    public void LoaderSplitsAndStandardises()
    {
        var (train, test) = Data.Value;
        Assert.Equal(455, train.Count);
        Assert.Equal(114, test.Count);
        Assert.Equal(BreastCancer.Features + 1, train.Columns);
        for (int j = 0; j < BreastCancer.Features; j++)
        {
            double mean = 0, squares = 0;
            for (int i = 0; i < train.Count; i++)
            {
                mean += train.X[i, j];
            }

            mean /= train.Count;
            for (int i = 0; i < train.Count; i++)
            {
                squares += (train.X[i, j] - mean) * (train.X[i, j] - mean);
            }

            Assert.Equal(0, mean, 1e-12);
            Assert.Equal(1, Math.Sqrt(squares / train.Count), 1e-12);
        }

        Assert.All(Enumerable.Range(0, train.Count), i => Assert.Equal(1, train.X[i, BreastCancer.Features]));
        double benign = train.Y.ToArray().Sum() + test.Y.ToArray().Sum();
        Assert.Equal(357, benign);
        var again = BreastCancer.LoadSplit();
        Assert.Equal(train.X.ToArray(), again.Train.X.ToArray()); // same seed, same split
    }

    [Fact]
    public void LogisticDerivativesMatchFiniteDifferences()
    {
        var problem = Logistic<double>();
        int n = problem.Dimension;
        var w = new Vector<double>(n);
        var random = new Random(3);
        for (int j = 0; j < n; j++)
        {
            w[j] = (random.NextDouble() - 0.5) * 0.5;
        }

        var g = new Vector<double>(n);
        var h = new Matrix<double>(n, n);
        problem.ValueGradientHessian(w, g, h);
        var gPlus = new Vector<double>(n);
        var gMinus = new Vector<double>(n);
        var v = new Vector<double>(n);
        var hv = new Vector<double>(n);
        const double step = 1e-5;
        foreach (int j in new[] { 0, 7, 19, n - 1 })
        {
            var plus = w.Clone();
            var minus = w.Clone();
            plus[j] += step;
            minus[j] -= step;
            double numeric = (problem.ValueAndGradient(plus, gPlus) - problem.ValueAndGradient(minus, gMinus)) / (2 * step);
            Assert.Equal(numeric, g[j], 1e-8);
            v.AsSpan().Clear();
            v[j] = 1;
            problem.HessianVector(w, v, hv);
            for (int i = 0; i < n; i++)
            {
                double column = (gPlus[i] - gMinus[i]) / (2 * step);
                Assert.Equal(column, h[i, j], 1e-7);
                Assert.Equal(h[i, j], hv[i], 1e-12);
            }
        }
    }

    [Fact]
    public void BothReachTheToleranceInFarFewerIterationsThanGradientDescent()
    {
        var problem = Logistic<double>();
        var newton = NewtonOn(problem, 1e-10).Minimize(new Vector<double>(problem.Dimension));
        var cg = NewtonCGOn(problem, 1e-10).Minimize(new Vector<double>(problem.Dimension));
        var descent = GradientDescent.Minimize<double>(
            w =>
            {
                var g = new Vector<double>(problem.Dimension);
                return (problem.ValueAndGradient(w, g), g);
            },
            new Vector<double>(problem.Dimension), 1e-10, maxIterations: 1000);
        Log("Newton", newton);
        Log("Newton-CG", cg);
        output.WriteLine($"gradient descent: {descent.Iterations} iterations, converged {descent.Converged}, ‖∇‖ = {descent.GradientNorm:G3}");

        Assert.True(newton.Converged, newton.Status.ToString());
        Assert.True(cg.Converged, cg.Status.ToString());
        Assert.True(newton.GradientNorm <= 1e-10 && cg.GradientNorm <= 1e-10);
        Assert.InRange(newton.Iterations, 1, 15);
        Assert.InRange(cg.Iterations, 1, 25);
        Assert.True(descent.Iterations >= 20 * Math.Max(newton.Iterations, cg.Iterations),
            $"gradient descent took {descent.Iterations} iterations");
        Assert.Equal(newton.Value, cg.Value, 1e-12);
        AssertNeverUphill(newton);
        AssertNeverUphill(cg);
        Assert.All(newton.History.Skip(1), row => Assert.Equal(NewtonDirection.Cholesky, row.Direction)); // convex: H ≻ 0
        Assert.True(cg.HessianVectorProducts > 0);
    }

    [Fact]
    public void NewtonAndNewtonCGFindTheSameWeightsWithGoodHeldOutAccuracy()
    {
        var problem = Logistic<double>();
        var w1 = new Vector<double>(problem.Dimension);
        var w2 = new Vector<double>(problem.Dimension);
        NewtonOn(problem, 1e-10).Minimize(w1);
        NewtonCGOn(problem, 1e-10).Minimize(w2);
        for (int j = 0; j < problem.Dimension; j++)
        {
            Assert.Equal(w1[j], w2[j], 1e-8);
        }

        double accuracy = Data.Value.Test.Accuracy(w1);
        output.WriteLine($"held-out accuracy {accuracy:P1}");
        Assert.True(accuracy >= 0.9, $"held-out accuracy {accuracy}");
    }

    [Fact]
    public void NewtonConvergesQuadratically()
    {
        var problem = Logistic<double>();
        var result = NewtonOn(problem, 1e-10).Minimize(new Vector<double>(problem.Dimension));
        Log("Newton", result);
        var norms = result.History.Select(row => row.GradientNorm).ToArray();

        // In the last phase, ‖g_{k+1}‖ ≤ C ‖g_k‖² (quadratic) with a moderate C, and the ratio ‖g_{k+1}‖/‖g_k‖ falls.
        int checkedSteps = 0;
        for (int k = 0; k + 1 < norms.Length; k++)
        {
            if (norms[k] <= 1e-1 && norms[k + 1] > 1e-12) // above the rounding floor (≈ 1e-13 here)
            {
                double constant = norms[k + 1] / (norms[k] * norms[k]);
                output.WriteLine($"k = {k}: ‖g‖ {norms[k]:G3} → {norms[k + 1]:G3}, ratio {norms[k + 1] / norms[k]:G3}, ‖g⁺‖/‖g‖² = {constant:G3}");
                Assert.True(constant <= 50, $"step {k}: ‖g⁺‖/‖g‖² = {constant}");
                checkedSteps++;
            }
        }

        Assert.True(checkedSteps >= 3, $"only {checkedSteps} steps in the quadratic phase");
        Assert.True(norms[^1] <= 1e-10);
    }

    [Fact]
    public void NewtonCGConvergesSuperlinearly()
    {
        var problem = Logistic<double>();
        var result = NewtonCGOn(problem, 1e-10).Minimize(new Vector<double>(problem.Dimension));
        Log("Newton-CG", result);
        var norms = result.History.Select(row => row.GradientNorm).ToArray();
        var ratios = Enumerable.Range(0, norms.Length - 1).Where(k => norms[k] <= 1e-1).Select(k => norms[k + 1] / norms[k]).ToArray();
        Assert.True(ratios.Length >= 2);
        Assert.True(ratios[^1] <= 1e-2, $"last ratio {ratios[^1]}"); // η = √‖g‖ → 0: the ratios vanish
    }

    [Fact]
    public void FloatLogisticConverges()
    {
        var problem = Logistic<float>();
        var newton = NewtonOn(problem, 1e-5f).Minimize(new Vector<float>(problem.Dimension));
        var cg = NewtonCGOn(problem, 1e-5f).Minimize(new Vector<float>(problem.Dimension));
        Log("Newton float", newton);
        Log("Newton-CG float", cg);
        Assert.True(newton.Converged, newton.Status.ToString());
        Assert.True(cg.Converged, cg.Status.ToString());
        Assert.InRange(newton.Iterations, 1, 15);
        Assert.InRange(cg.Iterations, 1, 25);
        AssertNeverUphill(newton);
        AssertNeverUphill(cg);
    }

    private void Log<T>(string name, SecondOrderResult<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        output.WriteLine($"{name}: {result.Status} after {result.Iterations} iterations, {result.Evaluations} evaluations, {result.HessianVectorProducts} products");
        foreach (var row in result.History)
        {
            output.WriteLine($"  {row.Iteration,3} f = {row.Value:G17} ‖∇‖ = {row.GradientNorm:G3} α = {row.StepLength:G3} μ = {row.Damping:G3} {row.Direction} {row.InnerIterations}");
        }
    }

    internal static void AssertNeverUphill<T>(SecondOrderResult<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 1; k < result.History.Count; k++)
        {
            Assert.True(result.History[k].Value <= result.History[k - 1].Value,
                $"f went up at step {k}: {result.History[k - 1].Value} → {result.History[k].Value}");
        }
    }
}
