using System.Reflection;
using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>
/// Compiles random programs with the generator and checks every generated method of F against the user's own
/// method and against each other. Returns one message per failing program. On each program:
/// <list type="number">
/// <item>FWithGradient: value = F, each gradient against central finite differences of F;</item>
/// <item>FBackward against FWithGradient, accumulating and overwriting, and 0 bytes allocated when warmed up;</item>
/// <item>FDifferential, of F and of the program's layer: value = the method's, df against central differences
/// along a random direction, adjointness ⟨Ȳ, J v⟩ = Σ⟨Jᵀ Ȳ, v⟩ with FWithGradient or LayerPullback;</item>
/// <item>second order present exactly when <see cref="Activity"/> finds no differentiated call, and AGG0020
/// reported at such a call otherwise; FHessianVectorProduct: value and gradients = FWithGradient's, hv against
/// central differences of FWithGradient along v, symmetry ⟨u, H v⟩ = ⟨v, H u⟩;</item>
/// <item>FHessian, present exactly when every differentiated parameter is a vector or scalar: value and
/// gradients = FWithGradient's, H = Hᵀ, and two columns against FHessianVectorProduct along eⱼ.</item>
/// </list>
/// Two guards, each counted in <see cref="CheckCounts"/>: a draw whose F is not finite or above 1e8 in magnitude
/// is outside the well-conditioned region, and so is one where F's evaluation leaves the domain of floating-point
/// derivatives though F is finite (an intermediate overflows, or a square root's argument underflows to 0: see
/// <see cref="Intermediates"/>); only the static checks (second order present or not) are made on them.
/// A third guard: a draw within a margin of a kink (a T condition, Abs, LeakyRelu, Maximum, Minimum; see <see cref="Intermediates"/>)
/// is not compared either. S is drawn well conditioned, so no other check is ever skipped. A program with a loop or an if has
/// no second order (AGG0035 at its first loop, else AGG0038 at its first branch), and a ?: only when it reads a differentiated
/// value: FDifferential, FWithGradient and FBackward are checked on them all the same.
/// </summary>
public static partial class ProgramChecker
{
    /// <summary>The allocating method of that name, or null (second-order methods and FDifferential have a zero-allocation twin of the same name, which takes the workspace).</summary>
    private static System.Reflection.MethodInfo? Allocating(Type type, string name)
        => type.GetMethods().SingleOrDefault(m => m.Name == name && !m.GetParameters().Any(p => p.ParameterType.Name.EndsWith("Workspace", StringComparison.Ordinal)));

    /// <summary>Generated derivatives against central finite differences, relative to max(1, |·|∞, the differences' <see cref="RoundOff"/>).</summary>
    public const double Tolerance = 2e-5;

    /// <summary>A value or gradient that a second generated method recomputes, against the first.</summary>
    public const double Same = 1e-9;

    /// <summary>Adjointness and symmetry, relative to max(1, Σ|terms|) of the inner products.</summary>
    public const double Identity = 1e-8;

    /// <summary>Step of the directional central differences (directions have entries in [−1, 1], inputs are O(1)).</summary>
    private const double Step = 1e-6;

    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Checks a batch (compiled together); a batch that does not compile is split to find the culprits.</summary>
    public static List<(int Index, string Message)> Check(IReadOnlyList<int[]> choices, int firstIndex, CheckCounts? counts = null)
    {
        counts ??= new CheckCounts();
        var programs = choices.Select(c => new RandomProgram(c)).ToList();
        var names = programs.Select((_, i) => "P" + (firstIndex + i)).ToList();
        Assembly assembly;
        GeneratorRun run;
        counts.Restart();
        try
        {
            var sources = programs.Select((p, i) => p.Source(names[i])).Concat(programs.Select((p, i) => Intermediates.Source(p, names[i])));
            (assembly, run) = GeneratorHarness.CompileAndLoadRun(allowUserWarnings: true, sources.ToArray());
        }
        catch (InvalidOperationException) when (programs.Count > 1)
        {
            return Enumerable.Range(0, programs.Count).SelectMany(i => Check(new[] { choices[i] }, firstIndex + i, counts)).ToList();
        }
        catch (InvalidOperationException e)
        {
            return new() { (firstIndex, "does not compile cleanly: " + First(e.Message, 3000)) };
        }
        counts.Lap("compile (generator, analyzer, emit, load)");
        var failures = new List<(int, string)>();
        for (int i = 0; i < programs.Count; i++)
        {
            var file = "Source" + i + ".cs";
            var noSecondOrder = run.AnalyzerDiagnostics.Where(d => d.Id is "AGG0020" or "AGG0035" or "AGG0038" && Path.GetFileName(d.Location.SourceTree?.FilePath) == file).ToList();
            var message = CheckOne(assembly, names[i], programs[i], noSecondOrder, seed: firstIndex + i, counts);
            if (message is not null)
            {
                failures.Add((firstIndex + i, message));
            }
        }
        return failures;
    }

    private static string First(string text, int length) => text.Length <= length ? text : text.Substring(0, length) + "…";

    private static string? CheckOne(Assembly assembly, string className, RandomProgram program, IReadOnlyList<Diagnostic> noSecondOrder, int seed, CheckCounts counts)
    {
        counts.Programs++;
        counts.Restart();
        var type = assembly.GetType(className)!;
        var f = type.GetMethod("F")!;
        var withGradient = type.GetMethod("FWithGradient")!;
        var presence = CheckSecondOrderPresence(type, program, noSecondOrder, counts);
        if (presence is not null)
        {
            return presence;
        }
        var random = new Random(seed);
        var inputs = program.Parameters.Select(p => MakeInput(p.Kind, p.Rows, p.Cols, p.Fill, random)).ToArray();
        double value = Evaluate(f, inputs);
        if (!double.IsFinite(value) || Math.Abs(value) > 1e8)
        {
            counts.OutOfRegion++;
            return null; // out of the well-conditioned region; nothing to compare
        }
        if (!(bool)type.GetMethod(Intermediates.Method)!.Invoke(null, inputs.ToArray())!)
        {
            counts.OutOfDomain++;
            return null; // F is finite, but through an ∞ or a √0 that makes every derivative through it NaN
        }
        if ((bool)type.GetMethod(Intermediates.NearKinkMethod)!.Invoke(null, null)!)
        {
            counts.NearKink++;
            return null; // within the margin of a kink: a central difference could straddle it
        }
        counts.Exercised(program);
        var differentiated = program.Parameters.Select((p, i) => (p, i)).Where(t => !t.p.NoGradient).ToList();
        var args = inputs.Concat(new object?[differentiated.Count]).ToArray();
        double generatedValue;
        try
        {
            generatedValue = (double)withGradient.Invoke(null, args)!;
        }
        catch (TargetInvocationException e)
        {
            return "FWithGradient threw " + e.InnerException;
        }
        if (Math.Abs(generatedValue - value) > 1e-9 * Math.Max(1, Math.Abs(value)))
        {
            return $"value {generatedValue:R} differs from F's {value:R}";
        }
        var gradients = args.Skip(inputs.Length).Select(g => g!).ToArray();
        // A constant ?: is evaluated as written (the generator's constant expressions): the arrays it computes are allocated.
        bool constantArrays = Activity.HasConstantConditional(program);
        counts.ConstantConditionalsAsWritten += constantArrays ? 1 : 0;
        var workspaceMessage = CheckWorkspace(type, inputs, gradients, differentiated.Count, checkAllocation: !constantArrays);
        if (workspaceMessage is not null)
        {
            return workspaceMessage;
        }
        for (int k = 0; k < differentiated.Count; k++)
        {
            var (parameter, index) = differentiated[k];
            var message = Compare(counts, "∇ vs finite differences", "∇" + parameter.Name, Flatten(gradients[k]), FiniteDifferences(f, inputs, index), Tolerance, "numeric",
                RoundOff(Math.Abs(value), 1e-6));
            if (message is not null)
            {
                return message;
            }
        }
        counts.Lap("gradients vs finite differences, FBackward");
        var indices = differentiated.Select(t => t.i).ToArray();
        try
        {
            var message = CheckDifferential(f, Allocating(type, "FDifferential")!, inputs, indices, _ => gradients, random, counts)
                ?? CheckLayerDifferential(type, program, random, counts);
            if (message is not null)
            {
                return message;
            }
            counts.Differentials++;
            counts.Lap("FDifferential");
            message = CheckSecondOrder(type, program, withGradient, inputs, indices, value, gradients, random, counts);
            counts.Lap("second order");
            return message;
        }
        catch (TargetInvocationException e)
        {
            return "a generated method threw " + e.InnerException;
        }
    }

    /// <summary>
    /// |got − want|∞ relative to max(1, |got|∞, |want|∞, <paramref name="roundOff"/> / <paramref name="tolerance"/>), recorded
    /// in <paramref name="counts"/> under <paramref name="check"/>; a message naming <paramref name="what"/> when above
    /// <paramref name="tolerance"/>. <paramref name="roundOff"/>: the absolute error that <paramref name="want"/> carries.
    /// </summary>
    private static string? Compare(CheckCounts counts, string check, string what, double[] got, double[] want, double tolerance,
        string wantLabel = "expected", double roundOff = 0)
    {
        if (got.Length != want.Length)
        {
            return $"{what} has {got.Length} entries, expected {want.Length}";
        }
        double scale = Math.Max(Math.Max(1, roundOff / tolerance), Math.Max(MaxAbs(got), MaxAbs(want)));
        double error = got.Zip(want, (g, w) => Math.Abs(g - w)).DefaultIfEmpty(0).Max() / scale;
        counts.Observe(check, error);
        return error <= tolerance ? null
            : $"{what}: relative error {error:E2} ({check}, tolerance {tolerance:G2})\n  generated: [{Format(got)}]\n  {wantLabel + ":",-10} [{Format(want)}]";
    }

    /// <summary>
    /// The round-off of a central difference (f(x + h) − f(x − h)) / 2h of values of magnitude |f|, each taken as accurate
    /// to 10 ε: 10 ε |f| / h. Differences cannot resolve an O(1) derivative of an F of 10⁶ to 2e-5 (seen in a soak: 1.5e-5
    /// on ∂(… − s)/∂s = −1 with F = 1.0e6), so this joins the scale of every comparison with finite differences.
    /// </summary>
    private static double RoundOff(double magnitude, double h) => 10 * MachineEpsilon * magnitude / h;

    /// <summary>Two sides of an identity of inner products, relative to max(1, <paramref name="magnitude"/>) (the sums of |terms|).</summary>
    private static string? CompareIdentity(CheckCounts counts, string check, double lhs, double rhs, double magnitude)
    {
        double error = Math.Abs(lhs - rhs) / Math.Max(1, magnitude);
        counts.Observe(check, error);
        return error <= Identity ? null : $"{check}: {lhs:R} vs {rhs:R}, relative error {error:E2} (tolerance {Identity:G2})";
    }

    private static string Format(double[] values) => string.Join(", ", values.Select(g => g.ToString("G6")));

    private static double MaxAbs(double[] values) => values.Select(Math.Abs).DefaultIfEmpty(0).Max();

    /// <summary>
    /// FBackward on a fresh workspace, into zeroed buffers, must give FWithGradient's gradients; a second call
    /// on the same workspace must give them again and allocate nothing (unless <paramref name="checkAllocation"/> is false:
    /// F evaluates a constant ?: as written, see <see cref="Activity.HasConstantConditional"/>).
    /// </summary>
    private static string? CheckWorkspace(Type type, object[] inputs, object[] expected, int count, bool checkAllocation)
    {
        var backward = type.GetMethod("FBackward")!;
        var workspace = Activator.CreateInstance(type.GetNestedType("FWorkspace")!)!;
        // Round 1 adds into zeroed buffers; round 2 overwrites buffers full of NaN (accumulate: false), which
        // must leave no trace of the NaN anywhere.
        for (int round = 0; round < 2; round++)
        {
            bool accumulate = round == 0;
            var buffers = expected.Select(e => accumulate ? Zeroed(e) : Poisoned(e)).ToArray();
            var args = inputs.Concat(new[] { workspace }).Concat(buffers).Concat(new object?[] { accumulate }).ToArray();
            try
            {
                backward.Invoke(null, args);
            }
            catch (TargetInvocationException e)
            {
                return "FBackward threw " + e.InnerException;
            }
            for (int k = 0; k < count; k++)
            {
                var got = Flatten(args[inputs.Length + 1 + k]!);
                var want = Flatten(expected[k]);
                double scale = Math.Max(1, want.Select(Math.Abs).DefaultIfEmpty(0).Max());
                double error = got.Zip(want, (g, w) => Math.Abs(g - w)).DefaultIfEmpty(0).Max() / scale;
                if (!(error <= 1e-10))
                {
                    return $"FBackward (accumulate: {accumulate}) differs from FWithGradient in gradient #{k}: relative {error:E2}";
                }
            }
        }
        if (!checkAllocation)
        {
            return null;
        }
        var allocated = (long)type.GetMethod("SteadyStateAllocation")!.Invoke(null, inputs.ToArray())!;
        return allocated == 0 ? null : $"a warmed-up FBackward allocated {allocated} bytes";
    }

    private static object Poisoned(object like) => like switch
    {
        double => double.NaN,
        Vector<double> v => Vector<double>.FromArray(Enumerable.Repeat(double.NaN, v.Length).ToArray()),
        Matrix<double> m => Fill(new Matrix<double>(m.Rows, m.Cols), double.NaN),
        _ => throw new ArgumentException("unexpected gradient"),
    };

    private static Matrix<double> Fill(Matrix<double> m, double value)
    {
        m.AsSpan().Fill(value);
        return m;
    }

    private static object Zeroed(object like) => like switch
    {
        double => 0.0,
        Vector<double> v => new Vector<double>(v.Length),
        Matrix<double> m => new Matrix<double>(m.Rows, m.Cols),
        _ => throw new ArgumentException("unexpected gradient"),
    };

    private static double Evaluate(MethodInfo f, object[] inputs) => (double)f.Invoke(null, inputs.ToArray())!;

    private static double[] FiniteDifferences(MethodInfo f, object[] inputs, int index)
    {
        var values = Flatten(inputs[index]);
        var result = new double[values.Length];
        for (int j = 0; j < values.Length; j++)
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(values[j]));
            double Shifted(double delta)
            {
                var copy = inputs.ToArray();
                var changed = (double[])values.Clone();
                changed[j] += delta;
                copy[index] = Rebuild(inputs[index], changed);
                return Evaluate(f, copy);
            }
            result[j] = (Shifted(h) - Shifted(-h)) / (2 * h);
        }
        return result;
    }

    private static object MakeInput(string kind, int rows, int cols, string fill, Random random)
    {
        double Next() => fill == "positive" ? 0.5 + random.NextDouble() : 2 * random.NextDouble() - 1;
        switch (kind)
        {
            case "I":
                return int.Parse(fill.Substring("int:".Length), System.Globalization.CultureInfo.InvariantCulture);
            case "B":
                return fill == "bool:true";
            case "IA":
                return fill.Substring("ids:".Length).Split(',').Select(t => int.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            case "S":
                return Next();
            case "V":
                return Vector<double>.FromArray(Enumerable.Range(0, rows).Select(_ => Next()).ToArray());
            default:
                var m = new Matrix<double>(rows, cols);
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < cols; j++)
                    {
                        m[i, j] = fill == "wellconditioned" ? (i == j ? 2.0 : 0.0) + 0.6 * random.NextDouble() - 0.3 : Next();
                    }
                }
                return m;
        }
    }

    private static double[] Flatten(object value) => value switch
    {
        double d => new[] { d },
        Vector<double> v => v.ToArray(),
        Matrix<double> m => m.AsSpan().ToArray(),
        _ => throw new ArgumentException("unexpected " + value.GetType()),
    };

    private static object Rebuild(object like, double[] values) => like switch
    {
        double => values[0],
        Vector<double> => Vector<double>.FromArray(values),
        Matrix<double> m => FromFlat(m.Rows, m.Cols, values),
        _ => throw new ArgumentException("unexpected " + like.GetType()),
    };

    private static Matrix<double> FromFlat(int rows, int cols, double[] values)
    {
        var m = new Matrix<double>(rows, cols);
        values.CopyTo(m.AsSpan());
        return m;
    }
}
