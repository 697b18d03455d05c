using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGradGen.Generator.Parsing
{
    internal sealed partial class Lowering
    {
        /// <summary>Deeper expressions are rejected (with a diagnostic) before any recursion can overflow the stack.</summary>
        public const int MaxDepth = 200;

        private int _depth;

        private int? Lower(IOperation operation)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (_depth >= MaxDepth)
            {
                Report(Descriptors.UnsupportedExpression, operation.Syntax.GetLocation(), "An expression nested more than " + MaxDepth + " levels deep",
                    "split it into local variables");
                return null;
            }
            _depth++;
            try
            {
                int before = Nodes.Count;
                var id = LowerOperation(operation);
                if (id is { } made && made >= before)
                {
                    Remember(made, operation.Syntax);
                }
                return id;
            }
            finally
            {
                _depth--;
            }
        }

        private int? LowerOperation(IOperation operation)
        {
            switch (operation)
            {
                case IParameterReferenceOperation p:
                    return Lookup(p.Parameter, p);
                case ILocalReferenceOperation l:
                    return Lookup(l.Local, l);
                case ILiteralOperation or IDefaultValueOperation when operation.ConstantValue.HasValue:
                    return Constant(operation);
                case IConversionOperation conversion:
                    return LowerConversion(conversion);
                case IBinaryOperation binary:
                    return LowerBinary(binary);
                case IUnaryOperation unary:
                    return LowerUnary(unary);
                case IInvocationOperation invocation:
                    return LowerInvocation(invocation);
                case IPropertyReferenceOperation property:
                    return LowerProperty(property);
                default:
                    if (operation.ConstantValue.HasValue)
                    {
                        return Constant(operation);
                    }
                    if (TryConstant(operation, out var constant))
                    {
                        return constant;
                    }
                    if (operation is IConditionalOperation { WhenFalse: not null } conditional)
                    {
                        return LowerTernary(conditional);
                    }
                    Report(Descriptors.UnsupportedExpression, operation.Syntax.GetLocation(), Describe(operation), Suggest(operation));
                    return null;
            }
        }

        private int? Lookup(ISymbol symbol, IOperation at)
        {
            if (_bindings.TryGetValue(symbol, out var id))
            {
                return id;
            }
            Report(Descriptors.UnsupportedExpression, at.Syntax.GetLocation(), "'" + symbol.Name + "'", "use only parameters and locals declared in this method");
            return null;
        }

        private int? Constant(IOperation operation)
        {
            var value = operation.ConstantValue.Value;
            if (TypeClassifier.TryClassify(operation.Type, out var kind, out var element, out _) && value is not null)
            {
                if (element is not null && element != _element)
                {
                    Report(Descriptors.MixedElementTypes, operation.Syntax.GetLocation(), operation.Syntax.ToString(), element, _method.Name, _element);
                    return null;
                }
                var number = System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                return Add(Op.Literal, kind, EquatableArray<int>.Empty, value: number);
            }
            Report(Descriptors.UnsupportedExpression, operation.Syntax.GetLocation(), "The constant '" + operation.Syntax + "'", "use numeric constants of the method's element type or int");
            return null;
        }

        private int? LowerConversion(IConversionOperation conversion)
        {
            if (conversion.ConstantValue.HasValue && conversion.Operand.ConstantValue.HasValue)
            {
                return Constant(conversion);
            }
            if (!TypeClassifier.TryClassify(conversion.Operand.Type, out _, out var operandElement, out _) || operandElement is not null && operandElement != _element)
            {
                // From another type ((float)Math.Sqrt(n) in a float method): a constant unless it reads a differentiated value.
                if (TryConstant(conversion, out var constant))
                {
                    return constant;
                }
            }
            var operand = Lower(conversion.Operand);
            if (operand is null)
            {
                return null;
            }
            if (SymbolEqualityComparer.Default.Equals(conversion.Type, conversion.Operand.Type))
            {
                return operand;
            }
            TypeClassifier.TryClassify(conversion.Type, out var to, out var toElement, out _);
            TypeClassifier.TryClassify(conversion.Operand.Type, out var from, out var fromElement, out var isBool);
            if (from == ValueKind.Int && !isBool && to == ValueKind.Scalar && toElement == _element)
            {
                return Add(Op.ToReal, ValueKind.Scalar, operand.Value);
            }
            if (fromElement is not null && toElement is not null && fromElement != toElement)
            {
                var foreign = fromElement == _element ? toElement : fromElement;
                Report(Descriptors.MixedElementTypes, conversion.Syntax.GetLocation(), conversion.Syntax.ToString(), foreign, _method.Name, _element);
                return null;
            }
            Report(Descriptors.UnsupportedExpression, conversion.Syntax.GetLocation(), "The conversion of '" + conversion.Operand.Syntax + "' to '" + conversion.Type?.ToDisplayString() + "'", "keep values in the method's element type; int dimensions convert implicitly");
            return null;
        }

        private int? LowerBinary(IBinaryOperation binary)
        {
            bool arithmetic = binary.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide;
            if ((!arithmetic || binary.OperatorKind == BinaryOperatorKind.Divide && binary.Type?.SpecialType == SpecialType.System_Int32)
                && TryConstant(binary, out var constant))
            {
                return constant;   // n % 2, n / 2, n > 3: constants of ints
            }
            var left = Lower(binary.LeftOperand);
            var right = Lower(binary.RightOperand);
            if (left is null || right is null)
            {
                return null;
            }
            return Binary(binary.OperatorKind, left.Value, right.Value, binary.Syntax, binary.Type);
        }

        /// <summary>A binary operator on lowered operands; the kinds pick the op (M + v broadcasts over columns).</summary>
        private int? Binary(BinaryOperatorKind kind, int left, int right, SyntaxNode syntax, ITypeSymbol? type)
        {
            if (!TypeClassifier.TryClassify(type, out var resultKind, out _, out var isBool) || isBool)
            {
                Report(Descriptors.UnsupportedExpression, syntax.GetLocation(), "The operator in '" + syntax + "'", "only +, -, * and / on scalars, vectors and matrices are differentiable");
                return null;
            }
            var lk = Nodes[left].Kind;
            var rk = Nodes[right].Kind;
            if (kind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract && resultKind is ValueKind.Vector or ValueKind.Matrix
                && (lk == ValueKind.Scalar) != (rk == ValueKind.Scalar))
            {
                return Add(kind == BinaryOperatorKind.Add ? Op.AddScalar : Op.SubtractScalar, resultKind, left, right);   // A + s𝟙𝟙ᵀ, s𝟙𝟙ᵀ − A
            }
            switch (kind)
            {
                case BinaryOperatorKind.Add:
                    return Add(lk == rk ? Op.Add : Op.AddColumns, resultKind, left, right);
                case BinaryOperatorKind.Subtract:
                    return Add(lk == rk ? Op.Subtract : Op.SubtractColumns, resultKind, left, right);
                case BinaryOperatorKind.Multiply:
                    return Add(Op.Multiply, resultKind, left, right);
                case BinaryOperatorKind.Divide when rk is ValueKind.Scalar or ValueKind.Int:
                    if (resultKind == ValueKind.Int)
                    {
                        Report(Descriptors.UnsupportedExpression, syntax.GetLocation(), "Integer division '" + syntax + "'", "convert to the element type first, e.g. (double)n / m");
                        return null;
                    }
                    return Add(Op.Divide, resultKind, left, right);
                default:
                    Report(Descriptors.UnsupportedExpression, syntax.GetLocation(), "The operator '" + kind + "' in '" + syntax + "'",
                        "only +, -, * and / are differentiable; for element-wise products use Hadamard(A, B)");
                    return null;
            }
        }

        private int? LowerUnary(IUnaryOperation unary)
        {
            var operand = Lower(unary.Operand);
            if (operand is null)
            {
                return null;
            }
            switch (unary.OperatorKind)
            {
                case UnaryOperatorKind.Plus:
                    return operand;
                case UnaryOperatorKind.Minus:
                    return Add(Op.Negate, Nodes[operand.Value].Kind, operand.Value);
                default:
                    Report(Descriptors.UnsupportedExpression, unary.Syntax.GetLocation(), "The operator in '" + unary.Syntax + "'", "only unary minus is differentiable");
                    return null;
            }
        }

        private int? LowerProperty(IPropertyReferenceOperation property)
        {
            var name = property.Property.Name;
            var containing = property.Property.ContainingType;
            bool ours = containing?.ContainingNamespace?.ToDisplayString() == TypeClassifier.AttributeNamespace;
            if (ours && property.Property.IsIndexer && property.Instance is not null)
            {
                return LowerElement(property);
            }
            Op? op = ours && !property.Property.IsIndexer ? name switch { "Rows" => Op.Rows, "Cols" => Op.Cols, "Length" => Op.Length, _ => null } : null;
            if (op is null || property.Instance is null)
            {
                if (TryConstant(property, out var constant))
                {
                    return constant;
                }
                Report(Descriptors.UnsupportedExpression, property.Syntax.GetLocation(),
                    property.Property.IsIndexer ? "Element access '" + property.Syntax + "'" : "The property '" + property.Syntax + "'",
                    property.Property.IsIndexer ? "use whole-matrix operations (Hadamard, Sum, Dot, …) instead of indexing" : "only X.Rows, X.Cols and v.Length may be read");
                return null;
            }
            var instance = Lower(property.Instance);
            return instance is null ? null : Add(op, ValueKind.Int, instance.Value);
        }

        private int? LowerInvocation(IInvocationOperation invocation)
        {
            var target = invocation.TargetMethod;
            if (!LowersNatively(target) && TryConstant(invocation, out var constant))
            {
                return constant;
            }
            var arguments = new List<int>();
            foreach (var argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
            {
                var id = Lower(argument.Value);
                if (id is null)
                {
                    return null;
                }
                arguments.Add(id.Value);
            }
            TypeClassifier.TryClassify(invocation.Type, out var kind, out _, out _);
            if (target.ContainingType?.ToDisplayString() == "AutoGradGen.Ops")
            {
                if (Op.ForOpsFunction(target.Name) is { } op)
                {
                    return Add(op.ForOperands(arguments.Select(a => Nodes[a].Kind).ToList()), kind, arguments.ToEquatableArray());
                }
                Report(Descriptors.NoDerivative, invocation.Syntax.GetLocation(), "Ops." + target.Name);
                return null;
            }
            if (CustomDerivatives.HasPullback(target))
            {
                return LowerCustomCall(invocation, target, arguments, kind);
            }
            if (ScalarMathOp(target) is { } math)
            {
                return Add(math, kind, arguments.ToEquatableArray());   // Math.Exp(x), MathF.Max(a, b), double.Pow(x, p)
            }
            if (TypeClassifier.HasAttribute(target, TypeClassifier.IsDifferentiableAttribute) && target.IsStatic)
            {
                return LowerCall(invocation, target, arguments, kind);
            }
            Report(Descriptors.NoDerivative, invocation.Syntax.GetLocation(), target.ContainingType?.Name + "." + target.Name);
            return null;
        }

        private int? LowerCall(IInvocationOperation invocation, IMethodSymbol target, List<int> arguments, ValueKind kind)
        {
            if (SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, _method.OriginalDefinition))
            {
                Report(Descriptors.Recursion, invocation.Syntax.GetLocation(), target.Name);
                return null;
            }
            var differentiated = new List<int>();
            for (int i = 0; i < target.Parameters.Length; i++)
            {
                if (TypeClassifier.IsDifferentiated(target.Parameters[i]))
                {
                    differentiated.Add(i);
                }
                else if (IsActive(arguments[i]) && Nodes[arguments[i]].Kind != ValueKind.Int)
                {
                    var argSyntax = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == i)?.Syntax ?? invocation.Syntax;
                    Report(Descriptors.ConstantArgumentDependsOnParameter, argSyntax.GetLocation(), argSyntax.ToString(), target.Name, target.Parameters[i].Name);
                    return null;
                }
            }
            if (ForeignCalleeProblem(target, kind) is { } problem)
            {
                Report(Descriptors.CalleeUnusable, invocation.Syntax.GetLocation(), target.Name, problem);
                return null;
            }
            var callee = new CalleeInfo(
                target.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                target.Name,
                target.Parameters.Select(p => p.Name).ToEquatableArray(),
                differentiated.ToEquatableArray(),
                kind,
                GeneratedNaming.WorkspaceName(target),
                CalleeBodyOf(target),
                Forward: HasForwardMode(target));
            return Add(Op.Call, kind, arguments.ToEquatableArray(), callee: callee);
        }

        private static string Describe(IOperation operation) => operation switch
        {
            IConditionalOperation => "A conditional expression '" + operation.Syntax + "'",
            IAnonymousFunctionOperation or IDelegateCreationOperation => "A lambda",
            IObjectCreationOperation => "Creating an object ('" + operation.Syntax + "')",
            IArrayElementReferenceOperation => "Element access '" + operation.Syntax + "'",
            IFieldReferenceOperation f => "The field '" + f.Field.Name + "'",
            IAssignmentOperation => "An assignment inside an expression",
            IIncrementOrDecrementOperation => "'" + operation.Syntax + "'",
            _ => "The expression '" + operation.Syntax + "'",
        };

        private static string Suggest(IOperation operation) => operation switch
        {
            IConditionalOperation => "conditionals are not differentiable yet; compute both branches as separate [Differentiable] methods",
            IObjectCreationOperation => "pass matrices and vectors in as [NoGradient] parameters",
            IArrayElementReferenceOperation => "use whole-matrix operations instead of indexing",
            IFieldReferenceOperation => "pass the value in as a [NoGradient] parameter",
            _ => "use parameters, locals, numeric constants, operators and AutoGradGen.Ops functions",
        };
    }
}
