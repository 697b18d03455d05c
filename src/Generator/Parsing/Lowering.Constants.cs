using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Operations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGradGen.Generator.Parsing
{
    // Scalar math on T (Math.*, MathF.*, T.Exp-style statics) and constants: any expression that reads no differentiated
    // value becomes one Op.Constant node, its source printed global::-qualified with the method's values cut out.
    internal sealed partial class Lowering
    {
        /// <summary>
        /// The element-wise op a scalar function of <c>System.Math</c>, <c>System.MathF</c>, <c>double</c> or <c>float</c>
        /// lowers to (Exp, Log, Sqrt, Tanh, Abs, Max, Min, Pow on the method's element type), or null.
        /// </summary>
        private Op? ScalarMathOp(IMethodSymbol target)
        {
            var type = target.ContainingType;
            if (type is null || !target.IsStatic
                || !(type.SpecialType is SpecialType.System_Double or SpecialType.System_Single || type.ToDisplayString() is "System.Math" or "System.MathF")
                || !TypeClassifier.TryClassify(target.ReturnType, out var kind, out var element, out _) || kind != ValueKind.Scalar || element != _element
                || target.Parameters.Any(p => !SymbolEqualityComparer.Default.Equals(p.Type, target.ReturnType) || p.RefKind != RefKind.None))
            {
                return null;
            }
            var (op, arity) = target.Name switch
            {
                "Exp" => (Op.Exp, 1),
                "Log" => (Op.Log, 1),
                "Sqrt" => (Op.Sqrt, 1),
                "Tanh" => (Op.Tanh, 1),
                "Abs" => (Op.Abs, 1),
                "Max" => (Op.Maximum, 2),
                "Min" => (Op.Minimum, 2),
                "Pow" => (Op.Pow, 2),
                _ => ((Op?)null, 0),
            };
            return op is not null && target.Parameters.Length == arity ? op : null;
        }

        /// <summary>Whether a call lowers to an op of its own: an Ops function with a rule, scalar math, or a [Differentiable] method.</summary>
        private bool LowersNatively(IMethodSymbol target)
            => target.ContainingType?.ToDisplayString() == "AutoGradGen.Ops" && Op.ForOpsFunction(target.Name) is not null
               || ScalarMathOp(target) is not null
               || target.IsStatic && TypeClassifier.HasAttribute(target, TypeClassifier.IsDifferentiableAttribute);

        /// <summary>
        /// Lowers an expression that reads no differentiated value to one constant node. False when it does read one
        /// (the caller reports what it cannot differentiate); true otherwise, with the node, or null after a diagnostic.
        /// </summary>
        private bool TryConstant(IOperation operation, out int? id)
        {
            id = null;
            var type = operation.Type;
            if (type is null || type.SpecialType == SpecialType.System_Void || ReadsDifferentiatedValue(operation))
            {
                return false;
            }
            if (!TypeClassifier.TryClassify(type, out var kind, out var element, out _))
            {
                if (!TypeClassifier.IsPassedThrough(type))
                {
                    return false;
                }
                kind = ValueKind.Int;   // another type: held as an opaque constant, read only by other constant expressions
            }
            if (element is not null && element != _element)
            {
                Report(Descriptors.MixedElementTypes, operation.Syntax.GetLocation(), operation.Syntax.ToString(), element, _method.Name, _element);
                return true;
            }
            if (WritesMethodValue(operation))
            {
                return true;
            }
            var printer = new ConstantPrinter(this);
            var code = printer.Print(operation.Syntax);
            id = Add(Op.Constant, kind, printer.Operands.ToEquatableArray(), active: false);
            Nodes[id.Value] = Nodes[id.Value] with { Code = code };
            return true;
        }

        /// <summary>Whether the expression reads a differentiated value (other than its shape: A.Rows, A.Cols, v.Length are constants).</summary>
        private bool ReadsDifferentiatedValue(IOperation operation)
        {
            foreach (var descendant in operation.DescendantsAndSelf())
            {
                var symbol = descendant switch
                {
                    IParameterReferenceOperation p => (ISymbol)p.Parameter,
                    ILocalReferenceOperation l => l.Local,
                    _ => null,
                };
                if (symbol is not null && _bindings.TryGetValue(symbol, out var bound) && IsActive(bound) && !IsShapeRead(descendant))
                {
                    return true;
                }
            }
            return false;
        }

        private static bool IsShapeRead(IOperation reference)
            => reference.Parent is IPropertyReferenceOperation { Property: { IsIndexer: false, Name: "Rows" or "Cols" or "Length" } property } read
               && read.Instance == reference && property.ContainingType?.ContainingNamespace?.ToDisplayString() == TypeClassifier.AttributeNamespace;

        /// <summary>AGG0021 at an assignment, increment or ref/out argument that writes one of the method's values inside a constant expression.</summary>
        private bool WritesMethodValue(IOperation operation)
        {
            foreach (var descendant in operation.DescendantsAndSelf())
            {
                var target = descendant switch
                {
                    IAssignmentOperation a => a.Target,
                    IIncrementOrDecrementOperation i => i.Target,
                    IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } arg => arg.Value,
                    _ => null,
                };
                var symbol = target switch
                {
                    IParameterReferenceOperation p => (ISymbol)p.Parameter,
                    ILocalReferenceOperation l => l.Local,
                    _ => null,
                };
                if (symbol is not null && _bindings.ContainsKey(symbol))
                {
                    Report(Descriptors.ConstantWritesValue, descendant.Syntax.GetLocation(), operation.Syntax.ToString(), symbol.Name);
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// Prints a constant expression as C# the generated file can compile: types and static members global::-qualified,
        /// extension calls as static calls, target-typed <c>new(…)</c> with its type, comments dropped, on one line; each
        /// reference to a value of the method (and each shape read A.Rows of one) cut out as an operand.
        /// </summary>
        private sealed class ConstantPrinter : CSharpSyntaxRewriter
        {
            private static readonly SymbolDisplayFormat Qualified = SymbolDisplayFormat.FullyQualifiedFormat;
            private readonly Lowering _owner;
            private readonly SemanticModel _model;

            public ConstantPrinter(Lowering owner)
            {
                _owner = owner;
                _model = owner._semanticModel;
            }

            public List<int> Operands { get; } = new();

            /// <summary>
            /// Lower each vector- or matrix-valued operation of Ops in the printed expression (a branch condition outside
            /// any region) to a node of its own, an operand: the generated methods compute it into their workspace rather
            /// than allocating it each time the condition is evaluated (Sum(Outer(v, w)) &gt; 0 reads the node Outer(v, w)).
            /// </summary>
            public bool LowerArrays { get; init; }

            public override SyntaxNode? VisitBinaryExpression(BinaryExpressionSyntax node)
                => ArrayValue(node) ?? SelfComparison(node, base.VisitBinaryExpression(node));

            /// <summary>
            /// A comparison whose two sides became the same operand (<c>var t0 = s; … t0 &lt;= s</c> reads the node s twice)
            /// would print as <c>s &lt;= s</c>, a warning (CS1718) and so an error in a project with warnings as errors: it is
            /// printed as what it evaluates to, <c>!T.IsNaN(s)</c> for ==, &lt;= and &gt;= on a floating-point value, T.IsNaN(s)
            /// for !=, true or false otherwise.
            /// </summary>
            private SyntaxNode? SelfComparison(BinaryExpressionSyntax original, SyntaxNode? visited)
            {
                if (visited is not BinaryExpressionSyntax { Left: IdentifierNameSyntax left, Right: IdentifierNameSyntax right } binary
                    || left.Identifier.ValueText != right.Identifier.ValueText || left.Identifier.ValueText[0] != ConstantTemplate.Separator)
                {
                    return visited;
                }
                var kind = binary.Kind();
                bool reflexive = kind is SyntaxKind.EqualsExpression or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanOrEqualExpression;
                if (!reflexive && kind is not (SyntaxKind.NotEqualsExpression or SyntaxKind.LessThanExpression or SyntaxKind.GreaterThanExpression))
                {
                    return visited;
                }
                var type = _model.GetTypeInfo(original.Left).Type;
                bool floating = type is { SpecialType: SpecialType.System_Double or SpecialType.System_Single } or ITypeParameterSymbol;
                ExpressionSyntax folded;
                if (floating && kind != SyntaxKind.LessThanExpression && kind != SyntaxKind.GreaterThanExpression)
                {
                    var isNaN = SyntaxFactory.InvocationExpression(
                        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeName(type!), SyntaxFactory.IdentifierName("IsNaN")),
                        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(left.WithoutTrivia()))));
                    folded = reflexive ? SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, isNaN) : isNaN;
                }
                else
                {
                    folded = SyntaxFactory.LiteralExpression(reflexive ? SyntaxKind.TrueLiteralExpression : SyntaxKind.FalseLiteralExpression);
                }
                return SyntaxFactory.ParenthesizedExpression(folded).WithTriviaFrom(visited);
            }

            public override SyntaxNode? VisitPrefixUnaryExpression(PrefixUnaryExpressionSyntax node) => ArrayValue(node) ?? base.VisitPrefixUnaryExpression(node);

            private SyntaxNode? ArrayValue(ExpressionSyntax node)
            {
                if (!LowerArrays || _model.GetOperation(node) is not { } operation || operation is not (IInvocationOperation or IBinaryOperation or IUnaryOperation)
                    || !TypeClassifier.TryClassify(operation.Type, out var kind, out _, out _) || kind is not (ValueKind.Vector or ValueKind.Matrix)
                    || !operation.DescendantsAndSelf().OfType<IInvocationOperation>().All(IsOp))
                {
                    return null;
                }
                return _owner.Lower(operation) is { } id ? Operand(id, node) : null;
            }

            private static bool IsOp(IInvocationOperation call)
                => call.TargetMethod.ContainingType is { Name: "Ops" } type && type.ContainingNamespace?.ToDisplayString() == TypeClassifier.AttributeNamespace;

            public string Print(SyntaxNode syntax)
            {
                var rewritten = Visit(syntax) ?? syntax;
                // One line: only a verbatim or raw string literal can still hold a line break (kept: it is the value).
                return rewritten.NormalizeWhitespace(string.Empty, " ").ToFullString();
            }

            public override SyntaxTrivia VisitTrivia(SyntaxTrivia trivia)
                => trivia.IsKind(SyntaxKind.WhitespaceTrivia) || trivia.IsKind(SyntaxKind.EndOfLineTrivia) ? trivia : default;

            private SyntaxNode Operand(int id, SyntaxNode original)
            {
                int index = Operands.IndexOf(id);
                if (index < 0)
                {
                    index = Operands.Count;
                    Operands.Add(id);
                }
                var marker = ConstantTemplate.Separator + index.ToString(CultureInfo.InvariantCulture) + ConstantTemplate.Separator;
                return SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(marker)).WithTriviaFrom(original);
            }

            private static ExpressionSyntax TypeName(ITypeSymbol type) => SyntaxFactory.ParseTypeName(type.ToDisplayString(Qualified));

            /// <summary>The right side of a.b, a?.b or N.M: named by what is on its left.</summary>
            private static bool IsMemberName(SimpleNameSyntax node)
                => node.Parent is MemberAccessExpressionSyntax access && access.Name == node
                   || node.Parent is QualifiedNameSyntax qualified && qualified.Right == node
                   || node.Parent is MemberBindingExpressionSyntax
                   || node.Parent is AliasQualifiedNameSyntax
                   || node.Parent is NameColonSyntax or NameEqualsSyntax;

            public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node) => Simple(node) ?? node;

            public override SyntaxNode? VisitGenericName(GenericNameSyntax node) => Simple(node) ?? base.VisitGenericName(node);

            private SyntaxNode? Simple(SimpleNameSyntax node)
            {
                if (IsMemberName(node) || node.IsVar)
                {
                    return null;
                }
                var symbol = _model.GetSymbolInfo(node).Symbol;
                switch (symbol)
                {
                    case ILocalSymbol or IParameterSymbol when _owner._bindings.TryGetValue(symbol, out var id):
                        return Operand(id, node);
                    case ITypeSymbol type:
                        return TypeName(type).WithTriviaFrom(node);
                    case INamespaceSymbol ns:
                        return SyntaxFactory.ParseName(ns.ToDisplayString(Qualified)).WithTriviaFrom(node);
                    case { IsStatic: true, ContainingType: { } containing } when symbol is IMethodSymbol { MethodKind: MethodKind.Ordinary } or IFieldSymbol or IPropertySymbol:
                        // A static member named without its type (the enclosing class's helper, a using static import).
                        var name = node is GenericNameSyntax generic ? (SimpleNameSyntax)base.VisitGenericName(generic)! : node;
                        return SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeName(containing), name.WithoutTrivia()).WithTriviaFrom(node);
                    default:
                        return null;
                }
            }

            public override SyntaxNode? VisitQualifiedName(QualifiedNameSyntax node)
                => _model.GetSymbolInfo(node).Symbol is INamespaceOrTypeSymbol symbol
                    ? (symbol is ITypeSymbol type ? TypeName(type) : SyntaxFactory.ParseName(symbol.ToDisplayString(Qualified))).WithTriviaFrom(node)
                    : base.VisitQualifiedName(node);

            public override SyntaxNode? VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
            {
                var symbol = _model.GetSymbolInfo(node).Symbol;
                if (symbol is INamespaceOrTypeSymbol named)
                {
                    return (named is ITypeSymbol type ? TypeName(type) : SyntaxFactory.ParseName(named.ToDisplayString(Qualified))).WithTriviaFrom(node);
                }
                if (symbol is IPropertySymbol && _model.GetOperation(node) is IPropertyReferenceOperation { Instance: { } instance } read && IsShapeRead(instance)
                    && instance is IParameterReferenceOperation or ILocalReferenceOperation && _owner.Lower(read) is { } shape)
                {
                    return Operand(shape, node);
                }
                return base.VisitMemberAccessExpression(node);
            }

            public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
            {
                if (ArrayValue(node) is { } lowered)
                {
                    return lowered;
                }
                if (_model.GetSymbolInfo(node).Symbol is IMethodSymbol { ReducedFrom: { } extension } && node.Expression is MemberAccessExpressionSyntax access)
                {
                    // x.Ext(a) as Ext(x, a): the generated file imports no namespace.
                    var receiver = (ExpressionSyntax)Visit(access.Expression)!;
                    var arguments = (ArgumentListSyntax)Visit(node.ArgumentList)!;
                    var method = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeName(extension.ContainingType),
                        (SimpleNameSyntax)(access.Name is GenericNameSyntax g ? base.VisitGenericName(g)! : access.Name).WithoutTrivia());
                    return SyntaxFactory.InvocationExpression(method, arguments.WithArguments(arguments.Arguments.Insert(0, SyntaxFactory.Argument(receiver))))
                        .WithTriviaFrom(node);
                }
                return base.VisitInvocationExpression(node);
            }

            public override SyntaxNode? VisitImplicitObjectCreationExpression(ImplicitObjectCreationExpressionSyntax node)
            {
                var type = _model.GetTypeInfo(node).Type;
                if (type is null)
                {
                    return base.VisitImplicitObjectCreationExpression(node);
                }
                var arguments = (ArgumentListSyntax)Visit(node.ArgumentList)!;
                var initializer = node.Initializer is null ? null : (InitializerExpressionSyntax)Visit(node.Initializer)!;
                return SyntaxFactory.ObjectCreationExpression((TypeSyntax)TypeName(type), arguments, initializer).WithTriviaFrom(node);
            }
        }
    }
}
