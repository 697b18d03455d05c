using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>Rules of the linear and bilinear operators: +, −, products, scaling, transpose.</summary>
    internal static class LinearRules
    {
        /// <summary>Y = A + B: ∂Y = ∂A + ∂B ⇒ Ā += Ḡ, B̄ += Ḡ.</summary>
        public static Pullback Add(RuleContext c)
            => c.Make("∂(A + B) = ∂A + ∂B", new Contribute(0, c.G), new Contribute(1, c.G));

        /// <summary>Y = A − B: ∂Y = ∂A − ∂B ⇒ Ā += Ḡ, B̄ −= Ḡ.</summary>
        public static Pullback Subtract(RuleContext c)
            => c.Make("∂(A − B) = ∂A − ∂B", new Contribute(0, c.G), new Contribute(1, Neg(c.G)));

        /// <summary>Y = −A: ∂Y = −∂A ⇒ Ā −= Ḡ.</summary>
        public static Pullback Negate(RuleContext c)
            => c.Make("∂(−A) = −∂A", new Contribute(0, Neg(c.G)));

        /// <summary>Y = A + b𝟙ᵀ (b added to every column): ∂Y = ∂A + ∂b 𝟙ᵀ ⇒ Ā += Ḡ, b̄ += Ḡ𝟙.</summary>
        public static Pullback AddColumns(RuleContext c)
            => c.Make("∂(A + b𝟙ᵀ) = ∂A + ∂b 𝟙ᵀ", new Contribute(0, c.G), new Contribute(1, F(Op.SumColumns, ValueKind.Vector, c.G)));

        /// <summary>Y = A − b𝟙ᵀ: ∂Y = ∂A − ∂b 𝟙ᵀ ⇒ Ā += Ḡ, b̄ −= Ḡ𝟙.</summary>
        public static Pullback SubtractColumns(RuleContext c)
            => c.Make("∂(A − b𝟙ᵀ) = ∂A − ∂b 𝟙ᵀ", new Contribute(0, c.G), new Contribute(1, Neg(F(Op.SumColumns, ValueKind.Vector, c.G))));

        /// <summary>
        /// Y = A B (matrix, matrix·vector, scalar·X): ∂Y = ∂A B + A ∂B ⇒ Ā += Ḡ Bᵀ, B̄ += Aᵀ Ḡ;
        /// for a scalar factor s: s̄ += ⟨Ḡ, X⟩ = Tr(Ḡᵀ X).
        /// </summary>
        public static Pullback Multiply(RuleContext c)
        {
            Expr a = c.Arg(0), b = c.Arg(1);
            var g = c.G;
            if (a.Kind == ValueKind.Scalar && b.Kind == ValueKind.Scalar)
            {
                return c.Make("∂(a b) = ∂a b + a ∂b", new Contribute(0, Mul(g, b)), new Contribute(1, Mul(g, a)));
            }
            if (a.Kind == ValueKind.Scalar)
            {
                return c.Make("∂(s X) = ∂s X + s ∂X", new Contribute(0, Inner(g, b)), new Contribute(1, Mul(a, g)));
            }
            if (b.Kind == ValueKind.Scalar)
            {
                return c.Make("∂(X s) = ∂X s + X ∂s", new Contribute(0, Mul(b, g)), new Contribute(1, Inner(g, a)));
            }
            return c.Make("∂(A B) = ∂A B + A ∂B", new Contribute(0, Mul(g, T(b))), new Contribute(1, Mul(T(a), g)));
        }

        /// <summary>Y = X / s: ∂Y = ∂X / s − X ∂s / s² ⇒ X̄ += Ḡ / s, s̄ −= ⟨Ḡ, Y⟩ / s.</summary>
        public static Pullback Divide(RuleContext c)
        {
            Expr x = c.Arg(0), s = c.Arg(1);
            return c.Make("∂(X / s) = ∂X / s − X ∂s / s²",
                new Contribute(0, Div(c.G, s)),
                new Contribute(1, Neg(Div(Inner(c.G, c.Y), s))));
        }

        /// <summary>Y = Aᵀ: ∂Y = (∂A)ᵀ ⇒ Ā += Ḡᵀ.</summary>
        public static Pullback Transpose(RuleContext c)
            => c.Make("∂(Aᵀ) = (∂A)ᵀ", new Contribute(0, T(c.G)));

        /// <summary>The Frobenius inner product ⟨A, B⟩ = Tr(AᵀB); a plain product for scalars.</summary>
        public static Expr Inner(Expr a, Expr b)
            => a.Kind == ValueKind.Scalar ? Mul(a, b) : F(Op.Dot, ValueKind.Scalar, a, b);
    }
}
