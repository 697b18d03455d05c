using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Differentiation
{
    /// <summary>
    /// The XML doc of a method with loops. A loop has no closed form in general: the doc shows each carried
    /// local's recurrence, the rule one backward iteration applies to its adjoint (∇h on the right is the adjoint
    /// carried in from the following iteration), and each gradient as a sum over the iterations.
    /// </summary>
    internal sealed partial class ClosedForm
    {
        /// <summary>The lines of the doc (and of the [ClosedForm] attributes) of a method with loops.</summary>
        public List<string> LoopLines()
        {
            var lines = new List<string> { "f = " + Function() };
            var printed = new List<Expr> { FunctionExpr() };
            foreach (var loop in Model.Loops.Items.Where(_plan.IsLive))
            {
                var recurrences = loop.Carried.Items.Where(c => _plan.Live[c.Phi] && c.Next != c.Phi).Select(c =>
                {
                    var next = c.Next > c.Phi ? DefinitionExpr(c.Next) : Simplifier.Simplify(Substitute(new Ref(c.Next, Model.Nodes[c.Next].Kind)), math: true);
                    printed.Add(next);
                    return DisplayName(c.Phi) + " ← " + Print(next);
                });
                lines.Add(Header(loop) + ":  " + string.Join(",  ", recurrences) + "   (from " +
                          string.Join(", ", loop.Carried.Items.Where(c => _plan.Live[c.Phi]).Select(c => DisplayName(c.Phi) + " = " + Print(Simplifier.Simplify(Substitute(new Ref(c.Init, Model.Nodes[c.Init].Kind)), math: true)))) + ")");
                foreach (var c in loop.Carried.Items.Where(c => _plan.NeedsAdjoint(c.Phi)))
                {
                    var rule = _plan.LoopContributions.TryGetValue(c.Phi, out var terms) ? Sum(terms) : new Num(0);
                    printed.Add(rule);
                    lines.Add((loop.Branch ? "  backward, in the arm: ∇" : "  backward, per iteration (last to first): ∇") + DisplayName(c.Phi) + " ← " + Print(rule));
                }
            }
            foreach (var p in Model.Parameters.Where(p => p.Differentiated))
            {
                var gradient = LoopGradient(p.Node);
                printed.Add(gradient.Expr);
                lines.Add("∇" + DisplayName(p.Node) + " = " + gradient.Text);
            }
            var definitions = Definitions(printed).ToList();
            if (definitions.Count > 0)
            {
                lines.Add("where " + string.Join(",  ", definitions));
            }
            return lines;
        }

        /// <summary>FDifferential's doc through loops: each carried local's differential, carried forward like the local.</summary>
        public List<string> LoopDifferentialLines()
        {
            DifferentialExpr();
            var lines = new List<string>();
            foreach (var loop in Model.Loops.Items.Where(_plan.IsLive))
            {
                var carried = loop.Carried.Items.Where(c => _plan.Live[c.Phi] && _plan.Varied[c.Phi]).ToList();
                if (carried.Count == 0)
                {
                    continue;
                }
                var recurrences = carried.Select(c => "∂" + DisplayName(c.Phi) + " ← " + Print(_plan.Varied[c.Next] ? DifferentialOf(c.Next) : new Num(0)));
                var inits = carried.Select(c => "∂" + DisplayName(c.Phi) + " = " + Print(!_plan.Varied[c.Init] ? new Num(0)
                    : Model.Nodes[c.Init].Op == Op.Parameter || Model.Nodes[c.Init].Op == Op.Phi ? new Dif(c.Init, Model.Nodes[c.Init].Kind) : DifferentialOf(c.Init)));
                lines.Add(Header(loop) + ":  " + string.Join(",  ", recurrences) + "   (from " + string.Join(", ", inits) + ")");
            }
            return lines;
        }

        private string Header(LoopModel loop)
        {
            if (loop.Branch)
            {
                return BranchLabel(loop);
            }
            var counter = DisplayName(loop.Counter);
            var start = Print(Simplifier.Simplify(Substitute(new Ref(loop.Start, ValueKind.Int)), math: true));
            var bound = Print(Simplifier.Simplify(Substitute(new Ref(loop.Bound, ValueKind.Int)), math: true));
            var step = Print(Simplifier.Simplify(Substitute(new Ref(loop.Step, ValueKind.Int)), math: true));
            return "for " + counter + " = " + start + (loop.Up ? " step " : " step −") + step + " while " + counter + " " + loop.Comparison.Replace("<=", "≤").Replace(">=", "≥") + " " + bound;
        }

        /// <summary>A branch arm: "if c" or "if not (c)", c the condition as written.</summary>
        private string BranchLabel(LoopModel loop)
        {
            var condition = Model.Nodes[loop.Condition(Model.Nodes)];
            var text = condition.Text ?? DisplayName(condition.Id);
            return loop.RunsWhenFalse(Model.Nodes) ? "if not (" + text + ")" : "if " + text;
        }

        private Expr Sum(IEnumerable<Expr> terms)
        {
            Expr total = new Num(0);
            foreach (var t in terms)
            {
                var term = Substitute(t);
                total = total is Num { Value: 0 } ? term : total + term;
            }
            return Simplifier.Simplify(total, math: true);
        }

        /// <summary>A parameter's gradient: what the code after the loops adds, plus Σ over each loop's iterations of what one adds.</summary>
        private (Expr Expr, string Text) LoopGradient(int parameter)
        {
            if (!_plan.NeedsAdjoint(parameter) || !_plan.Contributions.TryGetValue(parameter, out var contributions))
            {
                return (new Num(0), "0");
            }
            var sites = _plan.Sites[parameter];
            var groups = contributions.Select((c, i) => (c, Loops: Model.Loops.Items.Where(l => _plan.SiteIn(l, sites[i])).Select(l => l.Branch ? "[" + BranchLabel(l) + "]" : "Σ_" + DisplayName(l.Counter)).ToList()))
                .GroupBy(x => string.Join(" ", x.Loops))
                .ToList();
            var parts = new List<string>();
            Expr all = new Num(0);
            foreach (var g in groups)
            {
                var sum = Sum(g.Select(x => x.c));
                all = all is Num { Value: 0 } ? sum : all + sum;
                parts.Add(g.Key.Length == 0 ? Print(sum) : g.Key + " (" + Print(sum) + ")");
            }
            return (all, string.Join(" + ", parts));
        }
    }
}
