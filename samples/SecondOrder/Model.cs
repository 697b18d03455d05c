using AutoGradGen;
using static AutoGradGen.Ops;

namespace SecondOrder;

/// <summary>
/// L2-regularised logistic regression, one sample per row of X. The generator adds
/// <c>LossWithGradient</c>, <c>LossDifferential</c>, <c>LossHessianVectorProduct</c> and <c>LossHessian</c>
/// to this partial class at compile time.
/// </summary>
public static partial class LogisticModel
{
    /// <summary>
    /// f(w) = (1/N) Σᵢ [softplus(xᵢᵀw) − yᵢ xᵢᵀw] + (λ/2)‖w‖²: the mean binary cross-entropy of the logits Xw
    /// against the labels y, plus a ridge penalty. BinaryCrossEntropyWithLogits of a vector is a sum, hence the 1/N.
    /// </summary>
    [Differentiable]
    public static double Loss(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y, [NoGradient] double lambda)
        => BinaryCrossEntropyWithLogits(X * w, y) / X.Rows + lambda / 2 * SquaredNorm(w);
}
