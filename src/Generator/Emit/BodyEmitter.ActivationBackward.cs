using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// The backward twin of <see cref="_activatedProducts"/>: when the gradient of an activation's output Y = f(Z) is one
    /// matrix product (Ḡ_Y = W₂ᵀ Ḡ in a dense network) that only f's backward kernel reads, ∇Z = Ḡ_Y ⊙ f′ is one call,
    /// <c>Fused.MultiplyActivationBackward</c>: the GEMM multiplies each block of the product by f′ as it finishes, and Ḡ_Y is
    /// never stored. Straight-line first-order bodies only, like the forward fusions.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        /// <summary>Activation outputs Y whose adjoint may be left to the GEMM of f's backward kernel → that kernel's expression.</summary>
        private readonly Dictionary<int, Expr> _productAdjoints = new();

        /// <summary>The activation outputs whose adjoint, if it comes out as a product, f's backward kernel computes.</summary>
        private void FindProductAdjoints()
        {
            if (Model.HasRegions || _secondOrder || _plan.Pullbacks.Any(p => p.Pullback.Steps.Any(s => s is PullbackCall)))
            {
                return;
            }
            var reads = new Dictionary<int, int>();
            foreach (var value in PullbackValues())
            {
                CountAdjointReads(value, reads);
            }
            foreach (var pullback in _plan.Pullbacks)
            {
                var y = pullback.Node;
                if (y.Kind != ValueKind.Matrix || y.Id == Model.Result || y.Op.Activation is null || !_plan.NeedsAdjoint(y.Id)
                    || !_plan.Contributions.TryGetValue(y.Id, out var into) || into.Count != 1 || !reads.TryGetValue(y.Id, out var count) || count != 1)
                {
                    continue;
                }
                // f's pullback is one contribution to Z, its only one: ∇Z = f′-kernel(Y, Ḡ_Y, Z).
                var steps = pullback.Pullback.Steps;
                if (steps.Count == 1 && steps[0] is Contribute { Value: Fn kernel } contribute && kernel[1] is Adj a && a.Node == y.Id
                    && y.Args[contribute.Operand] is var z && Model.Nodes[z].Op != Op.Parameter
                    && _plan.Contributions.TryGetValue(z, out var intoZ) && intoZ.Count == 1)
                {
                    _productAdjoints[y.Id] = kernel;
                }
            }
        }

        private static void CountAdjointReads(Expr e, Dictionary<int, int> into)
        {
            switch (e)
            {
                case Adj a:
                    into[a.Node] = into.TryGetValue(a.Node, out var n) ? n + 1 : 1;
                    break;
                case Fn f:
                    foreach (var arg in f.Args)
                    {
                        CountAdjointReads(arg, into);
                    }
                    break;
            }
        }

        /// <summary>The runtime's Activation whose backward kernel <paramref name="op"/> is; null for other ops.</summary>
        private static string? BackwardActivation(Op op)
            => op == Op.SigmoidBackward ? "Sigmoid"
               : op == Op.TanhBackward ? "Tanh"
               : op == Op.ReluBackward ? "Relu"
               : op == Op.ExpBackward ? "Exp"
               : null;

        /// <summary>s · op(A) op(B) (s null: none) with A and B variables: (s, A, B, Aᵀ?, Bᵀ?); null for anything else.</summary>
        private static (Expr? Scale, Expr A, Expr B, bool TransposeA, bool TransposeB)? PlainProduct(Expr e)
        {
            if (ScaledMatrixProduct(e) is not { } scaled || scaled.Scale is not (null or Num or Ref))
            {
                return null;
            }
            var (a, b) = (scaled.Product[0], scaled.Product[1]);
            bool aT = E.Is(a, Op.Transpose), bT = E.Is(b, Op.Transpose);
            var (x, y) = (aT ? ((Fn)a)[0] : a, bT ? ((Fn)b)[0] : b);
            return x is Ref or Adj or Tmp && y is Ref or Adj or Tmp ? (scaled.Scale, x, y, aT, bT) : null;
        }

        /// <summary>
        /// Ḡ_Y = op(A) op(B) for a <see cref="_productAdjoints"/> output: not written; f's backward kernel computes it. Returns
        /// whether it took the contribution.
        /// </summary>
        private bool TryDeferProductAdjoint(int target, Expr value, string math)
        {
            if (!_productAdjoints.TryGetValue(target, out var kernel) || PlainProduct(value) is null)
            {
                return false;
            }
            // Only if f's kernel, with the product in place of Ḡ_Y and simplified as it will be, is one fused call.
            _aliases[target] = value;
            if (MatchActivationBackward(Prepare(kernel)) is null)
            {
                _aliases.Remove(target);
                return false;
            }
            _w.Line("// ∇" + CommentName(target) + " = " + math + " is computed by the next statement's GEMM, which multiplies each block by the activation's derivative as it finishes");
            return true;
        }

        /// <summary>
        /// [s ·] f′-kernel(Y, s′ · op(A) op(B), Z), the shape of a fused ∇Z: (activation, Y, the product, its factor); null otherwise.
        /// The factor is the product's or one the simplifier pulled out of the kernel (s · (Ḡ ⊙ f′)), not both.
        /// </summary>
        private static (string Activation, Ref Saved, (Expr? Scale, Expr A, Expr B, bool TransposeA, bool TransposeB) Product, Expr? Factor)? MatchActivationBackward(Expr value)
        {
            Expr? outer = null;
            if (value is Fn scaled && scaled.Is(Op.Multiply) && scaled[0] is Num or Ref { Kind: ValueKind.Scalar } && scaled[1] is Fn inner)
            {
                (outer, value) = (scaled[0], inner);
            }
            if (value is not Fn kernel || BackwardActivation(kernel.Op) is not { } activation
                || kernel[0] is not Ref saved || PlainProduct(kernel[1]) is not { } product || outer is not null && product.Scale is not null)
            {
                return null;
            }
            return (activation, saved, product, outer ?? product.Scale);
        }

        /// <summary>∇Z = (s · op(A) op(B)) ⊙ f′(Y) as one fused call, when the kernel's gradient is a deferred product (else null).</summary>
        private string? FusedActivationBackward(Expr value)
        {
            if (MatchActivationBackward(value) is not { } m)
            {
                return null;
            }
            var scale = m.Factor is null ? string.Empty : _code.Print(m.Factor) + ", ";
            var args = scale + _code.Print(m.Product.A) + ", " + _code.Print(m.Product.B) + ", " + _code.Print(m.Saved) + ", " + RuntimeApi.Activation + "." + m.Activation
                + ", transposeLeft: " + (m.Product.TransposeA ? "true" : "false") + ", transposeRight: " + (m.Product.TransposeB ? "true" : "false");
            var call = RuntimeApi.Fused + ".MultiplyActivationBackward(" + args;
            return _workspace is null ? call + ")" : call + ", ref " + _workspace.Slot(ValueKind.Matrix) + ")";
        }
    }
}
