// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────
// PENDING — DELETE THIS FILE WHEN THE GENERATOR'S SECOND ORDER IS MERGED (issue 10).
//
// Hand-written stand-ins for generated methods that do not exist yet: FHessianVectorProduct and FHessian
// (../shared/design/API.md, "Forward mode and second order"), for the W9/W10 models only. They have exactly the
// generated names and signatures, sit in the same partial classes as the models, and are correct closed forms,
// so that the W9/W10 benchmarks and `-- --check` run today. Nothing else in the project refers to this file: the
// workloads reach these methods only by name (Generated<T>.Bind), so at merge the generator's own methods take
// their place unchanged (keeping this file would then be a duplicate-member compile error pointing here).
//
// Their timings are NOT the generator's: do not publish numbers measured against this file.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Compute;

namespace AutoGradGen.Benchmarks.Workloads
{
    public static partial class Models
    {
        /// <summary>PENDING stand-in for the generated HVP of <see cref="LogisticLoss"/>.</summary>
        public static double LogisticLossHessianVectorProduct(Vector<double> w, Matrix<double> X, Vector<double> y, double lambda,
            Vector<double> vw, out Vector<double> dw, out Vector<double> hvw)
            => PendingSecondOrder.LogisticHvp(w, X, y, lambda, vw, out dw, out hvw);

        /// <summary>PENDING stand-in for the generated dense Hessian of <see cref="LogisticLoss"/>.</summary>
        public static double LogisticLossHessian(Vector<double> w, Matrix<double> X, Vector<double> y, double lambda,
            out Vector<double> dw, out Matrix<double> hessian)
            => PendingSecondOrder.LogisticHessian(w, X, y, lambda, out dw, out hessian);

        /// <summary>PENDING stand-in for the generated HVP of <see cref="LogDetLoss"/>.</summary>
        public static double LogDetLossHessianVectorProduct(Matrix<double> X, Matrix<double> vX, out Matrix<double> dX, out Matrix<double> hvX)
            => PendingSecondOrder.LogDetHvp(X, vX, out dX, out hvX);
    }

    public static partial class FloatModels
    {
        /// <summary>PENDING stand-in for the generated HVP of <see cref="LogisticLoss"/>.</summary>
        public static float LogisticLossHessianVectorProduct(Vector<float> w, Matrix<float> X, Vector<float> y, float lambda,
            Vector<float> vw, out Vector<float> dw, out Vector<float> hvw)
            => PendingSecondOrder.LogisticHvp(w, X, y, lambda, vw, out dw, out hvw);

        /// <summary>PENDING stand-in for the generated dense Hessian of <see cref="LogisticLoss"/>.</summary>
        public static float LogisticLossHessian(Vector<float> w, Matrix<float> X, Vector<float> y, float lambda,
            out Vector<float> dw, out Matrix<float> hessian)
            => PendingSecondOrder.LogisticHessian(w, X, y, lambda, out dw, out hessian);

        /// <summary>PENDING stand-in for the generated HVP of <see cref="LogDetLoss"/>.</summary>
        public static float LogDetLossHessianVectorProduct(Matrix<float> X, Matrix<float> vX, out Matrix<float> dX, out Matrix<float> hvX)
            => PendingSecondOrder.LogDetHvp(X, vX, out dX, out hvX);

        /// <summary>PENDING stand-in for the generated HVP of <see cref="GaussianNll"/>.</summary>
        public static float GaussianNllHessianVectorProduct(Vector<float> mu, Matrix<float> Sigma, Matrix<float> X,
            Vector<float> vmu, Matrix<float> vSigma, out Vector<float> dmu, out Matrix<float> dSigma, out Vector<float> hvmu, out Matrix<float> hvSigma)
            => PendingSecondOrder.GaussianNllHvp(mu, Sigma, X, vmu, vSigma, out dmu, out dSigma, out hvmu, out hvSigma);
    }

    /// <summary>The closed forms behind the stand-ins, once for both element types (allocating, like FWithGradient).</summary>
    file static class PendingSecondOrder
    {
        /// <summary>
        /// L = BCE(z, y)/N + λ/2 ‖w‖², z = Xw: ∇w = Xᵀ(σ(z) − y)/N + λw; Hv = Xᵀ(σ′(z) ⊙ Xv)/N + λv.
        /// </summary>
        public static T LogisticHvp<T>(Vector<T> w, Matrix<T> X, Vector<T> y, T lambda, Vector<T> vw, out Vector<T> dw, out Vector<T> hvw)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            T loss = LogisticGradient(w, X, y, lambda, out dw, out var p);
            var u = X * vw;                                                   // X v
            var ps = p.AsSpan();
            var us = u.AsSpan();
            T n = T.CreateChecked(X.Rows);
            for (int i = 0; i < us.Length; i++)
            {
                us[i] = ps[i] * (T.One - ps[i]) * us[i] / n;                  // σ′(z) ⊙ Xv / N
            }
            hvw = Products.MultiplyTransposeA(X, u);
            TensorPrimitives.MultiplyAdd(vw.AsSpan(), lambda, hvw.AsSpan(), hvw.AsSpan());
            return loss;
        }

        /// <summary>
        /// H = Σₖ σ′(zₖ) xₖxₖᵀ / N + λI accumulated sample by sample (rank-one updates, not the GEMM the
        /// hand-written baseline uses, so that `--check` compares two different computations).
        /// </summary>
        public static T LogisticHessian<T>(Vector<T> w, Matrix<T> X, Vector<T> y, T lambda, out Vector<T> dw, out Matrix<T> hessian)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            T loss = LogisticGradient(w, X, y, lambda, out dw, out var p);
            int features = X.Cols;
            var h = new Matrix<T>(features, features);
            T n = T.CreateChecked(X.Rows);
            for (int k = 0; k < X.Rows; k++)
            {
                var xk = X.Row(k);
                T s = p[k] * (T.One - p[k]) / n;
                for (int i = 0; i < features; i++)
                {
                    TensorPrimitives.MultiplyAdd(xk, s * xk[i], h.Row(i), h.Row(i));
                }
            }
            for (int i = 0; i < features; i++)
            {
                h[i, i] += lambda;
            }
            hessian = h;
            return loss;
        }

        private static T LogisticGradient<T>(Vector<T> w, Matrix<T> X, Vector<T> y, T lambda, out Vector<T> dw, out Vector<T> p)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var z = X * w;
            T n = T.CreateChecked(X.Rows);
            T loss = Ops.BinaryCrossEntropyWithLogits(z, y) / n + lambda / T.CreateChecked(2) * Ops.SquaredNorm(w);
            p = Ops.Sigmoid(z);
            dw = Products.MultiplyTransposeA(X, p - y) / n + lambda * w;
            return loss;
        }

        /// <summary>f = log|det X|: ∇X = X⁻ᵀ, H[V] = −X⁻ᵀ Vᵀ X⁻ᵀ.</summary>
        public static T LogDetHvp<T>(Matrix<T> X, Matrix<T> vX, out Matrix<T> dX, out Matrix<T> hvX)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var lu = Factorization.Factor(X, MatrixOperation.LogDet);
            var g = lu.InverseTransposed();                                  // X⁻ᵀ
            dX = g;
            hvX = -(g * Products.MultiplyTransposeA(vX, g));                 // −X⁻ᵀ (Vᵀ X⁻ᵀ)
            return lu.LogAbsDeterminant();
        }

        /// <summary>
        /// L = N log|Σ| + Σᵢ cᵢᵀΣ⁻¹cᵢ, C = X − μ𝟙ᵀ, with A = Σ⁻¹, S = CCᵀ, s = C𝟙, K = Aᵀ V_Σᵀ Aᵀ:
        /// ∇μ = −(A + Aᵀ)s, ∇Σ = NAᵀ − AᵀSAᵀ;
        /// H[v]_μ = (K + Kᵀ)s + N(A + Aᵀ)v_μ, H[v]_Σ = −NK + KSAᵀ + Aᵀ(v_μsᵀ + s v_μᵀ)Aᵀ + AᵀSK.
        /// </summary>
        public static T GaussianNllHvp<T>(Vector<T> mu, Matrix<T> Sigma, Matrix<T> X, Vector<T> vmu, Matrix<T> vSigma,
            out Vector<T> dmu, out Matrix<T> dSigma, out Vector<T> hvmu, out Matrix<T> hvSigma)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            T n = T.CreateChecked(X.Cols);
            var c = X - mu;
            var lu = Factorization.Factor(Sigma, MatrixOperation.LogDet);
            var a = lu.Inverse();
            var at = Ops.Transpose(a);
            var s = Products.MultiplyTransposeB(c, c);                       // CCᵀ
            var sum = Linear.SumColumns(c);                                  // C𝟙
            T loss = n * lu.LogAbsDeterminant() + Ops.Dot(at, s);            // N log|Σ| + ⟨Σ⁻ᵀ, CCᵀ⟩
            var aSym = a + at;
            dmu = -(aSym * sum);
            var sAt = s * at;                                                // SAᵀ
            dSigma = n * at - at * sAt;
            var k = at * Products.MultiplyTransposeA(vSigma, at);            // Aᵀ V_Σᵀ Aᵀ
            var outer = Ops.Outer(vmu, sum) + Ops.Outer(sum, vmu);
            hvmu = (k + Ops.Transpose(k)) * sum + n * (aSym * vmu);
            hvSigma = k * sAt - n * k + at * outer * at + at * (s * k);
            return loss;
        }
    }
}

namespace SeedExamples
{
    using AutoGradGen;

    public static partial class SeedModels
    {
        /// <summary>PENDING stand-in for the generated HVP of <see cref="GaussianNll"/> (W3's model, linked from the sample).</summary>
        public static double GaussianNllHessianVectorProduct(Vector<double> mu, Matrix<double> Sigma, Matrix<double> X,
            Vector<double> vmu, Matrix<double> vSigma, out Vector<double> dmu, out Matrix<double> dSigma, out Vector<double> hvmu, out Matrix<double> hvSigma)
            => AutoGradGen.Benchmarks.Workloads.PendingSecondOrder.GaussianNllHvp(mu, Sigma, X, vmu, vSigma, out dmu, out dSigma, out hvmu, out hvSigma);
    }
}
