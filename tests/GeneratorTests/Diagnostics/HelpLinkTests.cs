using System.Text.RegularExpressions;
using AutoGradGen.Generator.Analysis;
using Xunit;

namespace AutoGradGen.GeneratorTests.Diagnostics;

/// <summary>
/// Every descriptor's help link is the absolute URL of its section in docs/diagnostics.md, and that
/// section exists (anchor, heading with the descriptor's title, a row in the table, a release-tracking line).
/// </summary>
public class HelpLinkTests
{
    private static readonly Microsoft.CodeAnalysis.DiagnosticDescriptor[] All = new DifferentiableAnalyzer().SupportedDiagnostics.ToArray();

    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return File.ReadAllText(candidate);
            }
        }
        throw new FileNotFoundException(relative + " not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void TheAnalyzerSupportsEveryAssignedId()
        => Assert.Equal(Enumerable.Range(1, 21).Append(24).Concat(Enumerable.Range(27, 12)).Select(i => $"AGG{i:0000}"), All.Select(d => d.Id).Order());

    [Fact]
    public void EveryHelpLink_IsTheAbsoluteDocsUrlWithTheIdAsAnchor()
    {
        foreach (var d in All)
        {
            Assert.True(Uri.TryCreate(d.HelpLinkUri, UriKind.Absolute, out var uri), d.Id + ": '" + d.HelpLinkUri + "' is not absolute");
            Assert.Equal("https", uri!.Scheme);
            Assert.Equal("github.com", uri.Host);
            Assert.Equal("/AutoGradGen/AutoGradGen/blob/main/docs/diagnostics.md", uri.AbsolutePath);
            Assert.Equal("#" + d.Id.ToLowerInvariant(), uri.Fragment);
        }
    }

    [Fact]
    public void DocsHaveAnAnchoredHeadingAndATableRowForEveryId()
    {
        var docs = RepoFile("docs/diagnostics.md").Replace("\r\n", "\n");
        foreach (var d in All)
        {
            var anchor = d.Id.ToLowerInvariant();
            var heading = new Regex("<a id=\"" + anchor + "\"></a>\n## " + d.Id + ": (?<title>.+)\n");
            var match = heading.Match(docs);
            Assert.True(match.Success, "docs/diagnostics.md has no '<a id=\"" + anchor + "\"></a>' followed by '## " + d.Id + ": …'");
            Assert.Equal(d.Title.ToString(), match.Groups["title"].Value);
            Assert.Contains("| [" + d.Id + "](#" + anchor + ") | " + d.DefaultSeverity + " | " + d.Title + " |", docs);
        }
    }

    [Fact]
    public void ReleaseTrackingListsEveryId()
    {
        var unshipped = RepoFile("src/Generator/AnalyzerReleases.Unshipped.md");
        foreach (var d in All)
        {
            Assert.Matches(new Regex("^" + d.Id + " \\| AutoGradGen \\| " + d.DefaultSeverity + " \\|", RegexOptions.Multiline), unshipped);
        }
    }
}
