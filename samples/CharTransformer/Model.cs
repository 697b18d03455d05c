using AutoGradGen;
using static AutoGradGen.Ops;

namespace CharTransformer;

/// <summary>
/// A decoder-only transformer over characters, one token per column (d × T activations), written
/// as <c>[Differentiable]</c> layers. The generator adds each layer's pullback; the training step
/// chains them from the loss back to the embeddings.
/// </summary>
public static partial class Model
{
    /// <summary>
    /// The input: token embeddings E_{:,ids} (E is d × V, one column per character; column t is the
    /// embedding of <paramref name="ids"/>[t]) plus learned position embeddings P (d × T). Its backward
    /// pass adds the seed's columns into the columns of ∇E that the T ids name, and no other.
    /// </summary>
    [Differentiable]
    public static Matrix<float> Embed(Matrix<float> E, Matrix<float> P, int[] ids)
        => Embedding(E, ids) + P;

    /// <summary>
    /// One causal attention head on the normalized input A (d × T): queries, keys and values Wq A,
    /// Wk A, Wv A (each d/h × T), scores Kᵀ Q / √(d/h) (keys × queries), then <c>CausalSoftmax</c>,
    /// the column-wise softmax in which query j sees keys i ≤ j only (the other weights are exactly 0).
    /// Returns Wo (V P), the head's share of the output.
    /// </summary>
    [Differentiable]
    public static Matrix<float> Head(Matrix<float> Wq, Matrix<float> Wk, Matrix<float> Wv, Matrix<float> Wo,
                                     Matrix<float> A, [NoGradient] float scale)
    {
        var Q = Wq * A;
        var K = Wk * A;
        var V = Wv * A;
        var P = CausalSoftmax(Transpose(K) * Q * scale);
        return Wo * (V * P);
    }

    /// <summary>
    /// A pre-norm transformer block with four heads: X + Σₕ Headₕ(LN(X)) + bo𝟙ᵀ, then the GELU MLP
    /// with its own residual, H + W₂ gelu(W₁ LN(H) + c₁𝟙ᵀ) + c₂𝟙ᵀ.
    /// </summary>
    [Differentiable]
    public static Matrix<float> Block(
        Matrix<float> X, Vector<float> g1, Vector<float> b1,
        Matrix<float> Wq1, Matrix<float> Wk1, Matrix<float> Wv1, Matrix<float> Wo1,
        Matrix<float> Wq2, Matrix<float> Wk2, Matrix<float> Wv2, Matrix<float> Wo2,
        Matrix<float> Wq3, Matrix<float> Wk3, Matrix<float> Wv3, Matrix<float> Wo3,
        Matrix<float> Wq4, Matrix<float> Wk4, Matrix<float> Wv4, Matrix<float> Wo4,
        Vector<float> bo, Vector<float> g2, Vector<float> b2,
        Matrix<float> W1, Vector<float> c1, Matrix<float> W2, Vector<float> c2,
        [NoGradient] float scale)
    {
        var A = LayerNorm(X, g1, b1);
        var H = X + Head(Wq1, Wk1, Wv1, Wo1, A, scale) + Head(Wq2, Wk2, Wv2, Wo2, A, scale)
                  + Head(Wq3, Wk3, Wv3, Wo3, A, scale) + Head(Wq4, Wk4, Wv4, Wo4, A, scale) + bo;
        return H + W2 * Gelu(W1 * LayerNorm(H, g2, b2) + c1) + c2;
    }

    /// <summary>The output: logits W LN(X) + b𝟙ᵀ (V × T) and their mean cross-entropy against the next characters Y, in nats.</summary>
    [Differentiable]
    public static float OutputLoss(Matrix<float> X, Vector<float> g, Vector<float> beta, Matrix<float> W, Vector<float> b,
                                   [NoGradient] Matrix<float> Y)
        => CrossEntropy(Logits(X, g, beta, W, b), Y);

    /// <summary>The logits W LN(X) + b𝟙ᵀ, one column of V per position.</summary>
    [Differentiable]
    public static Matrix<float> Logits(Matrix<float> X, Vector<float> g, Vector<float> beta, Matrix<float> W, Vector<float> b)
        => W * LayerNorm(X, g, beta) + b;
}
