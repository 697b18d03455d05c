using System.Linq;
using AutoGradGen.Generator.Formula;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;
using ShapeRules = AutoGradGen.Generator.Shapes.ShapeContext.Rules;
using P = AutoGradGen.Generator.Formula.MathPrinter;

// Ops refer to one another inside their rules, which run only after every field is set; the compiler's
// flow analysis of static initializers cannot see that order.
#pragma warning disable CS8603, CS8604

namespace AutoGradGen.Generator.Model
{
    // Direct differential laws of convolution and pooling (Chen's lecture's future work 1): no K̂ Toeplitz
    // matrix is ever formed. Single images take (X, K, stride, padding); channel-stacked batches take
    // (X, K, channels, height, width, kernelHeight, kernelWidth, stride, padding).
    internal sealed partial class Op
    {
        /// <summary>
        /// H = X ∗ K (cross-correlation), bilinear: ∂H = ∂X ∗ K + X ∗ ∂K ⇒ K̄ += X ⋆ Ḡ (valid correlation of the
        /// input with the output gradient), X̄ += Ḡ ∗full rot180(K) (strides scatter, padding is cropped).
        /// </summary>
        public static readonly Op Conv2D = Define("Conv2D", OpRole.Forward, -1).Lowers("Conv2D").Typed("(Matrix, Matrix, int…) → Matrix", _ => ValueKind.Matrix)
            .Written(CodeForm.OpsCall("Conv2D", K(RuntimeFamily.Convolution, "Conv2D")),
                MathForm.Custom((p, f) => (p.Wrap(f[0], P.PostfixLevel) + " ∗ " + p.Wrap(f[1], P.PostfixLevel), P.HadamardLevel)))
            .Rule("∂(X ∗ K) = ∂X ∗ K + X ∗ ∂K  ⇒  ∇K = X ⋆ ∇H,  ∇X = ∇H ∗full rot180(K)",
                c => E.Sum(c.With(0, d => Replace(c, 0, d)), c.With(1, d => Replace(c, 1, d))))
            .Linear(TransposeConvolution)
            .Shaped(ShapeRules.Opaque);

        /// <summary>
        /// H = X ∗ K + b per output channel (args X, K, b, C, h, w, kₕ, k_w, s, p): ∂H = ∂X ∗ K + X ∗ ∂K + spread(∂b)
        /// ⇒ the convolution's adjoints, and b̄ += the per-channel sums of Ḡ.
        /// </summary>
        public static readonly Op Conv2DBias = Define("Conv2DBias", OpRole.Forward, -1).Typed("(Matrix, Matrix, Vector, int…) → Matrix", _ => ValueKind.Matrix)
            .Written(CodeForm.OpsCall("Conv2D", K(RuntimeFamily.Convolution, "Conv2D")),
                MathForm.Custom((p, f) => (p.Wrap(f[0], P.PostfixLevel) + " ∗ " + p.Wrap(f[1], P.PostfixLevel) + " + " + p.Wrap(f[2], P.PostfixLevel), P.SumLevel)))
            .Rule("∂(X ∗ K + b) = ∂X ∗ K + X ∗ ∂K + ∂b (per channel)  ⇒  ∇b = Σ per channel of ∇H",
                c => E.Sum(c.With(0, d => Convolve(c, d, c.Arg(1))), c.With(1, d => Convolve(c, c.Arg(0), d)),
                    c.With(2, d => new Fn(ChannelBias, ValueKind.Matrix, d, c.Y))))
            .Shaped(ShapeRules.Opaque);

        /// <summary>The bias-free convolution of the node's geometry (operands 3…) on <paramref name="x"/> and <paramref name="k"/>.</summary>
        private static Expr Convolve(Rules.TangentContext c, Expr x, Expr k)
            => new Fn(Conv2D, ValueKind.Matrix, EquatableArray.From(new[] { x, k }.Concat(Enumerable.Range(3, c.Arity - 3).Select(c.Arg)).ToArray()));

        /// <summary>b spread over its channel's rows of a matrix shaped like operand 1 (args b, like).</summary>
        public static readonly Op ChannelBias = Define("ChannelBias", OpRole.Derivative, 2).Typed("(Vector, Matrix) → Matrix", _ => ValueKind.Matrix)
            .Written(CodeForm.Call(K(RuntimeFamily.Convolution, "ChannelBias")), MathForm.Custom((p, f) => Atomic("spread(" + p.Print(f[0]) + ")")))
            .Rule("∂spread(b) = spread(∂b)", c => c.With(0, d => Replace(c, 0, d)))
            .Linear((f, i, g) => new Fn(ChannelSums, ValueKind.Vector, g, Dim(Length, f[0])))
            .PullsScalars(0);

        /// <summary>The per-channel sums of a convolution's output adjoint (args G, channels).</summary>
        public static readonly Op ChannelSums = Define("ChannelSums", OpRole.Derivative, 2).Typed("(Matrix, Int) → Vector", _ => ValueKind.Vector)
            .Written(CodeForm.Call(K(RuntimeFamily.Convolution, "ChannelSums")), MathForm.Custom((p, f) => Atomic("Σ_channel(" + p.Print(f[0]) + ")")))
            .Rule("∂Σ_channel(G) = Σ_channel(∂G)", c => c.With(0, d => Replace(c, 0, d)))
            .Linear((f, i, g) => new Fn(ChannelBias, ValueKind.Matrix, g, f[0]))
            .PullsScalars(0);

        /// <summary>The op an <c>Ops</c> function lowers to for these operand kinds: an overload may be another op (Conv2D with a bias vector).</summary>
        public Op ForOperands(System.Collections.Generic.IReadOnlyList<ValueKind> kinds)
            => ReferenceEquals(this, Conv2D) && kinds.Count > 2 && kinds[2] == ValueKind.Vector ? Conv2DBias : this;

        /// <summary>The node's own op applied with operand <paramref name="i"/> replaced by <paramref name="value"/>.</summary>
        private static Expr Replace(Rules.TangentContext c, int i, Expr value)
        {
            var args = Enumerable.Range(0, c.Arity).Select(k => k == i ? value : c.Arg(k)).ToArray();
            return new Fn(c.Op, c.Kind, EquatableArray.From(args));
        }

        private static Expr TransposeConvolution(Fn f, int i, Expr g)
        {
            Expr x = f[0], k = f[1];
            var geometry = f.Args.Skip(2).ToArray();
            // A single image's geometry is its own shape; a batch spells it out (C, h, w, kh, kw).
            bool single = f.Args.Count == 4;
            return i == 0
                ? Apply(Conv2DBackwardInput, k, g, single ? new[] { Dim(Rows, x), Dim(Cols, x) }.Concat(geometry).ToArray() : geometry)
                : Apply(Conv2DBackwardKernel, x, g, single ? new[] { Dim(Rows, k), Dim(Cols, k) }.Concat(geometry).ToArray() : geometry);
        }

        private static Expr Apply(Op op, Expr first, Expr second, Expr[] rest)
            => new Fn(op, ValueKind.Matrix, EquatableArray.From(new[] { first, second }.Concat(rest).ToArray()));

        /// <summary>Y = maxpool(X): ∂Y = ∂X at each window's argmax ⇒ X̄ += Ḡ routed to the argmax (first on ties).</summary>
        public static readonly Op MaxPool2D = Define("MaxPool2D", OpRole.Forward, -1).Lowers("MaxPool2D").Typed("(Matrix, int…) → Matrix", _ => ValueKind.Matrix)
            .Written(CodeForm.OpsCall("MaxPool2D", K(RuntimeFamily.Pooling, "MaxPool2D")), MathForm.Function("maxpool", 1))
            .Rule("∂maxpool(X) = ∂X at each window's argmax",
                c => c.With(0, d => Apply(MaxPool2DTangent, c.Arg(0), d, Enumerable.Range(1, c.Arity - 1).Select(c.Arg).ToArray())))
            .Shaped(ShapeRules.Opaque);

        /// <summary>Y = avgpool(X), linear: ∂Y = avgpool(∂X) ⇒ X̄ += Ḡ spread evenly over each window.</summary>
        public static readonly Op AvgPool2D = Define("AvgPool2D", OpRole.Forward, -1).Lowers("AvgPool2D").Typed("(Matrix, int…) → Matrix", _ => ValueKind.Matrix)
            .Written(CodeForm.OpsCall("AvgPool2D", K(RuntimeFamily.Pooling, "AvgPool2D")), MathForm.Function("avgpool", 1))
            .Rule("∂avgpool(X) = avgpool(∂X)", c => c.With(0, d => Replace(c, 0, d)))
            .Linear((f, i, g) =>
            {
                var rest = f.Args.Skip(1);
                var shape = f.Args.Count == 3 ? new[] { Dim(Rows, f[0]), Dim(Cols, f[0]) }.Concat(rest) : rest;
                return new Fn(AvgPool2DBackward, ValueKind.Matrix, EquatableArray.From(new[] { g }.Concat(shape).ToArray()));
            })
            .Shaped(ShapeRules.Opaque);

        // ── kernels of the rules ──

        /// <summary>Ḡ ∗full rot180(K), on (K, Ḡ, geometry).</summary>
        public static readonly Op Conv2DBackwardInput = PoolingKernel("Conv2DBackwardInput", RuntimeFamily.Convolution, 1,
            (p, f) => (p.Wrap(f[1], P.PostfixLevel) + " ∗full rot180(" + p.Print(f[0]) + ")", P.HadamardLevel), 0, 1);

        /// <summary>X ⋆ Ḡ, on (X, Ḡ, geometry).</summary>
        public static readonly Op Conv2DBackwardKernel = PoolingKernel("Conv2DBackwardKernel", RuntimeFamily.Convolution, 1,
            (p, f) => (p.Wrap(f[0], P.PostfixLevel) + " ⋆ " + p.Wrap(f[1], P.PostfixLevel), P.HadamardLevel), 0, 1);

        /// <summary>Ḡ routed to each window's argmax of X, on (X, Ḡ, geometry).</summary>
        public static readonly Op MaxPool2DBackward = PoolingKernel("MaxPool2DBackward", RuntimeFamily.Pooling, 1,
            (p, f) => Atomic("unpoolmax(" + p.Print(f[1]) + "; argmax " + p.Print(f[0]) + ")"))
            .Linear((f, i, g) => new Fn(MaxPool2DTangent, ValueKind.Matrix, EquatableArray.From(new[] { f[0], g }.Concat(f.Args.Skip(2)).ToArray())));

        /// <summary>∂X read at each window's argmax of X, on (X, ∂X, geometry): the Jacobian of max-pooling (forward mode).</summary>
        public static readonly Op MaxPool2DTangent = PoolingKernel("MaxPool2DTangent", RuntimeFamily.Pooling, 1,
            (p, f) => Atomic("gathermax(" + p.Print(f[1]) + "; argmax " + p.Print(f[0]) + ")"))
            .Linear((f, i, g) => new Fn(MaxPool2DBackward, ValueKind.Matrix, EquatableArray.From(new[] { f[0], g }.Concat(f.Args.Skip(2)).ToArray())));

        /// <summary>Ḡ spread evenly over each window, on (Ḡ, input shape, geometry).</summary>
        public static readonly Op AvgPool2DBackward = PoolingKernel("AvgPool2DBackward", RuntimeFamily.Pooling, 0,
            (p, f) => Atomic("unpoolavg(" + p.Print(f[0]) + ")"));

        /// <remarks>
        /// Each kernel is linear in the operands it reads as values (Ḡ, and K or X for convolution; max-pooling's
        /// argmax is piecewise constant), so its own differential replaces one such operand at a time by its ∂.
        /// </remarks>
        private static Op PoolingKernel(string name, RuntimeFamily family, int linearIn, System.Func<P, Fn, (string, int)> math, params int[] multilinearIn)
            => Define(name, OpRole.Derivative, -1).Typed("(…) → Matrix", _ => ValueKind.Matrix)
                .Written(CodeForm.Call(K(family, name)), MathForm.Custom(math))
                .Rule("∂f(…) = Σᵢ f(…, ∂aᵢ, …) (multilinear)", c => E.Sum(System.Array.ConvertAll(multilinearIn.Length == 0 ? new[] { linearIn } : multilinearIn,
                    i => c.With(i, d => Replace(c, i, d)))))
                .PullsScalars(linearIn);
    }
}
