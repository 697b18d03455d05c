// Float (float32) twin of Models.cs and samples/SeedExamples/SeedModels.cs, derived mechanically (double → float, literals → f) so that
// every workload runs in both precisions; keep the two in step when a workload changes.
using static AutoGradGen.Ops;

namespace AutoGradGen.Benchmarks.Workloads;

/// <summary>W1–W10 in float: the same <c>[Differentiable]</c> bodies as <see cref="Models"/> and the seed models.</summary>
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
}
