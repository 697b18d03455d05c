using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>
    /// Direct differential laws of convolution and pooling (the lecture's future work 1): no K̂
    /// Toeplitz matrix is ever formed. Single images take (X, K, stride, padding); channel-stacked
    /// batches take (X, K, channels, height, width, kernelHeight, kernelWidth, stride, padding).
    /// </summary>
    internal static class ConvolutionRules
    {
        /// <summary>
        /// H = X ∗ K (cross-correlation): ∂H = ∂X ∗ K + X ∗ ∂K ⇒ K̄ += X ⋆ Ḡ (valid correlation of the
        /// input with the output gradient), X̄ += Ḡ ∗full rot180(K) (strides scatter, padding is cropped).
        /// </summary>
        public static Pullback Conv2D(RuleContext c)
        {
            Expr x = c.Arg(0), k = c.Arg(1);
            var geometry = Enumerable.Range(2, c.Arity - 2).Select(c.Arg).ToArray();
            // A single image's geometry is its own shape; a batch spells it out (C, h, w, kh, kw).
            Expr[] inputGeometry = c.Arity == 4 ? new[] { Dim(Op.Rows, x), Dim(Op.Cols, x) }.Concat(geometry).ToArray() : geometry;
            Expr[] kernelGeometry = c.Arity == 4 ? new[] { Dim(Op.Rows, k), Dim(Op.Cols, k) }.Concat(geometry).ToArray() : geometry;
            return c.Make("∂(X ∗ K) = ∂X ∗ K + X ∗ ∂K  ⇒  ∇K = X ⋆ ∇H,  ∇X = ∇H ∗full rot180(K)",
                new Contribute(0, Call(Op.Conv2DBackwardInput, k, c.G, inputGeometry)),
                new Contribute(1, Call(Op.Conv2DBackwardKernel, x, c.G, kernelGeometry)));
        }

        private static Expr Call(Op op, Expr first, Expr second, Expr[] rest)
            => new Fn(op, ValueKind.Matrix, EquatableArray.From(new[] { first, second }.Concat(rest).ToArray()));

        /// <summary>Y = maxpool(X): ∂Y = ∂X at each window's argmax ⇒ X̄ += Ḡ routed to the argmax (first on ties).</summary>
        public static Pullback MaxPool2D(RuleContext c)
        {
            var rest = Enumerable.Range(1, c.Arity - 1).Select(c.Arg);
            return c.Make("∂maxpool(X) = ∂X at each window's argmax",
                new Contribute(0, Call(Op.MaxPool2DBackward, c.Arg(0), c.G, rest.ToArray())));
        }

        /// <summary>Y = avgpool(X): ∂Y = window means of ∂X ⇒ X̄ += Ḡ spread evenly over each window.</summary>
        public static Pullback AvgPool2D(RuleContext c)
        {
            var x = c.Arg(0);
            var rest = Enumerable.Range(1, c.Arity - 1).Select(c.Arg).ToArray();
            var shape = c.Arity == 3 ? new[] { Dim(Op.Rows, x), Dim(Op.Cols, x) }.Concat(rest) : rest;
            return c.Make("∂avgpool(X) = avgpool(∂X)",
                new Contribute(0, new Fn(Op.AvgPool2DBackward, ValueKind.Matrix, EquatableArray.From(new[] { (Expr)c.G }.Concat(shape).ToArray()))));
        }

        private static Expr Dim(Op op, Expr of) => F(op, ValueKind.Int, of);
    }
}
