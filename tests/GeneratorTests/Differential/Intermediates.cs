using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>
/// F's body again, as a plain method <see cref="Method"/> that returns false if F's evaluation leaves the domain where
/// floating-point derivatives exist, though F itself may stay finite:
/// <list type="bullet">
/// <item>an intermediate value (each call, operator, and local after a compound assignment) is not finite:
/// σ(exp(3000)) = σ(∞) = 1, and every reverse-mode derivative through it is 0 · ∞ = NaN;</item>
/// <item>a square root's argument is below 1e-150: √(exp(−10¹³)) = √0 = 0, and √'s derivatives ½ y^(−1/2) and
/// −¼ y^(−3/2) (which overflows below 1e-206) make the derivative through it 0 · ∞ = NaN.</item>
/// </list>
/// Whatever the rules, such a draw is outside the region the differential test can compare, and
/// <see cref="ProgramChecker"/> counts it. Compiled with the program, in a second part of its partial class.
/// </summary>
public static class Intermediates
{
    public const string Method = "FIntermediatesInDomain";

    public static string Source(RandomProgram program, string className)
    {
        var body = (BlockSyntax)new Probes().Visit(SyntaxFactory.ParseStatement("{\n" + program.Body + "\n}"));
        return $$"""
            using AutoGradGen;
            using static AutoGradGen.Ops;

            public static partial class {{className}}
            {
                private static bool _inDomain;

                public static bool {{Method}}({{program.PlainParameters}})
                {
                    _inDomain = true;
            {{string.Join("\n", body.Statements.Select(s => "        " + s.NormalizeWhitespace().ToFullString()))}}
                }

                private static bool Probed(double value) => _inDomain;

                private static double Probe(double x) => Check(x, double.IsFinite);

                private static Vector<double> Probe(Vector<double> x) => Check(x, double.IsFinite);

                private static Matrix<double> Probe(Matrix<double> x) => Check(x, double.IsFinite);

                private static double ProbeSqrt(double x) => Check(x, e => e >= 1e-150);

                private static Vector<double> ProbeSqrt(Vector<double> x) => Check(x, e => e >= 1e-150);

                private static Matrix<double> ProbeSqrt(Matrix<double> x) => Check(x, e => e >= 1e-150);

                private static double Check(double x, System.Func<double, bool> ok)
                {
                    _inDomain &= ok(x);
                    return x;
                }

                private static Vector<double> Check(Vector<double> x, System.Func<double, bool> ok)
                {
                    foreach (var e in x.AsSpan())
                    {
                        _inDomain &= ok(e);
                    }
                    return x;
                }

                private static Matrix<double> Check(Matrix<double> x, System.Func<double, bool> ok)
                {
                    foreach (var e in x.AsSpan())
                    {
                        _inDomain &= ok(e);
                    }
                    return x;
                }
            }
            """;
    }

    /// <summary>
    /// Wraps each call, operator and assignment in Probe(…), each square root's argument in ProbeSqrt(…), and the return
    /// value in Probed(Probe(…)).
    /// </summary>
    private sealed class Probes : CSharpSyntaxRewriter
    {
        public override SyntaxNode VisitInvocationExpression(InvocationExpressionSyntax node)
        {
            var visited = (InvocationExpressionSyntax)base.VisitInvocationExpression(node)!;
            if (visited.Expression is IdentifierNameSyntax { Identifier.Text: "Sqrt" } && visited.ArgumentList.Arguments.Count == 1)
            {
                var argument = visited.ArgumentList.Arguments[0];
                visited = visited.WithArgumentList(visited.ArgumentList.WithArguments(
                    SyntaxFactory.SingletonSeparatedList(argument.WithExpression(Call("ProbeSqrt", argument.Expression)))));
            }
            return Wrap(visited);
        }

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
