using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Shapes;

namespace AutoGradGen.Generator.Rewrite
{
    internal static partial class Rewriter
    {
        /// <summary>The identity the chain rewrite applies.</summary>
        public const string ChainRule = "(A B) C = A (B C): the product of a chain in the order of fewest multiplications";

        /// <summary>The first size-dependent rewrite of the method that applies: the trace form, else a three-factor chain.</summary>
        public static SizeChoice? SizeChoice(MethodModel model) => TraceOfGram(model) ?? ChainChoice(model);

        /// <summary>A chain of products: its factors left to right, its product nodes, its root.</summary>
        private sealed record Chain(List<int> Factors, List<int> Products, int Root);

        /// <summary>
        /// Products of three or more factors (A B C …, whose inner products feed only the chain) multiplied in the order
        /// of fewest multiplications: the classic dynamic program over the dimensions p₀ … p_k, cost p_i p_j p_k per product.
        /// Here only when literal sizes ([Shape(64, 10)], a vector's 1) fix every dimension; a chain of three with sizes known
        /// only on entry is <see cref="ChainChoice"/>'s.
        /// </summary>
        public static MethodModel MatrixChains(MethodModel model)
        {
            if (model.HasRegions)
            {
                return model;
            }
            foreach (var chain in Chains(model))
            {
                var p = Dimensions(model, chain);
                if (p.Any(d => d.Literal is null))
                {
                    continue;
                }
                var sizes = p.Select(d => long.Parse(d.Literal!, CultureInfo.InvariantCulture)).ToArray();
                var split = Optimal(sizes, out var best);
                if (best < Cost(model.Nodes, chain, chain.Root, sizes) && Rebuild(model, chain, split) is { } rewritten)
                {
                    return MatrixChains(rewritten);
                }
            }
            return model;
        }

        /// <summary>
        /// A chain of three factors A (p₀ × p₁), B (p₁ × p₂), C (p₂ × p₃) whose sizes are not all literals: (A B) C costs
        /// p₀p₁p₂ + p₀p₂p₃, A (B C) costs p₁p₂p₃ + p₀p₁p₃; the other order runs when it costs fewer multiplications.
        /// Scalar functions only, like the trace form (a layer's FForward/FBackward pair keeps one form).
        /// </summary>
        public static SizeChoice? ChainChoice(MethodModel model)
        {
            if (model.HasRegions || model.ReturnKind != ValueKind.Scalar)
            {
                return null;
            }
            foreach (var chain in Chains(model).Where(c => c.Factors.Count == 3))
            {
                var p = Dimensions(model, chain);
                if (p.All(d => d.Literal is not null) || p.Any(d => d.Code is null))
                {
                    continue;
                }
                var c = p.Select(d => d.Code!).ToArray();
                string left = "(long)" + c[0] + " * " + c[1] + " * " + c[2] + " + (long)" + c[0] + " * " + c[2] + " * " + c[3];
                string right = "(long)" + c[1] + " * " + c[2] + " * " + c[3] + " + (long)" + c[0] + " * " + c[1] + " * " + c[3];
                bool writtenLeft = model.Nodes[model.Nodes[chain.Root].Args[0]].Op == Op.Multiply && chain.Products.Contains(model.Nodes[chain.Root].Args[0]);
                var other = Rebuild(model, chain, new long[,] { { 0, 0, writtenLeft ? 0 : 1 }, { 0, 0, 1 }, { 0, 0, 0 } });
                if (other is null)
                {
                    continue;
                }
                var condition = writtenLeft ? left + " > " + right : right + " > " + left;
                return new SizeChoice(other, condition, ChainRule,
                    "── " + ChainRule + ": (A B) C costs p₀p₁p₂ + p₀p₂p₃ multiplications, A (B C) p₁p₂p₃ + p₀p₁p₃\n" +
                    "   (A p₀ × p₁, B p₁ × p₂, C p₂ × p₃); the order written runs unless the other costs fewer, chosen once by the sizes ──");
            }
            return null;
        }

        /// <summary>Every maximal chain of products, outermost first.</summary>
        private static List<Chain> Chains(MethodModel model)
        {
            var nodes = model.Nodes;
            var uses = Uses(nodes);
            var claimed = new HashSet<int>();
            var chains = new List<Chain>();
            for (int id = nodes.Count - 1; id >= 0; id--)
            {
                if (claimed.Contains(id) || !IsChainProduct(nodes, id))
                {
                    continue;
                }
                var chain = new Chain(new List<int>(), new List<int>(), id);
                Walk(model, uses, id, chain, root: true);
                claimed.UnionWith(chain.Products);
                if (chain.Factors.Count >= 3 && chain.Factors.Take(chain.Factors.Count - 1).All(f => nodes[f].Kind == ValueKind.Matrix))
                {
                    chains.Add(chain);
                }
            }
            return chains;
        }

        private static bool IsChainProduct(EquatableArray<IrNode> nodes, int id)
            => nodes[id] is { Op: var op, Kind: not ValueKind.Scalar } n && op == Op.Multiply
               && nodes[n.Args[0]].Kind == ValueKind.Matrix && nodes[n.Args[1]].Kind is ValueKind.Matrix or ValueKind.Vector;

        private static void Walk(MethodModel model, int[] uses, int id, Chain chain, bool root)
        {
            var n = model.Nodes[id];
            if (IsChainProduct(model.Nodes, id) && (root || uses[id] == 1 && id != model.Result && n.Name is null))
            {
                chain.Products.Add(id);
                Walk(model, uses, n.Args[0], chain, root: false);
                Walk(model, uses, n.Args[1], chain, root: false);
            }
            else
            {
                chain.Factors.Add(id);
            }
        }

        /// <summary>p₀ … p_k: the rows of the first factor, then every factor's columns (a vector has one).</summary>
        private static Dimension[] Dimensions(MethodModel model, Chain chain)
        {
            var first = ShapeInference.Dimensions(model, chain.Factors[0]);
            var p = new List<Dimension> { first.Length == 2 ? first[0] : new Dimension(-1, null, null) };
            foreach (var f in chain.Factors)
            {
                var d = ShapeInference.Dimensions(model, f);
                p.Add(model.Nodes[f].Kind == ValueKind.Vector ? new Dimension(-2, "1", "1") : d.Length == 2 ? d[1] : new Dimension(-1, null, null));
            }
            return p.ToArray();
        }

        /// <summary>The multiplications of the chain as written: the tree walked left to right, as <see cref="Walk"/> found the factors.</summary>
        private static long Cost(EquatableArray<IrNode> nodes, Chain chain, int id, long[] p)
        {
            long total = 0;
            int next = 0;
            Range(nodes, chain, id, p, ref next, ref total);
            return total;
        }

        private static (int First, int Last) Range(EquatableArray<IrNode> nodes, Chain chain, int id, long[] p, ref int next, ref long total)
        {
            if (!chain.Products.Contains(id))
            {
                int f = next++;
                return (f, f);
            }
            var l = Range(nodes, chain, nodes[id].Args[0], p, ref next, ref total);
            var r = Range(nodes, chain, nodes[id].Args[1], p, ref next, ref total);
            total += p[l.First] * p[l.Last + 1] * p[r.Last + 1];
            return (l.First, r.Last);
        }

        /// <summary>The classic dynamic program: split[i, j] is where the product of factors i … j splits.</summary>
        private static long[,] Optimal(long[] p, out long best)
        {
            int k = p.Length - 1;
            var cost = new long[k, k];
            var split = new long[k, k];
            for (int length = 2; length <= k; length++)
            {
                for (int i = 0; i + length - 1 < k; i++)
                {
                    int j = i + length - 1;
                    cost[i, j] = long.MaxValue;
                    for (int s = i; s < j; s++)
                    {
                        long c = cost[i, s] + cost[s + 1, j] + p[i] * p[s + 1] * p[j + 1];
                        if (c < cost[i, j])
                        {
                            cost[i, j] = c;
                            split[i, j] = s;
                        }
                    }
                }
            }
            best = cost[0, k - 1];
            return split;
        }

        /// <summary>
        /// The method with the chain multiplied as <paramref name="split"/> says: the chain's product nodes are reused, in
        /// increasing id order along the new tree's post-order; null when that would put a product before one of its factors.
        /// </summary>
        private static MethodModel? Rebuild(MethodModel model, Chain chain, long[,] split)
        {
            var ids = new Queue<int>(chain.Products.OrderBy(x => x));
            var nodes = model.Nodes.Items.ToArray();
            var root = nodes[chain.Root];
            bool vector = nodes[chain.Factors[chain.Factors.Count - 1]].Kind == ValueKind.Vector;
            bool valid = true;
            int Build(int i, int j)
            {
                if (i == j)
                {
                    return chain.Factors[i];
                }
                int s = (int)split[i, j];
                int l = Build(i, s), r = Build(s + 1, j);
                int id = ids.Dequeue();
                valid &= l < id && r < id;
                nodes[id] = new IrNode(id, Op.Multiply, EquatableArray.From(l, r), vector && j == chain.Factors.Count - 1 ? ValueKind.Vector : ValueKind.Matrix, Text: root.Text);
                return id;
            }
            Build(0, chain.Factors.Count - 1);
            if (!valid)
            {
                return null;
            }
            nodes[chain.Root] = nodes[chain.Root] with { Name = root.Name, Rule = ChainRule };
            return model with { Nodes = nodes.ToEquatableArray() };
        }
    }
}
