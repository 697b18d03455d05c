using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Formula;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Differentiation
{
    /// <summary>
    /// Composes the pullbacks symbolically, from the seed (1 for a scalar) back to each parameter,
    /// and simplifies: the closed-form gradient for the XML doc, with no adjoint temporaries left.
    /// The user's named locals stay names (and are defined in a "where" line), as in Chen's lecture.
    /// </summary>
    internal sealed partial class ClosedForm
    {
        private readonly BackwardPlan _plan;
        private readonly Dictionary<int, Expr> _adjoints = new();
        private readonly Dictionary<int, Expr> _plainAdjoints = new();
        private readonly MathPrinter _printer;

        /// <summary>
        /// Closed forms larger than this (in expression nodes) are not expanded further: the adjoint
        /// stays a named ∇ symbol. Long chains can otherwise grow formulas exponentially.
        /// </summary>
        public const int MaxFormulaSize = 160;

        public ClosedForm(BackwardPlan plan)
        {
            _plan = plan;
            _hasInlinableCalls = plan.Model.Nodes.Any(n => n.Op == Op.Call && n.Callee?.Body is not null);
            _printer = new MathPrinter(DisplayName, n => "∇" + DisplayName(n), n => n >= 0 && n < Model.Nodes.Count ? Model.Nodes[n].Callee : null,
                constant: n => n >= 0 && n < Model.Nodes.Count ? Model.Nodes[n].Code : null);
            // From the result back: every adjoint's consumers have larger ids, so they are ready first
            // (an iterative sweep, no recursion over the length of the program).
            for (int id = plan.Model.HasRegions ? plan.Model.Nodes.Count - 1 : plan.Model.Result; id >= 0; id--)
            {
                if (_plan.NeedsAdjoint(id) && plan.Model.Nodes[id].Op != Op.Phi)   // a phi's adjoint is per iteration: it stays a symbol
                {
                    (_adjoints[id], _plainAdjoints[id]) = Both(() => Capped(SumContributions(id), id));
                }
            }
        }

        private MethodModel Model => _plan.Model;

        /// <summary>f = … : the function itself, in Chen's lecture's notation.</summary>
        public string Function() => _printer.Print(FunctionExpr());

        /// <summary>The closed-form gradient of a parameter (the seed-weighted VJP for a layer).</summary>
        public Expr GradientExpr(ParamModel parameter)
            => _plan.NeedsAdjoint(parameter.Node) ? Simplifier.Simplify(AdjointOf(parameter.Node), math: true) : new Num(0);

        /// <summary>"h = B⁻¹z + b" for every named local that the printed formulas mention.</summary>
        public IEnumerable<string> Definitions(IEnumerable<Expr> printed)
        {
            var needed = new SortedSet<int>();
            var pending = new Stack<Expr>(printed);
            while (pending.Count > 0)
            {
                foreach (var node in NamedRefs(pending.Pop()))
                {
                    if (needed.Add(node))
                    {
                        pending.Push(DefinitionExpr(node));
                    }
                }
            }
            return needed.Select(n => DisplayName(n) + " = " + _printer.Print(DefinitionExpr(n)));
        }

        public Expr FunctionExpr() => Simplifier.Simplify(Substitute(Forward(Model.Result)), math: true);

        private Expr DefinitionExpr(int node) => Simplifier.Simplify(Substitute(Forward(node)), math: true);

        private IEnumerable<int> NamedRefs(Expr e)
        {
            if (e is Ref r && r.Node >= 0 && Model.Nodes[r.Node].Op != Op.Parameter && Model.Nodes[r.Node].Op != Op.Literal
                && Model.Nodes[r.Node].Op != Op.Phi && Model.Nodes[r.Node].Op != Op.Counter)
            {
                yield return r.Node;
            }
            if (e is Fn f)
            {
                foreach (var a in f.Args)
                {
                    foreach (var n in NamedRefs(a))
                    {
                        yield return n;
                    }
                }
            }
        }

        private Expr AdjointOf(int node)
            => (_inlineCalls ? _adjoints : _plainAdjoints).TryGetValue(node, out var cached) ? cached : new Adj(node, Model.Nodes[node].Kind);

        /// <summary>The formula, or the node's named ∇ or ∂ symbol if it is larger than <see cref="MaxFormulaSize"/>.</summary>
        private Expr Capped(Expr formula, int node, bool differential = false)
        {
            if (Size(formula) <= MaxFormulaSize)
            {
                return formula;
            }
            var kind = Model.Nodes[node].Kind;
            return differential ? new Dif(node, kind) : new Adj(node, kind);
        }

        private Expr SumContributions(int node)
        {
            Expr total = node == Model.Result ? Seed() : new Num(0);
            if (_plan.Contributions.TryGetValue(node, out var contributions))
            {
                foreach (var c in contributions)
                {
                    var term = Substitute(c);
                    total = total is Num { Value: 0 } ? term : total + term;
                }
            }
            return Simplifier.Simplify(total, math: true);
        }

        private static int Size(Expr e) => e is Fn f ? 1 + f.Args.Sum(Size) : 1;

        private Expr Seed() => Model.ReturnKind == ValueKind.Scalar ? new Num(1) : new Ref(-1, Model.ReturnKind);

        /// <summary>Replaces adjoints by their closed forms, temporaries by their values, unnamed values by their definitions.</summary>
        private Expr Substitute(Expr e)
        {
            switch (e)
            {
                case Adj a:
                    return AdjointOf(a.Node);
                case Tmp t:
                    return Substitute(_plan.Lets[t.Id]);
                case Dif d when d.Node >= 0 && Model.Nodes[d.Node].Op != Op.Parameter:
                    return DifferentialOf(d.Node);
                case Ref r when r.Node >= 0:
                    var node = Model.Nodes[r.Node];
                    if (node.Op == Op.Literal)
                    {
                        return new Num(node.Value);
                    }
                    return node.Name is not null ? r : Substitute(Forward(r.Node));
                case Fn f:
                    var substituted = new Fn(f.Op, f.Kind, f.Args.Items.Select(Substitute).ToEquatableArray(), f.Index);
                    return _inlineCalls && (f.Is(Op.CallGradient) || f.Is(Op.CallDifferential)) ? Inline(f, substituted) ?? substituted : substituted;
                default:
                    return e;
            }
        }

        /// <summary>The forward definition of a node as an expression over its operands.</summary>
        public Expr Forward(int id)
        {
            var node = Model.Nodes[id];
            if (node.Op == Op.Parameter || node.Op == Op.Phi || node.Op == Op.Counter)
            {
                return new Ref(id, node.Kind);
            }
            if (node.Op == Op.Literal)
            {
                return new Num(node.Value);
            }
            var args = node.Args.Select(a => (Expr)new Ref(a, Model.Nodes[a].Kind)).ToEquatableArray();
            return new Fn(node.Op, node.Kind, args, node.Op == Op.Call || node.Op == Op.Constant ? id : 0);
        }

        public string Print(Expr e) => _printer.Print(e);

        /// <summary>A node's definition with one operand replaced by that operand's own definition (for comments on fused code).</summary>
        public Expr Substituted(int node, int operand)
        {
            var forward = (Fn)Forward(node);
            var args = forward.Args.Items.Select(a => a is Ref r && r.Node == operand ? Forward(operand) : a).ToEquatableArray();
            return forward with { Args = args };
        }

        /// <summary>The user's name in math form (Sigma → Σ, mu → μ), or "seed" for a pullback's seed.</summary>
        public string DisplayName(int node)
        {
            if (node < 0)
            {
                return "Ḡ";
            }
            var name = Model.Nodes[node].Name ?? "t" + node;
            return Greek(name.TrimStart('@'));
        }

        private static string Greek(string name) => name switch
        {
            "Sigma" => "Σ",
            "mu" => "μ",
            "Lambda" => "Λ",
            "lambda" => "λ",
            "theta" => "θ",
            "Theta" => "Θ",
            "alpha" => "α",
            "beta" => "β",
            "gamma" => "γ",
            "Omega" => "Ω",
            "omega" => "ω",
            "Phi" => "Φ",
            "phi" => "φ",
            "Psi" => "Ψ",
            "eta" => "η",
            _ => name,
        };
    }
}
