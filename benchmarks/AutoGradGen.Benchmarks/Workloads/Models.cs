using static AutoGradGen.Ops;

namespace AutoGradGen.Benchmarks.Workloads;

/// <summary>
/// The benchmark workloads W5–W10 as plain <c>[Differentiable]</c> methods: the generator adds
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
}
