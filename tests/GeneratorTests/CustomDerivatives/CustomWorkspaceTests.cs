using System.Linq.Expressions;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.CustomDerivatives;

/// <summary>
/// The zero-allocation workspace forms through a custom op: FBackward agrees with FWithGradient and accumulates, and
/// a warmed-up FBackward allocates nothing beyond what the user's own methods allocate (0 bytes for an op that allocates nothing).
/// </summary>
public class CustomWorkspaceTests
{
    private static string Src(string custom, string body) => GradientAssert.Source(custom + "\n" + body);

    private const string ThroughAProduct =
        "[Differentiable] public static double F(Matrix<double> W, [NoGradient] Vector<double> v, [NoGradient] double w, int k) => LogCoshSum(W * v, w, k);";

    /// <summary>
    /// x goes straight to the op: its pullback adds into the caller's own buffer dx, after ‖x‖²'s share (the sweep runs
    /// from the last value back).
    /// </summary>
    private const string StraightIntoTheCallersBuffer =
        "[Differentiable] public static double F(Vector<double> x, [NoGradient] double w) => LogCoshSum(x, w, 0) + SquaredNorm(x);";

    /// <summary>As <see cref="StraightIntoTheCallersBuffer"/>, the pullback first: dx is cleared first unless accumulating.</summary>
    private const string FirstIntoTheCallersBuffer =
        "[Differentiable] public static double F(Vector<double> x, [NoGradient] double w) => SquaredNorm(x) + LogCoshSum(x, w, 0);";

    [Theory, InlineData("double"), InlineData("float")]
    public void BackwardMatchesWithGradient(string t)
    {
        var p = new Inputs(t, 2721).Matrix("W", 4, 3).Vector("v", 3).Scalar("w", 0.5, 1.5).Int("k", 1);
        GradientAssert.Workspace(Src(CustomSources.LogCoshSum, ThroughAProduct), "F", p, "W");
        if (t == "float")
        {
            // Two shares added to one buffer: call 3's (g + a) + b is not exactly 2(a + b) in float, which the
            // helper's 1e-10 cannot absorb (a rounding-order difference, not an error); double checks it.
            return;
        }
        var q = new Inputs(t, 2722).Vector("x", 5).Scalar("w", 0.5, 1.5);
        GradientAssert.Workspace(Src(CustomSources.LogCoshSum, StraightIntoTheCallersBuffer), "F", q, "x");
        GradientAssert.Workspace(Src(CustomSources.LogCoshSum, FirstIntoTheCallersBuffer), "F", q, "x");
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void StraightIntoTheCallersBuffer_Gradient(string t)
    {
        // f = w Σ log cosh x + ‖x‖²: ∇x = w tanh(x) + 2x
        var q = new Inputs(t, 2723).Vector("x", 5).Scalar("w", 0.5, 1.5);
        var (x, w) = (q.V("x"), q.S("w"));
        var expected = x.Select(v => (w * Math.Tanh(v)) + (2 * v)).ToArray();
        double value = x.Sum(v => w * Math.Log(Math.Cosh(v))) + Ref.Dot(x, x);
        foreach (var body in new[] { StraightIntoTheCallersBuffer, FirstIntoTheCallersBuffer })
        {
            var src = Src(CustomSources.LogCoshSum, body);
            GradientAssert.Gradient(src, q, value, ("x", expected));
            var generated = string.Join("\n", GeneratorHarness.Run(GradientAssert.For(src, t)).Generated.Values);
            Assert.Matches(@"LogCoshSumPullback\(x, w, 0, logCoshSum, [^,]+, dx\);", generated);
            Assert.Equal(body == FirstIntoTheCallersBuffer,
                generated.Contains("if (!accumulate && dx is not null) global::AutoGradGen.Compute.Linear.Zero(dx);", StringComparison.Ordinal));
        }
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ZeroBytesWhenTheOpAllocatesNothing(string t)
    {
        var p = new Inputs(t, 2724).Matrix("W", 4, 3).Vector("v", 3).Scalar("w", 0.5, 1.5).Int("k", 1);
        GradientAssert.NoSteadyStateAllocation(Src(CustomSources.LogCoshSum, ThroughAProduct), "F", p, 1);
        var q = new Inputs(t, 2725).Vector("x", 5).Scalar("w", 0.5, 1.5);
        GradientAssert.NoSteadyStateAllocation(Src(CustomSources.LogCoshSum, StraightIntoTheCallersBuffer), "F", q, 1);
        GradientAssert.NoSteadyStateAllocation(Src(CustomSources.LogCoshSum, FirstIntoTheCallersBuffer), "F", q, 1);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void NothingBeyondWhatTheUsersOpAllocates(string t)
    {
        // SoftThreshold allocates its result (and the user's pullback nothing): FBackward allocates exactly one such call.
        var src = Src(CustomSources.SoftThreshold,
            "[Differentiable] public static double F(Matrix<double> W, double t, [NoGradient] Vector<double> x) => SquaredNorm(SoftThreshold(W * x, t));");
        var p = new Inputs(t, 2726).Matrix("W", 5, 3).Add("t", CustomPullbackTests.Threshold).Vector("x", 3);
        long backward = GradientAssert.WorkspaceSteadyStateAllocation(src, "F", p, 2);
        var assembly = GradientAssert.Compile(src, t);
        var op = GeneratorHarness.Method(assembly, "M", "SoftThreshold");
        var vector = op.GetParameters()[0].ParameterType;
        var argument = Activator.CreateInstance(vector, 5)!;
        var scalar = t == "float" ? (object)0.35f : 0.35;
        var call = Expression.Lambda<Action>(Expression.Block(Expression.Call(op, Expression.Constant(argument, vector), Expression.Constant(scalar)), Expression.Empty())).Compile();
        call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        call();
        long user = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(user > 0, "the user's op allocates its result");
        Assert.Equal(user, backward);
    }
}
