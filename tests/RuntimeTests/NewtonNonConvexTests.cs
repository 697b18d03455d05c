using System.Numerics;
using Xunit;
using Xunit.Abstractions;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Newton and Newton–CG away from convexity: Rosenbrock from (−1.2, 1) and from a point with an indefinite
/// Hessian, the double well started inside its concave band (LU fallback, damping, negative curvature),
/// the saddle check; the generated-shape callbacks, allocation-free steps, and argument checks.
/// </summary>
public abstract class NewtonNonConvexTests<T>(ITestOutputHelper output)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T C(double v) => T.CreateChecked(v);

    /// <summary>‖∇f‖ the precision can reach on these small problems.</summary>
    private static T Tolerance => typeof(T) == typeof(float) ? C(1e-4) : C(1e-10);

    private static Vector<T> Point(double x, double y) => Vector<T>.FromArray([C(x), C(y)]);

    private static Newton<T> RosenbrockNewton(bool luFallback = true) =>
        new(2, (t, g, h) => TwoVariable<T>.Rosenbrock(t, g, h), Tolerance) { LuFallback = luFallback };

    private static NewtonCG<T> RosenbrockCG() =>
        new(2, (t, g) => TwoVariable<T>.Rosenbrock(t, g, null), TwoVariable<T>.RosenbrockProduct, Tolerance);

    [Fact]
    public void RosenbrockFromTheClassicStart()
    {
        foreach (SecondOrderMinimizer<T> minimizer in new SecondOrderMinimizer<T>[] { RosenbrockNewton(), RosenbrockNewton(false), RosenbrockCG() })
        {
            var theta = Point(-1.2, 1);
            var result = minimizer.Minimize(theta);
            Log(minimizer.GetType().Name, result);
            Assert.True(result.Converged, result.Status.ToString());
            Assert.InRange(result.Iterations, 5, minimizer is NewtonCG<T> ? 100 : 40); // line-search Newton–CG crawls along the curved valley
            AssertNear(theta, 1, 1);
            NewtonTests.AssertNeverUphill(result);
        }
    }

    [Fact]
    public void RosenbrockFromAnIndefiniteHessianUsesLuOrDamping()
    {
        // At (0, 1): ∇²f = diag(−398, 200), ∇f = (−2, 200).
        var withLu = RosenbrockNewton();
        var result = withLu.Minimize(Point(0, 1));
        Log("LU fallback", result);
        Assert.Equal(NewtonDirection.Lu, result.History[1].Direction);
        Assert.True(result.Converged, result.Status.ToString());

        var damped = RosenbrockNewton(luFallback: false);
        var dampedResult = damped.Minimize(Point(0, 1));
        Log("damping only", dampedResult);
        Assert.Equal(NewtonDirection.Damped, dampedResult.History[1].Direction);
        Assert.True(dampedResult.History[1].Damping > C(398)); // μ > −λ_min makes H + μI positive definite
        Assert.True(dampedResult.Converged, dampedResult.Status.ToString());
        Assert.True(damped.IsHessianPositiveDefinite());
        NewtonTests.AssertNeverUphill(result);
        NewtonTests.AssertNeverUphill(dampedResult);
    }

    [Fact]
    public void DoubleWellFromItsConcaveBandReachesAMinimizer()
    {
        // At (0.1, 1): ∇²f = diag(−0.97, 1). The minimizers are (±1, 0); the origin is a saddle.
        var minimizers = new SecondOrderMinimizer<T>[]
        {
            new Newton<T>(2, (t, g, h) => TwoVariable<T>.DoubleWell(t, g, h), Tolerance),
            new Newton<T>(2, (t, g, h) => TwoVariable<T>.DoubleWell(t, g, h), Tolerance) { LuFallback = false },
            new NewtonCG<T>(2, (t, g) => TwoVariable<T>.DoubleWell(t, g, null), TwoVariable<T>.DoubleWellProduct, Tolerance),
        };
        foreach (var minimizer in minimizers)
        {
            var theta = Point(0.1, 1);
            var result = minimizer.Minimize(theta);
            Log(minimizer.GetType().Name, result);
            Assert.True(result.Converged, result.Status.ToString());
            Assert.Equal(1, Math.Abs(double.CreateChecked(theta[0])), 1e-4);
            Assert.Equal(0, double.CreateChecked(theta[1]), 1e-4);
            Assert.Equal(-0.25, double.CreateChecked(result.Value), 1e-6);
            Assert.Contains(result.History, row => row.Direction is NewtonDirection.Lu or NewtonDirection.Damped or NewtonDirection.NegativeCurvature or NewtonDirection.SteepestDescent);
            NewtonTests.AssertNeverUphill(result);
        }
    }

    [Fact]
    public void StartingAtASaddleStopsThereAndTheHessianCheckSaysSo()
    {
        var newton = new Newton<T>(2, (t, g, h) => TwoVariable<T>.DoubleWell(t, g, h), Tolerance);
        var result = newton.Minimize(Point(0, 0));
        Assert.True(result.Converged);
        Assert.Equal(0, result.Iterations);
        Assert.False(newton.IsHessianPositiveDefinite());
        newton.Minimize(Point(0.1, 1));
        Assert.True(newton.IsHessianPositiveDefinite());
    }

    [Fact]
    public void GeneratedShapeCallbacksGiveTheSameIterates()
    {
        var buffered = RosenbrockNewton().Minimize(Point(-1.2, 1));
        var shaped = new Newton<T>(2, (Vector<T> t, out Vector<T> g, out Matrix<T> h) =>
        {
            g = new Vector<T>(2);
            h = new Matrix<T>(2, 2);
            return TwoVariable<T>.Rosenbrock(t, g, h);
        }, Tolerance).Minimize(Point(-1.2, 1));
        Assert.Equal(buffered.History, shaped.History);

        var cgBuffered = RosenbrockCG().Minimize(Point(-1.2, 1));
        var cgShaped = new NewtonCG<T>(2, (Vector<T> t, Vector<T> v, out Vector<T> g, out Vector<T> hv) =>
        {
            g = new Vector<T>(2);
            hv = new Vector<T>(2);
            TwoVariable<T>.RosenbrockProduct(t, v, hv);
            return TwoVariable<T>.Rosenbrock(t, g, null);
        }, Tolerance).Minimize(Point(-1.2, 1));
        Assert.Equal(cgBuffered.History, cgShaped.History);
    }

    [Fact]
    public void StepsAllocateNothingAfterWarmUp()
    {
        var minimizers = new SecondOrderMinimizer<T>[] { RosenbrockNewton(), RosenbrockNewton(false), RosenbrockCG() };
        foreach (var minimizer in minimizers)
        {
            minimizer.Minimize(Point(0, 1)); // warm-up: JIT every path (LU, damping, line search)
            minimizer.Minimize(Point(-1.2, 1));
            var start = Point(-1.2, 1);
            long before = GC.GetAllocatedBytesForCurrentThread();
            minimizer.Start(start);
            while (minimizer.Step())
            {
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(minimizer.Iterations >= 10, $"{minimizer.GetType().Name}: only {minimizer.Iterations} steps");
            Assert.Equal(0, allocated);
        }
    }

    [Fact]
    public void LogisticStepsAllocateNothing()
    {
        var problem = new LogisticProblem<T>(
            Matrix<double>.FromArray(new double[,] { { 1, 0.5 }, { -1, 2 }, { 0.3, -1 }, { 2, 1 } }),
            Vector<double>.FromArray([1, 0, 0, 1]), 0.1);
        var newton = new Newton<T>(2, problem.ValueGradientHessian, C(0));
        var cg = new NewtonCG<T>(2, problem.ValueAndGradient, problem.HessianVector, C(0));
        foreach (SecondOrderMinimizer<T> minimizer in new SecondOrderMinimizer<T>[] { newton, cg })
        {
            minimizer.Start(new Vector<T>(2));
            minimizer.Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 3; k++)
            {
                minimizer.Step();
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Newton<T>(2, (t, g, h) => T.Zero, C(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Newton<T>(-1, (t, g, h) => T.Zero, T.Zero));
        Assert.Throws<ArgumentNullException>(() => new Newton<T>(2, (HessianEvaluator<T>)null!, T.Zero));
        Assert.Throws<ArgumentNullException>(() => new NewtonCG<T>(2, (t, g) => T.Zero, null!, T.Zero));
        var newton = RosenbrockNewton();
        Assert.Throws<InvalidOperationException>(() => newton.Step());
        Assert.Throws<ArgumentException>(() => newton.Start(new Vector<T>(3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RosenbrockCG().MaxInnerIterations = 0);
        var wrongShape = new Newton<T>(2, (Vector<T> t, out Vector<T> g, out Matrix<T> h) =>
        {
            g = new Vector<T>(3);
            h = new Matrix<T>(2, 2);
            return T.Zero;
        }, T.Zero);
        Assert.Throws<ArgumentException>(() => wrongShape.Start(new Vector<T>(2)));
    }

    [Fact]
    public void StopsOnTheIterationLimitAndOnNonFiniteValues()
    {
        var limited = new Newton<T>(2, (t, g, h) => TwoVariable<T>.Rosenbrock(t, g, h), C(0), maxIterations: 3);
        var result = limited.Minimize(Point(-1.2, 1));
        Assert.Equal(SecondOrderStatus.IterationLimit, result.Status);
        Assert.Equal(3, result.Iterations);
        Assert.Equal(4, result.History.Count);

        var nan = new Newton<T>(2, (t, g, h) =>
        {
            g.AsSpan().Fill(T.NaN);
            return T.NaN;
        }, C(0));
        Assert.Equal(SecondOrderStatus.NotFinite, nan.Minimize(Point(1, 1)).Status);
    }

    [Fact]
    public void AWrongGradientMakesTheLineSearchFailInsteadOfGoingUphill()
    {
        // f = x² + y² with the gradient's sign flipped: p = −H⁻¹g points uphill although gᵀp < 0.
        var wrong = new Newton<T>(2, (t, g, h) =>
        {
            g[0] = -C(2) * t[0];
            g[1] = -C(2) * t[1];
            h[0, 0] = C(2);
            h[1, 1] = C(2);
            h[0, 1] = h[1, 0] = T.Zero;
            return (t[0] * t[0]) + (t[1] * t[1]);
        }, C(0));
        var theta = Point(1, -2);
        var result = wrong.Minimize(theta);
        // Every trial is uphill except a step so short that θ + αp rounds to θ, which Armijo's test accepts at
        // f⁺ = f: then the run is Stalled, having moved nowhere.
        Assert.Contains(result.Status, new[] { SecondOrderStatus.LineSearchFailed, SecondOrderStatus.Stalled });
        Assert.InRange(result.Iterations, 0, 1);
        Assert.Equal(C(5), result.Value);
        Assert.Equal(new[] { C(1), C(-2) }, theta.ToArray()); // the start is given back unchanged
    }

    [Fact]
    public void AHessianWithNaNFallsBackToSteepestDescent()
    {
        var newton = new Newton<T>(2, (t, g, h) =>
        {
            g[0] = C(2) * t[0];
            g[1] = C(2) * t[1];
            h.AsSpan().Fill(T.NaN);
            return (t[0] * t[0]) + (t[1] * t[1]);
        }, Tolerance);
        var theta = Point(1, -2);
        var result = newton.Minimize(theta);
        Assert.True(result.Converged, result.Status.ToString());
        Assert.All(result.History.Skip(1), row => Assert.Equal(NewtonDirection.SteepestDescent, row.Direction));
        NewtonTests.AssertNeverUphill(result);
    }

    [Fact]
    public void ATolerancePastThePrecisionStallsQuickly()
    {
        // Logistic regression's ‖∇f‖ bottoms out at rounding (≈ 1e-13 in double, 1e-7 in float), never 0:
        // with tolerance 0, Armijo's test degenerates to f⁺ ≤ f and would accept noise steps to the limit.
        var (train, _) = SecondOrder.BreastCancer.LoadSplit();
        var problem = new LogisticProblem<T>(train.X, train.Y, 1e-2);
        foreach (SecondOrderMinimizer<T> minimizer in new SecondOrderMinimizer<T>[]
        {
            new Newton<T>(problem.Dimension, problem.ValueGradientHessian, C(0), maxIterations: 500),
            new NewtonCG<T>(problem.Dimension, problem.ValueAndGradient, problem.HessianVector, C(0), maxIterations: 500),
        })
        {
            var result = minimizer.Minimize(new Vector<T>(problem.Dimension));
            Log(minimizer.GetType().Name, result);
            Assert.Contains(result.Status, new[] { SecondOrderStatus.Stalled, SecondOrderStatus.LineSearchFailed, SecondOrderStatus.Converged });
            Assert.True(result.Iterations <= 25, $"{result.Iterations} iterations");
            Assert.True(result.GradientNorm <= C(typeof(T) == typeof(float) ? 1e-4 : 1e-11), $"‖∇f‖ = {result.GradientNorm}");
        }
    }

    private void Log(string name, SecondOrderResult<T> result)
    {
        output.WriteLine($"{name} ({typeof(T).Name}): {result.Status} after {result.Iterations} iterations, {result.Evaluations} evaluations");
        foreach (var row in result.History)
        {
            output.WriteLine($"  {row.Iteration,3} f = {row.Value:G9} ‖∇‖ = {row.GradientNorm:G3} α = {row.StepLength:G3} μ = {row.Damping:G3} {row.Direction} {row.InnerIterations}");
        }
    }

    private static void AssertNear(Vector<T> theta, double x, double y)
    {
        double tolerance = typeof(T) == typeof(float) ? 2e-2 : 1e-8;
        Assert.Equal(x, double.CreateChecked(theta[0]), tolerance);
        Assert.Equal(y, double.CreateChecked(theta[1]), tolerance);
    }
}

/// <summary>Non-convex Newton tests in single precision.</summary>
public sealed class NewtonNonConvexTestsFloat(ITestOutputHelper output) : NewtonNonConvexTests<float>(output)
{
}

/// <summary>Non-convex Newton tests in double precision.</summary>
public sealed class NewtonNonConvexTestsDouble(ITestOutputHelper output) : NewtonNonConvexTests<double>(output)
{
}
