using static AutoGradGen.Ops;

namespace AutoGradGen.Benchmarks.Workloads;

/// <summary>
/// The benchmark workloads W5–W12 as plain <c>[Differentiable]</c> methods: the generator adds
/// <c>FWithGradient</c> (allocating) and <c>FWorkspace</c> + <c>FBackward</c> (zero-allocation,
/// accumulating into caller-owned buffers) for each one. The generated code is under
/// <c>obj/Generated</c> after a build.
/// </summary>
public static partial class Models
{
    // W1–W4 are the lecture's examples in samples/SeedExamples/SeedModels.cs, linked into this project.

    /// <summary>W5: softmax regression, L = CE(W X + b𝟙ᵀ, Y) (mean over the batch columns).</summary>
    [Differentiable]
    public static double SoftmaxRegression(Matrix<double> W, Vector<double> b,
                                           [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
        => CrossEntropy(W * X + b, Y);

    /// <summary>W6: two-layer network, L = CE(W₂ σ(W₁X + b₁𝟙ᵀ) + b₂𝟙ᵀ, Y).</summary>
    [Differentiable]
    public static double TwoLayer(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2,
                                  [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
    {
        var H = Sigmoid(W1 * X + b1);
        return CrossEntropy(W2 * H + b2, Y);
    }

    /// <summary>W7 (single image): L = ‖X ⋆ K − T‖² for one h×w image X and a kₕ×k_w kernel K.</summary>
    [Differentiable]
    public static double ConvSingle(Matrix<double> K, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> T)
        => SquaredNorm(Conv2D(X, K) - T);

    /// <summary>
    /// W7 (batched): 1→8 channels of 5×5 on 28×28 images (one image per column), ReLU, then a
    /// dense + cross-entropy head: L = CE(W relu(conv(X, K)) + b𝟙ᵀ, Y).
    /// </summary>
    [Differentiable]
    public static double ConvNet(Matrix<double> K, Matrix<double> W, Vector<double> b,
                                 [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
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
    public static double Attention(Matrix<double> Wq, Matrix<double> Wk, Matrix<double> Wv,
                                   [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> T)
    {
        var Q = Wq * X;
        var K = Wk * X;
        var V = Wv * X;
        var P = Softmax(Transpose(K) * Q / 8.0);
        return SquaredNorm(V * P - T);
    }

    /// <summary>
    /// W9: L2-regularized logistic regression, L = BCE(Xw, y)/N + λ/2 ‖w‖² with X N×n (one sample per row),
    /// y ∈ {0, 1}ᴺ; Hessian H = Xᵀ diag(σ′(Xw)) X / N + λI.
    /// </summary>
    [Differentiable]
    public static double LogisticLoss(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y, [NoGradient] double lambda)
        => BinaryCrossEntropyWithLogits(X * w, y) / X.Rows + lambda / 2 * SquaredNorm(w);

    /// <summary>W10: log|det X| on its own (Hessian map ∂(∇X) = −X⁻ᵀ ∂Xᵀ X⁻ᵀ).</summary>
    [Differentiable]
    public static double LogDetLoss(Matrix<double> X)
        => LogDet(X);

    /// <summary>
    /// W11: one pre-norm transformer block on X (d×T, tokens in the columns) with four causal heads and a GELU MLP,
    /// read out by L = ‖Y − Target‖²: A = LN(X; γ₁, β₁), head h: Qₕ = Wqₕ A, Kₕ = Wkₕ A, Vₕ = Wvₕ A (each d/4×T),
    /// Pₕ = softmax(Kₕᵀ Qₕ · scale + M) column-wise (M: 0 where key i ≤ query j, −10⁹ above),
    /// H = X + Σₕ Woₕ (Vₕ Pₕ) + bo𝟙ᵀ, Y = H + W₂ gelu(W₁ LN(H; γ₂, β₂) + c₁𝟙ᵀ) + c₂𝟙ᵀ.
    /// </summary>
    [Differentiable]
    public static double TransformerBlock(
        Matrix<double> X, Vector<double> g1, Vector<double> b1,
        Matrix<double> Wq1, Matrix<double> Wk1, Matrix<double> Wv1, Matrix<double> Wo1,
        Matrix<double> Wq2, Matrix<double> Wk2, Matrix<double> Wv2, Matrix<double> Wo2,
        Matrix<double> Wq3, Matrix<double> Wk3, Matrix<double> Wv3, Matrix<double> Wo3,
        Matrix<double> Wq4, Matrix<double> Wk4, Matrix<double> Wv4, Matrix<double> Wo4,
        Vector<double> bo, Vector<double> g2, Vector<double> b2,
        Matrix<double> W1, Vector<double> c1, Matrix<double> W2, Vector<double> c2,
        [NoGradient] Matrix<double> mask, [NoGradient] double scale, [NoGradient] Matrix<double> Target)
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
    public static double BatchNormDense(Matrix<double> X, Vector<double> gamma, Vector<double> beta, Matrix<double> W, Vector<double> b,
                                        [NoGradient] Matrix<double> Target)
        => SquaredNorm(W * BatchNorm(X, gamma, beta) + b - Target);
}
