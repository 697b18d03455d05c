using System.Reflection;
using System.Runtime.Loader;
using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoGradGen.GeneratorTests.CustomDerivatives;

/// <summary>
/// Two projects in one test: a layer library compiled with the generator and emitted to an assembly image, then a
/// consumer compiled (with the generator) against that image as a metadata reference, both loaded in one context.
/// </summary>
internal static class CrossAssemblyHarness
{
    /// <summary>The consumer's run (its diagnostics, generated files) and the loaded consumer assembly.</summary>
    /// <param name="withGenerator">False: the library is compiled without AutoGradGen (its [Differentiable] methods get nothing generated).</param>
    public static (GeneratorRun Run, Assembly Consumer) Build(string librarySource, string consumerSource, string elementType, bool withGenerator = true,
        bool allowConsumerErrors = false)
    {
        var libraryName = "LayerLibrary" + Guid.NewGuid().ToString("N");
        Compilation libraryCompilation;
        if (withGenerator)
        {
            var library = GeneratorHarness.Run(GradientAssert.For(librarySource, elementType));
            Fail("library", library.Problems, library);
            libraryCompilation = library.Output;
        }
        else
        {
            libraryCompilation = GeneratorHarness.CreateCompilation(GradientAssert.For(librarySource, elementType));
        }
        var libraryImage = Emit(libraryCompilation.WithAssemblyName(libraryName));
        var reference = MetadataReference.CreateFromImage(libraryImage);

        var compilation = GeneratorHarness.CreateCompilation(GradientAssert.For(consumerSource, elementType)).AddReferences(reference);
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var generated = driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var run = new GeneratorRun((Microsoft.CodeAnalysis.CSharp.CSharpCompilation)output, driver, generatorDiagnostics, output.GetDiagnostics(), generated);
        if (allowConsumerErrors)
        {
            return (run, null!);
        }
        Fail("consumer", run.Problems, run);
        var consumerImage = Emit(run.Output);

        var context = new AssemblyLoadContext("CrossAssembly" + Guid.NewGuid().ToString("N"), isCollectible: true);
        var loadedLibrary = context.LoadFromStream(new MemoryStream(libraryImage));
        context.Resolving += (_, name) => name.Name == libraryName ? loadedLibrary : null;
        return (run, context.LoadFromStream(new MemoryStream(consumerImage)));
    }

    private static byte[] Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException("Emit failed:\n" + string.Join("\n", result.Diagnostics));
        }
        return stream.ToArray();
    }

    private static void Fail(string what, IEnumerable<Diagnostic> problems, GeneratorRun run)
    {
        var list = problems.ToList();
        if (list.Count > 0)
        {
            throw new InvalidOperationException("The " + what + " has problems:\n" + string.Join("\n", list) + "\n\n" + string.Join("\n\n", run.Generated.Values));
        }
    }
}
