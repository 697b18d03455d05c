using BenchmarkDotNet.Running;

namespace AutoGradGen.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project benchmarks/AutoGradGen.Benchmarks -- --filter '*'</c>
/// (add <c>--job short</c> for a quick measurement, <c>--job dry</c> for a smoke run).
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
