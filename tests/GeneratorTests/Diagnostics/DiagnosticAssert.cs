using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AutoGradGen.GeneratorTests.Diagnostics;

/// <summary>One expected generator diagnostic: its id, severity and the exact source text it must span.</summary>
/// <param name="Id">The AGG id.</param>
/// <param name="Severity">Its severity.</param>
/// <param name="Span">The exact span in the source (found with <see cref="DiagnosticAssert.SpanOf"/>).</param>
public sealed record ExpectedDiagnostic(string Id, DiagnosticSeverity Severity, TextSpan Span);

/// <summary>
/// Helpers for the one-test-per-diagnostic suite: sources are markup-free, and expected spans are
/// found with <c>IndexOf</c> of the offending text (optionally after an anchor, to disambiguate).
/// </summary>
public static class DiagnosticAssert
{
    public const string Usings = "using AutoGradGen;\nusing static AutoGradGen.Ops;\n";

    /// <summary>Path the harness gives the first source (Source0.cs).</summary>
    public const string FirstPath = "Source0.cs";

    /// <summary>The span of <paramref name="text"/> in <paramref name="source"/>, searched after the end of <paramref name="after"/> if given.</summary>
    public static TextSpan SpanOf(string source, string text, string? after = null)
    {
        int start = 0;
        if (after is not null)
        {
            start = source.IndexOf(after, StringComparison.Ordinal);
            Assert.True(start >= 0, "anchor '" + after + "' not found in the test source");
            start += after.Length;
        }
        int index = source.IndexOf(text, start, StringComparison.Ordinal);
        Assert.True(index >= 0, "text '" + text + "' not found in the test source");
        return new TextSpan(index, text.Length);
    }

    public static ExpectedDiagnostic Error(string id, string source, string text, string? after = null)
        => new(id, DiagnosticSeverity.Error, SpanOf(source, text, after));

    public static ExpectedDiagnostic Warning(string id, string source, string text, string? after = null)
        => new(id, DiagnosticSeverity.Warning, SpanOf(source, text, after));

    public static ExpectedDiagnostic Info(string id, string source, string text, string? after = null)
        => new(id, DiagnosticSeverity.Info, SpanOf(source, text, after));

    /// <summary>
    /// Runs the generator on <paramref name="source"/> (the harness fails if it throws) and asserts that
    /// its diagnostics are exactly <paramref name="expected"/>: same ids, severities and spans, in Source0.cs.
    /// </summary>
    public static GeneratorRun AssertExactly(string source, params ExpectedDiagnostic[] expected)
    {
        var run = Run(source);
        AssertExactly(run, source, expected);
        return run;
    }

    /// <summary>
    /// Runs the generator on <paramref name="source"/> and asserts that it reported no AGG diagnostic itself
    /// (they come from the analyzer, <see cref="GeneratorRun.AnalyzerDiagnostics"/>, on the same compilation).
    /// </summary>
    public static GeneratorRun Run(string source)
    {
        var run = GeneratorHarness.Run(source);
        Assert.True(!run.GeneratorDiagnostics.Any(d => d.Id.StartsWith("AGG", StringComparison.Ordinal)),
            "the generator reported: " + string.Join("; ", run.GeneratorDiagnostics));
        return run;
    }

    public static void AssertExactly(GeneratorRun run, string source, params ExpectedDiagnostic[] expected)
    {
        var actual = run.AnalyzerDiagnostics.Select(d => Describe(d, source)).OrderBy(s => s, StringComparer.Ordinal).ToList();
        var wanted = expected.Select(e => Describe(e.Id, e.Severity, FirstPath, e.Span, source)).OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.True(wanted.SequenceEqual(actual),
            "expected analyzer diagnostics:\n  " + string.Join("\n  ", wanted) +
            "\nactual:\n  " + string.Join("\n  ", actual.DefaultIfEmpty("(none)")) +
            "\nmessages:\n  " + string.Join("\n  ", run.AnalyzerDiagnostics.Select(d => d.ToString())));
        foreach (var d in run.AnalyzerDiagnostics)
        {
            AssertWellFormed(d, source);
        }
    }

    /// <summary>The published documentation page; every help link is this plus '#aggNNNN'.</summary>
    public const string DocsUrl = "https://github.com/AutoGradGen/AutoGradGen/blob/main/docs/diagnostics.md";

    /// <summary>
    /// The message is fully formatted, the help link is the absolute docs URL with the ID's anchor, the
    /// line span matches the text span, and the location is in the source's syntax tree (so #pragma applies).
    /// </summary>
    public static void AssertWellFormed(Diagnostic d, string source)
    {
        var message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain("{0}", message);
        Assert.DoesNotContain("{1}", message);
        Assert.Equal(DocsUrl + "#" + d.Id.ToLowerInvariant(), d.Descriptor.HelpLinkUri);
        Assert.True(d.Location.IsInSource, "not a location in a syntax tree: " + d);
        Assert.Equal(d.Severity, d.DefaultSeverity);
        var text = SourceText.From(source);
        var lines = d.Location.GetLineSpan();
        Assert.Equal(text.Lines.GetLinePositionSpan(d.Location.SourceSpan), lines.Span);
    }

    private static string Describe(Diagnostic d, string source)
        => Describe(d.Id, d.Severity, d.Location.GetLineSpan().Path, d.Location.SourceSpan, source);

    private static string Describe(string id, DiagnosticSeverity severity, string? path, TextSpan span, string source)
    {
        var text = span.End <= source.Length ? source.Substring(span.Start, span.Length) : "<out of range>";
        return id + " " + severity + " " + path + span + " '" + text.Replace("\n", "\\n") + "'";
    }

    /// <summary>Whether the run generated a file for the method <paramref name="name"/> (hint names contain "Type.Name(").</summary>
    public static bool Generated(GeneratorRun run, string type, string name)
        => run.Generated.Keys.Any(k => k.StartsWith(type + "." + name + "_", StringComparison.Ordinal) || k.Contains("." + type + "." + name + "_", StringComparison.Ordinal));
}
