using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using AutoGradGen.Generator;
using AutoGradGen.Generator.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoGradGen.GeneratorTests.Infrastructure;

/// <summary>The outcome of running the generator on some source.</summary>
public sealed record GeneratorRun(
    CSharpCompilation Output,
    GeneratorDriver Driver,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompilationDiagnostics,
    IReadOnlyDictionary<string, string> Generated)
{
    private readonly Lazy<ImmutableArray<Diagnostic>> _analyzerDiagnostics = new(() => AnalyzerHarness.Analyze(Output));

    /// <summary>
    /// The AGG diagnostics, which <see cref="DifferentiableAnalyzer"/> reports (the generator reports
    /// none): computed on first use, on the final compilation (user code + generated code), as a build does.
    /// </summary>
    public ImmutableArray<Diagnostic> AnalyzerDiagnostics => _analyzerDiagnostics.Value;

    /// <summary>Errors and warnings of a build: the final compilation's, the generator's and the analyzer's.</summary>
    public IEnumerable<Diagnostic> Problems => CompilationDiagnostics.Concat(GeneratorDiagnostics).Concat(AnalyzerDiagnostics)
        .Where(d => d.Severity >= DiagnosticSeverity.Warning);
}

/// <summary>
/// Runs <see cref="DifferentiableGenerator"/> in-process on source text, with the test process's own
/// framework assemblies as references (nothing is downloaded), and compiles/loads the result.
/// Compilation uses nullable, warning level 9999 and documentation-comment diagnostics, so that
/// generated code must be free of warnings as users compile it.
/// </summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions =
        new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .ToList();
        paths.Add(typeof(Matrix<>).Assembly.Location);
        paths.Add(typeof(DifferentiableAttribute).Assembly.Location);
        paths.Add(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }

    public static CSharpCompilation CreateCompilation(params string[] sources)
        => CSharpCompilation.Create(
            "UserCode" + Guid.NewGuid().ToString("N"),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: "Source" + i + ".cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
                {
                    ["CS1591"] = ReportDiagnostic.Suppress, // user code in tests has no docs
                }));

    public static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator on <paramref name="sources"/> and compiles the result.</summary>
    public static GeneratorRun Run(params string[] sources)
    {
        var compilation = CreateCompilation(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();
        var generated = result.Results.SelectMany(r => r.GeneratedSources)
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var exceptions = result.Results.Where(r => r.Exception is not null).Select(r => r.Exception!).ToList();
        if (exceptions.Count > 0)
        {
            throw new InvalidOperationException("The generator threw: " + exceptions[0]);
        }
        return new GeneratorRun((CSharpCompilation)output, driver, generatorDiagnostics, output.GetDiagnostics(), generated);
    }

    /// <summary>Generates, compiles with zero errors and warnings (else fails with them), and loads the assembly.</summary>
    public static Assembly CompileAndLoad(params string[] sources) => CompileAndLoad(allowUserWarnings: false, sources);

    /// <summary>
    /// As <see cref="CompileAndLoad(string[])"/>; with <paramref name="allowUserWarnings"/>, warnings in the
    /// user's own sources (not in generated files) are tolerated, as random programs may have unused locals.
    /// </summary>
    public static Assembly CompileAndLoad(bool allowUserWarnings, params string[] sources) => CompileAndLoadRun(allowUserWarnings, sources).Assembly;

    /// <summary>
    /// As <see cref="CompileAndLoad(bool, string[])"/>, also returning the run, whose information diagnostics
    /// (AGG0020, for example) a caller may want to read.
    /// </summary>
    public static (Assembly Assembly, GeneratorRun Run) CompileAndLoadRun(bool allowUserWarnings, params string[] sources)
    {
        var run = Run(sources);
        var problems = run.Problems
            .Where(d => !allowUserWarnings || d.Severity == DiagnosticSeverity.Error || !IsUserSource(d))
            .ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Generated code has problems:\n" + string.Join("\n", problems.Select(WithLine)) +
                                                "\n\n" + string.Join("\n\n", run.Generated.Values));
        }
        using var stream = new MemoryStream();
        var emit = run.Output.Emit(stream);
        if (!emit.Success)
        {
            throw new InvalidOperationException("Emit failed:\n" + string.Join("\n", emit.Diagnostics));
        }
        stream.Position = 0;
        var context = new AssemblyLoadContext("UserCode" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return (context.LoadFromStream(stream), run);
    }

    /// <summary>A diagnostic followed by the line it points at, so that a truncated report still shows the culprit.</summary>
    private static string WithLine(Diagnostic d)
        => d.Location.SourceTree is { } tree
            ? d + "\n    " + tree.GetText().Lines[d.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim()
            : d.ToString();

    private static bool IsUserSource(Diagnostic d)
        => d.Location.SourceTree?.FilePath is { } path && Path.GetFileName(path).StartsWith("Source", StringComparison.Ordinal);

    /// <summary>A public static method of a compiled user type, by name (the only overload).</summary>
    /// <remarks>
    /// Second-order methods have a zero-allocation twin of the same name (it takes the workspace): the allocating
    /// overload, the one without a workspace parameter, is returned.
    /// </remarks>
    public static MethodInfo Method(Assembly assembly, string typeName, string methodName)
    {
        var candidates = assembly.GetType(typeName, throwOnError: true)!.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.Name == methodName).ToList();
        if (candidates.Count > 1)
        {
            candidates = candidates.Where(m => !m.GetParameters().Any(p => p.ParameterType.Name.EndsWith("Workspace", StringComparison.Ordinal))).ToList();
        }
        return candidates.Count switch
        {
            0 => throw new MissingMethodException(typeName, methodName),
            1 => candidates[0],
            _ => throw new AmbiguousMatchException(typeName + "." + methodName + " has " + candidates.Count + " overloads without a workspace parameter"),
        };
    }
}
