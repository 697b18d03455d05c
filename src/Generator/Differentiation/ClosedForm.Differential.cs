using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Differentiation
{
    /// <summary>The differential ∂f in closed form: each op's rule composed forward from the parameters' differentials.</summary>
    internal sealed partial class ClosedForm
    {
        private Dictionary<int, Expr>? _differentials;

        /// <summary>∂f = … along the differentials ∂p of the differentiated parameters, simplified.</summary>
        public Expr DifferentialExpr()
        {
            if (_differentials is null)
            {
                // Forward: every operand's differential is ready before its consumer's (ids are topological).
                _differentials = new Dictionary<int, Expr>();
                _plainDifferentials = new Dictionary<int, Expr>();
                for (int id = 0; id <= (Model.HasRegions ? Model.Nodes.Count - 1 : Model.Result); id++)
                {
                    // A phi's differential is per iteration: it stays a symbol (ClosedForm.Loops prints its recurrence).
                    if (_plan.Live[id] && _plan.Varied[id] && Model.Nodes[id].Op != Op.Parameter && Model.Nodes[id].Op != Op.Phi && Model.Nodes[id].Op != Op.Counter)
                    {
                        (_differentials[id], _plainDifferentials[id]) = Both(() => ComputeDifferential(id));
                    }
                }
            }
            return _plan.Varied[Model.Result] ? Simplifier.Simplify(Substitute(new Dif(Model.Result, Model.ReturnKind)), math: true) : new Num(0);
        }

        private Dictionary<int, Expr>? _plainDifferentials;

        /// <summary>
        /// ∂(∇p) = … : the Hessian of f applied to the direction, as the differential of the closed-form gradient
        /// (named locals' differentials composed forward, as in ∂f). Null when an op of the gradient has no rule of its own.
        /// </summary>
        public Expr? HessianVectorExpr(ParamModel parameter)
        {
            DifferentialExpr();
            try
            {
                var tangent = ExprTangent.Of(GradientExpr(parameter), leaf => leaf switch
                {
                    Ref r when r.Node >= 0 && _plan.Varied[r.Node] => Model.Nodes[r.Node].Op == Op.Parameter ? new Dif(r.Node, r.Kind) : DifferentialOf(r.Node),
                    Adj a => new Tan(a),
                    _ => null,
                });
                return tangent is null ? new Num(0) : Simplifier.Simplify(tangent, math: true);
            }
            catch (NoSecondOrderRuleException)
            {
                return null;
            }
        }

        private Expr DifferentialOf(int node)
            => (_inlineCalls ? _differentials : _plainDifferentials) is { } known && known.TryGetValue(node, out var d) ? d : new Dif(node, Model.Nodes[node].Kind);

        private Expr ComputeDifferential(int id)
        {
            var node = Model.Nodes[id];
            var tangent = node.Op.Tangent?.Invoke(new TangentContext(Model, node,
                i => _plan.Varied[node.Args[i]] ? new Dif(node.Args[i], Model.Nodes[node.Args[i]].Kind) : null));
            if (tangent is null)
            {
                return new Num(0);
            }
            return Capped(Simplifier.Simplify(Substitute(tangent), math: true), id, differential: true);
        }
    }
}
