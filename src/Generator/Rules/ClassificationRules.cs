using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>Rules of softmax, log-softmax and cross-entropy; on a matrix each column is one sample.</summary>
    internal static class ClassificationRules
    {
        /// <summary>y = softmax(h): ∂y = (diag(y) − y yᵀ) ∂h ⇒ h̄ += y ⊙ (ḡ − 𝟙 yᵀḡ), per column.</summary>
        public static Pullback Softmax(RuleContext c)
            => c.Make("∂softmax(h) = (diag(y) − y yᵀ) ∂h", new Contribute(0, F(Op.SoftmaxBackward, c.KindOf(0), c.Y, c.G, c.Arg(0))));

        /// <summary>y = log softmax(h): ∂y = ∂h − 𝟙 softmax(h)ᵀ∂h ⇒ h̄ += ḡ − softmax(h) (𝟙ᵀḡ), per column.</summary>
        public static Pullback LogSoftmax(RuleContext c)
            => c.Make("∂log softmax(h) = ∂h − 𝟙 softmax(h)ᵀ ∂h", new Contribute(0, F(Op.LogSoftmaxBackward, c.KindOf(0), c.Y, c.G, c.Arg(0))));

        /// <summary>
        /// L = CE(H, Y) = −(1/N) Σⱼ yⱼᵀ log softmax(hⱼ): ∂L = (1/N) Tr((softmax(H) − Y)ᵀ ∂H) − (1/N) Tr(log softmax(H)ᵀ ∂Y)
        /// ⇒ H̄ += ḡ (softmax(H) − Y)/N (the lecture's ∇h = softmax(h) − y; the columns of Y are distributions),
        /// Ȳ −= ḡ log softmax(H)/N.
        /// </summary>
        public static Pullback CrossEntropy(RuleContext c)
        {
            Expr h = c.Arg(0), y = c.Arg(1);
            Expr count = h.Kind == ValueKind.Matrix ? F(Op.ToReal, ValueKind.Scalar, F(Op.Cols, ValueKind.Int, h)) : new Num(1);
            return c.Make("∂CE(Z, Y) = Tr(((softmax(Z) − Y)/N)ᵀ ∂Z) − Tr((log softmax(Z)/N)ᵀ ∂Y)",
                new Contribute(0, F(Op.CrossEntropyBackward, h.Kind, h, y, c.G)),
                new Contribute(1, Neg(Mul(Div(c.G, count), F(Op.LogSoftmax, h.Kind, h)))));
        }

        /// <summary>
        /// l = −yᵀ log softmax(h) (the unfused spelling): ∂l = Tr(((𝟙ᵀy) softmax(h) − y)ᵀ ∂h) − Tr(log softmax(h)ᵀ ∂y)
        /// ⇒ h̄ += ḡ ((𝟙ᵀy) softmax(h) − y), the lecture's softmax(h) − y when y is one-hot; ȳ −= ḡ log softmax(h).
        /// </summary>
        public static Pullback SoftmaxLoss(RuleContext c)
        {
            Expr h = c.Arg(0), y = c.Arg(1);
            var softmax = F(Op.Softmax, ValueKind.Vector, h);
            var total = F(Op.Sum, ValueKind.Scalar, y);
            return c.Make("∂(−yᵀ log softmax(h)) = Tr(((𝟙ᵀy) softmax(h) − y)ᵀ ∂h) − Tr(log softmax(h)ᵀ ∂y)",
                new Contribute(0, Mul(c.G, Sub(Mul(total, softmax), y))),
                new Contribute(1, Neg(Mul(c.G, F(Op.LogSoftmax, ValueKind.Vector, h)))));
        }
    }
}
