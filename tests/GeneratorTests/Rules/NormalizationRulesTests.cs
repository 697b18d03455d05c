using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>
/// Layer and batch normalization against gradients written out here. For the probe f = ⟨W, Y⟩, Y = diag(γ) x̂ + β𝟙ᵀ with
/// x̂ = (x − μ)/σ along each normalized line (a column for LN, a row for BN), σ = √(var + ε) with the biased variance:
/// on each line, with u = γ ⊙ w, ∇x = (u − mean(u) − x̂ mean(u ⊙ x̂))/σ; ∇γ = Σ over the columns of W ⊙ x̂; ∇β = W𝟙.
/// </summary>
public class NormalizationRulesTests
{
    /// <summary>f, ∇X, ∇γ, ∇β of f = ⟨W, N(X; γ, β)⟩, line by line (<paramref name="layer"/>: the columns; else the rows).</summary>
    private static (double F, double[,] X, double[] Gamma, double[] Beta) Reference(double[,] x, double[] gamma, double[] beta, double[,] w, double eps, bool layer)
    {
        int rows = x.GetLength(0), cols = x.GetLength(1), count = layer ? cols : rows, n = layer ? rows : cols;
        var gx = new double[rows, cols];
        var gg = new double[rows];
        var gb = new double[rows];
        double f = 0;
        for (int k = 0; k < count; k++)
        {
            (int R, int C) At(int t) => layer ? (t, k) : (k, t);
            double mean = Enumerable.Range(0, n).Select(t => x[At(t).R, At(t).C]).Average();
            double variance = Enumerable.Range(0, n).Select(t => Math.Pow(x[At(t).R, At(t).C] - mean, 2)).Average();
            double sigma = Math.Sqrt(variance + eps);
            var hat = Enumerable.Range(0, n).Select(t => (x[At(t).R, At(t).C] - mean) / sigma).ToArray();
            var u = Enumerable.Range(0, n).Select(t => gamma[At(t).R] * w[At(t).R, At(t).C]).ToArray();
            double meanU = u.Average(), meanUHat = u.Select((v, t) => v * hat[t]).Average();
            for (int t = 0; t < n; t++)
            {
                var (r, c) = At(t);
                f += w[r, c] * ((gamma[r] * hat[t]) + beta[r]);
                gx[r, c] = (u[t] - meanU - (hat[t] * meanUHat)) / sigma;
                gg[r] += w[r, c] * hat[t];
                gb[r] += w[r, c];
            }
        }
        return (f, gx, gg, gb);
    }

    [Theory]
    [InlineData("double", "LayerNorm", true)]
    [InlineData("float", "LayerNorm", true)]
    [InlineData("double", "BatchNorm", false)]
    [InlineData("float", "BatchNorm", false)]
    public void Gradients_MatchTheClosedForm(string t, string op, bool layer)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> X, Vector<double> g, Vector<double> b, [NoGradient] Matrix<double> W) => Dot(W, "
                                        + op + "(X, g, b));");
        var p = new Inputs(t, layer ? 911 : 912).Matrix("X", 4, 5).Vector("g", 4, 0.5, 1.5).Vector("b", 4).Matrix("W", 4, 5);
        var (f, x, gamma, beta) = Reference(p.M("X"), p.V("g"), p.V("b"), p.M("W"), 1e-5, layer);
        GradientAssert.Gradient(src, p, f, ("X", x), ("g", gamma), ("b", beta));
        var forms = GradientAssert.ClosedForms(src, t, "FWithGradient");
        var symbol = layer ? "LN" : "BN";
        Assert.Contains("∇X = J_" + symbol + "(X) diag(g) W", forms);
        Assert.Contains("∇g = (W ⊙ x̂_" + symbol + "(X))𝟙", forms);
    }

    [Theory]
    [InlineData("double", "LayerNorm", true)]
    [InlineData("float", "BatchNorm", false)]
    public void AnExplicitEpsilon_IsUsed_AndConstantGammaBeta_HaveNoGradient(string t, string op, bool layer)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> X, [NoGradient] Vector<double> g, [NoGradient] Vector<double> b, [NoGradient] Matrix<double> W) => Dot(W, "
                                        + op + "(X, g, b, 0.5f));");
        var p = new Inputs(t, 913).Matrix("X", 3, 4).Vector("g", 3).Vector("b", 3).Matrix("W", 3, 4);
        var (f, x, _, _) = Reference(p.M("X"), p.V("g"), p.V("b"), p.M("W"), 0.5, layer);
        GradientAssert.Gradient(src, p, f, ("X", x));
    }
}
