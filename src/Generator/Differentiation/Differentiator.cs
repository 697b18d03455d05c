using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Differentiation
{
    /// <summary>
    /// What the differentiate stage hands to the emitter, built once and never changed: the (rewritten)
    /// model, the reverse sweep with every rule applied, and the composed closed forms.
    /// </summary>
    internal sealed class Derivatives
    {
        public Derivatives(MethodModel model, BackwardPlan backward, ClosedForm closedForm)
        {
            Model = model;
            Backward = backward;
            ClosedForm = closedForm;
        }

        public MethodModel Model { get; }

        /// <summary>Activity analysis and the pullback of every node, from the result back.</summary>
        public BackwardPlan Backward { get; }

        /// <summary>The closed-form gradient of every parameter, for the XML doc.</summary>
        public ClosedForm ClosedForm { get; }
    }

    /// <summary>The differentiate stage: the rules of every op applied to a rewritten model.</summary>
    internal static class Differentiator
    {
        /// <summary>The stage's entry point.</summary>
        public static Derivatives Differentiate(MethodModel model)
        {
            var backward = BackwardPlan.Build(model);
            return new Derivatives(model, backward, new ClosedForm(backward));
        }
    }
}
