using System.Linq;
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
    [Generator(LanguageNames.CSharp)]
    public sealed class DifferentiableGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps, asserted by the incremental-caching tests.</summary>
        public static class Steps
        {
            public const string Parse = "Parse";
            public const string Models = "Models";
            public const string Diagnostics = "Diagnostics";
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
                    static (ctx, ct) => Parser.Parse(ctx, ct))
                .WithTrackingName(Steps.Parse);

            // Diagnostics and source leave by separate outputs, so a diagnostic's location change
            // never invalidates emitted source (and vice versa).
            var diagnostics = parsed
                .Select(static (r, _) => r.Diagnostics)
                .WithTrackingName(Steps.Diagnostics);
            context.RegisterSourceOutput(diagnostics, static (spc, list) =>
            {
                foreach (var d in list)
                {
                    spc.ReportDiagnostic(d.ToDiagnostic());
                }
            });

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
