using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>Chaining through another [Differentiable] method.</summary>
    internal static class CallRules
    {
        /// <summary>
        /// y = g(a₁, …, aₙ). Scalar g: ∂y = Σᵢ Tr(∇ᵢgᵀ ∂aᵢ) ⇒ āᵢ += ȳ ∇ᵢg, with ∇ᵢg computed in the
        /// forward pass by gWithGradient. Vector or matrix g (a layer): āᵢ += gPullback(…, Ḡ).
        /// </summary>
        public static Pullback Call(RuleContext c)
        {
            var callee = c.Node.Callee!;
            if (callee.ReturnKind == ValueKind.Scalar)
            {
                var steps = callee.Differentiated.Select(i =>
                    (Step)new Contribute(i, Mul(c.G, new Fn(Op.CallGradient, c.KindOf(i), EquatableArray.From<Expr>(c.Y), i))));
                return c.Make("∂g(a₁, …, aₙ) = Σᵢ Tr(∇ᵢgᵀ ∂aᵢ)", steps);
            }
            var outputs = callee.Differentiated.Select(i => c.Temp(c.KindOf(i))).ToArray();
            var all = new Step[] { new PullbackCall(c.Node.Id, outputs.ToEquatableArray()) }
                .Concat(callee.Differentiated.Select((i, k) => (Step)new Contribute(i, outputs[k])));
            return c.Make("∂G(a₁, …, aₙ) = Σᵢ Jᵢ ∂aᵢ  (the callee's pullback)", all);
        }
    }
}
