using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>
/// F's body again, as a plain method <see cref="Method"/> that returns false if any intermediate value (each call,
/// operator, and local after a compound assignment) is not finite. An intermediate that overflows while F stays
/// finite (σ of exp(3000) = σ(∞) = 1, say) makes every reverse-mode derivative through it 0 · ∞ = NaN, whatever the
/// rules: such a draw is outside the region the differential test can compare, and <see cref="ProgramChecker"/>
/// counts it. Compiled with the program, in a second part of its partial class.
/// </summary>
public static class Intermediates
{
    public const string Method = "FIntermediatesFinite";

    public static string Source(RandomProgram program, string className)
    {
        var body = (BlockSyntax)new Probes().Visit(SyntaxFactory.ParseStatement("{\n" + program.Body + "\n}"));
        return $$"""
            using AutoGradGen;
            using static AutoGradGen.Ops;

            public static partial class {{className}}
            {
                private static bool _finite;

                public static bool {{Method}}({{program.PlainParameters}})
                {
                    _finite = true;
            {{string.Join("\n", body.Statements.Select(s => "        " + s.NormalizeWhitespace().ToFullString()))}}
                }

                private static bool Probed(double value) => _finite;

                private static double Probe(double x)
                {
                    _finite &= double.IsFinite(x);
                    return x;
                }

                private static Vector<double> Probe(Vector<double> x)
                {
                    foreach (var e in x.AsSpan())
                    {
                        _finite &= double.IsFinite(e);
                    }
                    return x;
                }

                private static Matrix<double> Probe(Matrix<double> x)
                {
                    foreach (var e in x.AsSpan())
                    {
                        _finite &= double.IsFinite(e);
                    }
                    return x;
                }
            }
            """;
    }

    /// <summary>Wraps each call, operator and assignment in Probe(…), and the return value in Probed(Probe(…)).</summary>
    private sealed class Probes : CSharpSyntaxRewriter
    {
        public override SyntaxNode VisitInvocationExpression(InvocationExpressionSyntax node) => Wrap(base.VisitInvocationExpression(node)!);

        public override SyntaxNode VisitBinaryExpression(BinaryExpressionSyntax node) => Wrap(base.VisitBinaryExpression(node)!);

        public override SyntaxNode VisitPrefixUnaryExpression(PrefixUnaryExpressionSyntax node) => Wrap(base.VisitPrefixUnaryExpression(node)!);

        /// <summary>t += e → Probe(t += Probe(e)): the left side stays assignable.</summary>
        public override SyntaxNode VisitAssignmentExpression(AssignmentExpressionSyntax node)
            => Wrap(node.WithRight((ExpressionSyntax)Visit(node.Right)));

        public override SyntaxNode VisitReturnStatement(ReturnStatementSyntax node)
            => node.WithExpression(Call("Probed", (ExpressionSyntax)Visit(node.Expression!)));

        private static ExpressionSyntax Wrap(SyntaxNode node) => Call("Probe", (ExpressionSyntax)node);

        private static ExpressionSyntax Call(string name, ExpressionSyntax argument)
            => SyntaxFactory.InvocationExpression(SyntaxFactory.IdentifierName(name),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(argument.WithoutTrivia()))));
    }
}
