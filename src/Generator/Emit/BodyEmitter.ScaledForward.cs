using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// A forward product scaled by a constant (Kᵀ Q / 8, Kᵀ Q · scale with scale [NoGradient]) as one GEMM with the factor
    /// on its packing, when no rule of the backward pass reads the unscaled product: the product is never stored.
    /// FBackward of straight-line bodies (the allocating methods keep the statements as written); forward mode and second
    /// order keep them too.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        /// <summary>Scale node → the product node it absorbs.</summary>
        private readonly Dictionary<int, int> _scaledProducts = new();

        /// <summary>
        /// Products W X whose only use is a fused f(W X + b𝟙ᵀ) (<see cref="Differentiation.BackwardPlan.Fusions"/>): the
        /// activation's kernel computes them, with the bias and f applied to each block of the product as it is finished.
        /// </summary>
        private readonly HashSet<int> _activatedProducts = new();

        /// <summary>The scale nodes of this body whose product is computed by them (<see cref="_scaledProducts"/>).</summary>
        private void FindScaledProducts()
        {
            if (Model.HasRegions || _secondOrder || _workspace is null)
            {
                return;
            }
            var uses = Rewrite.Rewriter.Uses(Model.Nodes);
            var read = ReadByPullbacks();
            foreach (var node in Model.Nodes)
            {
                if (!_plan.Live[node.Id] || node.Kind != ValueKind.Matrix || ScaledOperand(node) is not { } product)
                {
                    continue;
                }
                var p = Model.Nodes[product];
                if (p.Op == Op.Multiply && p.Kind == ValueKind.Matrix && p.Name is null && uses[product] == 1 && product != Model.Result
                    && !read.Contains(product) && !_plan.IsFusedAway(product) && p.Args.All(a => Model.Nodes[a].Kind == ValueKind.Matrix)
                    && !p.Args.All(_plan.IsInlinedTranspose))
                {
                    _scaledProducts[node.Id] = product;
                }
            }
        }

        /// <summary>The products of this body that their activation computes (<see cref="_activatedProducts"/>).</summary>
        private void FindActivatedProducts()
        {
            if (Model.HasRegions || _secondOrder)
            {
                return;
            }
            var uses = Rewrite.Rewriter.Uses(Model.Nodes);
            var read = ReadByPullbacks();
            foreach (var addition in _plan.Fusions.Values.Select(id => Model.Nodes[id]).Where(n => n.Op == Op.AddColumns))
            {
                var product = addition.Args[0];
                var p = Model.Nodes[product];
                if (p.Op == Op.Multiply && p.Kind == ValueKind.Matrix && p.Name is null && uses[product] == 1 && product != Model.Result
                    && !read.Contains(product) && !_plan.IsFusedAway(product) && !_scaledProducts.ContainsValue(product)
                    && p.Args.All(a => Model.Nodes[a].Kind == ValueKind.Matrix && !_plan.IsInlinedTranspose(a)))
                {
                    _activatedProducts.Add(product);
                }
            }
        }

        /// <summary>P / 2ᵏ, c · P or P · c with c a number or a value no parameter varies: the product P; null otherwise.</summary>
        private int? ScaledOperand(IrNode node)
        {
            if (node.Op == Op.Divide && Model.Nodes[node.Args[1]] is { Op: var lop, Value: var v } && lop == Op.Literal && Simplifier.IsPowerOfTwo(v))
            {
                return node.Args[0];
            }
            if (node.Op != Op.Multiply)
            {
                return null;
            }
            for (int side = 0; side < 2; side++)
            {
                var factor = Model.Nodes[node.Args[side]];
                if (factor.Kind == ValueKind.Scalar && !_plan.Varied[factor.Id] && Model.Nodes[node.Args[1 - side]].Kind == ValueKind.Matrix)
                {
                    return node.Args[1 - side];
                }
            }
            return null;
        }

        /// <summary>The forward values some pullback reads (a rule of the backward pass refers to them by name).</summary>
        private HashSet<int> ReadByPullbacks()
        {
            if (_plan.Pullbacks.Any(p => p.Pullback.Steps.Any(s => s is PullbackCall)))
            {
                return new HashSet<int>(Model.Nodes.Select(n => n.Id));   // a layer's pullback: assume it reads everything
            }
            var read = new HashSet<int>();
            foreach (var value in PullbackValues())
            {
                CollectRefs(value, read);
            }
            return read;
        }

        private static void CollectRefs(Expr e, HashSet<int> into)
        {
            switch (e)
            {
                case Ref r:
                    into.Add(r.Node);
                    break;
                case Fn f:
                    foreach (var a in f.Args)
                    {
                        CollectRefs(a, into);
                    }
                    break;
            }
        }

        /// <summary>The scale node's code: s · op(A) op(B) in one GEMM call into the node's slot.</summary>
        private Expr ScaledProductCode(IrNode scale, int product)
        {
            var factor = scale.Op == Op.Divide
                ? new Num(1 / Model.Nodes[scale.Args[1]].Value)
                : (Expr)new Ref(scale.Args.First(a => a != product), ValueKind.Scalar);
            var forward = _form.Forward(product);
            var code = Model.Nodes[product].Args.Any(_plan.IsInlinedTranspose) ? Prepare(forward) : forward;
            return E.Mul(factor, code);
        }
    }
}
