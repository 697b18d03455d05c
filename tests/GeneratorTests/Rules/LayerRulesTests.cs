using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>
/// Layers (methods returning Matrix/Vector) and their Pullback(params, seed, out …) = seedᵀJ, checked
/// against finite differences of ⟨seed, F(·)⟩; and scalar methods that call a layer.
/// </summary>
public class LayerRulesTests
{
    private const string TanhLayer = """
        [Differentiable]
        public static Matrix<double> Layer(Matrix<double> W, Vector<double> b, [NoGradient] Matrix<double> X) => Tanh(W * X + b);
        """;

    private const string LayerAndLoss = TanhLayer + """

        [Differentiable]
        public static double Loss(Matrix<double> W, Vector<double> b, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
            => SquaredNorm(Layer(W, b, X) - Y);
        """;

    /// <summary>Y = tanh(W X + b𝟙ᵀ); for seed S: G = S ⊙ (1 − Y⊙Y), ∇W = G Xᵀ, ∇b = G𝟙.</summary>
    private static (double[,] Y, double[,] dW, double[] db) TanhLayerVjp(Inputs p, double[,] seed)
    {
        var X = p.M("X");
        var Y = Map(AddCol(Mul(p.M("W"), X), p.V("b")), Math.Tanh);
        var G = Had(seed, Map(Y, y => 1 - (y * y)));
        return (Y, Mul(G, T(X)), RowSums(G));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void MatrixLayerPullback(string t)
    {
        var p = new Inputs(t, 601).Matrix("W", 3, 4).Vector("b", 3).Matrix("X", 4, 5);
        var seed = new Inputs(t, 602).Matrix("S", 3, 5).M("S");
        var (Y, dW, db) = TanhLayerVjp(p, seed);
        GradientAssert.Pullback(GradientAssert.Source(TanhLayer), "Layer", p, seed, Y, ("W", dW), ("b", db));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ScalarMethodCallingLayer(string t)
    {
        // L = ‖Layer(W, b, X) − Y‖²: the layer's pullback with seed 2(Layer − Y)
        var p = new Inputs(t, 603).Matrix("W", 3, 4).Vector("b", 3).Matrix("X", 4, 5).Matrix("Y", 3, 5);
        var Yt = Map(AddCol(Mul(p.M("W"), p.M("X")), p.V("b")), Math.Tanh);
        var R = Sub(Yt, p.M("Y"));
        var (_, dW, db) = TanhLayerVjp(p, Scale(2, R));
        GradientAssert.Gradient(GradientAssert.Source(LayerAndLoss), "Loss", p, Dot(R, R), ("W", dW), ("b", db));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LayerStillHasPullbackWhenCalled(string t)
    {
        var p = new Inputs(t, 604).Matrix("W", 2, 3).Vector("b", 2).Matrix("X", 3, 4);
        var seed = new Inputs(t, 605).Matrix("S", 2, 4).M("S");
        var (Y, dW, db) = TanhLayerVjp(p, seed);
        GradientAssert.Pullback(GradientAssert.Source(LayerAndLoss), "Layer", p, seed, Y, ("W", dW), ("b", db));
    }

    private const string VectorLayer = """
        [Differentiable]
        public static Vector<double> Cell(Matrix<double> A, Vector<double> x, Vector<double> b) => Sigmoid(A * x + b);

        [Differentiable]
        public static double Score(Matrix<double> A, Vector<double> x, Vector<double> b, [NoGradient] Vector<double> v)
            => Dot(v, Cell(A, Cell(A, x, b), b));
        """;

    [Theory, InlineData("double"), InlineData("float")]
    public void VectorLayerPullback(string t)
    {
        // h = σ(Ax + b); seed s: g = s ⊙ σ′(Ax + b); ∇A = g xᵀ, ∇x = Aᵀg, ∇b = g
        var p = new Inputs(t, 606).Matrix("A", 3, 3).Vector("x", 3).Vector("b", 3);
        var seed = new Inputs(t, 607).Vector("s", 3).V("s");
        var (A, x) = (p.M("A"), p.V("x"));
        var pre = Add(Mul(A, x), p.V("b"));
        var g = Had(seed, Map(pre, SigmoidPrime));
        GradientAssert.Pullback(GradientAssert.Source(VectorLayer), "Cell", p, seed, Map(pre, Sigmoid),
            ("A", Outer(g, x)), ("x", Mul(T(A), g)), ("b", g));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LayerCalledTwiceInChain(string t)
    {
        // f = vᵀ σ(A σ(Ax + b) + b): two applications share A and b, their gradients add
        var p = new Inputs(t, 608).Matrix("A", 3, 3).Vector("x", 3).Vector("b", 3).Vector("v", 3);
        var (A, x, b, v) = (p.M("A"), p.V("x"), p.V("b"), p.V("v"));
        var pre1 = Add(Mul(A, x), b);
        var h1 = Map(pre1, Sigmoid);
        var pre2 = Add(Mul(A, h1), b);
        var g2 = Had(v, Map(pre2, SigmoidPrime));
        var g1 = Had(Mul(T(A), g2), Map(pre1, SigmoidPrime));
        GradientAssert.Gradient(GradientAssert.Source(VectorLayer), "Score", p, Dot(v, Map(pre2, Sigmoid)),
            ("A", Add(Outer(g2, h1), Outer(g1, x))),
            ("x", Mul(T(A), g1)),
            ("b", Add(g2, g1)));
    }
}
