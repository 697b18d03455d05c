using System;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Differentiation
{
    /// <summary>An op met in a derivative expression whose own differential rule is not declared (yet).</summary>
    internal sealed class NoSecondOrderRuleException : Exception
    {
        public NoSecondOrderRuleException(Op op)
            : base("The op " + op.Name + " has no rule for its own differential.")
        {
            Op = op;
        }

        public Op Op { get; }
    }

    /// <summary>
    /// Forward mode applied to an expression rather than to the user's program: the differential of a
    /// pullback or gradient expression, composed from the same per-op rules. This is what second order
    /// is made of — the tangent of the reverse sweep is the Hessian-vector product, ∂(∇f) = ∇²f ∂x.
    /// </summary>
    internal static class ExprTangent
    {
        /// <summary>
        /// ∂<paramref name="e"/>, where <paramref name="leaf"/> gives the differential of each leaf (a forward
        /// value, an adjoint, a temporary), null where it is zero. Returns null when ∂e is zero.
        /// </summary>
        /// <exception cref="NoSecondOrderRuleException">An op of <paramref name="e"/> has no differential rule.</exception>
        public static Expr? Of(Expr e, Func<Expr, Expr?> leaf)
        {
            switch (e)
            {
                case Num:
                    return null;
                case Fn f when f.Kind == ValueKind.Int:
                    return null;
                case Fn f:
                    var differentials = f.Args.Items.Select(a => Of(a, leaf)).ToArray();
                    if (differentials.All(d => d is null))
                    {
                        return null;
                    }
                    if (f.Op.Tangent is null)
                    {
                        throw new NoSecondOrderRuleException(f.Op);
                    }
                    return f.Op.Tangent(new TangentContext(f, i => differentials[i]));
                default:
                    return leaf(e);
            }
        }
    }
}
