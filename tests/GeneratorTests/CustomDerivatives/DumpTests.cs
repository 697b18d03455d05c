using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.CustomDerivatives;

public class DumpTests
{
    [Fact]
    public void Dump()
    {
        var src = File.ReadAllText("/tmp/cust/src.cs");
        var run = GeneratorHarness.Run(src);
        File.WriteAllText("/tmp/cust/out.cs", string.Join("\n//=====\n", run.Generated.Values) + "\n/*" + string.Join("\n", run.Problems.Concat(run.AnalyzerDiagnostics)) + "*/");
    }
}
