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
/// <para>
/// <see cref="NearKinkMethod"/> says, after <see cref="Method"/> ran, whether the draw is within a margin of a kink, where
/// a central difference of step 1e-6 could straddle it: a T comparison (a &lt; b, a &gt; b, …) with |a − b| below
/// 1e-3 · max(1, |a|, |b|); an argument of Abs or LeakyRelu within 1e-3 of 0; arguments of Maximum or Minimum within 1e-3
/// of a tie; and, as a conditioning guard, a LayerNorm column or BatchNorm row whose variance is below 1e-3 (the
/// normalization's derivatives grow as 1/σ³ there). The margin is 1000 steps, so such a draw is skipped rather than
/// compared with a wider tolerance; every other draw is compared at the usual tolerance.
/// </para>
/// </summary>
public static class Intermediates
{
    public const string Method = "FIntermediatesInDomain";

    public const string NearKinkMethod = "FIntermediatesNearKink";

    /// <summary>The margin to a kink below which a draw is not compared with finite differences.</summary>
    public const double Margin = 1e-3;

    public static string Source(RandomProgram program, string className)
    {
        var body = (BlockSyntax)new Probes().Visit(SyntaxFactory.ParseStatement("{\n" + program.Body + "\n}"));
        return $$"""
            using AutoGradGen;
            using static AutoGradGen.Ops;

            public static partial class {{className}}
            {
                private static bool _inDomain;

                private static bool _nearKink;

                public static bool {{NearKinkMethod}}() => _nearKink;

                public static bool {{Method}}({{program.PlainParameters}})
                {
                    _inDomain = true;
                    _nearKink = false;
            {{string.Join("\n", body.Statements.Select(s => "        " + s.NormalizeWhitespace().ToFullString()))}}
                }

                private static bool Probed(double value) => _inDomain;

                private static double Probe(double x) => Check(x, double.IsFinite);

                private static int Probe(int x) => x;

                private static bool Probe(bool x) => x;

                private static int Gap(int a, int b) => a - b;

                private static double Gap(double a, double b)
                {
                    _nearKink |= System.Math.Abs(a - b) < 1e-3 * System.Math.Max(1, System.Math.Max(System.Math.Abs(a), System.Math.Abs(b)));
                    return a - b;
                }

                private static double ProbeKink(double x) => Kink(x, e => System.Math.Abs(e) < 1e-3);

                private static Vector<double> ProbeKink(Vector<double> x) => Kink(x, e => System.Math.Abs(e) < 1e-3);

                private static Matrix<double> ProbeKink(Matrix<double> x) => Kink(x, e => System.Math.Abs(e) < 1e-3);

                private static Vector<double> ProbeTie(Vector<double> a, Vector<double> b) => Tie(a, a - b);

                private static Matrix<double> ProbeTie(Matrix<double> a, Matrix<double> b) => Tie(a, a - b);

                private static T Tie<T>(T a, Vector<double> difference) { Kink(difference, e => System.Math.Abs(e) < 1e-3); return a; }

                private static T Tie<T>(T a, Matrix<double> difference) { Kink(difference, e => System.Math.Abs(e) < 1e-3); return a; }

                private static double Kink(double x, System.Func<double, bool> near)
                {
                    _nearKink |= near(x);
                    return x;
                }

                private static Vector<double> Kink(Vector<double> x, System.Func<double, bool> near)
                {
                    foreach (var e in x.AsSpan())
                    {
                        _nearKink |= near(e);
                    }
                    return x;
                }

                private static Matrix<double> Kink(Matrix<double> x, System.Func<double, bool> near)
                {
                    foreach (var e in x.AsSpan())
                    {
                        _nearKink |= near(e);
                    }
                    return x;
                }

                /// <summary>LayerNorm's columns (over the rows), or BatchNorm's rows (over the columns) when transposed.</summary>
                private static Matrix<double> ProbeSpread(Matrix<double> x, bool rows)
                {
                    var m = rows ? Transpose(x) : x;
                    for (int j = 0; j < m.Cols; j++)
                    {
                        double mean = 0, square = 0;
                        for (int i = 0; i < m.Rows; i++)
                        {
                            mean += m[i, j] / m.Rows;
                        }
                        for (int i = 0; i < m.Rows; i++)
                        {
                            square += (m[i, j] - mean) * (m[i, j] - mean) / m.Rows;
                        }
                        _nearKink |= square < 1e-3;
                    }
                    return x;
                }

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
            var arguments = visited.ArgumentList.Arguments;
            var first = arguments.Count > 0 ? arguments[0].Expression : null;
            var probe = (visited.Expression as IdentifierNameSyntax)?.Identifier.Text switch
            {
                "Sqrt" when arguments.Count == 1 => Call("ProbeSqrt", first!),
                "Abs" or "LeakyRelu" => Call("ProbeKink", first!),
                "Maximum" or "Minimum" => Call("ProbeTie", first!, arguments[1].Expression),
                "LayerNorm" => Call("ProbeSpread", first!, SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression)),
                "BatchNorm" => Call("ProbeSpread", first!, SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression)),
                _ => null,
            };
            if (probe is not null)
            {
                visited = visited.WithArgumentList(visited.ArgumentList.WithArguments(arguments.Replace(arguments[0], arguments[0].WithExpression(probe))));
            }
            return Wrap(visited);
        }

        /// <summary>a &lt; b → Gap(a, b) &lt; 0, which notes a T comparison within the margin of a tie; other operators are probed as values.</summary>
        public override SyntaxNode VisitBinaryExpression(BinaryExpressionSyntax node)
        {
            var visited = (BinaryExpressionSyntax)base.VisitBinaryExpression(node)!;
            if (visited.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression)
            {
                visited = visited.WithLeft(Call("Gap", visited.Left, visited.Right))
                    .WithRight(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(0)));
            }
            return Wrap(visited);
        }

        public override SyntaxNode VisitPrefixUnaryExpression(PrefixUnaryExpressionSyntax node) => Wrap(base.VisitPrefixUnaryExpression(node)!);

        /// <summary>t += e → Probe(t += Probe(e)): the left side stays assignable.</summary>
        public override SyntaxNode VisitAssignmentExpression(AssignmentExpressionSyntax node)
            => Wrap(node.WithRight((ExpressionSyntax)Visit(node.Right)));

        public override SyntaxNode VisitReturnStatement(ReturnStatementSyntax node)
            => node.WithExpression(Call("Probed", (ExpressionSyntax)Visit(node.Expression!)));

        private static ExpressionSyntax Wrap(SyntaxNode node) => Call("Probe", (ExpressionSyntax)node);

        private static ExpressionSyntax Call(string name, params ExpressionSyntax[] arguments)
            => SyntaxFactory.InvocationExpression(SyntaxFactory.IdentifierName(name),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(a => SyntaxFactory.Argument(a.WithoutTrivia())))));
    }
}
