using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Differentiation
{
    internal sealed partial class BackwardPlan
    {
        /// <summary>
        /// The sum-of-columns pushdown in the backward sweep, (M K)𝟙 = M (K𝟙): when a value's adjoint Ḡ is only read as
        /// its sum of columns Ḡ𝟙 (the pullback of a broadcast X − μ𝟙ᵀ gives μ̄ = −Ḡ𝟙) and every contribution to Ḡ is a
        /// product M K (or the transpose of one that is never formed), Ḡ is never formed: Ḡ𝟙 becomes Σ M (K𝟙), matrix-vector
        /// products instead of matrix products. For the Gaussian likelihood's trace form this turns
        /// ∇μ = −(Σ⁻ᵀC + Σ⁻¹C)𝟙 (two d²n products) into −(Σ⁻ᵀ(C𝟙) + Σ⁻¹(C𝟙)) (d² each).
        /// </summary>
        private void PushSums()
        {
            for (int p = 0; p < _pullbacks.Count; p++)
            {
                var pullback = _pullbacks[p];
                int c = pullback.Node.Id;
                if (pullback.Node.Kind != ValueKind.Matrix || c == Model.Result || !_contributions.TryGetValue(c, out var terms) || !OnlySummed(pullback, c))
                {
                    continue;
                }
                var pushed = terms.Select(Push).ToList();
                if (pushed.Any(t => t is null))
                {
                    continue;
                }
                var sum = E.Sum(pushed.ToArray())!;
                var shared = ShareSums(ref sum);
                var steps = shared.Concat(pullback.Pullback.Steps.Items.Select(s => s is Contribute k ? k with { Value = ReplaceSum(k.Value, c, sum) } : s)).ToList();
                var law = pullback.Pullback.Law + "   (∇" + (pullback.Node.Name ?? "Y") + " is never formed: (M K)𝟙 = M (K𝟙))";
                _pullbacks[p] = pullback with { Pullback = pullback.Pullback with { Law = law, Steps = steps.ToEquatableArray() } };
                DropContributionsTo(c);
                foreach (var step in steps.OfType<Contribute>())
                {
                    var target = pullback.Node.Args[step.Operand];
                    _contributions[target] = _contributions[target].Select(v => ReplaceSum(v, c, sum)).ToList();
                }
            }
        }

        /// <summary>A sum of columns K𝟙 that several pushed terms read is computed once, in a temporary defined before them.</summary>
        private List<Step> ShareSums(ref Expr sum)
        {
            var counts = new Dictionary<Expr, int>();
            CountSums(sum, counts);
            var lets = new List<Step>();
            foreach (var repeated in counts.Where(kv => kv.Value > 1).Select(kv => kv.Key).ToList())
            {
                var node = repeated is Fn { Args.Count: 1 } f && f[0] is Ref r ? r.Node : -1;
                var tmp = new Tmp(SharedTemps + _lets.Count, ValueKind.Vector, node >= 0 ? "sums{0}" : "sums", node);
                _lets[tmp.Id] = repeated;
                lets.Add(new Let(tmp, repeated));
                sum = Substitute(sum, repeated, tmp);
            }
            return lets;
        }

        /// <summary>Ids of the temporaries <see cref="ShareSums"/> adds: above any a rule makes.</summary>
        private const int SharedTemps = 1_000_000;

        private static void CountSums(Expr e, Dictionary<Expr, int> counts)
        {
            if (e is Fn f)
            {
                if (f.Is(Op.SumColumns))
                {
                    counts[f] = counts.TryGetValue(f, out var n) ? n + 1 : 1;
                }
                foreach (var x in f.Args)
                {
                    CountSums(x, counts);
                }
            }
        }

        private static Expr Substitute(Expr e, Expr what, Expr by)
            => e.Equals(what) ? by : e is Fn f ? new Fn(f.Op, f.Kind, f.Args.Items.Select(x => Substitute(x, what, by)).ToEquatableArray(), f.Index) : e;

        /// <summary>Whether the pullback of <paramref name="c"/> reads its adjoint only as Ḡ𝟙, and no other pullback reads it.</summary>
        private bool OnlySummed(NodePullback pullback, int c)
        {
            int all = 0, summed = 0;
            foreach (var other in _pullbacks)
            {
                foreach (var step in other.Pullback.Steps)
                {
                    var value = step switch { Contribute k => k.Value, Let l => l.Value, _ => null };
                    if (step is PullbackCall && other.Node.Id == c)
                    {
                        return false;
                    }
                    if (value is not null)
                    {
                        Count(value, c, ref all, ref summed);
                    }
                }
            }
            return all > 0 && all == summed && pullback.Pullback.Steps.All(s => s is Contribute);
        }

        private static void Count(Expr e, int c, ref int all, ref int summed)
        {
            if (e is Adj a && a.Node == c)
            {
                all++;
            }
            else if (e is Fn f)
            {
                if (f.Is(Op.SumColumns) && f[0] is Adj s && s.Node == c)
                {
                    summed++;
                }
                foreach (var x in f.Args)
                {
                    Count(x, c, ref all, ref summed);
                }
            }
        }

        private static Expr ReplaceSum(Expr e, int c, Expr sum) => e switch
        {
            Fn f when f.Is(Op.SumColumns) && f[0] is Adj a && a.Node == c => sum,
            Fn f => new Fn(f.Op, f.Kind, f.Args.Items.Select(x => ReplaceSum(x, c, sum)).ToEquatableArray(), f.Index),
            _ => e,
        };

        /// <summary>Removes every contribution to <paramref name="c"/>: its adjoint is no longer formed.</summary>
        private void DropContributionsTo(int c)
        {
            _contributions.Remove(c);
            _sites.Remove(c);
            for (int p = 0; p < _pullbacks.Count; p++)
            {
                var pb = _pullbacks[p];
                var steps = pb.Pullback.Steps.Items.Where(s => s is not Contribute k || pb.Node.Args[k.Operand] != c).ToList();
                if (steps.Count != pb.Pullback.Steps.Count)
                {
                    _pullbacks[p] = pb with { Pullback = pb.Pullback with { Steps = steps.ToEquatableArray() } };
                }
            }
        }

        /// <summary>t𝟙 for a contribution t that is a product (or a sum, negation or scaling of products); null otherwise.</summary>
        private Expr? Push(Expr e)
        {
            switch (e)
            {
                case Adj a when IsInlinedTranspose(a.Node) && _contributions.TryGetValue(a.Node, out var only) && only.Count == 1:
                    return Push(only[0]);
                case Fn f when f.Is(Op.Add) || f.Is(Op.Subtract):
                    return Push(f[0]) is { } x && Push(f[1]) is { } y ? new Fn(f.Op, ValueKind.Vector, x, y) : null;
                case Fn f when f.Is(Op.Negate):
                    return Push(f[0]) is { } n ? E.Neg(n) : null;
                case Fn f when f.Is(Op.Multiply) && f[0].Kind == ValueKind.Scalar:
                    return Push(f[1]) is { } m ? E.Mul(f[0], m) : null;
                case Fn f when f.Is(Op.Multiply) && f[0].Kind == ValueKind.Matrix && f[1].Kind == ValueKind.Matrix:
                    return Plain(f[1]) is { } k ? E.Mul(f[0], new Fn(Op.SumColumns, ValueKind.Vector, k)) : null;
                case Fn f when f.Is(Op.Transpose) && Expand(f[0]) is Fn p && p.Is(Op.Multiply) && p[0].Kind == ValueKind.Matrix && p[1].Kind == ValueKind.Matrix:
                    return Push(E.Mul(Transposed(p[1]), Transposed(p[0])));
                default:
                    return null;
            }
        }

        /// <summary>The adjoint of a transpose that is never formed, by its one contribution; anything else as it is.</summary>
        private Expr Expand(Expr e)
            => e is Adj a && IsInlinedTranspose(a.Node) && _contributions.TryGetValue(a.Node, out var only) && only.Count == 1 ? only[0] : e;

        /// <summary>Xᵀ, with (Yᵀ)ᵀ = Y and a never-formed transpose read through.</summary>
        private Expr Transposed(Expr e)
            => e is Fn t && t.Is(Op.Transpose) ? t[0]
                : e is Ref r && r.Node >= 0 && Model.Nodes[r.Node].Op == Op.Transpose ? new Ref(Model.Nodes[r.Node].Args[0], ValueKind.Matrix)
                : E.T(e);

        /// <summary>A matrix whose sum of columns is a plain reduction: a value, an adjoint or a temporary, not a transpose.</summary>
        private Expr? Plain(Expr e)
            => e is Fn t && t.Is(Op.Transpose) && Transposed(t[0]) is Ref or Tmp ? Transposed(t[0])
                : e is Ref r && r.Node >= 0 && Model.Nodes[r.Node].Op != Op.Transpose ? e
                : e is Tmp or Adj ? e : null;
    }
}
