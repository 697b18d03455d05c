using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>
/// Differential testing of the generated methods: CsCheck generates random well-typed programs
/// (as choice sequences, see <see cref="RandomProgram"/>; half of them also draw loops, branches, slices and the
/// deep-learning ops of its second grammar), each is compiled with the generator and
/// run, and <see cref="ProgramChecker"/> compares every gradient with finite differences, FBackward
/// with FWithGradient, FDifferential with finite differences and the gradient (adjointness), and the
/// second order (FHessianVectorProduct, FHessian, or AGG0020 where a call keeps F from it) with finite
/// differences of the gradient and for symmetry, or AGG0035/AGG0038 where a loop or a branch keeps F from it. CI runs 500
/// programs from a fixed seed and asserts that each construct and op of the second grammar was exercised in a minimum number;
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
        // The first grammar's choices as before; the second grammar's after them, the first part padded with zeros (which
        // change nothing) to RandomProgram.FirstGrammarLength.
        var choices = Gen.Select(Gen.Int[0, 1 << 20].Array[0, RandomProgram.FirstGrammarLength], Gen.Int[0, 1 << 20].Array[0, 64],
            (first, second) => second.Length == 0 ? first : first.Concat(new int[RandomProgram.FirstGrammarLength - first.Length]).Concat(second).ToArray());
        var gen = choices.Array[count];
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
        if (Soak is null)
        {
            // The CI run must keep exercising the second grammar: each construct and op in at least this many programs
            // compared with finite differences (about a third of what the fixed seed gives; a bound read from an outer counter and a ConcatColumns, drawn once each), so that none silently vanishes.
            var missing = Minimums.Where(m => counts.Exercised(m.Key) < m.Value).Select(m => $"{m.Key}: {counts.Exercised(m.Key)} < {m.Value}").ToList();
            Assert.True(missing.Count == 0, "too few programs exercised " + string.Join("; ", missing));
            Assert.True(counts.NoSecondOrderLoop >= 30 && counts.NoSecondOrderBranch >= 30,
                $"too few programs without second order through a loop ({counts.NoSecondOrderLoop}) or a branch ({counts.NoSecondOrderBranch})");
        }
    }

    /// <summary>Minimum numbers of CI programs compared with finite differences that have each construct and op.</summary>
    private static readonly Dictionary<string, int> Minimums = new()
    {
        ["loop"] = 30, ["nested loop"] = 5, ["carried T"] = 20, ["carried vector"] = 20, ["carried matrix"] = 20, ["counting down"] = 3,
        ["step 2"] = 3, ["bound n"] = 5, ["bound shape"] = 5, ["bound counter"] = 1, ["if"] = 30, ["else"] = 10, ["else if"] = 3,
        ["if inside loop"] = 5, ["?:"] = 30, ["int condition"] = 10, ["bool condition"] = 10, ["T condition"] = 20, ["slice"] = 15,
        ["element read"] = 20, ["counter index"] = 3,
        ["LayerNorm"] = 3, ["BatchNorm"] = 2, ["Gelu"] = 3, ["Softplus"] = 3, ["Abs"] = 3, ["LeakyRelu"] = 3, ["Maximum"] = 2,
        ["Minimum"] = 2, ["Divide"] = 3, ["Pow"] = 3, ["LogSumExp"] = 5, ["RowSums"] = 2, ["RowMeans"] = 2, ["ColumnSums"] = 2,
        ["ColumnMeans"] = 2, ["CausalSoftmax"] = 2, ["BinaryCrossEntropyWithLogits"] = 3, ["Conv2D"] = 2, ["Column"] = 2, ["Row"] = 2,
        ["SliceRows"] = 3, ["SliceColumns"] = 3, ["ConcatRows"] = 2, ["ConcatColumns"] = 1, ["Diagonal"] = 2, ["Embedding"] = 2,
    };

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
        // Soak, AUTOGRADGEN_SOAK=5000 (second grammar), program #1466: `var E0 = S.Cols >= v.Length ? S : SliceColumns(Embedding(…, ids),
        // 0, 2);` with S, A [NoGradient] is a constant ?: (it reads only v's shape), evaluated as written; the test's activity
        // counted the read of v.Length as a read of v and checked FBackward's allocation (520 bytes).
        new[]
        {
            1863, 766048, 160631, 986680, 430128, 638546, 196367, 695374, 498832, 711444, 153226, 335208, 477510, 254795, 454050, 204279, 788484, 756019, 735371, 300397,
            497703, 531168, 74526, 362059, 62051, 315745, 1015939, 905809, 949752, 696489, 909724, 704486, 423784, 778475, 919530, 159896, 558301, 1033116, 202457, 376984,
            570987, 588697, 196406, 591155, 559338, 409500, 932982, 473193, 219875, 122498, 51267, 783326, 46386, 516198, 151031, 1011854, 680368, 281607, 190355, 638507,
            640680, 18260, 638403, 139686, 683426, 723913, 43851, 178804, 590838, 1023784, 408295, 475571, 239867, 118306, 584297, 633786, 198217, 534251, 339859, 164356,
            110314, 63053, 465486, 157030, 1044991, 257256, 202631, 476211, 363636, 206143, 1008955, 0, 0, 0, 0, 0, 197185, 976230, 203747, 178122,
            731883, 1016234, 940748, 483988, 946516, 612061, 582272, 736483, 902168, 74370, 253942, 252246, 966698, 745905, 706725, 578851, 410615, 256738, 144876, 472869,
            584031, 937290, 352038
        },
        // Soak, AUTOGRADGEN_SOAK=5000 (second grammar), program #3382: three nested loops, w2 = w0 set in the outer one and
        // read by Tanh(w2) in the middle one: FBackward added into ∇w2's accumulator on every middle iteration with
        // Linear.Add(acc, …, ref slot), whose slot was acc itself from the second iteration (ArgumentException: aliased).
        new[]
        {
            1007980, 937278, 773599, 322570, 945899, 460167, 965449, 309535, 331448, 841279, 27439, 542739, 583863, 454054, 280542, 39421, 230964, 9398, 358604, 1021535,
            390990, 998939, 1034798, 234141, 1045414, 343975, 780579, 869913, 946600, 895179, 555350, 846985, 325988, 305319, 148116, 528125, 981321, 941897, 792953, 330763,
            853812, 421736, 638972, 884022, 917060, 166844, 879517, 334280, 112667, 640965, 348494, 336214, 424988, 307241, 654739, 837669, 108023, 913686, 5652, 320685,
            892708, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 551077, 267466, 258550, 653328,
            489117, 605052, 811, 993502, 54415, 744244, 594804, 744774, 779320, 59846, 808695, 506711, 817049, 1811, 197552, 225944, 925499, 1008493, 525637, 955537,
            856164, 513078, 455654, 1026020, 725076, 1004336, 135905, 754556, 961739, 363758, 823840, 781184, 473089, 727317, 663019, 364529, 44586, 354599
        },
        // Soak, AUTOGRADGEN_SOAK=5000 (second grammar, seed 000dF4fJVo61), program #4383: `var t0 = s; … else if (t0 <= s)`
        // printed the condition as `s <= s` (both sides the node s), a warning (CS1718) and so an error under warnings as errors.
        new[]
        {
            274880, 794979, 8852, 780131, 240460, 901246, 217116, 200736, 490470, 216782, 332376, 906481, 902749, 543233, 628912, 111480, 986816, 551262, 919513, 962765,
            591238, 813364, 1015840, 189480, 209592, 662294, 468513, 72562, 155872, 799539, 17018, 906256, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 636079, 1043267, 263993, 327395,
            142982, 511182, 640128, 526685, 446913, 211030, 407191, 1013526, 616251, 303798, 115373, 2713, 351455, 962564, 17592, 1027915, 973263, 15314, 153518, 1032178,
            648741, 565743, 700859, 529471, 389082, 103639, 558227, 865690, 727268, 311532, 706219, 119246, 467534, 823031, 406776, 1007822, 318832, 1029450, 373767
        },
        // Soak, AUTOGRADGEN_SOAK=5000 (second grammar), program #99: w0 = Diagonal(Outer(v, v)) carried through nested loops; the
        // inner loop's accumulator was sized from the outer iteration's value (w05.Length, out of scope in the backward pass)
        // because shape inference gave Diagonal a fresh length; the diagonal of a square matrix now has its order.
        new[]
        {
            761784, 19742, 106894, 536111, 667180, 373326, 822926, 972910, 95446, 671401, 357420, 1042007, 129608, 654424, 471957, 498010, 889029, 1020635, 921507, 1041749,
            25981, 170616, 159986, 892002, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 989055, 250576, 358000, 414530,
            675465, 475973, 390148, 659437, 857882, 671945, 923433, 560300, 439872, 571931, 349567, 645272, 176549, 541667, 380553, 272040, 5105, 36571, 558869, 509033,
            680149, 836233, 164534, 775156, 879114, 419487, 273979, 751937, 541765, 157572, 481256, 179333, 526986, 643323, 537571, 85630, 817472, 943445, 460617, 665383,
            371447, 616305, 692750, 371958, 659199, 467796, 788179, 830477, 236454, 960023
        },
        // Soak, AUTOGRADGEN_SOAK=5000, program #3079: FDifferential of Square(Transpose(t0) * (u - u)) with ∂t0 = 0 (∂(u − u)
        // cancels) printed the term ∂t0ᵀ (u − u) as 0.0 * (u − u), a vector of len(u) where cols(t0) was due (ArgumentException in
        // SquareBackward); a differential known to be zero now contributes no term.
        new[]
        {
            102211, 0, 0, 431236, 0, 517286, 701210, 0, 80767, 624681, 95688, 0, 22835, 0, 128138, 0, 0, 610944, 602828, 624806,
            631071, 425275, 31672, 406839, 254248, 350287, 184867, 843686, 813444, 720493, 499364, 62877, 695187, 189060, 557073, 493177, 890486, 627943, 469104, 653209,
            274257, 724293, 778981, 373268, 468441, 158616, 590767, 894731, 420565, 1040788, 465292, 329128, 635887, 909476, 662778, 374214, 664435
        },
    };

    [Theory]
    [MemberData(nameof(Regressions))]
    public void ShrunkFailuresStayFixed(int[] choices)
    {
        var failures = ProgramChecker.Check(new[] { choices }, 0);
        Assert.True(failures.Count == 0, failures.Count == 0 ? "" : failures[0].Message + "\n" + new RandomProgram(choices).Source("P0"));
    }
}
