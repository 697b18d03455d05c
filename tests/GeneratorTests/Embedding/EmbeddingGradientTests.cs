using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.Embedding;

/// <summary>
/// Embedding(E, ids) = E_{:,ids} inside a [Differentiable] body: the generated gradients against central differences
/// (inside <see cref="GradientAssert.Gradient(string, Inputs, double, ValueTuple{string, object}[])"/>) and against
/// gradients written out here by a loop that adds the upstream gradient's column k into column ids[k] of a zero d × V
/// matrix (repeated ids add up). Double and float.
/// </summary>
public class EmbeddingGradientTests
{
    /// <summary>Column ids[k] of E for every k: the forward value, by index loops.</summary>
    internal static double[,] Gather(double[,] e, int[] ids)
    {
        int d = e.GetLength(0);
        var h = new double[d, ids.Length];
        for (int k = 0; k < ids.Length; k++)
        {
            for (int r = 0; r < d; r++)
            {
                h[r, k] = e[r, ids[k]];
            }
        }
        return h;
    }

    /// <summary>The hand-written adjoint: a zero d × V matrix with column k of G added into column ids[k].</summary>
    internal static double[,] ScatterAdd(double[,] g, int[] ids, int vocabulary)
    {
        int d = g.GetLength(0);
        var result = new double[d, vocabulary];
        for (int k = 0; k < ids.Length; k++)
        {
            for (int r = 0; r < d; r++)
            {
                result[r, ids[k]] += g[r, k];
            }
        }
        return result;
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void RepeatedIds_AccumulateInTheirColumn_OthersStayZero(string t)
    {
        // f = ⟨W, tanh(E_{:,ids})⟩: ∇E[:, c] = Σ_{k: ids[k] = c} W[:, k] ⊙ (1 − tanh²(E[:, c])); id 3 appears three times, 1, 2, 4, 6 never.
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> E, [NoGradient] Matrix<double> W, int[] ids) => Dot(W, Tanh(Embedding(E, ids)));");
        int[] ids = [3, 0, 3, 5, 3];
        var p = new Inputs(t, 1201).Matrix("E", 4, 7).Matrix("W", 4, 5).Add("ids", ids);
        var e = p.M("E");
        var w = p.M("W");
        var h = Ref.Map(Gather(e, ids), Math.Tanh);
        var upstream = Ref.Had(w, Ref.Map(h, y => 1 - (y * y)));
        var ge = ScatterAdd(upstream, ids, 7);
        Assert.Equal(0, ge[2, 1]);
        GradientAssert.Gradient(src, p, Ref.Dot(w, h), ("E", ge));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Layer_Pullback_IsTheScatterAddOfTheSeed(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static Matrix<double> F(Matrix<double> E, int[] ids) => Embedding(E, ids);");
        int[] ids = [1, 1, 4, 0, 1, 2];
        var p = new Inputs(t, 1202).Matrix("E", 3, 5).Add("ids", ids);
        var seed = new Inputs(t, 1203).Matrix("G", 3, 6).M("G");
        var roundedSeed = Ref.Map(seed, p.Round);
        GradientAssert.Pullback(src, "F", p, seed, Gather(p.M("E"), ids), ("E", ScatterAdd(roundedSeed, ids, 5)));
    }

    /// <summary>The language model of the issue: Embedding(E, ids) → W H + b → CrossEntropy against one-hot next tokens.</summary>
    internal const string LanguageModel = """
        [Differentiable] public static double Loss(Matrix<double> E, Matrix<double> W, Vector<double> b, int[] ids, [NoGradient] Matrix<double> Y)
            => CrossEntropy(W * Embedding(E, ids) + b, Y);
        """;

    [Theory, InlineData("double"), InlineData("float")]
    public void LanguageModel_GradientIsTheClosedForm(string t)
    {
        // P = softmax(W H + b𝟙ᵀ), δ = (P − Y)/n: ∇W = δ Hᵀ, ∇b = δ𝟙, ∇E = scatter of Wᵀδ's columns into columns ids.
        var src = GradientAssert.Source(LanguageModel);
        int[] ids = [2, 5, 2, 0, 7, 2];
        var p = new Inputs(t, 1204).Matrix("E", 4, 8).Matrix("W", 8, 4).Vector("b", 8).Add("ids", ids)
            .Add("Y", DeepRef.Distributions(8, 6, oneHot: true, seed: 1205));
        var (e, w, b, y) = (p.M("E"), p.M("W"), p.V("b"), p.M("Y"));
        var h = Gather(e, ids);
        var z = Ref.Mul(w, h);
        for (int r = 0; r < 8; r++)
        {
            for (int k = 0; k < 6; k++)
            {
                z[r, k] += b[r];
            }
        }
        var delta = Ref.Scale(1.0 / 6, Ref.Sub(DeepRef.Softmax(z), y));
        var gb = Enumerable.Range(0, 8).Select(r => Enumerable.Range(0, 6).Sum(k => delta[r, k])).ToArray();
        GradientAssert.Gradient(src, "Loss", p, DeepRef.CrossEntropy(z, y),
            ("E", ScatterAdd(Ref.Mul(Ref.T(w), delta), ids, 8)), ("W", Ref.Mul(delta, Ref.T(h))), ("b", gb));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void IdsFromAConstantExpression_AndTiedWeights(string t)
    {
        // ids shifted by a helper (a constant expression), and E also used as the output projection (Eᵀ H):
        // f = ⟨W, Eᵀ E_{:,s}⟩ with s = ids + 1 ⇒ ∇E = E_{:,s} Wᵀ + scatter_s(E W).
        var src = GradientAssert.Source("""
            public static int[] Shift(int[] ids) { var s = new int[ids.Length]; for (int k = 0; k < ids.Length; k++) s[k] = ids[k] + 1; return s; }
            [Differentiable] public static double F(Matrix<double> E, [NoGradient] Matrix<double> W, int[] ids) => Dot(W, Transpose(E) * Embedding(E, Shift(ids)));
            """);
        int[] ids = [0, 3, 3, 1];
        int[] shifted = [1, 4, 4, 2];
        var p = new Inputs(t, 1206).Matrix("E", 3, 6).Matrix("W", 6, 4).Add("ids", ids);
        var (e, w) = (p.M("E"), p.M("W"));
        var h = Gather(e, shifted);
        var ge = Ref.Add(Ref.Mul(h, Ref.T(w)), ScatterAdd(Ref.Mul(e, w), shifted, 6));
        GradientAssert.Gradient(src, p, Ref.Dot(w, Ref.Mul(Ref.T(e), h)), ("E", ge));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void EmbeddingOfAComputedMatrix_PullsBackThroughIt(string t)
    {
        // E = A B (a factorized embedding, d × V): f = Σ (A B)_{:,ids}² ⇒ ∇(AB) = scatter of 2 (AB)_{:,ids}, ∇A = ∇(AB) Bᵀ, ∇B = Aᵀ ∇(AB).
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, int[] ids) => SquaredNorm(Embedding(A * B, ids));");
        int[] ids = [4, 4, 0];
        var p = new Inputs(t, 1207).Matrix("A", 3, 2).Matrix("B", 2, 5).Add("ids", ids);
        var (a, b) = (p.M("A"), p.M("B"));
        var h = Gather(Ref.Mul(a, b), ids);
        var ge = ScatterAdd(Ref.Scale(2, h), ids, 5);
        GradientAssert.Gradient(src, p, Ref.Dot(h, h), ("A", Ref.Mul(ge, Ref.T(b))), ("B", Ref.Mul(Ref.T(a), ge)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void EmptyIds_GiveAZeroGradient(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> E, int[] ids) => Sum(Embedding(E, ids)) + Sum(E);");
        var p = new Inputs(t, 1208).Matrix("E", 2, 3).Add("ids", Array.Empty<int>());
        var ones = new double[2, 3];
        for (int r = 0; r < 2; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                ones[r, c] = 1;
            }
        }
        GradientAssert.Gradient(src, p, Ref.Sum(p.M("E")), ("E", ones));
    }
}

/// <summary>Embedding inside a loop body (a sliding window of ids, recomputed by the backward loop) and inside a layer.</summary>
public class EmbeddingLoopAndLayerTests
{
    private const string Windows = """
        public static int[] Window(int[] ids, int start, int count) { var w = new int[count]; System.Array.Copy(ids, start, w, 0, count); return w; }
        [Differentiable] public static double F(Matrix<double> E, Matrix<double> W, int[] ids, int width)
        {
            double s = 0;
            for (int t = 0; t <= ids.Length - width; t++)
            {
                s += SquaredNorm(Tanh(W * Embedding(E, Window(ids, t, width))));
            }
            return s;
        }
        """;

    [Theory, InlineData("double"), InlineData("float")]
    public void SlidingWindowsInALoop_GradientIsTheSumOverWindows(string t)
    {
        // f = Σ_t ‖tanh(W E_{:,w_t})‖², w_t = ids[t … t + width − 1]: with Z = W E_{:,w_t}, ∇Z = 2 tanh(Z) ⊙ (1 − tanh²(Z)),
        // ∇W = Σ_t ∇Z E_{:,w_t}ᵀ, ∇E = Σ_t scatter_{w_t}(Wᵀ ∇Z).
        var src = GradientAssert.Source(Windows);
        int[] ids = [1, 4, 4, 0, 2];
        var p = new Inputs(t, 1221).Matrix("E", 3, 6).Matrix("W", 2, 3).Add("ids", ids).Int("width", 3);
        var (e, w) = (p.M("E"), p.M("W"));
        double f = 0;
        var ge = new double[3, 6];
        var gw = new double[2, 3];
        for (int s = 0; s + 3 <= ids.Length; s++)
        {
            var window = ids[s..(s + 3)];
            var h = EmbeddingGradientTests.Gather(e, window);
            var y = Ref.Map(Ref.Mul(w, h), Math.Tanh);
            f += Ref.Dot(y, y);
            var gz = Ref.Map(y, v => 2 * v * (1 - (v * v)));
            gw = Ref.Add(gw, Ref.Mul(gz, Ref.T(h)));
            ge = Ref.Add(ge, EmbeddingGradientTests.ScatterAdd(Ref.Mul(Ref.T(w), gz), window, 6));
        }
        GradientAssert.Gradient(src, p, f, ("E", ge), ("W", gw));
        if (t == "double")
        {
            GradientAssert.Workspace(src, "F", p, "E", "W");
        }
    }

    private const string Layered = """
        [Differentiable] public static Matrix<double> Embed(Matrix<double> E, int[] ids) => Embedding(E, ids);
        [Differentiable] public static double Loss(Matrix<double> E, Matrix<double> W, int[] ids, [NoGradient] Matrix<double> Y)
            => CrossEntropy(W * Embed(E, ids), Y);
        """;

    [Theory, InlineData("double"), InlineData("float")]
    public void ThroughALayer_GradientWorkspaceAndZeroAllocation(string t)
    {
        // δ = (softmax(W E_{:,ids}) − Y)/n: ∇W = δ E_{:,ids}ᵀ, ∇E = scatter_ids(Wᵀ δ) (the layer's EmbedBackward adds into dE).
        var src = GradientAssert.Source(Layered);
        int[] ids = [3, 1, 3, 3];
        var p = new Inputs(t, 1222).Matrix("E", 3, 5).Matrix("W", 5, 3).Add("ids", ids)
            .Add("Y", DeepRef.Distributions(5, 4, oneHot: true, seed: 1223));
        var (e, w, y) = (p.M("E"), p.M("W"), p.M("Y"));
        var h = EmbeddingGradientTests.Gather(e, ids);
        var z = Ref.Mul(w, h);
        var delta = Ref.Scale(0.25, Ref.Sub(DeepRef.Softmax(z), y));
        GradientAssert.Gradient(src, "Loss", p, DeepRef.CrossEntropy(z, y),
            ("E", EmbeddingGradientTests.ScatterAdd(Ref.Mul(Ref.T(w), delta), ids, 5)), ("W", Ref.Mul(delta, Ref.T(h))));
        if (t == "double")
        {
            GradientAssert.Workspace(src, "Loss", p, "E", "W");
        }
        GradientAssert.NoSteadyStateAllocation(src, "Loss", p, 2);
    }
}
