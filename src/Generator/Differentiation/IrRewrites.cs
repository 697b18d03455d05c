using System.Linq;
using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Differentiation
{
    /// <summary>Algebra on the IR before differentiation: rewrites a tape cannot make.</summary>
    internal static class IrRewrites
    {
        /// <summary>
        /// A⁻¹ X → Solve(A, X) when the inverse feeds only this product: one LU and two triangular
        /// solves instead of forming A⁻¹, and the pullback of a solve needs no inverse either.
        /// </summary>
        public static MethodModel SolveInsteadOfInverse(MethodModel model)
        {
            var nodes = model.Nodes.Items.ToArray();
            var uses = new int[nodes.Length];
            foreach (var node in nodes)
            {
                foreach (var a in node.Args)
                {
                    uses[a]++;
                }
            }
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
                    nodes[i] = node with { Op = Op.Solve, Args = EquatableArray.From(left.Args[0], node.Args[1]) };
                    changed = true;
                }
            }
            return changed ? model with { Nodes = nodes.ToEquatableArray() } : model;
        }
    }
}
