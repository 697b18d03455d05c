using System.Globalization;
using System.Reflection;
using AutoGradGen.GeneratorTests.Infrastructure;
using CsCheck;
using Xunit;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>
/// Random programs built around the rewrite stage's trigger patterns — sum(C ⊙ Solve(A, C)) and Inverse(A) * C,
/// reductions of products (RowSums, RowMeans, Sum, Trace), chains of three or four factors — with random surrounding
/// operations, compiled in one batch and each evaluated at random sizes (so that both sides of every run-time choice
/// are drawn): FWithGradient's value against F, each gradient against central finite differences of F, FBackward
/// (overwriting) against FWithGradient. Double only (the rules' float behaviour is in tests/GeneratorTests/Rewrite).
/// </summary>
public class RewriteProgramTests
{
    private const string CiSeed = "0N0XIzNsQ0O2";

    /// <summary>A parameter: its kind, its dimensions as indices into the drawn sizes (-1: one), and how it is drawn.</summary>
    public sealed record Param(string Name, bool Matrix, int Rows, int Cols, bool NoGradient = false, bool Spd = false)
    {
        public string Declaration => (NoGradient ? "[NoGradient] " : string.Empty) + (Matrix ? "Matrix<double> " : "Vector<double> ") + Name;
    }

    /// <summary>One program: F's body (a block), its parameters; <see cref="Source"/> names it.</summary>
    public sealed record Program(string Body, Param[] Params)
    {
        public string Source(string name) => "[Differentiable] public static double " + name + "(" + string.Join(", ", Params.Select(p => p.Declaration)) + ")\n{\n" + Body + "\n}\n";

        public override string ToString() => Source("F");
    }

    private static Gen<string> Pick(params string[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    private static Gen<string> Wrap(string x) => Pick(x, x, "Tanh(" + x + ")", "0.5 * " + x, "Sigmoid(" + x + ")");

    // Sizes: 0 = d, 1 = n, 2 = k, 3 = m.
    private static readonly Gen<Program> Trace =
        from c in Pick("X - mu", "M", "M - mu", "Tanh(M) - mu")
        from inverse in Gen.Bool
        from swap in Gen.Bool
        from extra in Pick("0", "SquaredNorm(C)", "LogDet(A)", "Sum(Tanh(C))")
        from scale in Pick("", "2 * ", "-0.5 * ")
        let solve = inverse ? "Inverse(A) * C" : "Solve(A, C)"
        let pair = swap ? solve + ", C" : "C, " + solve
        select new Program(
            "    var C = " + c + ";\n    return " + scale + "Sum(Hadamard(" + pair + ")) + " + extra + ";",
            new[] { new Param("A", true, 0, 0, Spd: true), new Param("X", true, 0, 1, NoGradient: true), new Param("M", true, 0, 1), new Param("mu", false, 0, -1) });

    private static readonly Gen<Program> Reduction =
        from kind in Gen.Int[0, 3]
        from p in Wrap("P")
        from q in Wrap(kind == 3 ? "R" : "Q")
        from extra in Pick("0", "SquaredNorm(P)", "Sum(Q)")
        let product = p + " * " + q
        let value = kind switch
        {
            0 => "Dot(w, RowSums(" + product + "))",
            1 => "Dot(w, RowMeans(" + product + "))",
            2 => "Sum(" + product + ")",
            _ => "Trace(" + product + ")",
        }
        select new Program("    return " + value + " + " + extra + ";",
            new[] { new Param("P", true, 3, 2), new Param("Q", true, 2, 1), new Param("R", true, 2, 3), new Param("w", false, 3, -1) });

    private static readonly Gen<Program> Chain =
        from count in Gen.Int[3, 4]
        from dims in Gen.Int[0, 3].Array[count + 1]
        from vector in Gen.Bool
        from wrapped in Gen.Int[0, count - 1]
        from w in Wrap("F" + wrapped)
        select ChainProgram(count, dims, vector, wrapped, w);

    private static Program ChainProgram(int count, int[] dims, bool vector, int wrapped, string wrap)
    {
        var ps = new List<Param>();
        var factors = new List<string>();
        for (int i = 0; i < count; i++)
        {
            bool last = i == count - 1;
            ps.Add(new Param("F" + i, !(last && vector), dims[i], last && vector ? -1 : dims[i + 1]));
            factors.Add(i == wrapped && !(last && vector) ? wrap : "F" + i);
        }
        var product = string.Join(" * ", factors);
        if (vector)
        {
            ps.Add(new Param("w", false, dims[0], -1, NoGradient: true));
            return new Program("    return Dot(w, " + product + ");", ps.ToArray());
        }
        return new Program("    return SquaredNorm(" + product + ");", ps.ToArray());
    }

    [Fact]
    public void RewrittenProgramsMatchFiniteDifferences()
    {
        var gen = Gen.Int[0, 4].SelectMany(i => i < 2 ? Trace : i < 3 ? Reduction : Chain).Array[8];
        gen.Sample(Check, seed: CiSeed, iter: 2, threads: 1, print: ps => string.Join("\n", ps.Select(p => p.ToString())));
    }

    private static void Check(Program[] programs)
    {
        var source = GradientAssert.Source(string.Join("\n", programs.Select((p, i) => p.Source("F" + i))));
        var assembly = GradientAssert.Compile(source, "double");
        var type = assembly.GetType(GradientAssert.TypeName)!;
        var rng = new Random(programs.Length);
        for (int i = 0; i < programs.Length; i++)
        {
            // Both sides of a d-versus-n choice, then random sizes.
            foreach (var sizes in new[] { new[] { 2, 5, 3, 4 }, new[] { 5, 2, 4, 1 }, new[] { 1 + rng.Next(5), 1 + rng.Next(5), 1 + rng.Next(5), 1 + rng.Next(5) } })
            {
                CheckOne(type, "F" + i, programs[i], sizes, rng);
            }
        }
    }

    private static void CheckOne(Type type, string name, Program program, int[] sizes, Random rng)
    {
        var inputs = program.Params.Select(p => Draw(p, sizes, rng)).ToArray();
        var f = type.GetMethod(name)!;
        var g = type.GetMethod(name + "WithGradient")!;
        double Eval(object[] values) => (double)f.Invoke(null, values.Select(v => Values.ToRuntime(v, false)).ToArray())!;
        var differentiated = program.Params.Select((p, k) => (p, k)).Where(x => !x.p.NoGradient).ToList();
        var args = inputs.Select(v => Values.ToRuntime(v, false)).Concat(new object?[differentiated.Count]).ToArray();
        double value = (double)g.Invoke(null, args)!;
        double fx = Eval(inputs);
        string where = name + " at sizes " + string.Join(",", sizes) + ":\n" + program;
        Assert.True(Math.Abs(value - fx) <= 1e-9 * Math.Max(1, Math.Abs(fx)), "value " + value + " vs F " + fx + " for " + where);
        var backward = type.GetMethod(name + "Backward")!;
        var workspace = Activator.CreateInstance(backward.GetParameters()[inputs.Length].ParameterType)!;
        var buffers = differentiated.Select(x => Values.ToRuntime(x.p.Matrix ? new double[Rows(x.p, sizes), Cols(x.p, sizes)] : new double[Rows(x.p, sizes)], false)).ToArray();
        backward.Invoke(null, inputs.Select(v => Values.ToRuntime(v, false)).Concat(new[] { workspace }).Concat(buffers).Concat(new object[] { false }).ToArray());
        for (int j = 0; j < differentiated.Count; j++)
        {
            var (p, k) = differentiated[j];
            var got = Values.Flatten(Values.FromRuntime(args[inputs.Length + j]));
            var fd = FiniteDifferences(inputs, k, Eval);
            double scale = Math.Max(1, fd.Select(Math.Abs).DefaultIfEmpty(0).Max());
            var (error, index) = Values.MaxError(got, fd);
            Assert.True(error <= 2e-5 * scale, "∇" + p.Name + "[" + index + "] = " + got[index].ToString("G6", CultureInfo.InvariantCulture) + ", differences " + fd[index].ToString("G6", CultureInfo.InvariantCulture) + " for " + where);
            var (same, at) = Values.MaxError(Values.Flatten(Values.FromRuntime(buffers[j])), got);
            Assert.True(same <= 1e-9 * scale, "FBackward ∇" + p.Name + "[" + at + "] differs from FWithGradient for " + where);
        }
        CheckHessianVectorProduct(type, name, inputs, differentiated.Select(x => x.k).ToArray(), rng, where);
    }

    /// <summary>
    /// Second order takes the same size choice: FHessianVectorProduct along a random v against central differences of
    /// FWithGradient along v, and its workspace twin (overwriting) against it.
    /// </summary>
    private static void CheckHessianVectorProduct(Type type, string name, object[] inputs, int[] differentiated, Random rng, string where)
    {
        var product = type.GetMethods().Single(m => m.Name == name + "HessianVectorProduct" && m.GetParameters().Any(q => q.IsOut));
        var twin = type.GetMethods().Single(m => m.Name == name + "HessianVectorProduct" && !m.GetParameters().Any(q => q.IsOut));
        var g = type.GetMethod(name + "WithGradient")!;
        var v = differentiated.Select(k => Values.Unflatten(Values.Flatten(inputs[k]).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), inputs[k])).ToArray();
        double[][] Gradient(double t)
        {
            var moved = (object[])inputs.Clone();
            for (int j = 0; j < differentiated.Length; j++)
            {
                var x = Values.Flatten(inputs[differentiated[j]]);
                var d = Values.Flatten(v[j]);
                moved[differentiated[j]] = Values.Unflatten(x.Select((e, i) => e + t * d[i]).ToArray(), inputs[differentiated[j]]);
            }
            var args = moved.Select(o => Values.ToRuntime(o, false)).Concat(new object?[differentiated.Length]).ToArray();
            g.Invoke(null, args);
            return Enumerable.Range(0, differentiated.Length).Select(j => Values.Flatten(Values.FromRuntime(args[inputs.Length + j]))).ToArray();
        }
        const double h = 1e-5;
        var (plus, minus) = (Gradient(h), Gradient(-h));
        var call = inputs.Select(o => Values.ToRuntime(o, false)).Concat(v.Select(o => Values.ToRuntime(o, false)))
            .Concat(new object?[2 * differentiated.Length]).ToArray();
        product.Invoke(null, call);
        var workspace = Activator.CreateInstance(twin.GetParameters()[inputs.Length + differentiated.Length].ParameterType)!;
        var buffers = Enumerable.Range(0, 2 * differentiated.Length).Select(j => Values.ToRuntime(Values.Unflatten(new double[Values.Flatten(inputs[differentiated[j % differentiated.Length]]).Length], inputs[differentiated[j % differentiated.Length]]), false)).ToArray();
        twin.Invoke(null, inputs.Select(o => Values.ToRuntime(o, false)).Concat(v.Select(o => Values.ToRuntime(o, false))).Concat(new[] { workspace }).Concat(buffers).Concat(new object[] { false }).ToArray());
        for (int j = 0; j < differentiated.Length; j++)
        {
            var hv = Values.Flatten(Values.FromRuntime(call[inputs.Length + (2 * differentiated.Length) + j]));
            var fd = plus[j].Select((e, i) => (e - minus[j][i]) / (2 * h)).ToArray();
            double scale = Math.Max(1, fd.Select(Math.Abs).DefaultIfEmpty(0).Max());
            var (error, index) = Values.MaxError(hv, fd);
            Assert.True(error <= 1e-5 * scale, "H v [" + j + "][" + index + "] = " + hv[index] + ", differences " + fd[index] + " for " + where);
            var (same, at) = Values.MaxError(Values.Flatten(Values.FromRuntime(buffers[differentiated.Length + j])), hv);
            Assert.True(same <= 1e-9 * scale, "the twin's H v [" + j + "][" + at + "] differs from FHessianVectorProduct's for " + where);
        }
    }

    private static int Rows(Param p, int[] sizes) => sizes[p.Rows];

    private static int Cols(Param p, int[] sizes) => p.Cols < 0 ? 1 : sizes[p.Cols];

    private static object Draw(Param p, int[] sizes, Random rng)
    {
        double U() => rng.NextDouble() * 2 - 1;
        if (!p.Matrix)
        {
            return Enumerable.Range(0, Rows(p, sizes)).Select(_ => U()).ToArray();
        }
        var m = new double[Rows(p, sizes), Cols(p, sizes)];
        for (int r = 0; r < m.GetLength(0); r++)
        {
            for (int c = 0; c < m.GetLength(1); c++)
            {
                m[r, c] = p.Spd ? (r == c ? 2 : 0) + 0.3 * U() : U();
            }
        }
        return m;
    }

    private static double[] FiniteDifferences(object[] inputs, int k, Func<object[], double> eval)
    {
        const double h = 1e-6;
        var flat = Values.Flatten(inputs[k]);
        var result = new double[flat.Length];
        for (int e = 0; e < flat.Length; e++)
        {
            double At(double delta)
            {
                var shifted = (double[])flat.Clone();
                shifted[e] += delta;
                var values = (object[])inputs.Clone();
                values[k] = Values.Unflatten(shifted, inputs[k]);
                return eval(values);
            }
            result[e] = (At(h) - At(-h)) / (2 * h);
        }
        return result;
    }
}
