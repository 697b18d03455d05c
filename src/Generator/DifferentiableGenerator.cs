using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Differentiation;
using AutoGradGen.Generator.Rewrite;
using AutoGradGen.Generator.Emit;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoGradGen.Generator
{
    /// <summary>
    /// Finds [Differentiable] methods and adds their closed-form gradient methods
    /// (FWithGradient, FPullback) to the same partial type.
    /// </summary>
    /// <remarks>
    /// The generator reports no AGG diagnostic about user code: <see cref="Analysis.DifferentiableAnalyzer"/>
    /// does, from the same <see cref="Parser.Parse"/>, so that IDEs show them live and they can be
    /// suppressed. A method whose parse has an error gets no model here and no generated source.
    /// Only a failure while emitting (AGG0011, which only the generator can see) is reported here.
    /// </remarks>
    [Generator(LanguageNames.CSharp)]
    public sealed class DifferentiableGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps, asserted by the incremental-caching tests.</summary>
        public static class Steps
        {
            public const string Parse = "Parse";
            public const string Models = "Models";
        }

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            // ForAttributeWithMetadataName is driven by the compiler's attribute index: only methods
            // carrying the attribute are visited. The transform returns plain data (ParseResult holds
            // no symbols or syntax), so an edit elsewhere leaves this step Cached.
            var parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "AutoGradGen.DifferentiableAttribute",
                    static (node, _) => node is MethodDeclarationSyntax,
                    static (ctx, ct) => ctx.TargetSymbol is IMethodSymbol method && ctx.TargetNode is MethodDeclarationSyntax syntax
                        ? Parser.Parse(method, syntax, ctx.SemanticModel, ct)
                        : Parser.Nothing)
                .WithTrackingName(Steps.Parse);

            // Only the model goes on: a diagnostic's location change (an edit above the method) never
            // invalidates emitted source.
            var models = parsed
                .Where(static r => r.Model is not null)
                .Select(static (r, _) => r.Model!)
                .WithTrackingName(Steps.Models);
            context.RegisterSourceOutput(models, static (spc, model) => Generate(spc, model));
        }

        private static void Generate(SourceProductionContext context, MethodModel model)
        {
            string source;
            try
            {
                // The stages after the cache boundary: rewrite → differentiate → emit, each from the previous one's output.
                source = Emitter.Emit(Differentiator.Differentiate(Rewriter.Rewrite(model)));
            }
            catch (System.Exception ex)
            {
                // The generator never throws: a failure stays on this method alone.
                var info = new DiagnosticInfo(Descriptors.InternalError.Id, null, default, default,
                    EquatableArray.From(model.Name, ex.GetType().Name + ": " + ex.Message));
                context.ReportDiagnostic(info.ToDiagnostic());
                return;
            }
            context.AddSource(model.HintName, SourceText.From(source, System.Text.Encoding.UTF8));
        }
    }
}
