using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.Slicing;

/// <summary>
/// The issue-12 layers CausalSoftmax and Conv2D with a per-channel bias: generated gradients against central
/// differences and against gradients written out here (double and float); second order through them.
/// </summary>
public class DeepLayerTests
{
    /// <summary>Y = causal softmax(S) entry by entry: column j over rows 0 … j, zeros below.</summary>
    private static double[,] CausalSoftmax(double[,] s)
    {
        int rows = s.GetLength(0), cols = s.GetLength(1);
        var y = new double[rows, cols];
        for (int j = 0; j < cols; j++)
        {
            int last = Math.Min(j, rows - 1);
            double max = Enumerable.Range(0, last + 1).Max(i => s[i, j]);
            double sum = Enumerable.Range(0, last + 1).Sum(i => Math.Exp(s[i, j] - max));
            for (int i = 0; i <= last; i++)
            {
                y[i, j] = Math.Exp(s[i, j] - max) / sum;
            }
        }
        return y;
    }

    [Theory, InlineData("double", 4, 4), InlineData("float", 4, 4), InlineData("double", 3, 5), InlineData("float", 5, 3)]
    public void CausalSoftmax_Gradient_IsTheMaskedSoftmaxJacobianTransposed(string t, int keys, int queries)
    {
        // f = ⟨W, Y⟩: ∇S[:, j] = y ⊙ (w − (yᵀw)) on rows i ≤ j, 0 below (y, w: column j of Y and W).
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> S, [NoGradient] Matrix<double> W) => Dot(W, CausalSoftmax(S));");
        var p = new Inputs(t, 401).Matrix("S", keys, queries, -2, 2).Matrix("W", keys, queries);
        var s = p.M("S");
        var w = p.M("W");
        var y = CausalSoftmax(s);
        var gs = new double[keys, queries];
        for (int j = 0; j < queries; j++)
        {
            double yw = Enumerable.Range(0, keys).Sum(i => y[i, j] * w[i, j]);
            for (int i = 0; i <= Math.Min(j, keys - 1); i++)
            {
                gs[i, j] = y[i, j] * (w[i, j] - yw);
            }
        }
        GradientAssert.Gradient(src, p, Ref.Dot(w, y), ("S", gs));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void CausalSoftmax_InAttention_HessianVectorProduct_MatchesFiniteDifferences(string t)
    {
        var src = GradientAssert.Source("""
            [Differentiable] public static double F(Matrix<double> Wq, Matrix<double> Wk, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> T)
            {
                var S = Transpose(Wk * X) * (Wq * X);
                return SquaredNorm(X * CausalSoftmax(S) - T);
            }
            """);
        var inputs = new Inputs(t, 402).Matrix("Wq", 2, 3).Matrix("Wk", 2, 3).Matrix("X", 3, 4).Matrix("T", 3, 4);
        GradientAssert.HessianVectorProduct(src, "F", inputs);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Conv2DWithBias_BiasGradientIsThePerChannelSum_AndTheRestIsTheConvolutions(string t)
    {
        // f = ⟨W, X ∗ K + b⟩ (2 channels of 4×4, 3 filters of 3×3, stride 1, padding 1, 2 images): ∇b[o] = Σ W over channel o.
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> X, Matrix<double> K, Vector<double> b, [NoGradient] Matrix<double> W) => Dot(W, Conv2D(X, K, b, 2, 4, 4, 3, 3, 1, 1));");
        var p = new Inputs(t, 403).Matrix("X", 32, 2).Matrix("K", 3, 18).Vector("b", 3).Matrix("W", 48, 2);
        var (x, k, b, w) = (p.M("X"), p.M("K"), p.V("b"), p.M("W"));
        var h = DeepRef.Conv2D(x, k, 2, 4, 4, 3, 3, 1, 1);
        double f = Ref.Dot(w, h);
        var gb = new double[3];
        for (int o = 0; o < 3; o++)
        {
            for (int r = 0; r < 16; r++)
            {
                f += b[o] * (w[(o * 16) + r, 0] + w[(o * 16) + r, 1]);
                gb[o] += w[(o * 16) + r, 0] + w[(o * 16) + r, 1];
            }
        }
        GradientAssert.Gradient(src, p, f,
            ("X", DeepRef.Conv2DGradInput(k, w, 2, 4, 4, 3, 3, 1, 1)),
            ("K", DeepRef.Conv2DGradKernel(x, w, 2, 4, 4, 3, 3, 1, 1)),
            ("b", gb));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Conv2DWithBias_HessianVectorProduct_MatchesFiniteDifferences(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> K, Vector<double> b, [NoGradient] Matrix<double> X) => Sum(Tanh(Conv2D(X, K, b, 1, 4, 4, 2, 2, 2)));");
        var inputs = new Inputs(t, 404).Matrix("K", 2, 4).Vector("b", 2).Matrix("X", 16, 2);
        GradientAssert.HessianVectorProduct(src, "F", inputs);
    }
}
