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
    internal sealed class BackwardPlan
    {
        private BackwardPlan(MethodModel model)
        {
            Model = model;
        }

        public MethodModel Model { get; }

        /// <summary>Forward values the result depends on (everything else is dead code).</summary>
        public bool[] Live { get; private set; } = System.Array.Empty<bool>();

        /// <summary>Values that vary with a differentiated parameter.</summary>
        public bool[] Varied { get; private set; } = System.Array.Empty<bool>();

        /// <summary>Pullbacks from the result back towards the parameters.</summary>
        public List<NodePullback> Pullbacks { get; } = new();

        /// <summary>Adjoint contributions to each node, in sweep order.</summary>
        public Dictionary<int, List<Expr>> Contributions { get; } = new();

        /// <summary>The values of rule temporaries.</summary>
        public Dictionary<int, Expr> Lets { get; } = new();

        /// <summary>Nodes whose LU factorization the forward or backward pass uses.</summary>
        public SortedSet<int> Factorized { get; } = new();

        /// <summary>
        /// Element-wise chains fused into one kernel: consumer id → producer id, where an addition
        /// (A + B or A + b𝟙ᵀ) feeds only an activation whose rule reads its output, never its input
        /// (σ, tanh, relu, exp). The sum is then never stored: no rule needs it.
        /// </summary>
        public Dictionary<int, int> Fusions { get; } = new();

        /// <summary>
        /// Transposes that only feed one product (Kᵀ Q): never formed. The product reads its operand
        /// transposed (MultiplyTransposeA/B), and the transpose's adjoint, (Ḡ Qᵀ)ᵀ, becomes Q Ḡᵀ.
        /// </summary>
        public HashSet<int> InlinedTransposes { get; } = new();

        public bool IsFusedAway(int node) => Fusions.ContainsValue(node) || InlinedTransposes.Contains(node);

        public bool NeedsAdjoint(int node) => Live[node] && Varied[node];

        public static BackwardPlan Build(MethodModel model)
        {
            var plan = new BackwardPlan(model);
            plan.Analyze();
            plan.FindFusions();
            plan.Sweep();
            return plan;
        }

        private void FindFusions()
        {
            var uses = IrRewrites.Uses(Model.Nodes);
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
                            InlinedTransposes.Add(a);
                        }
                    }
                }
                if (!Live[node.Id] || node.Kind == ValueKind.Scalar || node.Op is not (Op.Sigmoid or Op.Tanh or Op.Relu or Op.Exp))
                {
                    continue;
                }
                var producer = Model.Nodes[node.Args[0]];
                bool addition = producer.Op == Op.AddColumns && producer.Kind == ValueKind.Matrix
                    || producer.Op == Op.Add && Model.Nodes[producer.Args[0]].Kind == producer.Kind && Model.Nodes[producer.Args[1]].Kind == producer.Kind;
                if (addition && producer.Name is null && uses[producer.Id] == 1 && producer.Id != Model.Result)
                {
                    Fusions[node.Id] = producer.Id;
                }
            }
        }

        private void Analyze()
        {
            var nodes = Model.Nodes;
            Live = new bool[nodes.Count];
            Varied = new bool[nodes.Count];
            Live[Model.Result] = true;
            for (int i = nodes.Count - 1; i >= 0; i--)
            {
                if (Live[i])
                {
                    foreach (var a in nodes[i].Args)
                    {
                        Live[a] = true;
                    }
                }
            }
            var differentiated = new HashSet<int>(Model.Parameters.Where(p => p.Differentiated).Select(p => p.Node));
            foreach (var node in nodes)
            {
                Varied[node.Id] = node.Op == Op.Parameter ? differentiated.Contains(node.Id)
                    : node.Kind != ValueKind.Int && VariedOperands(node).Any(a => Varied[a]);
                if (Live[node.Id] && node.Op is Op.Inverse or Op.Solve or Op.Det or Op.LogDet)
                {
                    Factorized.Add(node.Args[0]);
                }
            }
        }

        /// <summary>Operands through which a gradient can flow (a callee's [NoGradient] arguments cannot).</summary>
        private IEnumerable<int> VariedOperands(IrNode node)
            => node.Op == Op.Call ? node.Callee!.Differentiated.Select(i => node.Args[i]) : node.Args;

        private void Sweep()
        {
            int temps = 0;
            for (int id = Model.Result; id >= 0; id--)
            {
                var node = Model.Nodes[id];
                if (!NeedsAdjoint(id) || node.Op == Op.Parameter)
                {
                    continue;
                }
                var context = new RuleContext(Model, node, (_, kind) => new Tmp(temps++, kind));
                var pullback = RuleTable.Pullback(context);
                if (pullback is null)
                {
                    continue;
                }
                var kept = Keep(node, pullback.Steps.Items);
                foreach (var step in kept)
                {
                    if (step is Contribute c)
                    {
                        var target = node.Args[c.Operand];
                        if (!Contributions.TryGetValue(target, out var list))
                        {
                            Contributions[target] = list = new List<Expr>();
                        }
                        list.Add(c.Value);
                    }
                    else if (step is Let let)
                    {
                        Lets[let.Target.Id] = let.Value;
                    }
                    else if (step is PullbackCall call)
                    {
                        // For the closed form, output k of a layer's pullback is ∇_p⟨Ḡ, G(…)⟩ (its VJP).
                        for (int k = 0; k < call.Outputs.Count; k++)
                        {
                            var output = call.Outputs[k];
                            Lets[output.Id] = new Fn(Op.CallGradient, output.Kind,
                                EquatableArray.From<Expr>(new Ref(node.Id, node.Kind), new Adj(node.Id, node.Kind)), node.Callee!.Differentiated[k]);
                        }
                    }
                }
                Pullbacks.Add(new NodePullback(node, pullback with { Steps = kept.ToEquatableArray() }));
            }
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
