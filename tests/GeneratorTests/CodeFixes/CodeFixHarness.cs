using System.Collections.Immutable;
using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AutoGradGen.GeneratorTests.CodeFixes;

/// <summary>
/// Applies a code fix the way the IDE does, offline: the sources become documents of an
/// <see cref="AdhocWorkspace"/> project (references: <see cref="GeneratorHarness.References"/>), the
/// generator runs on the project's compilation and the analyzer on the result, its diagnostics go to the provider through a
/// <see cref="CodeFixContext"/> (one fix) or a <see cref="FixAllContext"/> (Fix All), and the
/// resulting documents' text is returned.
/// </summary>
internal static class CodeFixHarness
{
    public const string Usings = """
        using AutoGradGen;
        using static AutoGradGen.Ops;

        """;

    /// <summary>A project with one document per source, named Source0.cs, Source1.cs, … (also their file paths).</summary>
    public static Project CreateProject(params string[] sources)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var info = ProjectInfo.Create(projectId, VersionStamp.Create(), "UserCode", "UserCode", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                specificDiagnosticOptions: [new("CS1591", ReportDiagnostic.Suppress)]), // test sources have no docs
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.References);
        var solution = workspace.CurrentSolution.AddProject(info);
        for (int i = 0; i < sources.Length; i++)
        {
            var name = "Source" + i + ".cs";
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId, name), name, SourceText.From(sources[i]), filePath: name);
        }
        return solution.GetProject(projectId)!;
    }

    /// <summary>The analyzer's AGG diagnostics on the project (the compilation after the generator ran, as in a build), in source order.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzerDiagnosticsAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.DoesNotContain(generatorDiagnostics, d => d.Id.StartsWith("AGG", StringComparison.Ordinal));
        return AnalyzerHarness.Analyze(output);
    }

    /// <summary>Errors and warnings of the project after the generator ran: generator, analyzer and compilation diagnostics (with generated code).</summary>
    public static async Task<IReadOnlyList<Diagnostic>> ProblemsAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return diagnostics.Concat(AnalyzerHarness.Analyze(output)).Concat(output.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
    }

    /// <summary>The code actions the provider registers for the analyzer's diagnostic number <paramref name="index"/> with its ID.</summary>
    public static async Task<(Project Project, Diagnostic Diagnostic, IReadOnlyList<CodeAction> Actions)> ActionsAsync(
        CodeFixProvider provider, int index, params string[] sources)
    {
        var project = CreateProject(sources);
        var diagnostics = (await AnalyzerDiagnosticsAsync(project)).Where(d => provider.FixableDiagnosticIds.Contains(d.Id)).ToList();
        Assert.True(diagnostics.Count > index, $"expected at least {index + 1} diagnostic(s) {string.Join(", ", provider.FixableDiagnosticIds)}, got: {string.Join("; ", diagnostics)}");
        var diagnostic = diagnostics[index];
        var document = DocumentOf(project, diagnostic);
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return (project, diagnostic, actions);
    }

    /// <summary>Applies the one fix offered for diagnostic number <paramref name="index"/>; returns the fixed project.</summary>
    public static async Task<Project> FixOneAsync(CodeFixProvider provider, int index, params string[] sources)
    {
        var (project, _, actions) = await ActionsAsync(provider, index, sources);
        var action = Assert.Single(actions);
        return await ApplyAsync(project, action);
    }

    /// <summary>Fix All in <paramref name="scope"/>, started from the first diagnostic (its document for the document scope).</summary>
    public static async Task<Project> FixAllAsync(CodeFixProvider provider, FixAllScope scope, params string[] sources)
    {
        var project = CreateProject(sources);
        var all = (await AnalyzerDiagnosticsAsync(project)).Where(d => provider.FixableDiagnosticIds.Contains(d.Id)).ToImmutableArray();
        Assert.NotEmpty(all);
        var fixAllProvider = provider.GetFixAllProvider();
        Assert.NotNull(fixAllProvider);
        Assert.Contains(scope, fixAllProvider!.GetSupportedFixAllScopes());
        var diagnosticProvider = new AnalyzerDiagnosticProvider(all);
        var equivalenceKey = provider.FixableDiagnosticIds[0];
        var context = scope == FixAllScope.Document
            ? new FixAllContext(DocumentOf(project, all[0]), provider, scope, equivalenceKey, provider.FixableDiagnosticIds, diagnosticProvider, CancellationToken.None)
            : new FixAllContext(project, provider, scope, equivalenceKey, provider.FixableDiagnosticIds, diagnosticProvider, CancellationToken.None);
        var action = await fixAllProvider.GetFixAsync(context);
        Assert.NotNull(action);
        return await ApplyAsync(project, action!);
    }

    /// <summary>The text of document SourceN.cs.</summary>
    public static async Task<string> TextAsync(Project project, int index = 0)
        => (await project.Documents.Single(d => d.Name == "Source" + index + ".cs").GetTextAsync()).ToString();

    private static async Task<Project> ApplyAsync(Project project, CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var apply = Assert.Single(operations.OfType<ApplyChangesOperation>());
        return apply.ChangedSolution.GetProject(project.Id)!;
    }

    private static Document DocumentOf(Project project, Diagnostic diagnostic)
        => project.Documents.Single(d => d.FilePath == diagnostic.Location.GetLineSpan().Path);

    /// <summary>Serves the analyzer's diagnostics to Fix All, by document (matched by file path).</summary>
    private sealed class AnalyzerDiagnosticProvider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult(diagnostics.Where(d => d.Location.GetLineSpan().Path == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>()); // every AGG diagnostic has a location in a document

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
