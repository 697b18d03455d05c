using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>Rules of the scalar-valued reductions.</summary>
    internal static class ReductionRules
    {
        /// <summary>y = ⟨A, B⟩ (xᵀy for vectors): ∂y = ⟨∂A, B⟩ + ⟨A, ∂B⟩ ⇒ Ā += ḡ B, B̄ += ḡ A.</summary>
        public static Pullback Dot(RuleContext c)
            => c.Make("∂(xᵀy) = ∂xᵀ y + xᵀ ∂y", new Contribute(0, Mul(c.G, c.Arg(1))), new Contribute(1, Mul(c.G, c.Arg(0))));

        /// <summary>y = 𝟙ᵀA𝟙: ∂y = Tr(𝟙𝟙ᵀ ∂A) ⇒ Ā += ḡ 𝟙.</summary>
        public static Pullback Sum(RuleContext c)
            => c.Make("∂ sum(A) = sum(∂A) = Tr(𝟙ᵀ ∂A)", new Contribute(0, F(Op.Filled, c.KindOf(0), c.Arg(0), c.G)));

        /// <summary>y = sum(A)/n: ⇒ Ā += (ḡ/n) 𝟙.</summary>
        public static Pullback Mean(RuleContext c)
            => c.Make("∂ mean(A) = sum(∂A) / n",
                new Contribute(0, F(Op.Filled, c.KindOf(0), c.Arg(0), Div(c.G, F(Op.Count, ValueKind.Scalar, c.Arg(0))))));

        /// <summary>y = ‖A‖² = Tr(AᵀA): ∂y = 2 Tr(Aᵀ ∂A) ⇒ Ā += 2ḡ A.</summary>
        public static Pullback SquaredNorm(RuleContext c)
            => c.Make("∂‖A‖² = 2 Tr(Aᵀ ∂A)", new Contribute(0, Mul(Mul(new Num(2), c.G), c.Arg(0))));
    }
}
