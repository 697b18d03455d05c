// Float (float32) twin of Models.cs and samples/SeedExamples/SeedModels.cs, derived mechanically (double → float, literals → f) so that
// every workload runs in both precisions; keep the two in step when a workload changes.
using static AutoGradGen.Ops;

namespace AutoGradGen.Benchmarks.Workloads;

/// <summary>W1–W12 in float: the same <c>[Differentiable]</c> bodies as <see cref="Models"/> and the seed models.</summary>
public static partial class FloatModels
{
    /// <summary>(1) f = xᵀAy: a bilinear form.</summary>
    [Differentiable]
    public static float Bilinear(Vector<float> x, Matrix<float> A, Vector<float> y)
        => Dot(x, A * y);

    /// <summary>(2) L = ‖Xw − y‖²: least squares; the data X, y are constants.</summary>
    [Differentiable]
    public static float LeastSquares(Vector<float> w, [NoGradient] Matrix<float> X, [NoGradient] Vector<float> y)
        => SquaredNorm(X * w - y);

    /// <summary>
    /// (3) L = N log|Σ| + Σᵢ (xᵢ − μ)ᵀ Σ⁻¹ (xᵢ − μ): the Gaussian negative log-likelihood (up to
    /// constants and a factor ½), with the N samples xᵢ in the columns of X.
    /// </summary>
    [Differentiable]
    public static float GaussianNll(Vector<float> mu, Matrix<float> Sigma, [NoGradient] Matrix<float> X)
    {
        int N = X.Cols;
        var C = X - mu;
        return N * LogDet(Sigma) + Sum(Hadamard(C, Solve(Sigma, C)));
    }

    /// <summary>(4) f = xᵀAσ(B⁻¹z + b): a sigmoid layer read out by a bilinear form.</summary>
    [Differentiable]
    public static float SigmoidForm([NoGradient] Vector<float> x, [NoGradient] Matrix<float> A,
                                     Matrix<float> B, Vector<float> z, Vector<float> b)
    {
        var h = Inverse(B) * z + b;
        return Dot(x, A * Sigmoid(h));
    }

    // W1–W4 are the lecture's examples in samples/SeedExamples/SeedModels.cs, linked into this project.

    /// <summary>W5: softmax regression, L = CE(W X + b𝟙ᵀ, Y) (mean over the batch columns).</summary>
    [Differentiable]
    public static float SoftmaxRegression(Matrix<float> W, Vector<float> b,
                                           [NoGradient] Matrix<float> X, [NoGradient] Matrix<float> Y)
        => CrossEntropy(W * X + b, Y);

    /// <summary>W6: two-layer network, L = CE(W₂ σ(W₁X + b₁𝟙ᵀ) + b₂𝟙ᵀ, Y).</summary>
    [Differentiable]
    public static float TwoLayer(Matrix<float> W1, Vector<float> b1, Matrix<float> W2, Vector<float> b2,
                                  [NoGradient] Matrix<float> X, [NoGradient] Matrix<float> Y)
    {
        var H = Sigmoid(W1 * X + b1);
        return CrossEntropy(W2 * H + b2, Y);
    }

    /// <summary>W7 (single image): L = ‖X ⋆ K − T‖² for one h×w image X and a kₕ×k_w kernel K.</summary>
    [Differentiable]
    public static float ConvSingle(Matrix<float> K, [NoGradient] Matrix<float> X, [NoGradient] Matrix<float> T)
        => SquaredNorm(Conv2D(X, K) - T);

    /// <summary>
    /// W7 (batched): 1→8 channels of 5×5 on 28×28 images (one image per column), ReLU, then a
    /// dense + cross-entropy head: L = CE(W relu(conv(X, K)) + b𝟙ᵀ, Y).
    /// </summary>
    [Differentiable]
    public static float ConvNet(Matrix<float> K, Matrix<float> W, Vector<float> b,
                                 [NoGradient] Matrix<float> X, [NoGradient] Matrix<float> Y)
    {
        var H = Relu(Conv2D(X, K, 1, 28, 28, 5, 5));
        return CrossEntropy(W * H + b, Y);
    }

    /// <summary>
    /// W8: one attention head, tokens in the columns of X (d×n): Q = W_q X, K = W_k X, V = W_v X,
    /// P = softmax(KᵀQ / 8) column-wise (column j: query j's distribution over the keys),
    /// L = ‖V P − T‖².
    /// </summary>
    [Differentiable]
    public static float Attention(Matrix<float> Wq, Matrix<float> Wk, Matrix<float> Wv,
                                   [NoGradient] Matrix<float> X, [NoGradient] Matrix<float> T)
    {
        var Q = Wq * X;
        var K = Wk * X;
        var V = Wv * X;
        var P = Softmax(Transpose(K) * Q / 8.0f);
        return SquaredNorm(V * P - T);
    }

    /// <summary>
    /// W9: L2-regularized logistic regression, L = BCE(Xw, y)/N + λ/2 ‖w‖² with X N×n (one sample per row),
    /// y ∈ {0, 1}ᴺ; Hessian H = Xᵀ diag(σ′(Xw)) X / N + λI.
    /// </summary>
    [Differentiable]
    public static float LogisticLoss(Vector<float> w, [NoGradient] Matrix<float> X, [NoGradient] Vector<float> y, [NoGradient] float lambda)
        => BinaryCrossEntropyWithLogits(X * w, y) / X.Rows + lambda / 2 * SquaredNorm(w);

    /// <summary>W10: log|det X| on its own (Hessian map ∂(∇X) = −X⁻ᵀ ∂Xᵀ X⁻ᵀ).</summary>
    [Differentiable]
    public static float LogDetLoss(Matrix<float> X)
        => LogDet(X);

    /// <summary>
    /// W11: one pre-norm transformer block on X (d×T, tokens in the columns) with four causal heads and a GELU MLP,
    /// read out by L = ‖Y − Target‖²: A = LN(X; γ₁, β₁), head h: Qₕ = Wqₕ A, Kₕ = Wkₕ A, Vₕ = Wvₕ A (each d/4×T),
    /// Pₕ = softmax(Kₕᵀ Qₕ · scale + M) column-wise (M: 0 where key i ≤ query j, −10⁹ above),
    /// H = X + Σₕ Woₕ (Vₕ Pₕ) + bo𝟙ᵀ, Y = H + W₂ gelu(W₁ LN(H; γ₂, β₂) + c₁𝟙ᵀ) + c₂𝟙ᵀ.
    /// </summary>
    [Differentiable]
    public static float TransformerBlock(
        Matrix<float> X, Vector<float> g1, Vector<float> b1,
        Matrix<float> Wq1, Matrix<float> Wk1, Matrix<float> Wv1, Matrix<float> Wo1,
        Matrix<float> Wq2, Matrix<float> Wk2, Matrix<float> Wv2, Matrix<float> Wo2,
        Matrix<float> Wq3, Matrix<float> Wk3, Matrix<float> Wv3, Matrix<float> Wo3,
        Matrix<float> Wq4, Matrix<float> Wk4, Matrix<float> Wv4, Matrix<float> Wo4,
        Vector<float> bo, Vector<float> g2, Vector<float> b2,
        Matrix<float> W1, Vector<float> c1, Matrix<float> W2, Vector<float> c2,
        [NoGradient] Matrix<float> mask, [NoGradient] float scale, [NoGradient] Matrix<float> Target)
    {
        var A = LayerNorm(X, g1, b1);
        var Q1 = Wq1 * A;
        var Q2 = Wq2 * A;
        var Q3 = Wq3 * A;
        var Q4 = Wq4 * A;
        var P1 = Softmax(Transpose(Wk1 * A) * Q1 * scale + mask);
        var P2 = Softmax(Transpose(Wk2 * A) * Q2 * scale + mask);
        var P3 = Softmax(Transpose(Wk3 * A) * Q3 * scale + mask);
        var P4 = Softmax(Transpose(Wk4 * A) * Q4 * scale + mask);
        var H = X + Wo1 * (Wv1 * A * P1) + Wo2 * (Wv2 * A * P2) + Wo3 * (Wv3 * A * P3) + Wo4 * (Wv4 * A * P4) + bo;
        var Y = H + W2 * Gelu(W1 * LayerNorm(H, g2, b2) + c1) + c2;
        return SquaredNorm(Y - Target);
    }

    /// <summary>
    /// W12: batch normalization (each feature, a row of X, over the batch, the columns, with the batch statistics)
    /// followed by a dense layer, L = ‖W BN(X; γ, β) + b𝟙ᵀ − Target‖², w.r.t. X, γ, β, W and b.
    /// </summary>
    [Differentiable]
    public static float BatchNormDense(Matrix<float> X, Vector<float> gamma, Vector<float> beta, Matrix<float> W, Vector<float> b,
                                        [NoGradient] Matrix<float> Target)
        => SquaredNorm(W * BatchNorm(X, gamma, beta) + b - Target);
}
