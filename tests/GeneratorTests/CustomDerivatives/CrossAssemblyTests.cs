using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.CustomDerivatives;

/// <summary>
/// [Differentiable] methods of a referenced assembly (a layer library built with AutoGradGen): the consumer's generated
/// code chains through the library's generated public methods (FWithGradient, FForward/FBackward and their workspaces,
/// FDifferential), checked against finite differences and a closed form written here, in double and float.
/// </summary>
public class CrossAssemblyTests
{
    private const string Library = """
        using AutoGradGen;
        using static AutoGradGen.Ops;

        namespace Layers
        {
            public static partial class Net
            {
                [Differentiable]
                public static Matrix<double> Dense(Matrix<double> W, Matrix<double> X, Vector<double> b) => Tanh(W * X + b);

                [Differentiable]
                public static double Penalty(Matrix<double> W, [NoGradient] double lambda) => lambda * SquaredNorm(W);

                // A custom op exported by the library, and a method built on it (no [Differential]: no SmoothDifferential).
                [Pullback(nameof(SoftplusSumPullback))]
                public static double SoftplusSum(Vector<double> x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        s += (double)System.Math.Log(1 + System.Math.Exp(x[i]));
                    }
                    return s;
                }

                public static void SoftplusSumPullback(Vector<double> x, double value, double seed, Vector<double>? dx)
                {
                    for (int i = 0; dx is not null && i < x.Length; i++)
                    {
                        dx[i] += seed / (1 + (double)System.Math.Exp(-x[i]));
                    }
                }

                [Differentiable]
                public static double Smooth(Vector<double> x) => SoftplusSum(x);
            }
        }
        """;

    private const string Network = """
        using AutoGradGen;
        using static AutoGradGen.Ops;

        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
                => SquaredNorm(Layers.Net.Dense(W2, Layers.Net.Dense(W1, X, b1), b2) - Y) + Layers.Net.Penalty(W1, (double)0.1);
        }
        """;

    private static Inputs NetworkInputs(string t) => new Inputs(t, 2731)
        .Matrix("W1", 4, 3, -0.6, 0.6).Vector("b1", 4, -0.3, 0.3).Matrix("W2", 2, 4, -0.6, 0.6).Vector("b2", 2, -0.3, 0.3)
        .Matrix("X", 3, 5).Matrix("Y", 2, 5);

    private static void Build(string consumer, string t)
        => GradientAssert.Register(consumer, t, CrossAssemblyHarness.Build(Library, consumer, t).Consumer);

    private static double[] RowSums(double[,] a) => Enumerable.Range(0, Rows(a)).Select(i => Enumerable.Range(0, Cols(a)).Sum(j => a[i, j])).ToArray();

    private static double[,] AddColumns(double[,] a, double[] b) => Map2(a, (i, _, v) => v + b[i]);

    private static double[,] Map2(double[,] a, Func<int, int, double, double> f)
    {
        var r = new double[Rows(a), Cols(a)];
        for (int i = 0; i < Rows(a); i++)
        {
            for (int j = 0; j < Cols(a); j++)
            {
                r[i, j] = f(i, j, a[i, j]);
            }
        }
        return r;
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void TwoLayerNetworkOfLibraryLayers_Gradient(string t)
    {
        Build(Network, t);
        var p = NetworkInputs(t);
        var (W1, b1, W2, b2, X, Y) = (p.M("W1"), p.V("b1"), p.M("W2"), p.V("b2"), p.M("X"), p.M("Y"));
        // H1 = tanh(W1X + b1𝟙ᵀ), H2 = tanh(W2H1 + b2𝟙ᵀ), R = H2 − Y: G2 = 2R ⊙ (1 − H2²), G1 = (W2ᵀG2) ⊙ (1 − H1²)
        var H1 = Map(AddColumns(Mul(W1, X), b1), Math.Tanh);
        var H2 = Map(AddColumns(Mul(W2, H1), b2), Math.Tanh);
        var R = Sub(H2, Y);
        var G2 = Had(Scale(2, R), Map(H2, h => 1 - (h * h)));
        var G1 = Had(Mul(T(W2), G2), Map(H1, h => 1 - (h * h)));
        GradientAssert.Gradient(Network, p, Dot(R, R) + (0.1 * Dot(W1, W1)),
            ("W1", Add(Mul(G1, T(X)), Scale(0.2, W1))), ("b1", RowSums(G1)), ("W2", Mul(G2, T(H1))), ("b2", RowSums(G2)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void TwoLayerNetworkOfLibraryLayers_WorkspaceAndForwardMode(string t)
    {
        Build(Network, t);
        var p = NetworkInputs(t);
        GradientAssert.Workspace(Network, "F", p, "W1", "b1", "W2", "b2");
        GradientAssert.NoSteadyStateAllocation(Network, "F", p, 4);
        GradientAssert.Tangent(Network, "F", p);
    }

    [Fact]
    public void TheConsumerCallsTheLibrarysGeneratedMethods()
    {
        var (run, _) = CrossAssemblyHarness.Build(Library, Network, "double");
        var generated = string.Join("\n", run.Generated.Values);
        Assert.Contains("global::Layers.Net.DenseForward(", generated, StringComparison.Ordinal);
        Assert.Contains("global::Layers.Net.DenseBackward(", generated, StringComparison.Ordinal);
        Assert.Contains("global::Layers.Net.PenaltyWithGradient(", generated, StringComparison.Ordinal);
        Assert.Contains("global::Layers.Net.DenseDifferential(", generated, StringComparison.Ordinal);
        Assert.Contains("global::Layers.Net.DenseWorkspace", generated, StringComparison.Ordinal);
    }

    private const string UsesTheLibrarysCustomOp = """
        using AutoGradGen;
        using static AutoGradGen.Ops;

        public static partial class M
        {
            [Differentiable]
            public static double F(Vector<double> x, Vector<double> y) => Layers.Net.SoftplusSum(x) + Layers.Net.Smooth((double)2 * y) + Dot(x, y);
        }
        """;

    [Theory, InlineData("double"), InlineData("float")]
    public void TheLibrarysCustomOp_AndAMethodBuiltOnIt(string t)
    {
        var (run, consumer) = CrossAssemblyHarness.Build(Library, UsesTheLibrarysCustomOp, t);
        GradientAssert.Register(UsesTheLibrarysCustomOp, t, consumer);
        var p = new Inputs(t, 2732).Vector("x", 4).Vector("y", 4);
        var (x, y) = (p.V("x"), p.V("y"));
        double Softplus(double v) => Math.Log(1 + Math.Exp(v));
        double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        // f = Σ softplus(x) + Σ softplus(2y) + xᵀy: ∇x = σ(x) + y, ∇y = 2σ(2y) + x
        GradientAssert.Gradient(UsesTheLibrarysCustomOp, p, x.Sum(Softplus) + y.Sum(v => Softplus(2 * v)) + Dot(x, y),
            ("x", Add(x.Select(Sigmoid).ToArray(), y)), ("y", Add(y.Select(v => 2 * Sigmoid(2 * v)).ToArray(), x)));
        // Smooth has no SmoothDifferential in the library: F has no FDifferential (AGG0030 at the first such call).
        var info = Assert.Single(run.AnalyzerDiagnostics);
        Assert.Equal("AGG0030", info.Id);
        Assert.DoesNotContain("FDifferential(", string.Join("\n", run.Generated.Values), StringComparison.Ordinal);
    }

    [Fact]
    public void AGG0029_ALibraryBuiltWithoutAutoGradGen()
    {
        var (run, _) = CrossAssemblyHarness.Build(Library, Network, "double", withGenerator: false, allowConsumerErrors: true);
        var errors = run.AnalyzerDiagnostics.Where(d => d.Id == "AGG0029").ToList();
        // The inner Dense(W1, X, b1) (the outer call stops at its argument) and Penalty.
        Assert.True(errors.Count == 2, string.Join("\n", run.AnalyzerDiagnostics));
        Assert.Contains("has no generated 'DenseForward'; build that assembly with AutoGradGen",
            errors[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("has no generated 'PenaltyWithGradient'",
            errors[1].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.Generated);
    }
}
