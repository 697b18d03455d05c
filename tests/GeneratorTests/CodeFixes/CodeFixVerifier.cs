using AutoGradGen.Generator.Analysis;
using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace AutoGradGen.GeneratorTests.CodeFixes;

/// <summary>
/// A code fix in the Microsoft.CodeAnalysis.Testing harness, attached to <see cref="DifferentiableAnalyzer"/>'s
/// diagnostics: <c>TestCode</c> has the analyzer's diagnostics as markup, the fix (and Fix All in
/// document, project and solution) must turn it into <c>FixedCode</c>, which must have no diagnostic left.
/// </summary>
public sealed class CodeFixVerifier<TCodeFix> : CSharpCodeFixTest<DifferentiableAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixVerifier()
    {
        ReferenceAssemblies = RoslynTesting.NoDownload;
        RoslynTesting.Configure(TestState);
        RoslynTesting.Configure(FixedState);
    }

    protected override ParseOptions CreateParseOptions() => RoslynTesting.ParseOptions;

    protected override CompilationOptions CreateCompilationOptions() => RoslynTesting.WithOurOptions(base.CreateCompilationOptions());

    public static Task VerifyAsync(string markup, string fixedCode)
        => new CodeFixVerifier<TCodeFix> { TestCode = markup, FixedCode = fixedCode }.RunAsync();
}
