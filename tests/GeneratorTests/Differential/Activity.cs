using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>
/// Reverse mode's activity analysis, redone on a random program's source and independent of the generator's:
/// which calls to another [Differentiable] method (Helper, Layer) the backward sweep of F differentiates. Such a
/// call is live (its value reaches the return) and varied (an argument depends on a differentiated parameter;
/// every parameter of Helper and Layer is differentiated). F then has no second order, and AGG0020 says so.
/// </summary>
public static class Activity
{
    private static readonly HashSet<string> Callees = new() { "Helper", "Layer" };

    /// <summary>The text of every call to Helper or Layer that the backward sweep of F differentiates.</summary>
    public static IReadOnlyList<string> DifferentiatedCalls(RandomProgram program)
    {
        var body = (BlockSyntax)SyntaxFactory.ParseStatement("{\n" + program.Body + "\n}");
        var assignments = Assignments(body).ToList();
        return Live(assignments, Varied(program, body, assignments));
    }

    /// <summary>
    /// Whether F has a ?: that reads no differentiated value: a constant expression, evaluated as written, so FBackward
    /// allocates the vectors and matrices its condition and arms compute (flag ? Sum(A + A) : s, A [NoGradient]).
    /// </summary>
    public static bool HasConstantConditional(RandomProgram program)
    {
        var body = (BlockSyntax)SyntaxFactory.ParseStatement("{\n" + program.Body + "\n}");
        var varied = Varied(program, body, Assignments(body).ToList());
        return body.DescendantNodes().OfType<ConditionalExpressionSyntax>().Any(c => !ValueReads(c).Any(varied.Contains));
    }

    /// <summary>The names whose values an expression reads: not those it reads only the shape of (v.Length, A.Rows).</summary>
    private static IEnumerable<string> ValueReads(Microsoft.CodeAnalysis.SyntaxNode node) => node switch
    {
        MemberAccessExpressionSyntax { Name.Identifier.Text: "Rows" or "Cols" or "Length" } => Enumerable.Empty<string>(),
        IdentifierNameSyntax name => new[] { name.Identifier.Text },
        _ => node.ChildNodes().SelectMany(ValueReads),
    };

    /// <summary>
    /// Forward, to a fixpoint (a loop carries values back to its start): a local varies if a value assigned to it reads a
    /// varied name; a local that a loop or an arm reassigns varies in any case (the generator's phi is active).
    /// </summary>
    private static HashSet<string> Varied(RandomProgram program, BlockSyntax body, List<(string? Target, ExpressionSyntax Value)> assignments)
    {
        var varied = program.Parameters.Where(p => !p.NoGradient).Select(p => p.Name).ToHashSet();
        varied.UnionWith(body.DescendantNodes().Where(n => n is ForStatementSyntax or IfStatementSyntax)
            .SelectMany(r => r.DescendantNodes().OfType<AssignmentExpressionSyntax>()).Select(a => a.Left.ToString()));
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var (target, value) in assignments)
            {
                if (target is not null && !varied.Contains(target) && Reads(value, varied))
                {
                    changed |= varied.Add(target);
                }
            }
        }
        return varied;
    }

    private static List<string> Live(List<(string? Target, ExpressionSyntax Value)> assignments, HashSet<string> varied)
    {
        // Backward from the return, to a fixpoint: a local is live if a live value reads it (not in a condition, an
        // index or a shape, which have no derivative), and then every value assigned to it is live. Every reassignment
        // the generators draw reads its target (t += …, h = tanh(W h + …)), so no assignment is dead by being overwritten.
        var live = new HashSet<string>();
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var (target, value) in assignments.Where(a => a.Target is null || live.Contains(a.Target)))
            {
                foreach (var name in DerivativeReads(value))
                {
                    changed |= live.Add(name);
                }
            }
        }
        return assignments.Where(a => a.Target is null || live.Contains(a.Target))
            .SelectMany(a => a.Value.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
            .Where(c => c.Expression is IdentifierNameSyntax name && Callees.Contains(name.Identifier.Text) && Reads(c.ArgumentList, varied))
            .Select(c => c.ToString()).ToList();
    }

    /// <summary>Every (local assigned, or null for the return; value) of a body, in source order, through loops and arms.</summary>
    private static IEnumerable<(string? Target, ExpressionSyntax Value)> Assignments(StatementSyntax statement) => statement switch
    {
        BlockSyntax block => block.Statements.SelectMany(Assignments),
        ForStatementSyntax loop => Assignments(loop.Statement),
        IfStatementSyntax branch => Assignments(branch.Statement).Concat(branch.Else is null ? Enumerable.Empty<(string?, ExpressionSyntax)>() : Assignments(branch.Else.Statement)),
        _ => new[] { Split(statement) },
    };

    /// <summary>The names a value reads through its derivative: not in a ?:'s condition, an index or a shape.</summary>
    private static IEnumerable<string> DerivativeReads(Microsoft.CodeAnalysis.SyntaxNode node) => node switch
    {
        ConditionalExpressionSyntax c => DerivativeReads(c.WhenTrue).Concat(DerivativeReads(c.WhenFalse)),
        ElementAccessExpressionSyntax e => DerivativeReads(e.Expression),
        MemberAccessExpressionSyntax { Name.Identifier.Text: "Rows" or "Cols" or "Length" } => Enumerable.Empty<string>(),
        IdentifierNameSyntax name => new[] { name.Identifier.Text },
        _ => node.ChildNodes().SelectMany(DerivativeReads),
    };

    /// <summary>A statement of a random body as (the local it assigns, or null for the return; the value).</summary>
    private static (string? Target, ExpressionSyntax Value) Split(StatementSyntax statement) => statement switch
    {
        ReturnStatementSyntax r => (null, r.Expression!),
        LocalDeclarationStatementSyntax d => (d.Declaration.Variables[0].Identifier.Text, d.Declaration.Variables[0].Initializer!.Value),
        ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax left } a } => (left.Identifier.Text, a.Right),
        _ => throw new InvalidOperationException("unexpected statement in a random body: " + statement),
    };

    private static bool Reads(Microsoft.CodeAnalysis.SyntaxNode node, HashSet<string> names)
        => node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => names.Contains(n.Identifier.Text));
}
