using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>Reductions to a scalar: Dot (vectors, and Frobenius for matrices), Sum, Mean, SquaredNorm; to a vector: row and column sums and means.</summary>
public class ReductionRulesTests
{
    private static string Src(string body) => GradientAssert.Source(body);

    [Theory, InlineData("double"), InlineData("float")]
    public void DotOfVectors(string t)
    {
        var src = Src("[Differentiable] public static double F(Vector<double> x, Vector<double> y) => Dot(x, y);");
        var p = new Inputs(t, 301).Vector("x", 5).Vector("y", 5);
        var (x, y) = (p.V("x"), p.V("y"));
        GradientAssert.Gradient(src, p, Dot(x, y), ("x", y), ("y", x));
    }

    /// <summary>f = log Σ exp(A): ∇A = exp(A − f𝟙), the softmax of all entries (written independently here).</summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void LogSumExp_GradientIsTheSoftmaxOfAllEntries(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Vector<double> x) => LogSumExp(A) + 2 * LogSumExp(x);");
        var p = new Inputs(t, 309).Matrix("A", 3, 4, -3, 3).Vector("x", 5, -30, 30);
        var (A, x) = (p.M("A"), p.V("x"));
        double lseA = Math.Log(Sum(Map(A, Math.Exp)));
        double maxX = x.Max();
        double lseX = maxX + Math.Log(x.Sum(v => Math.Exp(v - maxX)));
        GradientAssert.Gradient(src, p, lseA + (2 * lseX),
            ("A", Map(A, a => Math.Exp(a - lseA))), ("x", x.Select(v => 2 * Math.Exp(v - lseX)).ToArray()));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void DotOfMatrices_Frobenius(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B) => Dot(A, B);");
        var p = new Inputs(t, 302).Matrix("A", 3, 4).Matrix("B", 3, 4);
        var (A, B) = (p.M("A"), p.M("B"));
        GradientAssert.Gradient(src, p, Dot(A, B), ("A", B), ("B", A));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SumOfMatrix(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A) => Sum(A);");
        var p = new Inputs(t, 303).Matrix("A", 3, 5);
        GradientAssert.Gradient(src, p, Sum(p.M("A")), ("A", Fill(3, 5, 1)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SumOfVector(string t)
    {
        var src = Src("[Differentiable] public static double F(Vector<double> x) => Sum(x);");
        var p = new Inputs(t, 304).Vector("x", 6);
        GradientAssert.Gradient(src, p, Sum(p.V("x")), ("x", Fill(6, 1)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SumOfProduct(string t)
    {
        // 𝟙ᵀ A B 𝟙: ∇A = 𝟙𝟙ᵀBᵀ, ∇B = Aᵀ𝟙𝟙ᵀ
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B) => Sum(A * B);");
        var p = new Inputs(t, 305).Matrix("A", 2, 3).Matrix("B", 3, 4);
        var (A, B) = (p.M("A"), p.M("B"));
        GradientAssert.Gradient(src, p, Sum(Mul(A, B)), ("A", Mul(Fill(2, 4, 1), T(B))), ("B", Mul(T(A), Fill(2, 4, 1))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void MeanOfMatrix(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A) => Mean(A);");
        var p = new Inputs(t, 306).Matrix("A", 3, 5);
        GradientAssert.Gradient(src, p, Sum(p.M("A")) / 15, ("A", Fill(3, 5, 1.0 / 15)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void MeanOfVector(string t)
    {
        var src = Src("[Differentiable] public static double F(Vector<double> x) => Mean(x);");
        var p = new Inputs(t, 307).Vector("x", 7);
        GradientAssert.Gradient(src, p, Sum(p.V("x")) / 7, ("x", Fill(7, 1.0 / 7)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SquaredNormOfMatrix(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A) => SquaredNorm(A);");
        var p = new Inputs(t, 308).Matrix("A", 4, 3);
        var A = p.M("A");
        GradientAssert.Gradient(src, p, Dot(A, A), ("A", Scale(2, A)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SquaredNormOfVector(string t)
    {
        var src = Src("[Differentiable] public static double F(Vector<double> x) => SquaredNorm(x);");
        var p = new Inputs(t, 309).Vector("x", 5);
        var x = p.V("x");
        GradientAssert.Gradient(src, p, Dot(x, x), ("x", Scale(2, x)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ReductionsComposed(string t)
    {
        // f = Mean(A x) · Sum(x) + SquaredNorm(A − B): product rule across two reductions
        var src = Src("[Differentiable] public static double F(Matrix<double> A, Vector<double> x, Matrix<double> B) => Mean(A * x) * Sum(x) + SquaredNorm(A - B);");
        var p = new Inputs(t, 310).Matrix("A", 3, 4).Vector("x", 4).Matrix("B", 3, 4);
        var (A, x, B) = (p.M("A"), p.V("x"), p.M("B"));
        double mean = Sum(Mul(A, x)) / 3, sum = Sum(x);
        var D = Sub(A, B);
        var ones3 = Fill(3, 1.0);
        // ∂Mean(Ax) = (1/3)𝟙ᵀ(∂A x + A ∂x)
        var dA = Add(Scale(sum / 3, Outer(ones3, x)), Scale(2, D));
        var dx = Add(Scale(sum / 3, Mul(T(A), ones3)), Fill(4, mean));
        GradientAssert.Gradient(src, p, (mean * sum) + Dot(D, D), ("A", dA), ("x", dx), ("B", Scale(-2, D)));
    }

    /// <summary>
    /// f = uᵀ RowSums(A) + vᵀ ColumnSums(A) + wᵀ RowMeans(A) + zᵀ ColumnMeans(A) on a 3×5 A:
    /// ∇A[i, j] = uᵢ + vⱼ + wᵢ/5 + zⱼ/3, written out entry by entry.
    /// </summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void RowAndColumnSumsAndMeans_SpreadTheirWeights(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> A, [NoGradient] Vector<double> u, [NoGradient] Vector<double> v, "
            + "[NoGradient] Vector<double> w, [NoGradient] Vector<double> z) => Dot(u, RowSums(A)) + Dot(v, ColumnSums(A)) + Dot(w, RowMeans(A)) + Dot(z, ColumnMeans(A));");
        var p = new Inputs(t, 311).Matrix("A", 3, 5).Vector("u", 3).Vector("v", 5).Vector("w", 3).Vector("z", 5);
        var (A, u, v, w, z) = (p.M("A"), p.V("u"), p.V("v"), p.V("w"), p.V("z"));
        double f = 0;
        var grad = new double[3, 5];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                f += A[i, j] * (u[i] + v[j] + (w[i] / 5) + (z[j] / 3));
                grad[i, j] = u[i] + v[j] + (w[i] / 5) + (z[j] / 3);
            }
        }
        GradientAssert.Gradient(src, p, f, ("A", grad));
    }
}
