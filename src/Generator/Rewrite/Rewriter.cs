using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Rewrite
{
    /// <summary>
    /// The rewrite stage: algebra on the IR before differentiation, rewrites a tape cannot make.
    /// Model in, model out; each rewrite keeps the program's value and only changes how it is computed.
    /// </summary>
    internal static partial class Rewriter
    {
        /// <summary>The stage's entry point: every rewrite, in order.</summary>
        public static MethodModel Rewrite(MethodModel model)
        {
            if (model.HasRegions)
            {
                return model;   // the rewrites count uses in straight-line code only
            }
            var fused = LogOfSigmoid(FuseCrossEntropy(SolveInsteadOfInverse(model)));
            // Reassociated products keep the checks on entry of the products written (W * X: W is 15×4 but X is 5×1).
            var rewritten = MatrixChains(ReductionsOfProducts(fused));
            return rewritten == fused ? fused : rewritten with { Written = fused.Written ?? fused };
        }

        /// <summary>
        /// log σ(x) → LogSigmoid(x) when σ(x) feeds only the log: log σ(x) = −softplus(−x) is exact where σ(x)
        /// underflows, and its rule ∂ log σ(x) = σ(−x) ⊙ ∂x is the simplified one (σ′/σ = 1 − σ = σ(−x)),
        /// so the logistic loss's closed form reads σ(−z) and σ(z).
        /// </summary>
        public static MethodModel LogOfSigmoid(MethodModel model)
        {
            var nodes = model.Nodes.Items.ToArray();
            var uses = Uses(nodes);
            bool changed = false;
            for (int i = 0; i < nodes.Length; i++)
            {
                if (nodes[i].Op == Op.Log && nodes[nodes[i].Args[0]] is { } sigmoid && sigmoid.Op == Op.Sigmoid
                    && uses[sigmoid.Id] == 1 && sigmoid.Id != model.Result)
                {
                    nodes[i] = nodes[i] with { Op = Op.LogSigmoid, Args = sigmoid.Args };
                    changed = true;
                }
            }
            return changed ? model with { Nodes = nodes.ToEquatableArray() } : model;
        }

        /// <summary>
        /// A⁻¹ X → Solve(A, X) when the inverse feeds only this product: one LU and two triangular
        /// solves instead of forming A⁻¹, and the pullback of a solve needs no inverse either.
        /// </summary>
        public static MethodModel SolveInsteadOfInverse(MethodModel model)
        {
            var nodes = model.Nodes.Items.ToArray();
            var uses = Uses(nodes);
            bool changed = false;
            for (int i = 0; i < nodes.Length; i++)
            {
                var node = nodes[i];
                if (node.Op != Op.Multiply || node.Kind == ValueKind.Scalar)
                {
                    continue;
                }
                var left = nodes[node.Args[0]];
                if (left.Op == Op.Inverse && uses[left.Id] == 1 && left.Id != model.Result && nodes[node.Args[1]].Kind != ValueKind.Scalar)
                {
                    nodes[i] = node with { Op = Op.Solve, Args = EquatableArray.From(left.Args[0], node.Args[1]), Spelled = Op.Inverse.Name };
                    changed = true;
                }
            }
            return changed ? model with { Nodes = nodes.ToEquatableArray() } : model;
        }

        /// <summary>
        /// −yᵀ log(softmax(h)) → one softmax-loss node: the unfused spelling of cross-entropy gets the
        /// simplified gradient ∇h = (𝟙ᵀy) softmax(h) − y (Chen's lecture's softmax(h) − y for a one-hot y)
        /// instead of a chain through log and softmax. Unlike CrossEntropy it assumes nothing about y.
        /// </summary>
        public static MethodModel FuseCrossEntropy(MethodModel model)
        {
            var nodes = model.Nodes.Items.ToArray();
            var uses = Uses(nodes);
            bool changed = false;
            for (int i = 0; i < nodes.Length; i++)
            {
                if (nodes[i].Op != Op.Negate || nodes[nodes[i].Args[0]] is not { } dot || dot.Op != Op.Dot || uses[dot.Id] != 1)
                {
                    continue;
                }
                for (int side = 0; side < 2; side++)
                {
                    var log = nodes[dot.Args[side]];
                    var labels = dot.Args[1 - side];
                    if (log.Op == Op.Log && log.Kind == ValueKind.Vector && uses[log.Id] == 1 && nodes[log.Args[0]] is { } softmax && softmax.Op == Op.Softmax && uses[softmax.Id] == 1)
                    {
                        nodes[i] = nodes[i] with { Op = Op.SoftmaxLoss, Args = EquatableArray.From(softmax.Args[0], labels) };
                        changed = true;
                        break;
                    }
                }
            }
            return changed ? model with { Nodes = nodes.ToEquatableArray() } : model;
        }

        /// <summary>How many times each node is an operand.</summary>
        internal static int[] Uses(IReadOnlyList<IrNode> nodes)
        {
            var uses = new int[nodes.Count];
            foreach (var node in nodes)
            {
                foreach (var a in node.Args)
                {
                    uses[a]++;
                }
            }
            return uses;
        }
    }
}
