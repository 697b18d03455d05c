using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoGradGen.Generator.Analysis
{
    /// <summary>
    /// Reports every AGG diagnostic about a [Differentiable] method. It runs the generator's own
    /// <see cref="Parser.Parse"/> on the same method, symbol and semantic model, so that the analyzer
    /// reports an error exactly when the generator has no model for the method (and generates nothing).
    /// </summary>
    /// <remarks>
    /// Why an analyzer: IDEs run generators only on save or build in "balanced" mode, so generator
    /// diagnostics go stale while typing; analyzer diagnostics are live, carry real syntax-tree
    /// locations (so <c>#pragma warning disable</c> and <c>.editorconfig</c> severities apply), and are
    /// what code fixes attach to.
    /// <para>
    /// Every diagnostic is reported from the action of the syntax node that contains it, so that IDEs
    /// (which analyze a span of a document) find it where it is: the method's diagnostics from the
    /// method declaration, AGG0004 (a containing type is not partial) from that type's symbol,
    /// computed by the same <see cref="Parser.ContainingTypeDiagnostics"/> that <see cref="Parser.Parse"/> runs.
    /// </para>
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DifferentiableAnalyzer : DiagnosticAnalyzer
    {
        private static readonly ImmutableArray<DiagnosticDescriptor> Supported = Descriptors.Every.ToImmutableArray();

        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Supported;

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(AnalyzeMethod, SyntaxKind.MethodDeclaration);
            context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
        }

        private static void AnalyzeMethod(SyntaxNodeAnalysisContext context)
        {
            var syntax = (MethodDeclarationSyntax)context.Node;
            AnalyzeCustomDerivatives(syntax, context);
            if (Target(syntax, context) is not { } method)
            {
                return;
            }
            var result = Parser.Parse(method, syntax, context.SemanticModel, context.CancellationToken);
            foreach (var info in result.Diagnostics)
            {
                if (info.Id != Descriptors.TypeNotPartial.Id)
                {
                    context.ReportDiagnostic(info.ToDiagnostic(Locate(info, syntax.SyntaxTree, context.Compilation)));
                }
            }
        }

        /// <summary>AGG0027/AGG0028 at a [Pullback] or [Differential] whose target does not match the contract, from the same check a caller's lowering runs.</summary>
        private static void AnalyzeCustomDerivatives(MethodDeclarationSyntax syntax, SyntaxNodeAnalysisContext context)
        {
            if (syntax.AttributeLists.Count == 0 || context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not { } method
                || !CustomDerivatives.IsDeclaredOn(method, syntax))
            {
                return;
            }
            var problems = new List<DiagnosticInfo>();
            CustomDerivatives.Check(method, problems, context.SemanticModel);
            foreach (var info in problems)
            {
                context.ReportDiagnostic(info.ToDiagnostic(Locate(info, syntax.SyntaxTree, context.Compilation)));
            }
        }

        /// <summary>
        /// AGG0004 at a type that is not partial, for each [Differentiable] method nested in it at any depth.
        /// A partial type (the usual case) costs one look at its declarations' modifiers.
        /// </summary>
        private static void AnalyzeType(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<TypeDeclarationSyntax>().ToList();
            if (declarations.Count > 0 && declarations.All(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                return;
            }
            foreach (var method in NestedMethods(type))
            {
                foreach (var reference in method.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(context.CancellationToken) is not MethodDeclarationSyntax syntax || !Parser.IsTarget(method, syntax))
                    {
                        continue;
                    }
                    foreach (var info in Parser.ContainingTypeDiagnostics(method))
                    {
                        if (declarations.FirstOrDefault(d => d.SyntaxTree.FilePath == info.Path && d.Identifier.Span == info.Span) is { } at)
                        {
                            context.ReportDiagnostic(info.ToDiagnostic(Location.Create(at.SyntaxTree, info.Span)));
                        }
                    }
                }
            }
        }

        /// <summary>The methods of <paramref name="type"/> and of its nested types, at any depth.</summary>
        private static IEnumerable<IMethodSymbol> NestedMethods(INamedTypeSymbol type)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
                {
                    yield return method;
                }
                else if (member is INamedTypeSymbol nested)
                {
                    foreach (var inner in NestedMethods(nested))
                    {
                        yield return inner;
                    }
                }
            }
        }

        /// <summary>
        /// The method, when it is a target as for the generator's ForAttributeWithMetadataName: a method
        /// declaration with [Differentiable] among its own attributes. Methods without attributes cost one check.
        /// </summary>
        private static IMethodSymbol? Target(MethodDeclarationSyntax syntax, SyntaxNodeAnalysisContext context)
            => syntax.AttributeLists.Count > 0
               && context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is { } method
               && Parser.IsTarget(method, syntax)
                ? method
                : null;

        /// <summary>The diagnostic's location in its syntax tree.</summary>
        private static Location Locate(DiagnosticInfo info, SyntaxTree tree, Compilation compilation)
        {
            if (info.Path is null)
            {
                return Location.None;
            }
            var target = info.Path == tree.FilePath ? tree : compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == info.Path);
            return target is not null && info.Span.End <= target.Length
                ? Location.Create(target, info.Span)
                : Location.Create(info.Path, info.Span, info.LineSpan);
        }
    }
}
