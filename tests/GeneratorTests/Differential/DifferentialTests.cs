using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>
/// Differential testing of the generated methods: CsCheck generates random well-typed programs
/// (as choice sequences, see <see cref="RandomProgram"/>), each is compiled with the generator and
/// run, and <see cref="ProgramChecker"/> compares every gradient with finite differences, FBackward
/// with FWithGradient, FDifferential with finite differences and the gradient (adjointness), and the
/// second order (FHessianVectorProduct, FHessian, or AGG0020 where a call keeps F from it) with finite
/// differences of the gradient and for symmetry. CI runs 500 programs from a fixed seed;
/// `AUTOGRADGEN_SOAK=N dotnet test --filter Differential` runs N programs from a random seed.
/// A failure is shrunk and reported with its choices, to be kept in <see cref="Regressions"/>.
/// </summary>
public class DifferentialTests(ITestOutputHelper output)
{
    private const string CiSeed = "0N0XIzNsQ0O2";
    private const int Batch = 50;

    private static int? Soak => int.TryParse(Environment.GetEnvironmentVariable("AUTOGRADGEN_SOAK"), out var n) ? n : null;

    [Fact]
    public void RandomProgramsMatchFiniteDifferences()
    {
        int count = Soak ?? 500;
        var gen = Gen.Int[0, 1 << 20].Array[0, 96].Array[count];
        var counts = new CheckCounts();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            gen.Sample(programs => RunAll(programs, counts), seed: Soak is null ? CiSeed : null, iter: 1, threads: 1,
                print: programs => programs.Length + " programs");
        }
        finally
        {
            output.WriteLine($"{count} random programs drawn, {clock.Elapsed.TotalSeconds:F0} s.\n{counts}");
        }
    }

    private static void RunAll(int[][] programs, CheckCounts counts)
    {
        for (int start = 0; start < programs.Length; start += Batch)
        {
            var chunk = programs.Skip(start).Take(Batch).ToList();
            var failures = ProgramChecker.Check(chunk, start, counts);
            if (failures.Count > 0)
            {
                var (index, message) = failures[0];
                var shrunk = Shrinker.Shrink(programs[index], c => ProgramChecker.Check(new[] { c }, 0).Count > 0);
                var program = new RandomProgram(shrunk);
                var again = ProgramChecker.Check(new[] { shrunk }, 0);
                Assert.Fail($"{failures.Count} failing program(s) in batch {start}; first: #{index}: {message}\n\n" +
                            $"Shrunk to choices {{ {string.Join(", ", shrunk)} }}:\n{program.Source("P0")}\n\n{(again.Count > 0 ? again[0].Message : "")}");
            }
        }
    }

    /// <summary>Failures found by the fuzzer, shrunk: each must stay fixed.</summary>
    public static TheoryData<int[]> Regressions => new()
    {
        new[] { 0 },
        // Soak, AUTOGRADGEN_SOAK=3000: `return Helper(A, u);` with A, u [NoGradient] called the allocating
        // Helper from FBackward (128 bytes per step); it now runs HelperBackward on its workspace with null buffers.
        new[] { 537466, 861079, 0, 0, 0, 0, 44, 0, 0, 508912 },
        // Soak, AUTOGRADGEN_SOAK=5000: `return Sigmoid(Sqrt(Exp(Sqrt(Exp(SquaredNorm(S)))))) + s;` is finite (σ(∞) = 1) but
        // exp overflows, so every generated derivative is 0 · ∞ = NaN, as in any reverse mode: the draw is out of the region
        // (Intermediates), not compared.
        new[] { 210163, 0, 0, 0, 0, 0, 155736, 0, 0, 0, 55182, 0, 0, 839337, 186931, 0, 0, 928012, 84594, 0, 0, 160222, 255368, 0, 0, 292417 },
        // Soak, AUTOGRADGEN_SOAK=5000: `return Sqrt(Exp((s - Sqrt(Exp(SquaredNorm(S + S))))));` is 0, finite, but exp underflows
        // to 0 under a square root, whose derivative there is ∞: every generated derivative is 0 · ∞ = NaN (first seen in hvS).
        // Out of the domain (Intermediates), not compared.
        new[] { 0, 157987, 0, 0, 0, 0, 995423, 0, 0, 842835, 30485, 0, 0, 1882, 0, 0, 18246, 0, 0, 848744, 199644, 0, 0, 605651, 219773 },
        // Soak, AUTOGRADGEN_SOAK=5000 (seed 0003SGAFWjN1, program #2625), hand-shrunk: `return (LogDet(S)) * (Dot(v, v));` with v the
        // only differentiated parameter. FHessian takes the batched closed form (HessianBatch), whose printer has no LU names:
        // `hessian = …ScaledIdentity(v.Length, 2.0 * .LogAbsDeterminant());` does not compile (CS1525); Solve, Inverse and Det too.
        new[] { 0, 0, 0, 0, 0, 0, 50, 0, 0, 2, 50, 0, 0, 9, 50, 0, 0, 3, 1, 0, 1, 0, 3 },
    };

    [Theory]
    [MemberData(nameof(Regressions))]
    public void ShrunkFailuresStayFixed(int[] choices)
    {
        var failures = ProgramChecker.Check(new[] { choices }, 0);
        Assert.True(failures.Count == 0, failures.Count == 0 ? "" : failures[0].Message + "\n" + new RandomProgram(choices).Source("P0"));
    }
}
