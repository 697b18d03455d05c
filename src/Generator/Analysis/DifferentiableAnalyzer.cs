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
        }

        private static void AnalyzeMethod(SyntaxNodeAnalysisContext context)
        {
            // The same targets as the generator's ForAttributeWithMetadataName: a method declaration
            // with [Differentiable] among its own attributes. Methods without attributes cost one check.
            var syntax = (MethodDeclarationSyntax)context.Node;
            if (syntax.AttributeLists.Count == 0
                || context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not { } method
                || !Parser.IsTarget(method, syntax))
            {
                return;
            }
            var result = Parser.Parse(method, syntax, context.SemanticModel, context.CancellationToken);
            foreach (var info in result.Diagnostics)
            {
                context.ReportDiagnostic(info.ToDiagnostic(Locate(info, syntax.SyntaxTree, context.Compilation)));
            }
        }

        /// <summary>The diagnostic's location in its syntax tree (the method's own, or another file of a partial type).</summary>
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
