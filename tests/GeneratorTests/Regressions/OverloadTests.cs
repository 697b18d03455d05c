using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.Regressions;

/// <summary>
/// Two [Differentiable] overloads with one name used to produce two types called LossWorkspace and break the
/// user's build (CS0102, CS0579, CS0419). Each overload now gets its own workspace type, and both generate,
/// compile without warnings, run, and can be called from other [Differentiable] code.
/// </summary>
public sealed class OverloadTests
{
    private const string Source = """
        using AutoGradGen;
        using static AutoGradGen.Ops;

        public static partial class M
        {
            [Differentiable] public static double Loss(Matrix<double> A) => SquaredNorm(A);
            [Differentiable] public static double Loss(Vector<double> v) => Dot(v, v);
            [Differentiable] public static float Loss(Matrix<float> A) => Sum(A);
            [Differentiable] public static Vector<double> Layer(Matrix<double> W, Vector<double> x) => Tanh(W * x);
            [Differentiable] public static Matrix<double> Layer(Matrix<double> W, Matrix<double> X) => Tanh(W * X);
            [Differentiable] public static double Total(Matrix<double> W, Vector<double> x, Matrix<double> X)
                => Loss(Layer(W, x)) + Loss(Layer(W, X));
        }
        """;

    [Fact]
    public void Overloads_EachGetTheirOwnWorkspace_AndCompileCleanly()
    {
        var run = GeneratorHarness.Run(Source);
        Assert.Empty(run.Problems);
        var all = string.Join("\n", run.Generated.Values);
        Assert.Contains("class LossMatrixDoubleWorkspace", all);
        Assert.Contains("class LossVectorDoubleWorkspace", all);
        Assert.Contains("class LossMatrixSingleWorkspace", all);
        Assert.Contains("class LayerMatrixDoubleVectorDoubleWorkspace", all);
        Assert.Contains("class LayerMatrixDoubleMatrixDoubleWorkspace", all);
        Assert.Contains("class TotalWorkspace", all); // not overloaded: the plain name
    }

    [Fact]
    public void Overloads_GiveTheRightGradients_ThroughCallsToOverloadedLayers()
    {
        var p = new Inputs("double").Matrix("W", 3, 4).Vector("x", 4).Matrix("X", 4, 2);
        var w = p.M("W");
        var x = (double[])p.Items[1].Value;
        var X = p.M("X");
        // f = ‖tanh(Wx)‖² + ‖tanh(WX)‖²: ∇W = (2 tanh(Wx) ⊙ (1 − tanh²(Wx))) xᵀ + (2 tanh(WX) ⊙ (1 − tanh²(WX))) Xᵀ
        var hx = Ref.Map(Ref.Mul(w, x), Math.Tanh);
        var hX = Ref.Map(Ref.Mul(w, X), Math.Tanh);
        var gx = Ref.Had(Ref.Scale(2, hx), Ref.Map(hx, t => 1 - (t * t)));
        var gX = Ref.Had(Ref.Scale(2, hX), Ref.Map(hX, t => 1 - (t * t)));
        var dW = Ref.Add(Ref.Outer(gx, x), Ref.Mul(gX, Ref.T(X)));
        var dx = Ref.Mul(Ref.T(w), gx);
        var dX = Ref.Mul(Ref.T(w), gX);
        GradientAssert.Gradient(Source, "Total", p, Ref.Dot(hx, hx) + Ref.Dot(hX, hX), ("W", dW), ("x", dx), ("X", dX));
    }

    [Fact]
    public void HintNames_StayUnderOneHundredCharacters()
    {
        var longName = new string('L', 150);
        var source = "using AutoGradGen;\nusing static AutoGradGen.Ops;\npublic static partial class Type" + longName +
                     "\n{\n [Differentiable] public static double Method" + longName + "(Matrix<double> A, Vector<double> b, Matrix<double> C) => Sum(A) + Dot(b, b) + Trace(C);\n}\n";
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.Problems);
        var hint = Assert.Single(run.Generated.Keys);
        Assert.True(hint.Length <= 100, hint + " has " + hint.Length + " characters");
    }
}
