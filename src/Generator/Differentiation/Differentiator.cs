using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Differentiation
{
    /// <summary>
    /// What the differentiate stage hands to the emitter, built once and never changed: the (rewritten)
    /// model, the reverse sweep with every rule applied, and the composed closed forms.
    /// </summary>
    internal sealed class Derivatives
    {
        public Derivatives(MethodModel model, BackwardPlan backward, ClosedForm closedForm, Derivatives? cheaper = null, Rewrite.SizeChoice? choice = null)
        {
            Model = model;
            Backward = backward;
            ClosedForm = closedForm;
            Cheaper = cheaper;
            Choice = choice;
        }

        /// <summary>
        /// The first-order derivatives of the size-dependent rewrite (<see cref="Choice"/>), with sums of columns pushed into
        /// products: FWithGradient and FBackward run them when the choice's condition holds. Forward mode and second
        /// order always use the program as written (<see cref="Model"/>), so the rewrite never takes them away.
        /// </summary>
        public Derivatives? Cheaper { get; }

        /// <summary>The size-dependent rewrite <see cref="Cheaper"/> applies, and when.</summary>
        public Rewrite.SizeChoice? Choice { get; }

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
            if (Rewrite.Rewriter.SizeChoice(model) is { } choice)
            {
                var cheaper = BackwardPlan.Build(choice.Cheaper, pushSums: true);
                return new Derivatives(model, backward, new ClosedForm(backward), new Derivatives(choice.Cheaper, cheaper, new ClosedForm(cheaper)), choice);
            }
            return new Derivatives(model, backward, new ClosedForm(backward));
        }
    }
}
