using System.Runtime.CompilerServices;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.Golden;

/// <summary>
/// Golden files for lecture examples that generate one file per <c>[Differentiable]</c> method: the two-layer
/// network (example 6) with its <c>Dense</c> layer. Every generated file is compared exactly (line endings
/// normalized) with <c>&lt;Example&gt;.&lt;Method&gt;.g.cs</c> next to this test; <c>AUTOGRADGEN_RECORD=1</c>
/// (re)writes them. The single-file examples 5 and 7 are in <see cref="GoldenFileTests"/>.
/// </summary>
public class DeepGoldenFileTests
{
    private const string Header = """
        using AutoGradGen;
        using static AutoGradGen.Ops;

        namespace Seed;

        public static partial class Lecture
        {

        """;

    public static readonly Dictionary<string, (string Source, string[] Methods)> Examples = new()
    {
        ["TwoLayerNetwork"] = ("""
                [Differentiable]
                public static Matrix<double> Dense(Matrix<double> W, Vector<double> b, Matrix<double> X) => Sigmoid(W * X + b);

                [Differentiable]
                public static double TwoLayerNetwork(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y) { var H = Dense(W1, b1, X); return CrossEntropy(W2 * H + b2, Y); }
            """, new[] { "Dense", "TwoLayerNetwork" }),
    };

    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, example) in Examples)
        {
            foreach (var method in example.Methods)
            {
                data.Add(name, method);
            }
        }
        return data;
    }

    public static TheoryData<string> Names => new(Examples.Keys);

    public static string SourceOf(string name) => Header + Examples[name].Source + "\n}\n";

    private static bool Recording => Environment.GetEnvironmentVariable("AUTOGRADGEN_RECORD") == "1";

    private static string GoldenDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;

    private static string GoldenPath(string name, string method) => Path.Combine(GoldenDirectory(), name + "." + method + ".g.cs");

    private static string Normalize(string text) => text.Replace("\r\n", "\n").Replace("\r", "\n");

    /// <summary>The generated files by method name; exactly one per listed method, and no others.</summary>
    private static Dictionary<string, string> Generate(string name)
    {
        var run = GeneratorHarness.Run(SourceOf(name));
        Assert.Empty(run.GeneratorDiagnostics);
        var methods = Examples[name].Methods;
        Assert.Equal(methods.Length, run.Generated.Count);
        return methods.ToDictionary(m => m, m => Assert.Single(run.Generated, f => f.Key.StartsWith("Seed.Lecture." + m + "_", StringComparison.Ordinal)).Value);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EmittedSource_MatchesGoldenFile(string name, string method)
    {
        var actual = Normalize(Generate(name)[method]);
        var path = GoldenPath(name, method);
        if (Recording)
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), "no golden file " + path + "; run with AUTOGRADGEN_RECORD=1 to record it");
        var expected = Normalize(File.ReadAllText(path));
        if (expected != actual)
        {
            Assert.Fail("generated source of " + name + "." + method + " differs from " + path +
                        " (re-record with AUTOGRADGEN_RECORD=1 if the change is intended):\n" + GoldenFileTests.FirstDifference(expected, actual));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EmittedSource_IsDeterministic(string name)
    {
        var first = Generate(name);
        var second = Generate(name);
        foreach (var method in Examples[name].Methods)
        {
            Assert.Equal(first[method], second[method]);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EmittedSource_CompilesWithoutWarnings(string name)
    {
        var run = GeneratorHarness.Run(SourceOf(name));
        Assert.True(!run.Problems.Any(), string.Join("\n", run.Problems) + "\n\n" + string.Join("\n", run.Generated.Values));
        Assert.NotNull(GeneratorHarness.CompileAndLoad(SourceOf(name)));
    }
}
