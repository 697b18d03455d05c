using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AutoGradGen.Generator.Diagnostics
{
    /// <summary>
    /// Every diagnostic the generator reports. One ID range, AGG0001…; each entry is mirrored in
    /// docs/diagnostics.md with an example and its fix.
    /// </summary>
    internal static class Descriptors
    {
        private const string Category = "AutoGradGen";
        /// <summary>The project's repository; every help link is built from it.</summary>
        public const string RepositoryUrl = "https://github.com/AutoGradGen/AutoGradGen";

        /// <summary>The documentation page of the diagnostics; a help link adds the lower-case ID as the anchor.</summary>
        public const string HelpBase = RepositoryUrl + "/blob/main/docs/diagnostics.md#";

        public static readonly DiagnosticDescriptor UnsupportedStatement = Error(
            "AGG0001", "Unsupported statement",
            "'{0}' statements are not supported in a [Differentiable] method; write the body as local declarations (var x = …), assignments (x = …, x += …) and one final return");

        public static readonly DiagnosticDescriptor NoDerivative = Error(
            "AGG0002", "Call to a method with no derivative",
            "'{0}' has no derivative; mark it [Differentiable] (or use an AutoGradGen.Ops function) so that gradients can flow through it");

        public static readonly DiagnosticDescriptor NotStatic = Error(
            "AGG0003", "Differentiable method must be static",
            "[Differentiable] method '{0}' must be static; add the 'static' modifier");

        public static readonly DiagnosticDescriptor TypeNotPartial = Error(
            "AGG0004", "Containing type must be partial",
            "Type '{0}' contains the [Differentiable] method '{1}' and must be declared 'partial' so that the gradient method can be added to it");

        public static readonly DiagnosticDescriptor UnsupportedParameterType = Error(
            "AGG0005", "Unsupported parameter type",
            "Parameter '{0}' has type '{1}'; a [Differentiable] method takes Matrix<T>, Vector<T>, T (float or double), int or bool parameters");

        public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
            "AGG0006", "Unsupported return type",
            "[Differentiable] method '{0}' returns '{1}'; return T (float or double), Vector<T> or Matrix<T>");

        public static readonly DiagnosticDescriptor MixedElementTypes = Error(
            "AGG0007", "Mixed element types",
            "'{0}' uses element type '{1}' but the method '{2}' uses '{3}'; one [Differentiable] method uses one element type, float or double");

        public static readonly DiagnosticDescriptor RefParameter = Error(
            "AGG0008", "ref, out and in parameters are not supported",
            "Parameter '{0}' is passed by '{1}'; pass it by value (gradients are returned through the generated method's out parameters)");

        public static readonly DiagnosticDescriptor UnsupportedExpression = Error(
            "AGG0009", "Unsupported expression",
            "{0} is not supported in a [Differentiable] method; {1}");

        public static readonly DiagnosticDescriptor NothingToDifferentiate = Warning(
            "AGG0010", "Nothing to differentiate",
            "[Differentiable] method '{0}' has no parameter to differentiate (all are [NoGradient], int or bool); no gradient method is generated");

        public static readonly DiagnosticDescriptor InternalError = Error(
            "AGG0011", "Internal generator error",
            "AutoGradGen could not generate the gradient of '{0}': {1}. Please report this with the method's source.");

        public static readonly DiagnosticDescriptor BadBody = Error(
            "AGG0012", "Unsupported method body",
            "[Differentiable] method '{0}' {1}");

        public static readonly DiagnosticDescriptor ConstantArgumentDependsOnParameter = Error(
            "AGG0013", "Gradient would be lost through a [NoGradient] parameter",
            "Argument '{0}' of '{1}' is passed to [NoGradient] parameter '{2}' but depends on a differentiated parameter; its gradient would be silently dropped. Remove [NoGradient] from '{2}' in '{1}'.");

        public static readonly DiagnosticDescriptor ConstantWritesValue = Error(
            "AGG0021", "A constant expression writes a value of the method",
            "The constant expression '{0}' assigns to or passes by reference '{1}', a value of the method; a constant expression may only read the method's values: compute the result in a helper method that returns it");

        public static readonly DiagnosticDescriptor GenericMethod = Error(
            "AGG0014", "Generic method not supported",
            "[Differentiable] method '{0}' is generic; write one method per element type (float or double)");

        public static readonly DiagnosticDescriptor Recursion = Error(
            "AGG0015", "Recursive call",
            "'{0}' calls itself; recursion is not supported in a [Differentiable] method");

        public static readonly DiagnosticDescriptor GradientNameCollision = Error(
            "AGG0016", "Generated method name is taken",
            "The generated method '{0}' would collide with a member already declared in '{1}'; rename one of them");

        public static readonly DiagnosticDescriptor AmbiguousType = Error(
            "AGG0017", "Ambiguous type name",
            "'{0}' is ambiguous between '{1}'; write 'AutoGradGen.{0}', or add 'using {2} = AutoGradGen.{0};' and write '{2}'");

        public static readonly DiagnosticDescriptor ShapeMismatch = Error(
            "AGG0018", "Shape mismatch",
            "Shapes do not agree: {0}");

        public static readonly DiagnosticDescriptor BadShapeAttribute = Error(
            "AGG0019", "Wrong number of [Shape] entries",
            "[Shape] on '{0}' gives {1} dimension(s) but a {2} has {3}; write {4}");

        public static readonly DiagnosticDescriptor NoSecondOrder = Info(
            "AGG0020", "No second order through a call",
            "{0}HessianVectorProduct and {0}Hessian are not generated: the call to '{1}' has no second-order rule yet; write '{1}''s body inline in '{0}' to get them (the gradient and FDifferential are unaffected)");

        public static readonly DiagnosticDescriptor ElementWrite = Error(
            "AGG0024", "Writing into an element",
            "'{0}' writes into an element of a matrix or vector, which a [Differentiable] method does not support (values are immutable); build the new value instead: {1}");

        public static readonly DiagnosticDescriptor UnsupportedLoop = Error(
            "AGG0031", "Unsupported loop",
            "A '{0}' loop is not differentiable; write a for loop with an int counter and a trip count known on entry: for (int t = 0; t < n; t++) {{ … }}");

        public static readonly DiagnosticDescriptor LoopHeader = Error(
            "AGG0032", "Unsupported for-loop header",
            "This for loop cannot be differentiated: {0}; {1}");

        public static readonly DiagnosticDescriptor LoopJump = Error(
            "AGG0033", "Jump inside a loop",
            "'{0}' inside a differentiable loop is not supported: the loop must run its whole trip count; {1}");

        public static readonly DiagnosticDescriptor LoopBody = Error(
            "AGG0034", "Unsupported loop body",
            "This loop {0}; {1}");

        public static readonly DiagnosticDescriptor NoLoopForwardMode = Info(
            "AGG0035", "No second order through a loop",
            "{0}HessianVectorProduct and {0}Hessian are not generated for a method with a loop yet (nor a layer's {0}Forward and {0}Backward); {1}, {0}Differential and a scalar method's {0}Backward are; write the loop's iterations out to get second order");

        // ── custom derivatives ([Pullback], [Differential]) and calls across assemblies ──

        public static readonly DiagnosticDescriptor CustomTargetMissing = Error(
            "AGG0027", "Custom derivative method not found",
            "'{0}', named by [{1}] on '{2}', is not a method of '{3}'; add: {4}");

        public static readonly DiagnosticDescriptor CustomTargetSignature = Error(
            "AGG0028", "Custom derivative signature does not match",
            "'{0}', named by [{1}] on '{2}', {3}; declare it as: {4}");

        public static readonly DiagnosticDescriptor CalleeUnusable = Error(
            "AGG0029", "Callee's derivative is not usable",
            "'{0}' cannot be called from a [Differentiable] method: {1}");

        public static readonly DiagnosticDescriptor NoForwardMode = Info(
            "AGG0030", "No forward mode through a call",
            "{0} not generated: the call to '{1}' has no forward-mode rule ({2}); the gradient is unaffected");

        public static readonly DiagnosticDescriptor BranchBody = Error(
            "AGG0036", "Unsupported branch",
            "This branch {0}; {1}");

        public static readonly DiagnosticDescriptor BranchCondition = Error(
            "AGG0037", "Unsupported branch condition",
            "The condition '{0}' {1}; {2}");

        public static readonly DiagnosticDescriptor NoBranchSecondOrder = Info(
            "AGG0038", "No second order through a branch",
            "{0}HessianVectorProduct and {0}Hessian are not generated for a method with a branch yet (nor a layer's {0}Forward and {0}Backward); {1}, {0}Differential and a scalar method's {0}Backward are, through the branch taken; to get second order, write each branch as its own [Differentiable] method");

        private static readonly Dictionary<string, DiagnosticDescriptor> All = new()
        {
            [UnsupportedStatement.Id] = UnsupportedStatement,
            [NoDerivative.Id] = NoDerivative,
            [NotStatic.Id] = NotStatic,
            [TypeNotPartial.Id] = TypeNotPartial,
            [UnsupportedParameterType.Id] = UnsupportedParameterType,
            [UnsupportedReturnType.Id] = UnsupportedReturnType,
            [MixedElementTypes.Id] = MixedElementTypes,
            [RefParameter.Id] = RefParameter,
            [UnsupportedExpression.Id] = UnsupportedExpression,
            [NothingToDifferentiate.Id] = NothingToDifferentiate,
            [InternalError.Id] = InternalError,
            [BadBody.Id] = BadBody,
            [ConstantArgumentDependsOnParameter.Id] = ConstantArgumentDependsOnParameter,
            [GenericMethod.Id] = GenericMethod,
            [ConstantWritesValue.Id] = ConstantWritesValue,
            [Recursion.Id] = Recursion,
            [GradientNameCollision.Id] = GradientNameCollision,
            [AmbiguousType.Id] = AmbiguousType,
            [ShapeMismatch.Id] = ShapeMismatch,
            [BadShapeAttribute.Id] = BadShapeAttribute,
            [NoSecondOrder.Id] = NoSecondOrder,
            [ElementWrite.Id] = ElementWrite,
            [UnsupportedLoop.Id] = UnsupportedLoop,
            [LoopHeader.Id] = LoopHeader,
            [LoopJump.Id] = LoopJump,
            [LoopBody.Id] = LoopBody,
            [NoLoopForwardMode.Id] = NoLoopForwardMode,
            [CustomTargetMissing.Id] = CustomTargetMissing,
            [CustomTargetSignature.Id] = CustomTargetSignature,
            [CalleeUnusable.Id] = CalleeUnusable,
            [NoForwardMode.Id] = NoForwardMode,
            [BranchBody.Id] = BranchBody,
            [BranchCondition.Id] = BranchCondition,
            [NoBranchSecondOrder.Id] = NoBranchSecondOrder,
        };

        public static DiagnosticDescriptor ById(string id) => All[id];

        public static IEnumerable<DiagnosticDescriptor> Every => All.Values;

        private static DiagnosticDescriptor Error(string id, string title, string message)
            => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());

        private static DiagnosticDescriptor Info(string id, string title, string message)
            => new(id, title, message, Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());

        private static DiagnosticDescriptor Warning(string id, string title, string message)
            => new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
    }
}
