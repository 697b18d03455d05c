using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>
    /// Rules of the element-wise functions: ∂f(A) = f′(A) ⊙ ∂A ⇒ Ā += Ḡ ⊙ f′(A). Each backward op is
    /// one fused kernel that reuses the forward output where f′ is cheaper from it (σ′ = σ(1 − σ)).
    /// </summary>
    internal static class ElementwiseRules
    {
        /// <summary>Y = A ⊙ B: ∂Y = ∂A ⊙ B + A ⊙ ∂B ⇒ Ā += Ḡ ⊙ B, B̄ += Ḡ ⊙ A.</summary>
        public static Pullback Hadamard(RuleContext c)
            => c.Make("∂(A ⊙ B) = ∂A ⊙ B + A ⊙ ∂B", new Contribute(0, Had(c.G, c.Arg(1))), new Contribute(1, Had(c.G, c.Arg(0))));

        /// <summary>Y = exp(A): ∂Y = exp(A) ⊙ ∂A ⇒ Ā += Ḡ ⊙ Y.</summary>
        public static Pullback Exp(RuleContext c) => Unary(c, Op.ExpBackward, "∂exp(A) = exp(A) ⊙ ∂A", fromOutput: true);

        /// <summary>Y = log(A): ∂Y = ∂A ⊘ A ⇒ Ā += Ḡ ⊘ A.</summary>
        public static Pullback Log(RuleContext c) => Unary(c, Op.LogBackward, "∂log(A) = ∂A ⊘ A", fromOutput: false);

        /// <summary>Y = σ(A): ∂Y = σ′(A) ⊙ ∂A, σ′ = σ ⊙ (1 − σ) ⇒ Ā += Ḡ ⊙ Y ⊙ (1 − Y).</summary>
        public static Pullback Sigmoid(RuleContext c) => Unary(c, Op.SigmoidBackward, "∂σ(A) = σ′(A) ⊙ ∂A,  σ′ = σ ⊙ (1 − σ)", fromOutput: true);

        /// <summary>Y = tanh(A): ∂Y = (1 − tanh²(A)) ⊙ ∂A ⇒ Ā += Ḡ ⊙ (1 − Y ⊙ Y).</summary>
        public static Pullback Tanh(RuleContext c) => Unary(c, Op.TanhBackward, "∂tanh(A) = (1 − tanh²(A)) ⊙ ∂A", fromOutput: true);

        /// <summary>
        /// Y = relu(A): ∂Y = 𝟙[A &gt; 0] ⊙ ∂A ⇒ Ā += Ḡ ⊙ 𝟙[Y &gt; 0] (Y &gt; 0 exactly where A &gt; 0, so the
        /// output serves, and the input need not be kept: relu fuses with the addition before it).
        /// </summary>
        public static Pullback Relu(RuleContext c) => Unary(c, Op.ReluBackward, "∂relu(A) = 𝟙[A > 0] ⊙ ∂A", fromOutput: true);

        /// <summary>Y = A ⊙ A: ∂Y = 2A ⊙ ∂A ⇒ Ā += 2A ⊙ Ḡ.</summary>
        public static Pullback Square(RuleContext c) => Unary(c, Op.SquareBackward, "∂(A ⊙ A) = 2A ⊙ ∂A", fromOutput: false);

        /// <summary>Y = √A: ∂Y = ∂A ⊘ (2√A) ⇒ Ā += Ḡ ⊘ (2Y).</summary>
        public static Pullback Sqrt(RuleContext c) => Unary(c, Op.SqrtBackward, "∂√A = ∂A ⊘ (2√A)", fromOutput: true);

        /// <summary>
        /// The shared shape of the unary rules. Backward ops take (forward value, Ḡ, input): the code
        /// reads the first two, the closed form prints f′ of the input.
        /// </summary>
        private static Pullback Unary(RuleContext c, Op backward, string law, bool fromOutput)
        {
            Expr saved = fromOutput ? c.Y : c.Arg(0);
            return c.Make(law, new Contribute(0, F(backward, c.KindOf(0), saved, c.G, c.Arg(0))));
        }
    }
}
