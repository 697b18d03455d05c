using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>One statement of a pullback.</summary>
    internal abstract record Step;

    /// <summary>Defines a temporary used by later steps of the same pullback.</summary>
    internal sealed record Let(Tmp Target, Expr Value) : Step;

    /// <summary>Adds <see cref="Value"/> to the adjoint of operand <see cref="Operand"/>.</summary>
    internal sealed record Contribute(int Operand, Expr Value) : Step;

    /// <summary>Calls a layer's generated pullback; <see cref="Outputs"/> receive its gradients, in the callee's order.</summary>
    internal sealed record PullbackCall(int Node, EquatableArray<Tmp> Outputs) : Step;

    /// <summary>A rule's result: the differential law it applies and the steps that implement it.</summary>
    internal sealed record Pullback(string Law, EquatableArray<Step> Steps);
}
