using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>Rules of the matrix functions. Inverses are never formed in a pullback: LU solves are reused.</summary>
    internal static class MatrixRules
    {
        /// <summary>Y = A⁻¹: ∂Y = −A⁻¹ ∂A A⁻¹ ⇒ Ā −= Yᵀ Ḡ Yᵀ (Y reused from the forward pass).</summary>
        public static Pullback Inverse(RuleContext c)
            => c.Make("∂(A⁻¹) = −A⁻¹ ∂A A⁻¹", new Contribute(0, Neg(Mul(Mul(T(c.Y), c.G), T(c.Y)))));

        /// <summary>
        /// Y = A⁻¹B (a solve): ∂Y = A⁻¹(∂B − ∂A Y) ⇒ B̄ += A⁻ᵀḠ, Ā −= (A⁻ᵀḠ) Yᵀ.
        /// One transposed solve with A's LU serves both; for vector B, Ā is an outer product.
        /// </summary>
        public static Pullback Solve(RuleContext c)
        {
            var t = c.Temp(c.KindOf(1));
            return c.Make("∂(A⁻¹B) = A⁻¹ (∂B − ∂A A⁻¹B)",
                new Let(t, F(Op.SolveTransposed, c.KindOf(1), c.Arg(0), c.G)),
                new Contribute(1, t),
                new Contribute(0, Neg(Mul(t, T(c.Y)))));
        }

        /// <summary>Y = x yᵀ: ∂Y = ∂x yᵀ + x ∂yᵀ ⇒ x̄ += Ḡ y, ȳ += Ḡᵀ x.</summary>
        public static Pullback Outer(RuleContext c)
            => c.Make("∂(x yᵀ) = ∂x yᵀ + x ∂yᵀ", new Contribute(0, Mul(c.G, c.Arg(1))), new Contribute(1, Mul(T(c.G), c.Arg(0))));

        /// <summary>y = Tr(A): ∂y = Tr(∂A) = Tr(Iᵀ ∂A) ⇒ Ā += ḡ I.</summary>
        public static Pullback Trace(RuleContext c)
            => c.Make("∂Tr(A) = Tr(∂A)", new Contribute(0, F(Op.Identity, ValueKind.Matrix, c.Arg(0), c.G)));

        /// <summary>y = |A|: ∂|A| = |A| Tr(A⁻¹ ∂A) (Jacobi's formula) ⇒ Ā += ḡ |A| A⁻ᵀ.</summary>
        public static Pullback Det(RuleContext c)
            => c.Make("∂|A| = |A| Tr(A⁻¹ ∂A)  (Jacobi)",
                new Contribute(0, Mul(Mul(c.G, c.Y), F(Op.InverseTransposed, ValueKind.Matrix, c.Arg(0)))));

        /// <summary>y = log|A|: ∂ log|A| = Tr(A⁻¹ ∂A) ⇒ Ā += ḡ A⁻ᵀ.</summary>
        public static Pullback LogDet(RuleContext c)
            => c.Make("∂log|A| = Tr(A⁻¹ ∂A)",
                new Contribute(0, Mul(c.G, F(Op.InverseTransposed, ValueKind.Matrix, c.Arg(0)))));
    }
}
