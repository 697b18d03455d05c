using System.Reflection;
using AutoGradGen.GeneratorTests.Infrastructure;
using AutoGradGen.GeneratorTests.SecondOrder;
using Xunit;

namespace AutoGradGen.GeneratorTests.Embedding;

/// <summary>
/// Forward mode and second order through Embedding (linear in E: ∂(E_{:,ids}) = (∂E)_{:,ids}), against central
/// differences and against hand-written Hessians; the zero-allocation FBackward of a small language model, and what it
/// writes into ∇E's buffer under <c>accumulate: true</c> (only the columns ids) and <c>accumulate: false</c> (all of it).
/// </summary>
public class EmbeddingSecondOrderTests
{
    [Theory, InlineData("double"), InlineData("float")]
    public void Differential_IsTheEmbeddingOfTheDirection(string t)
    {
        // ∂(tanh(E_{:,ids})) = (1 − tanh²(E_{:,ids})) ⊙ (∂E)_{:,ids}
        var src = GradientAssert.Source("[Differentiable] public static Matrix<double> F(Matrix<double> E, int[] ids) => Tanh(Embedding(E, ids));");
        int[] ids = [2, 0, 2, 3];
        var p = new Inputs(t, 1211).Matrix("E", 3, 4).Add("ids", ids);
        var df = (double[,])GradientAssert.Tangent(src, "F", p, seed: 3);
        // The direction Tangent drew with seed 3 (RandomLike: uniform [−1, 1), rounded to the element type).
        var rng = new Random(3);
        var v = new double[3, 4];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                v[r, c] = p.Round((rng.NextDouble() * 2) - 1);
            }
        }
        var h = EmbeddingGradientTests.Gather(p.M("E"), ids);
        var dv = EmbeddingGradientTests.Gather(v, ids);
        var expected = Ref.Zip(Ref.Map(h, x => 1 - (Math.Tanh(x) * Math.Tanh(x))), dv, (a, b) => a * b);
        HessianVectorProductTests.AssertClose(expected, df, t == "double" ? 1e-10 : 2e-4);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void HessianVectorProduct_CountsRepeatedIds(string t)
    {
        // f = Σ (E_{:,ids})⁴ = Σ_c count(c) Σ_r E[r, c]⁴ ⇒ (H v)[r, c] = 12 count(c) E[r, c]² v[r, c].
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> E, int[] ids) => Sum(Square(Square(Embedding(E, ids))));");
        int[] ids = [1, 3, 1, 1, 0];
        var inputs = new Inputs(t, 1212).Matrix("E", 2, 5).Add("ids", ids);
        var hv = (double[,])GradientAssert.HessianVectorProduct(src, "F", inputs, seed: 9)[0];
        var e = inputs.M("E");
        var rng = new Random(9);
        var expected = new double[2, 5];
        for (int r = 0; r < 2; r++)
        {
            for (int c = 0; c < 5; c++)
            {
                double v = inputs.Round((rng.NextDouble() * 2) - 1);
                expected[r, c] = 12 * ids.Count(id => id == c) * e[r, c] * e[r, c] * v;
            }
        }
        HessianVectorProductTests.AssertClose(expected, hv, t == "double" ? 1e-10 : 2e-4);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void DenseHessian_OfAVectorThroughAnEmbedding_IsDiagonal(string t)
    {
        // f = Σ ((w uᵀ)_{:,ids})⁴ = S Σ_r w_r⁴ with S = Σ_k u_{ids[k]}⁴ ⇒ H = diag(12 S w_r²).
        var src = GradientAssert.Source("[Differentiable] public static double F(Vector<double> w, [NoGradient] Vector<double> u, int[] ids) => Sum(Square(Square(Embedding(Outer(w, u), ids))));");
        int[] ids = [0, 2, 2];
        var inputs = new Inputs(t, 1213).Vector("w", 3).Vector("u", 4).Add("ids", ids);
        var hessian = GradientAssert.Hessian(src, "F", inputs);
        var (w, u) = (inputs.V("w"), inputs.V("u"));
        double s = ids.Sum(k => Math.Pow(u[k], 4));
        var expected = new double[3, 3];
        for (int r = 0; r < 3; r++)
        {
            expected[r, r] = 12 * s * w[r] * w[r];
        }
        HessianVectorProductTests.AssertClose(expected, hessian, t == "double" ? 1e-10 : 2e-4);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LanguageModel_Workspace_MatchesWithGradient_AndAllocatesNothingWarm(string t)
    {
        var src = GradientAssert.Source(EmbeddingGradientTests.LanguageModel);
        var inputs = new Inputs(t, 1214).Matrix("E", 4, 9).Matrix("W", 9, 4).Vector("b", 9).Add("ids", new[] { 3, 3, 8, 0, 5 })
            .Add("Y", DeepRef.Distributions(9, 5, oneHot: true, seed: 1215));
        if (t == "double")
        {
            GradientAssert.Workspace(src, "Loss", inputs, "E", "W", "b");
        }
        GradientAssert.NoSteadyStateAllocation(src, "Loss", inputs, 3);
    }

    [Fact]
    public void FBackward_AddsIntoTheUsedColumnsOnly_AndOverwritesWhenAsked()
    {
        var src = GradientAssert.Source(EmbeddingGradientTests.LanguageModel);
        int[] ids = [3, 3, 8, 0, 5];
        var inputs = new Inputs("double", 1216).Matrix("E", 4, 9).Matrix("W", 9, 4).Vector("b", 9).Add("ids", ids)
            .Add("Y", DeepRef.Distributions(9, 5, oneHot: true, seed: 1217));
        var assembly = GradientAssert.Compile(src, "double");
        var withGradient = GeneratorHarness.Method(assembly, GradientAssert.TypeName, "LossWithGradient");
        var backward = GeneratorHarness.Method(assembly, GradientAssert.TypeName, "LossBackward");
        var args = Values.ToArgs(inputs.Items, isFloat: false).Concat(new object?[3]).ToArray();
        withGradient.Invoke(null, args);
        var want = (Matrix<double>)args[5]!;
        var workspace = Activator.CreateInstance(assembly.GetType(GradientAssert.TypeName + "+LossWorkspace")!)!;

        // −0.0 marks every entry: adding anything, even +0.0, turns it into +0.0, so an untouched entry keeps its sign bit.
        Matrix<double> Marked()
        {
            var m = new Matrix<double>(4, 9);
            m.AsSpan().Fill(-0.0);
            return m;
        }
        var used = ids.ToHashSet();
        var accumulated = Marked();
        Invoke(backward, inputs, workspace, accumulated, accumulate: true);
        var overwritten = Marked();
        Invoke(backward, inputs, workspace, overwritten, accumulate: false);
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 9; c++)
            {
                if (used.Contains(c))
                {
                    Assert.Equal(want[r, c], accumulated[r, c], 12);
                }
                else
                {
                    Assert.True(double.IsNegative(accumulated[r, c]) && accumulated[r, c] == 0, "accumulate: true touched column " + c + ", which no id names");
                    Assert.False(double.IsNegative(overwritten[r, c]), "accumulate: false left column " + c + " as it was");
                }
                Assert.Equal(want[r, c], overwritten[r, c], 12);
            }
        }

        var generated = string.Concat(GeneratorHarness.Run(GradientAssert.For(src, "double")).Generated.Values);
        Assert.Contains("global::AutoGradGen.Compute.Slicing.ScatterEmbeddingAddTo(dE, ", generated, StringComparison.Ordinal);
    }

    private static void Invoke(MethodInfo backward, Inputs inputs, object workspace, Matrix<double> dE, bool accumulate)
    {
        var call = Values.ToArgs(inputs.Items, isFloat: false).Append(workspace).Append(dE).Append(null).Append(null).Append(accumulate).ToArray();
        backward.Invoke(null, call);
    }
}
