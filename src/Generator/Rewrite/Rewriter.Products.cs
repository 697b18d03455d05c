using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Rewrite
{
    internal static partial class Rewriter
    {
        /// <summary>
        /// Reductions pushed into the product they reduce, when the product feeds only them (each is cheaper whatever the
        /// sizes, so the choice is static):
        /// (A B)𝟙 = A (B𝟙) and the same for row means (m k n → k n + m k, and the pullback needs no m × n adjoint);
        /// sum(A B) = 𝟙ᵀ A (B𝟙) (matrix-vector products instead of a matrix product);
        /// Tr(A B) = Tr(B A) = ⟨Aᵀ, B⟩ (m k instead of m² k).
        /// </summary>
        public static MethodModel ReductionsOfProducts(MethodModel model)
        {
            var nodes = model.Nodes.Items.ToList();
            int result = model.Result;
            for (int i = 0; i < nodes.Count; i++)
            {
                var node = nodes[i];
                if (node.Op != Op.RowSums && node.Op != Op.RowMeans && node.Op != Op.Sum && node.Op != Op.Trace)
                {
                    continue;
                }
                var uses = Uses(nodes);
                var p = nodes[node.Args[0]];
                if (p.Op != Op.Multiply || p.Kind != ValueKind.Matrix || uses[p.Id] != 1 || p.Id == result
                    || nodes[p.Args[0]].Kind != ValueKind.Matrix || nodes[p.Args[1]].Kind != ValueKind.Matrix)
                {
                    continue;
                }
                int a = p.Args[0], b = p.Args[1];
                string Spelling(int n) => nodes[n].Name ?? nodes[n].Text ?? nodes[n].Op.Name;
                if (node.Op == Op.Trace)
                {
                    // Tr(A B) = ⟨Aᵀ, B⟩: the product's node becomes Aᵀ, the trace an inner product.
                    nodes[p.Id] = new IrNode(p.Id, Op.Transpose, EquatableArray.From(a), ValueKind.Matrix, Text: Spelling(a) + "ᵀ");
                    nodes[i] = node with { Op = Op.Dot, Args = EquatableArray.From(p.Id, b), Rule = "Tr(A B) = Tr(B A) = ⟨Aᵀ, B⟩" };
                    continue;
                }
                // (A B)𝟙 = A (B𝟙): the product's node becomes B𝟙 (or B𝟙/c), the reduction a matrix-vector product.
                var reduce = node.Op == Op.Sum ? Op.RowSums : node.Op;
                nodes[p.Id] = new IrNode(p.Id, reduce, EquatableArray.From(b), ValueKind.Vector, Text: Spelling(b) + "𝟙");
                if (node.Op != Op.Sum)
                {
                    nodes[i] = node with { Op = Op.Multiply, Args = EquatableArray.From(a, p.Id), Text = p.Text, Rule = "(A B)𝟙 = A (B𝟙)" };
                    continue;
                }
                // sum(A B) = 𝟙ᵀ (A (B𝟙)): a node for A (B𝟙) is inserted before the sum.
                nodes = InsertBefore(nodes, i, new IrNode(i, Op.Multiply, EquatableArray.From(a, p.Id), ValueKind.Vector, Text: p.Text, Rule: "sum(A B) = 𝟙ᵀ A (B𝟙)"));
                result = result >= i ? result + 1 : result;
                nodes[i + 1] = nodes[i + 1] with { Args = EquatableArray.From(i) };
                i++;
            }
            var rewritten = nodes.ToEquatableArray();
            return rewritten == model.Nodes ? model : model with { Nodes = rewritten, Result = result };
        }

        /// <summary>
        /// The nodes with <paramref name="node"/> inserted at id <paramref name="at"/> (its operands already below it): later
        /// nodes move up by one and their operands follow. Straight-line code only (loop regions hold ids).
        /// </summary>
        internal static List<IrNode> InsertBefore(List<IrNode> nodes, int at, IrNode node)
        {
            var shifted = nodes.Select(n => n.Id < at ? n : n with { Id = n.Id + 1, Args = n.Args.Items.Select(x => x >= at ? x + 1 : x).ToEquatableArray() }).ToList();
            shifted.Insert(at, node with { Id = at });
            return shifted;
        }
    }
}
