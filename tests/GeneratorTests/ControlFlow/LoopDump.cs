using System;
using System.IO;
using System.Linq;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.ControlFlow;

public class LoopDump
{
    [Fact]
    public void Dump()
    {
        var src = Environment.GetEnvironmentVariable("LOOP_DUMP");
        if (src is null) return;
        var run = GeneratorHarness.Run(File.ReadAllText(src));
        File.WriteAllText(src + ".out", string.Join("\n", run.Generated.Values) + "\n//DIAG\n" +
            string.Join("\n", run.AnalyzerDiagnostics.Select(d => d.ToString())) + "\n" + string.Join("\n", run.GeneratorDiagnostics.Select(d => d.ToString())) + "\n//COMPILE\n" + string.Join("\n", run.CompilationDiagnostics.Select(d => d.ToString())));
    }
}
