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
        var statements = ((BlockSyntax)SyntaxFactory.ParseStatement("{\n" + program.Body + "\n}")).Statements.Select(Split).ToList();
        // Forward: a local varies if its value (initializer, or a compound assignment's right side) reads a varied
        // name. A compound assignment follows its declaration at once, before any later statement reads the local.
        var varied = program.Parameters.Where(p => !p.NoGradient).Select(p => p.Name).ToHashSet();
        foreach (var (target, value) in statements)
        {
            if (target is not null && Reads(value, varied))
            {
                varied.Add(target);
            }
        }
        // Backward from the return: a statement is live if it assigns a local that a live statement reads.
        var live = new HashSet<string>();
        var calls = new List<string>();
        for (int i = statements.Count - 1; i >= 0; i--)
        {
            var (target, value) = statements[i];
            if (target is not null && !live.Contains(target))
            {
                continue;
            }
            live.UnionWith(value.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Select(n => n.Identifier.Text));
            calls.AddRange(value.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
                .Where(c => c.Expression is IdentifierNameSyntax name && Callees.Contains(name.Identifier.Text) && Reads(c.ArgumentList, varied))
                .Select(c => c.ToString()));
        }
        return calls;
    }

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
