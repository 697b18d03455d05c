// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Hand-written stand-ins, REMOVED WHEN THE GENERATOR EMITS THESE: LossHessianVectorProduct and
// LossHessian are the second-order methods API.md ("Forward mode and second order") specifies for a
// scalar [Differentiable] method. Until the generator writes them next to LossWithGradient, this file
// supplies the same two signatures, written by hand from the closed form of the logistic loss.
// Nothing else in the sample may use anything from this file but these two methods.
// ─────────────────────────────────────────────────────────────────────────────────────────────────
using AutoGradGen;
using AutoGradGen.Compute;
using static AutoGradGen.Ops;

namespace SecondOrder;

public static partial class LogisticModel
{
    /// <summary>
    /// Stand-in (removed when the generator emits it): the value of <see cref="Loss"/>, its gradient ∇w and
    /// the Hessian-vector product hvw = ∂(∇w) along vw = Xᵀ(σ′(Xw) ⊙ X vw)/rows(X) + λ vw.
    /// </summary>
    /// <param name="w">The weights.</param>
    /// <param name="X">The samples, one per row.</param>
    /// <param name="y">The labels.</param>
    /// <param name="lambda">λ, the ridge weight.</param>
    /// <param name="vw">The direction v, the shape of <paramref name="w"/>.</param>
    /// <param name="dw">Receives ∇w.</param>
    /// <param name="hvw">Receives ∇²f(w) v.</param>
    /// <returns>The value of <c>Loss</c>.</returns>
    public static double LossHessianVectorProduct(
        Vector<double> w, Matrix<double> X, Vector<double> y, double lambda, Vector<double> vw,
        out Vector<double> dw, out Vector<double> hvw)
    {
        double value = LossWithGradient(w, X, y, lambda, out dw);
        var curvature = SigmoidDerivative(X * w);                            // σ′(Xw) = σ(Xw) ⊙ (1 − σ(Xw))
        hvw = Products.MultiplyTransposeA(X, Hadamard(curvature, X * vw) / X.Rows) + lambda * vw; // Xᵀ(σ′(Xw) ⊙ X v)/N + λv
        return value;
    }

    /// <summary>
    /// Stand-in (removed when the generator emits it): the value of <see cref="Loss"/>, its gradient ∇w and
    /// the dense Hessian H = Xᵀ diag(σ′(Xw)) X/rows(X) + λI, cols(X) × cols(X).
    /// </summary>
    /// <param name="w">The weights.</param>
    /// <param name="X">The samples, one per row.</param>
    /// <param name="y">The labels.</param>
    /// <param name="lambda">λ, the ridge weight.</param>
    /// <param name="dw">Receives ∇w.</param>
    /// <param name="hessian">Receives ∇²f(w).</param>
    /// <returns>The value of <c>Loss</c>.</returns>
    [ClosedForm("H = Xᵀ diag(σ′(Xw)) X/rows(X) + λI")]
    [ClosedForm("where σ′(z) = σ(z) ⊙ (1 − σ(z))")]
    public static double LossHessian(
        Vector<double> w, Matrix<double> X, Vector<double> y, double lambda,
        out Vector<double> dw, out Matrix<double> hessian)
    {
        double value = LossWithGradient(w, X, y, lambda, out dw);
        var curvature = SigmoidDerivative(X * w);
        var scaled = X.Clone();                                                // diag(σ′(Xw)) X/N: row i times σ′(xᵢᵀw)/N
        for (int i = 0; i < X.Rows; i++)
        {
            for (int j = 0; j < X.Cols; j++)
            {
                scaled[i, j] *= curvature[i] / X.Rows;
            }
        }

        hessian = Products.MultiplyTransposeA(X, scaled);                      // Xᵀ diag(σ′(Xw)) X/N
        for (int j = 0; j < hessian.Rows; j++)
        {
            hessian[j, j] += lambda;                                           // + λI
        }

        return value;
    }

    /// <summary>σ′(z) = σ(z) ⊙ (1 − σ(z)), entry by entry.</summary>
    private static Vector<double> SigmoidDerivative(Vector<double> z)
    {
        var s = Sigmoid(z);
        for (int i = 0; i < s.Length; i++)
        {
            s[i] *= 1 - s[i];
        }

        return s;
    }
}
