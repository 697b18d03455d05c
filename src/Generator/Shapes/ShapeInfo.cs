using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Shapes
{
    // Plain value-equatable data, like the model: strings and ids, never a symbol or a location.

    /// <summary>What shape inference found for one method.</summary>
    /// <param name="Shapes">Every node's shape in symbols ("h × d", "n", "" for a scalar), by node id.</param>
    /// <param name="Mismatches">Equalities that provably fail, each at its node.</param>
    /// <param name="Checks">The equalities between parameter dimensions the inference relied on, to check on entry.</param>
    internal sealed record ShapeInfo(EquatableArray<string> Shapes, EquatableArray<ShapeMismatch> Mismatches, EquatableArray<ShapeCheck> Checks)
    {
        /// <summary>The shape of a node in symbols, or the empty string.</summary>
        public string ShapeOf(int node) => node < Shapes.Count ? Shapes[node] : string.Empty;
    }

    /// <summary>A provable mismatch: <c>W * X: W is h × d but X is n × d</c>, at node <paramref name="Node"/>.</summary>
    internal sealed record ShapeMismatch(int Node, string Message);

    /// <summary>One operand of a check: its name as the user wrote it, its size expressions at run time, its shape in symbols.</summary>
    /// <param name="Name">The variable or expression (W, W * X).</param>
    /// <param name="Sizes">One C# expression per dimension (W.Rows), an integer literal, or "?" when unknown on entry.</param>
    /// <param name="Symbols">The shape in symbols (h × d).</param>
    internal sealed record CheckOperand(string Name, EquatableArray<string> Sizes, string Symbols);

    /// <summary>
    /// One equality checked on entry: <see cref="Left"/> == <see cref="Right"/> (C# expressions over the
    /// parameters), reported as the operation <see cref="Operation"/> on its operands.
    /// </summary>
    /// <param name="Requirement">For a one-operand check (square, a literal size): what the operand must be.</param>
    internal sealed record ShapeCheck(string Left, string Right, string Operation, CheckOperand A, CheckOperand? B, string? Requirement);

    /// <summary>One dimension of a value: <see cref="Class"/> is equal for provably equal sizes; <see cref="Literal"/> its size when a literal fixes it; <see cref="Runtime"/> a C# expression over the parameters (X.Cols), or null; <see cref="Symbol"/> its [Shape] name (equal names are equal sizes).</summary>
    internal sealed record Dimension(int Class, string? Literal, string? Runtime, string? Symbol = null)
    {
        /// <summary>The size as C#: the literal, else the run-time expression, else null.</summary>
        public string? Code => Literal ?? Runtime;

        /// <summary>Whether the two are provably the same size: one class, or one [Shape] symbol.</summary>
        public bool SameAs(Dimension other) => Class == other.Class || Symbol is not null && Symbol == other.Symbol;
    }
}
