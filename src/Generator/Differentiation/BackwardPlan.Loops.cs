using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Differentiation
{
    /// <summary>
    /// Loops in the reverse sweep. A loop-carried local has three nodes: its value before the loop (init), at the
    /// start of each iteration (the phi, also its value after the loop) and at the end of an iteration (next).
    /// The adjoint flows next ← phi of the following iteration (the carried adjoint), and init ← phi once the
    /// backward loop has run. A phi's contributions from inside its own loop are its adjoint within one iteration;
    /// they are kept apart (<see cref="LoopContributions"/>) from those of the code after the loop.
    /// </summary>
    internal sealed partial class BackwardPlan
    {
        private readonly Dictionary<int, List<Expr>> _loopContributions = new();
        private readonly Dictionary<int, List<int>> _sites = new();

        /// <summary>A phi's adjoint contributions from inside its loop (one iteration's), in sweep order.</summary>
        public IReadOnlyDictionary<int, List<Expr>> LoopContributions => _loopContributions;

        /// <summary>For each entry of <see cref="Contributions"/>: the node whose pullback made it (a loop's counter for init ← phi, its last body node for next ← phi).</summary>
        public IReadOnlyDictionary<int, List<int>> Sites => _sites;

        /// <summary>The loop whose carried local has the phi <paramref name="node"/>, or null.</summary>
        public LoopModel? LoopOfPhi(int node)
            => Model.Nodes[node].Op == Op.Phi ? Model.Loops.Items.FirstOrDefault(l => l.Carried.Items.Any(c => c.Phi == node)) : null;

        public CarriedModel CarriedOf(int phi) => LoopOfPhi(phi)!.Carried.Items.First(c => c.Phi == phi);

        /// <summary>Whether a contribution to <paramref name="target"/> made at <paramref name="site"/> is a phi's adjoint within an iteration of its loop.</summary>
        public bool IsInLoopPhi(int target, int site) => LoopOfPhi(target) is { } loop && SiteIn(loop, site);

        /// <summary>
        /// Whether a contribution made at <paramref name="site"/> happens inside an iteration of <paramref name="loop"/>. The site of
        /// init ← phi is the loop's counter: after its backward loop, so outside it (and inside any enclosing loop).
        /// </summary>
        public bool SiteIn(LoopModel loop, int site) => site > loop.BodyStart && site < loop.BodyEnd;

        /// <summary>For each entry of <see cref="LoopContributions"/>: the node whose pullback made it.</summary>
        public IReadOnlyDictionary<int, List<int>> LoopSites => _loopSites;

        private readonly Dictionary<int, List<int>> _loopSites = new();

        /// <summary>Whether a loop does anything the result needs (a live carried local).</summary>
        public bool IsLive(LoopModel loop) => loop.Carried.Items.Any(c => Live[c.Phi]);

        /// <summary>A live phi makes its next value live, and the loop's bounds.</summary>
        private bool CarryLiveness()
        {
            bool changed = false;
            foreach (var loop in Model.Loops)
            {
                foreach (var c in loop.Carried)
                {
                    if (_live[c.Phi])
                    {
                        foreach (var n in new[] { c.Next, loop.Start, loop.Bound, loop.Step, loop.Counter })
                        {
                            changed |= !_live[n];
                            _live[n] = true;
                        }
                    }
                }
            }
            return changed;
        }

        /// <summary>A phi whose adjoint is needed needs its next value's (the loop's bounds take none: they are ints).</summary>
        private bool CarryAdjointLiveness()
        {
            bool changed = false;
            foreach (var c in Model.Loops.SelectMany(loop => loop.Carried))
            {
                if (_adjointLive[c.Phi] && !_adjointLive[c.Next])
                {
                    _adjointLive[c.Next] = true;
                    changed = true;
                }
            }
            return changed;
        }

        /// <summary>A phi varies when its value at the end of an iteration does.</summary>
        private bool CarryVariation()
        {
            bool changed = false;
            foreach (var loop in Model.Loops)
            {
                foreach (var c in loop.Carried)
                {
                    if (_varied[c.Next] && !_varied[c.Phi])
                    {
                        _varied[c.Phi] = true;
                        changed = true;
                    }
                }
            }
            return changed;
        }

        /// <summary>At a phi (its loop fully swept): next ← the carried adjoint, and init ← phi after the backward loop.</summary>
        private void CarryAdjoint(int phi)
        {
            var loop = LoopOfPhi(phi)!;
            var c = CarriedOf(phi);
            var adjoint = new Adj(phi, Model.Nodes[phi].Kind);
            if (c.Next != phi && NeedsAdjoint(c.Next))
            {
                AddContribution(c.Next, adjoint, loop.BodyEnd - 1);
            }
            if (Varied[c.Init])
            {
                AddContribution(c.Init, adjoint, loop.Counter);
            }
        }
    }
}
