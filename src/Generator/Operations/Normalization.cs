using System;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;
using P = AutoGradGen.Generator.Formula.MathPrinter;

// Ops refer to one another inside their rules, which run only after every field is set; the compiler's
// flow analysis of static initializers cannot see that order.
#pragma warning disable CS8603, CS8604

namespace AutoGradGen.Generator.Model
{
    // Layer and batch normalization, one sample per column: Y = diag(γ) x̂ + β𝟙ᵀ with x̂ = (x − μ)/√(var + ε) along each
    // normalized line (a column for LN, a row for BN). J = ∂x̂/∂x = (1/σ)(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n) is symmetric, so
    //   ∂Y = diag(γ) J ∂X + diag(∂γ) x̂ + ∂β𝟙ᵀ   ⇒   X̄ += J diag(γ) Ḡ,  γ̄ += (Ḡ ⊙ x̂)𝟙,  β̄ += Ḡ𝟙   (derived by transposition:
    // the tangent kernel diag(γ) J · and the backward kernel J diag(γ) · are each other's transpose, diag(v) x̂ and (Ḡ ⊙ x̂)𝟙 too).
    // Every kernel takes X and ε and recomputes μ and σ. ε is a constant (a hyperparameter): it is not differentiated.
    // Second order: each kernel's own rule, with D²x̂[H, G] (…Curvature) and (G ⊙ J ∂X)𝟙 (…ScaleCurvature).
    internal sealed partial class Op
    {
        /// <summary>
        /// Y = LN(X; γ, β): each column normalized over its rows, then diag(γ) · + β𝟙ᵀ.
        /// ∂Y = diag(γ) J ∂X + diag(∂γ) x̂ + ∂β𝟙ᵀ ⇒ X̄ += J diag(γ) Ḡ, γ̄ += (Ḡ ⊙ x̂)𝟙, β̄ += Ḡ𝟙 (derived).
        /// </summary>
        public static readonly Op LayerNorm = NormalizationOp("LayerNorm", "LN", () => LayerNormTangent, () => LayerNormScale);

        /// <summary>diag(γ) J ∂X on (X, ∂X, γ, ε): LN's differential along ∂X; the transpose of <see cref="LayerNormBackward"/>.</summary>
        public static readonly Op LayerNormTangent = JacobianKernel("LayerNormTangent", "LN", tangent: true,
            () => LayerNormTangent, () => LayerNormBackward, () => LayerNormCurvature, () => LayerNormScaleCurvature);

        /// <summary>J diag(γ) Ḡ on (X, Ḡ, γ, ε) = (1/σ)(g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)), g = γ ⊙ Ḡ, per column: X̄.</summary>
        public static readonly Op LayerNormBackward = JacobianKernel("LayerNormBackward", "LN", tangent: false,
            () => LayerNormBackward, () => LayerNormTangent, () => LayerNormCurvature, () => LayerNormScaleCurvature);

        /// <summary>diag(v) x̂ on (X, v, ε): LN's differential along ∂γ = v; the transpose of <see cref="LayerNormScaleBackward"/>.</summary>
        public static readonly Op LayerNormScale = ScaleKernel("LayerNormScale", "LN", () => LayerNormScaleBackward, () => LayerNormTangent);

        /// <summary>(Ḡ ⊙ x̂)𝟙 on (X, Ḡ, ε): γ̄.</summary>
        public static readonly Op LayerNormScaleBackward = ScaleBackwardKernel("LayerNormScaleBackward", "LN", () => LayerNormScale, () => LayerNormScaleCurvature);

        /// <summary>D²x̂[H, G] on (X, H, G, ε), per column: the second derivative of the normalization (second order only).</summary>
        public static readonly Op LayerNormCurvature = SecondOrderKernel("LayerNormCurvature", "LN", ValueKind.Matrix,
            (p, f) => Atomic("D²x̂_LN(" + p.Print(f[0]) + ")[" + p.Print(f[1]) + ", " + p.Print(f[2]) + "]"));

        /// <summary>(G ⊙ J ∂X)𝟙 on (X, G, ∂X, ε): the differential of (G ⊙ x̂)𝟙 along ∂X (second order only).</summary>
        public static readonly Op LayerNormScaleCurvature = SecondOrderKernel("LayerNormScaleCurvature", "LN", ValueKind.Vector,
            (p, f) => ("(" + p.Print(f[1]) + " ⊙ J_LN(" + p.Print(f[0]) + ") " + p.Wrap(f[2], P.PostfixLevel) + ")𝟙", P.ProductLevel));

        /// <summary>
        /// Y = BN(X; γ, β): each row normalized over the batch (the columns, training statistics), then diag(γ) · + β𝟙ᵀ.
        /// ∂Y = diag(γ) J ∂X + diag(∂γ) x̂ + ∂β𝟙ᵀ ⇒ X̄ += J diag(γ) Ḡ, γ̄ += (Ḡ ⊙ x̂)𝟙, β̄ += Ḡ𝟙 (derived), J acting on each row.
        /// </summary>
        public static readonly Op BatchNorm = NormalizationOp("BatchNorm", "BN", () => BatchNormTangent, () => BatchNormScale);

        /// <summary>diag(γ) J ∂X on (X, ∂X, γ, ε), J per row: BN's differential along ∂X; the transpose of <see cref="BatchNormBackward"/>.</summary>
        public static readonly Op BatchNormTangent = JacobianKernel("BatchNormTangent", "BN", tangent: true,
            () => BatchNormTangent, () => BatchNormBackward, () => BatchNormCurvature, () => BatchNormScaleCurvature);

        /// <summary>J diag(γ) Ḡ on (X, Ḡ, γ, ε) = (1/σ)(g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)), g = γ ⊙ Ḡ, per row: X̄.</summary>
        public static readonly Op BatchNormBackward = JacobianKernel("BatchNormBackward", "BN", tangent: false,
            () => BatchNormBackward, () => BatchNormTangent, () => BatchNormCurvature, () => BatchNormScaleCurvature);

        /// <summary>diag(v) x̂ on (X, v, ε): BN's differential along ∂γ = v; the transpose of <see cref="BatchNormScaleBackward"/>.</summary>
        public static readonly Op BatchNormScale = ScaleKernel("BatchNormScale", "BN", () => BatchNormScaleBackward, () => BatchNormTangent);

        /// <summary>(Ḡ ⊙ x̂)𝟙 on (X, Ḡ, ε): γ̄.</summary>
        public static readonly Op BatchNormScaleBackward = ScaleBackwardKernel("BatchNormScaleBackward", "BN", () => BatchNormScale, () => BatchNormScaleCurvature);

        /// <summary>D²x̂[H, G] on (X, H, G, ε), per row: the second derivative of the normalization (second order only).</summary>
        public static readonly Op BatchNormCurvature = SecondOrderKernel("BatchNormCurvature", "BN", ValueKind.Matrix,
            (p, f) => Atomic("D²x̂_BN(" + p.Print(f[0]) + ")[" + p.Print(f[1]) + ", " + p.Print(f[2]) + "]"));

        /// <summary>(G ⊙ J ∂X)𝟙 on (X, G, ∂X, ε), J per row: the differential of (G ⊙ x̂)𝟙 along ∂X (second order only).</summary>
        public static readonly Op BatchNormScaleCurvature = SecondOrderKernel("BatchNormScaleCurvature", "BN", ValueKind.Vector,
            (p, f) => ("(" + p.Print(f[1]) + " ⊙ J_BN(" + p.Print(f[0]) + ") " + p.Wrap(f[2], P.PostfixLevel) + ")𝟙", P.ProductLevel));

        // ── the op and its kernels, for either normalization ──

        private static Op NormalizationOp(string name, string symbol, Func<Op> tangent, Func<Op> scale)
            => Define(name, OpRole.Forward, -1).Lowers(name).Typed("(Matrix, Vector, Vector[, Scalar]) → Matrix", _ => ValueKind.Matrix)
                .Written(CodeForm.Custom((p, f) => p.CallOps(name, f.Args.Items),
                        (p, f, slot) => p.CallInto(K(RuntimeFamily.Normalization, name), new[] { f[0], f[1], f[2], NormalizationEpsilon(f) }, slot)),
                    MathForm.Custom((p, f) => Atomic(symbol + "(" + p.Print(f[0]) + "; " + p.Print(f[1]) + ", " + p.Print(f[2])
                                                     + (f.Args.Count < 4 || f[3] is Num { Value: DefaultEpsilon } ? "" : ", ε = " + p.Print(f[3])) + ")")))
                .Rule("∂" + symbol + "(X; γ, β) = diag(γ) J ∂X + diag(∂γ) x̂ + ∂β𝟙ᵀ, J = (1/σ)(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n) per normalized line",
                    c => E.Sum(
                        c.With(0, d => new Fn(tangent(), ValueKind.Matrix, c.Arg(0), d, c.Arg(1), Epsilon(c))),
                        c.With(1, d => new Fn(scale(), ValueKind.Matrix, c.Arg(0), d, Epsilon(c))),
                        c.With(2, d => new Fn(SpreadColumns, ValueKind.Matrix, c.Arg(0), d))))
                .Shaped(c =>
                {
                    c.Tie(0, c.Rows(0), 1, c.Rows(1));
                    c.Tie(0, c.Rows(0), 2, c.Rows(2));
                    c.ResultOf(0);
                });

        /// <summary>The <c>Ops</c> default ε of LayerNorm and BatchNorm, 10⁻⁵.</summary>
        public const double DefaultEpsilon = 1e-5;

        /// <summary>ε as written, or the <c>Ops</c> default 10⁻⁵ when the call leaves it out.</summary>
        private static Expr Epsilon(Rules.TangentContext c) => c.Arity > 3 ? c.Arg(3) : new Num(DefaultEpsilon);

        /// <summary>ε of a LayerNorm or BatchNorm application: as written, or the default.</summary>
        public static Expr NormalizationEpsilon(Fn f) => f.Args.Count > 3 ? f[3] : new Num(DefaultEpsilon);

        /// <summary>
        /// diag(γ) J D (<paramref name="tangent"/>) or J diag(γ) G, on (X, D or G, γ, ε): linear in each of its second and
        /// third operands. Its differential: the kernel on ∂D, the kernel on ∂γ, and along ∂X the curvature D²x̂[∂X, ·]
        /// (with γ outside for the tangent, inside for the pullback).
        /// </summary>
        private static Op JacobianKernel(string name, string symbol, bool tangent, Func<Op> self, Func<Op> transpose, Func<Op> curvature, Func<Op> scaleCurvature)
            => Define(name, OpRole.Derivative, 4).Typed("(Matrix, Matrix, Vector, Scalar) → Matrix", _ => ValueKind.Matrix)
                .Written(CodeForm.Call(K(RuntimeFamily.Normalization, name)),
                    MathForm.Custom((p, f) => (tangent
                        ? "diag(" + p.Print(f[2]) + ") J_" + symbol + "(" + p.Print(f[0]) + ") " + p.Wrap(f[1], P.PostfixLevel)
                        : "J_" + symbol + "(" + p.Print(f[0]) + ") diag(" + p.Print(f[2]) + ") " + p.Wrap(f[1], P.PostfixLevel), P.ProductLevel)))
                .Rule(tangent ? "∂(diag(γ) J D) = diag(γ) J ∂D + diag(∂γ) J D + diag(γ) D²x̂[∂X, D]"
                        : "∂(J diag(γ) G) = J diag(γ) ∂G + J diag(∂γ) G + D²x̂[∂X, diag(γ) G]",
                    c => E.Sum(
                        c.With(1, d => new Fn(self(), ValueKind.Matrix, c.Arg(0), d, c.Arg(2), c.Arg(3))),
                        c.With(2, d => new Fn(self(), ValueKind.Matrix, c.Arg(0), c.Arg(1), d, c.Arg(3))),
                        c.With(0, d => tangent
                            ? new Fn(ScaleRows, ValueKind.Matrix, c.Arg(2), new Fn(curvature(), ValueKind.Matrix, c.Arg(0), d, c.Arg(1), c.Arg(3)))
                            : new Fn(curvature(), ValueKind.Matrix, c.Arg(0), d, new Fn(ScaleRows, ValueKind.Matrix, c.Arg(2), c.Arg(1)), c.Arg(3)))))
                // ⟨C, diag(γ) J D⟩ = ⟨J diag(γ) C, D⟩ = γᵀ(C ⊙ J D)𝟙, and ⟨C, J diag(γ) G⟩ = ⟨diag(γ) J C, G⟩ = γᵀ(G ⊙ J C)𝟙.
                .Linear((f, i, ct) => i switch
                {
                    1 => new Fn(transpose(), ValueKind.Matrix, f[0], ct, f[2], f[3]),
                    2 => new Fn(scaleCurvature(), ValueKind.Vector, f[0], tangent ? ct : f[1], tangent ? f[1] : ct, f[3]),
                    _ => throw new InvalidOperationException(name + " is transposed in its second and third operands only."),
                })
                .PullsScalars(1);

        /// <summary>diag(v) x̂ on (X, v, ε): linear in v; its differential along ∂X is diag(v) J ∂X, the tangent kernel.</summary>
        private static Op ScaleKernel(string name, string symbol, Func<Op> transpose, Func<Op> tangent)
            => Define(name, OpRole.Derivative, 3).Typed("(Matrix, Vector, Scalar) → Matrix", _ => ValueKind.Matrix)
                .Written(CodeForm.Call(K(RuntimeFamily.Normalization, name)),
                    MathForm.Custom((p, f) => ("diag(" + p.Print(f[1]) + ") x̂_" + symbol + "(" + p.Print(f[0]) + ")", P.ProductLevel)))
                .Rule("∂(diag(v) x̂) = diag(∂v) x̂ + diag(v) J ∂X", c => E.Sum(
                    c.With(1, d => new Fn(c.Op, ValueKind.Matrix, c.Arg(0), d, c.Arg(2))),
                    c.With(0, d => new Fn(tangent(), ValueKind.Matrix, c.Arg(0), d, c.Arg(1), c.Arg(2)))))
                .Linear((f, i, ct) => i == 1 ? new Fn(transpose(), ValueKind.Vector, f[0], ct, f[2]) : throw new InvalidOperationException(name + " is transposed in v only."))
                .PullsScalars(1);

        /// <summary>(G ⊙ x̂)𝟙 on (X, G, ε): linear in G; its differential along ∂X is (G ⊙ J ∂X)𝟙, the scale-curvature kernel.</summary>
        private static Op ScaleBackwardKernel(string name, string symbol, Func<Op> transpose, Func<Op> curvature)
            => Define(name, OpRole.Derivative, 3).Typed("(Matrix, Matrix, Scalar) → Vector", _ => ValueKind.Vector)
                .Written(CodeForm.Call(K(RuntimeFamily.Normalization, name)),
                    MathForm.Custom((p, f) => ("(" + p.Print(f[1]) + " ⊙ x̂_" + symbol + "(" + p.Print(f[0]) + "))𝟙", P.ProductLevel)))
                .Rule("∂((G ⊙ x̂)𝟙) = (∂G ⊙ x̂)𝟙 + (G ⊙ J ∂X)𝟙", c => E.Sum(
                    c.With(1, d => new Fn(c.Op, ValueKind.Vector, c.Arg(0), d, c.Arg(2))),
                    c.With(0, d => new Fn(curvature(), ValueKind.Vector, c.Arg(0), c.Arg(1), d, c.Arg(2)))))
                .Linear((f, i, ct) => i == 1 ? new Fn(transpose(), ValueKind.Matrix, f[0], ct, f[2]) : throw new InvalidOperationException(name + " is transposed in G only."))
                .PullsScalars(1);

        /// <summary>A kernel of second order only, on (X, ·, ·, ε).</summary>
        private static Op SecondOrderKernel(string name, string symbol, ValueKind result, Func<P, Fn, (string, int)> math)
            => Define(name, OpRole.Derivative, 4).Typed("(Matrix, Matrix, Matrix, Scalar) → " + result + " (" + symbol + ")", _ => result)
                .Written(CodeForm.Call(K(RuntimeFamily.Normalization, name)), MathForm.Custom(math));
    }
}
