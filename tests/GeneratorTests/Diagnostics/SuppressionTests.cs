using System.Collections.Immutable;
using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace AutoGradGen.GeneratorTests.Diagnostics;

/// <summary>
/// AGG diagnostics come from an analyzer at real syntax-tree locations, so the compiler's suppression
/// mechanisms apply: <c>#pragma warning disable</c>, <c>.editorconfig</c> severities, project-wide
/// severities (&lt;NoWarn&gt;) and <c>[SuppressMessage]</c>. Each test has a control without the suppression.
/// </summary>
public class SuppressionTests
{
    private const string Method = """
            [Differentiable]
            public static double F([NoGradient] Vector<double> x) => Sum(x);
        """;

    private static string Source(string beforeMethod = "", string afterClass = "")
        => DiagnosticAssert.Usings + "public static partial class M\n{\n" + beforeMethod + Method + "\n}\n" + afterClass;

    private static ImmutableArray<Diagnostic> Analyze(string source, string path = "Source0.cs", CSharpCompilationOptions? options = null)
    {
        var compilation = GeneratorHarness.CreateCompilation(source);
        compilation = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path));
        if (options is not null)
        {
            compilation = compilation.WithOptions(options);
        }
        return AnalyzerHarness.Analyze(compilation);
    }

    [Fact]
    public void Control_AGG0010IsReported()
        => Assert.Equal("AGG0010", Assert.Single(Analyze(Source())).Id);

    [Fact]
    public void PragmaWarningDisable_SuppressesAGG0010()
    {
        Assert.Empty(Analyze(Source("#pragma warning disable AGG0010\n")));
        // Restored before the method: reported again.
        Assert.Single(Analyze(Source("#pragma warning disable AGG0010\n#pragma warning restore AGG0010\n")));
    }

    [Fact]
    public void PragmaWarningDisable_AlsoSuppressesAnAnalyzerError()
    {
        var source = DiagnosticAssert.Usings + """
            public static partial class M
            {
            #pragma warning disable AGG0009
                [Differentiable]
                public static double F(Matrix<double> A) => Sum(A) % 2.0;
            #pragma warning restore AGG0009
                [Differentiable]
                public static double G(Matrix<double> A) => Sum(A) % 2.0;
            }
            """;
        var diagnostic = Assert.Single(Analyze(source));
        Assert.Equal("AGG0009", diagnostic.Id);
        Assert.Equal(DiagnosticAssert.SpanOf(source, "Sum(A) % 2.0", after: "G(Matrix<double> A) => "), diagnostic.Location.SourceSpan);
    }

    [Fact]
    public void SuppressMessageAttribute_OnTheMethodOrItsType_SuppressesAGG0010()
    {
        const string attribute = "[System.Diagnostics.CodeAnalysis.SuppressMessage(\"AutoGradGen\", \"AGG0010\")]\n";
        Assert.Empty(Analyze(Source("    " + attribute)));
        Assert.Empty(Analyze(Source().Replace("public static partial class M", attribute + "public static partial class M")));
        Assert.Single(Analyze(Source("    " + attribute.Replace("AGG0010", "AGG0009"))));
    }

    [Fact]
    public void ProjectWideSeverity_NoWarn_SuppressesAGG0010()
    {
        var options = GeneratorHarness.CreateCompilation().Options
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["AGG0010"] = ReportDiagnostic.Suppress });
        Assert.Empty(Analyze(Source(), options: options));
    }

    /// <summary>What csc does with an .editorconfig: per-tree severities from AnalyzerConfigSet, as the compilation's SyntaxTreeOptionsProvider.</summary>
    private static ImmutableArray<Diagnostic> AnalyzeWithEditorConfig(string editorConfig)
    {
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(AnalyzerConfig.Parse(editorConfig, "/project/.editorconfig")));
        const string path = "/project/Source0.cs";
        var options = set.GetOptionsForSourcePath(path);
        var compilationOptions = GeneratorHarness.CreateCompilation().Options
            .WithSyntaxTreeOptionsProvider(new EditorConfigTreeOptions(path, options.TreeOptions));
        return Analyze(Source(), path, compilationOptions);
    }

    [Fact]
    public void EditorConfigSeverityNone_SuppressesAGG0010_AndSeverityErrorRaisesIt()
    {
        Assert.Empty(AnalyzeWithEditorConfig("root = true\n[*.cs]\ndotnet_diagnostic.AGG0010.severity = none\n"));
        var raised = Assert.Single(AnalyzeWithEditorConfig("root = true\n[*.cs]\ndotnet_diagnostic.AGG0010.severity = error\n"));
        Assert.Equal(DiagnosticSeverity.Error, raised.Severity);
        // An unrelated section does not apply.
        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(AnalyzeWithEditorConfig("root = true\n[*.vb]\ndotnet_diagnostic.AGG0010.severity = none\n")).Severity);
    }

    [Fact]
    public Task EditorConfigSeverityNone_InTheAnalyzerTestHarness_SuppressesAGG0010()
    {
        var test = new AnalyzerVerifier { TestCode = Source() };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\ndotnet_diagnostic.AGG0010.severity = none\n"));
        return test.RunAsync(); // expects no diagnostic at all
    }

    [Fact]
    public Task EditorConfig_Control_InTheAnalyzerTestHarness_ReportsAGG0010()
    {
        var test = new AnalyzerVerifier { TestCode = Source().Replace("double F(", "double {|AGG0010:F|}(") };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\ndotnet_diagnostic.AGG0003.severity = none\n"));
        return test.RunAsync();
    }

    private sealed class EditorConfigTreeOptions(string path, ImmutableDictionary<string, ReportDiagnostic> severities) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return tree.FilePath == path && severities.TryGetValue(diagnosticId, out severity);
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false;
        }
    }
}
