using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGradGen.Generator.Parsing
{
    /// <summary>
    /// Calls to methods with a custom [Pullback], and what a call needs to know about its callee beyond its
    /// signature: whether it has a forward-mode rule, and, for a [Differentiable] method of another assembly,
    /// whether that assembly holds its generated methods.
    /// </summary>
    internal sealed partial class Lowering
    {
        private readonly Dictionary<IMethodSymbol, bool> _forwardModes = new(SymbolEqualityComparer.Default);

        /// <summary>A call to a method with [Pullback]: an op whose rule is the user's pullback (and differential).</summary>
        private int? LowerCustomCall(IInvocationOperation invocation, IMethodSymbol target, List<int> arguments, ValueKind kind)
        {
            var location = invocation.Syntax.GetLocation();
            var rule = CustomDerivatives.Rule(target);
            if (rule is null)
            {
                Report(Descriptors.CalleeUnusable, location, target.Name,
                    "its [Pullback] or [Differential] does not match its contract (see the AGG0027/AGG0028 error at the attribute)");
                return null;
            }
            if (rule.ElementType != _element)
            {
                Report(Descriptors.MixedElementTypes, location, invocation.Syntax.ToString(), rule.ElementType, _method.Name, _element);
                return null;
            }
            for (int i = 0; i < target.Parameters.Length; i++)
            {
                if (!rule.Differentiated.Contains(i) && IsActive(arguments[i]) && Nodes[arguments[i]].Kind != ValueKind.Int)
                {
                    var argSyntax = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == i)?.Syntax ?? invocation.Syntax;
                    Report(Descriptors.ConstantArgumentDependsOnParameter, argSyntax.GetLocation(), argSyntax.ToString(), target.Name, target.Parameters[i].Name);
                    return null;
                }
            }
            var callee = new CalleeInfo(
                target.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                target.Name,
                target.Parameters.Select(p => p.Name).ToEquatableArray(),
                rule.Differentiated,
                kind,
                string.Empty,
                Pullback: rule.Pullback,
                Differential: rule.Differential,
                Forward: rule.Differential is not null);
            return Add(Op.Call, kind, arguments.ToEquatableArray(), callee: callee);
        }

        private bool InThisCompilation(IMethodSymbol method)
            => method.DeclaringSyntaxReferences.Any(r => _semanticModel.Compilation.ContainsSyntaxTree(r.SyntaxTree));

        /// <summary>
        /// For a [Differentiable] method of a referenced assembly: why its generated methods cannot be used (its
        /// assembly was not built with AutoGradGen, or they are missing); null when they are there, or for a method of this compilation.
        /// </summary>
        private string? ForeignCalleeProblem(IMethodSymbol target, ValueKind kind)
        {
            if (InThisCompilation(target))
            {
                return null;
            }
            var type = target.ContainingType;
            var needed = kind == ValueKind.Scalar
                ? new[] { target.Name + "WithGradient", target.Name + "Backward" }
                : new[] { target.Name + "Forward", target.Name + "Backward" };
            var missing = needed.FirstOrDefault(n => !type.GetMembers(n).OfType<IMethodSymbol>().Any(m => m.IsStatic));
            if (missing is null && type.GetTypeMembers(GeneratedNaming.WorkspaceName(target)).Length > 0)
            {
                return null;
            }
            return "its assembly '" + target.ContainingAssembly?.Name + "' has no generated '" + (missing ?? GeneratedNaming.WorkspaceName(target)) +
                   "'; build that assembly with AutoGradGen (a [Differentiable] method of a library is callable through the methods generated beside it)";
        }

        /// <summary>
        /// Whether a call to <paramref name="target"/> has a forward-mode rule: a [Differential] for a [Pullback] method;
        /// for a [Differentiable] method, its generated FDifferential — present unless its body (transitively) calls a
        /// [Pullback] method without [Differential]; in another assembly, whether FDifferential is there.
        /// </summary>
        private bool HasForwardMode(IMethodSymbol target) => HasForwardMode(target, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));

        private bool HasForwardMode(IMethodSymbol target, HashSet<IMethodSymbol> visiting)
        {
            if (_forwardModes.TryGetValue(target, out var known))
            {
                return known;
            }
            if (!visiting.Add(target))
            {
                return true; // recursion is reported where it happens
            }
            bool result = CustomDerivatives.HasPullback(target) ? CustomDerivatives.Rule(target)?.Differential is not null
                : !InThisCompilation(target) ? target.ContainingType.GetMembers(target.Name + "Differential").Length > 0
                : Callees(target).All(c => HasForwardMode(c, visiting));
            _forwardModes[target] = result;
            return result;
        }

        /// <summary>The [Pullback] and [Differentiable] methods that the body of <paramref name="method"/> calls.</summary>
        private IEnumerable<IMethodSymbol> Callees(IMethodSymbol method)
        {
            var compilation = _semanticModel.Compilation;
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (!compilation.ContainsSyntaxTree(reference.SyntaxTree) || reference.GetSyntax(_cancellationToken) is not MethodDeclarationSyntax syntax)
                {
                    continue;
                }
                var model = syntax.SyntaxTree == _semanticModel.SyntaxTree ? _semanticModel : compilation.GetSemanticModel(syntax.SyntaxTree);
                foreach (var invocation in syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (model.GetSymbolInfo(invocation, _cancellationToken).Symbol is IMethodSymbol called
                        && (CustomDerivatives.HasPullback(called) || TypeClassifier.HasAttribute(called, TypeClassifier.IsDifferentiableAttribute)))
                    {
                        yield return called;
                    }
                }
            }
        }
    }
}
