using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGradGen.Generator.Parsing
{
    /// <summary>
    /// The callee's body, lowered as plain data for the caller's closed form (ClosedForm substitutes the
    /// callee's closed form at the call). Only the documentation reads it: the generated code still calls
    /// the callee's generated methods. Best effort: anything unusual leaves the body out, with no diagnostic
    /// (the callee reports its own problems), and the closed form keeps the symbolic ∇_p⟨…⟩.
    /// </summary>
    internal sealed partial class Lowering
    {
        /// <summary>How many calls deep callee bodies are lowered (a caller, its callee, the callee's callee).</summary>
        public const int MaxInlineDepth = 2;

        private int _inlineDepth;
        private readonly Dictionary<IMethodSymbol, CalleeBody?> _calleeBodies = new(SymbolEqualityComparer.Default);

        private CalleeBody? CalleeBodyOf(IMethodSymbol target)
        {
            if (_inlineDepth >= MaxInlineDepth)
            {
                return null;
            }
            if (!_calleeBodies.TryGetValue(target, out var body))
            {
                body = LowerCalleeBody(target);
                _calleeBodies[target] = body;
            }
            return body;
        }

        private CalleeBody? LowerCalleeBody(IMethodSymbol target)
        {
            var syntax = target.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
            var compilation = _semanticModel.Compilation;
            if (syntax is null || !compilation.ContainsSyntaxTree(syntax.SyntaxTree) || target.IsGenericMethod)
            {
                return null;
            }
            if (!TypeClassifier.TryClassify(target.ReturnType, out _, out var returnElement, out var returnsBool) || returnsBool
                || (returnElement is not null && returnElement != _element))
            {
                return null;
            }
            var parameters = CalleeParameters(target);
            if (parameters is null)
            {
                return null;
            }
            var semanticModel = syntax.SyntaxTree == _semanticModel.SyntaxTree ? _semanticModel : compilation.GetSemanticModel(syntax.SyntaxTree);
            var diagnostics = new List<DiagnosticInfo>();
            var lowering = new Lowering(target, semanticModel, _element, diagnostics, _cancellationToken) { _inlineDepth = _inlineDepth + 1 };
            var result = lowering.LowerBody(syntax, parameters);
            // A body with a constant expression is not inlined: its code template is printed in the callee's own scope.
            return result is null || diagnostics.Count > 0 || lowering.Nodes.Any(n => n.Op == Op.Constant)
                ? null
                : new CalleeBody(_element, parameters.ToEquatableArray(), lowering.Nodes.ToEquatableArray(), result.Value);
        }

        /// <summary>The callee's parameters as the parser would model them, or null if one is not of the caller's element type.</summary>
        private List<ParamModel>? CalleeParameters(IMethodSymbol target)
        {
            var result = new List<ParamModel>();
            for (int i = 0; i < target.Parameters.Length; i++)
            {
                var p = target.Parameters[i];
                if (p.RefKind != RefKind.None || p.IsParams || !TypeClassifier.TryClassify(p.Type, out var kind, out var element, out var isBool)
                    || isBool || (element is not null && element != _element))
                {
                    return null;
                }
                result.Add(new ParamModel(Parser.EscapeIdentifier(p.Name), p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), kind,
                    TypeClassifier.IsDifferentiated(p), i));
            }
            return result;
        }
    }
}
