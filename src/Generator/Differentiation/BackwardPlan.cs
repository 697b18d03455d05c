using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Differentiation
{
    /// <summary>One node's pullback in the backward sweep, with steps for inactive operands removed.</summary>
    internal sealed record NodePullback(IrNode Node, Pullback Pullback);

    /// <summary>
    /// The reverse sweep: activity analysis (which values vary with a differentiated parameter and
    /// reach the result), then the rule of every such node from the result back to the parameters.
    /// The plan is shared by the emitter (code) and the closed-form builder (XML doc).
    /// </summary>
    internal sealed partial class BackwardPlan
    {
        private BackwardPlan(MethodModel model)
        {
            Model = model;
        }

        public MethodModel Model { get; }

        private bool[] _live = System.Array.Empty<bool>();

        /// <summary>
        /// Nodes the result reaches through values with a derivative: not through an int (a branch's condition, a loop's
        /// bound, an index), which reads values (they are <see cref="Live"/>: the forward pass computes them) but passes
        /// no adjoint back to them.
        /// </summary>
        private bool[] _adjointLive = System.Array.Empty<bool>();
        private bool[] _varied = System.Array.Empty<bool>();
        private readonly List<NodePullback> _pullbacks = new();
        private readonly Dictionary<int, List<Expr>> _contributions = new();
        private readonly Dictionary<int, Expr> _lets = new();
        private readonly SortedSet<int> _factorized = new();
        private readonly Dictionary<int, int> _fusions = new();
        private readonly HashSet<int> _inlinedTransposes = new();

        /// <summary>Forward values the result depends on (everything else is dead code).</summary>
        public IReadOnlyList<bool> Live => _live;

        /// <summary>Values that vary with a differentiated parameter.</summary>
        public IReadOnlyList<bool> Varied => _varied;

        /// <summary>Pullbacks from the result back towards the parameters.</summary>
        public IReadOnlyList<NodePullback> Pullbacks => _pullbacks;

        /// <summary>Adjoint contributions to each node, in sweep order.</summary>
        public IReadOnlyDictionary<int, List<Expr>> Contributions => _contributions;

        /// <summary>The values of rule temporaries.</summary>
        public IReadOnlyDictionary<int, Expr> Lets => _lets;

        /// <summary>Nodes whose LU factorization the forward or backward pass uses.</summary>
        public IReadOnlyCollection<int> Factorized => _factorized;

        /// <summary>
        /// Element-wise chains fused into one kernel: consumer id → producer id, where an addition
        /// (A + B or A + b𝟙ᵀ) feeds only an activation whose rule reads its output, never its input
        /// (σ, tanh, relu, exp). The sum is then never stored: no rule needs it.
        /// </summary>
        public IReadOnlyDictionary<int, int> Fusions => _fusions;

        /// <summary>
        /// Transposes that only feed one product (Kᵀ Q): never formed. The product reads its operand
        /// transposed (MultiplyTransposeA/B), and the transpose's adjoint, (Ḡ Qᵀ)ᵀ, becomes Q Ḡᵀ.
        /// </summary>
        public bool IsInlinedTranspose(int node) => _inlinedTransposes.Contains(node);

        public bool IsFusedAway(int node) => _fusions.ContainsValue(node) || _inlinedTransposes.Contains(node);

        public bool NeedsAdjoint(int node) => Live[node] && _adjointLive[node] && Varied[node];

        /// <param name="model">The (rewritten) method.</param>
        /// <param name="pushSums">
        /// Whether sums of columns of an adjoint that is a sum of products are pushed into the products,
        /// (M K)𝟙 → M (K𝟙) (<see cref="PushSums"/>): the first-order plan of a size-dependent rewrite only.
        /// </param>
        public static BackwardPlan Build(MethodModel model, bool pushSums = false)
        {
            var plan = new BackwardPlan(model);
            plan.Analyze();
            plan.FindFusions();
            plan.Sweep();
            if (pushSums && !model.HasRegions)
            {
                plan.PushSums();
            }
            return plan;
        }

        private void FindFusions()
        {
            var uses = Rewrite.Rewriter.Uses(Model.Nodes);
            foreach (var node in Model.Nodes)
            {
                if (Live[node.Id] && node.Op == Op.Multiply && node.Kind != ValueKind.Scalar)
                {
                    foreach (var a in node.Args)
                    {
                        var operand = Model.Nodes[a];
                        if (operand.Op == Op.Transpose && operand.Kind == ValueKind.Matrix && operand.Name is null && uses[a] == 1
                            && a != Model.Result && Model.Nodes[node.Args[0]].Kind != ValueKind.Scalar && Model.Nodes[node.Args[1]].Kind != ValueKind.Scalar)
                        {
                            _inlinedTransposes.Add(a);
                        }
                    }
                }
                if (!Live[node.Id] || node.Kind == ValueKind.Scalar || node.Op.Activation is null)
                {
                    continue;
                }
                var producer = Model.Nodes[node.Args[0]];
                bool addition = producer.Op == Op.AddColumns && producer.Kind == ValueKind.Matrix
                    || producer.Op == Op.Add && Model.Nodes[producer.Args[0]].Kind == producer.Kind && Model.Nodes[producer.Args[1]].Kind == producer.Kind;
                if (addition && producer.Name is null && uses[producer.Id] == 1 && producer.Id != Model.Result)
                {
                    _fusions[node.Id] = producer.Id;
                }
            }
        }

        private void Analyze()
        {
            var nodes = Model.Nodes;
            var live = _live = new bool[nodes.Count];
            var varied = _varied = new bool[nodes.Count];
            live[Model.Result] = true;
            do
            {
                for (int i = nodes.Count - 1; i >= 0; i--)
                {
                    if (live[i])
                    {
                        foreach (var a in nodes[i].Args)
                        {
                            live[a] = true;
                        }
                    }
                }
            }
            while (CarryLiveness());
            var adjointLive = _adjointLive = new bool[nodes.Count];
            adjointLive[Model.Result] = true;
            do
            {
                for (int i = nodes.Count - 1; i >= 0; i--)
                {
                    if (adjointLive[i] && nodes[i].Kind != ValueKind.Int)
                    {
                        foreach (var a in nodes[i].Args)
                        {
                            adjointLive[a] = true;
                        }
                    }
                }
            }
            while (CarryAdjointLiveness());
            var differentiated = new HashSet<int>(Model.Parameters.Where(p => p.Differentiated).Select(p => p.Node));
            do
            {
                foreach (var node in nodes)
                {
                    varied[node.Id] = varied[node.Id] || (node.Op == Op.Parameter ? differentiated.Contains(node.Id)
                        : node.Kind != ValueKind.Int && VariedOperands(node).Any(a => Varied[a]));
                }
            }
            while (CarryVariation());
            foreach (var node in nodes)
            {
                if (Live[node.Id] && node.Op.Factorizes)
                {
                    _factorized.Add(node.Args[0]);
                }
            }
        }

        /// <summary>Operands through which a gradient can flow (a callee's [NoGradient] arguments cannot).</summary>
        private IEnumerable<int> VariedOperands(IrNode node)
            => node.Op == Op.Call ? node.Callee!.Differentiated.Select(i => node.Args[i]) : node.Args;

        private void Sweep()
        {
            int temps = 0;
            for (int id = Model.HasRegions ? Model.Nodes.Count - 1 : Model.Result; id >= 0; id--)
            {
                var node = Model.Nodes[id];
                if (!NeedsAdjoint(id) || node.Op == Op.Parameter || node.Op == Op.Counter)
                {
                    continue;
                }
                if (node.Op == Op.Phi)
                {
                    CarryAdjoint(id);
                    continue;
                }
                var context = new RuleContext(Model, node, (kind, hint, about) => new Tmp(temps++, kind, hint, about));
                var pullback = context.Apply();
                if (pullback is null)
                {
                    continue;
                }
                var kept = Keep(node, pullback.Steps.Items);
                foreach (var step in kept)
                {
                    if (step is Contribute c)
                    {
                        AddContribution(node.Args[c.Operand], c.Value, id);
                    }
                    else if (step is Let let)
                    {
                        _lets[let.Target.Id] = let.Value;
                    }
                    else if (step is PullbackCall call)
                    {
                        // For the closed form, output k of a layer's pullback is ∇_p⟨Ḡ, G(…)⟩ (its VJP).
                        for (int k = 0; k < call.Outputs.Count; k++)
                        {
                            var output = call.Outputs[k];
                            _lets[output.Id] = new Fn(Op.CallGradient, output.Kind,
                                EquatableArray.From<Expr>(new Ref(node.Id, node.Kind), new Adj(node.Id, node.Kind)), node.Callee!.Differentiated[k]);
                        }
                    }
                }
                _pullbacks.Add(new NodePullback(node, pullback with { Steps = kept.ToEquatableArray() }));
            }
        }

        /// <summary>
        /// Records a contribution made by the pullback of node <paramref name="site"/>. One to a phi from inside its
        /// own loop is the phi's adjoint within an iteration (<see cref="LoopContributions"/>); any other adds to
        /// the target's adjoint as in straight-line code.
        /// </summary>
        private void AddContribution(int target, Expr value, int site)
        {
            var map = IsInLoopPhi(target, site) ? _loopContributions : _contributions;
            if (!map.TryGetValue(target, out var list))
            {
                map[target] = list = new List<Expr>();
            }
            list.Add(value);
            var siteMap = map == _contributions ? _sites : _loopSites;
            if (!siteMap.TryGetValue(target, out var sites))
            {
                siteMap[target] = sites = new List<int>();
            }
            sites.Add(site);
        }

        /// <summary>Drops contributions to operands that do not vary, then temporaries nothing uses.</summary>
        private List<Step> Keep(IrNode node, IEnumerable<Step> steps)
        {
            var kept = steps.Where(s => s is not Contribute c || Varied[node.Args[c.Operand]]).ToList();
            var used = new HashSet<int>();
            foreach (var step in kept)
            {
                if (step is Contribute c)
                {
                    CollectTemps(c.Value, used);
                }
            }
            return kept.Where(s => s is not Let let || used.Contains(let.Target.Id)).ToList();
        }

        private static void CollectTemps(Expr e, HashSet<int> used)
        {
            if (e is Tmp t)
            {
                used.Add(t.Id);
            }
            else if (e is Fn f)
            {
                foreach (var a in f.Args)
                {
                    CollectTemps(a, used);
                }
            }
        }
    }
}
