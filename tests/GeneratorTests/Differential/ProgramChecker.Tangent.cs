using System.Reflection;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>Forward mode: FDifferential of F and of the program's layer.</summary>
public static partial class ProgramChecker
{
    /// <summary>
    /// <paramref name="differential"/>(inputs, v…, out df) along a random direction v: its value against
    /// <paramref name="f"/>, df against (f(x + h v) − f(x − h v)) / 2h, and adjointness ⟨Ȳ, df⟩ = Σₖ ⟨(Jᵀ Ȳ)ₖ, vₖ⟩
    /// with Ȳ = 1 for a scalar f and a random Ȳ for a layer, Jᵀ Ȳ from <paramref name="pullback"/>.
    /// </summary>
    private static string? CheckDifferential(MethodInfo f, MethodInfo differential, object[] inputs, int[] differentiated,
        Func<object, object[]> pullback, Random random, CheckCounts counts)
    {
        var directions = differentiated.Select(i => RandomLike(inputs[i], random)).ToArray();
        var args = inputs.Concat(directions).Append(null).ToArray();
        var value = differential.Invoke(null, args)!;
        var df = args[^1]!;
        var what = f.Name + "Differential";
        var reference = Flatten(f.Invoke(null, inputs)!);
        var message = Compare(counts, "FDifferential's value vs the method's", what + "'s value", Flatten(value), reference, Same, f.Name + "'s")
            ?? Compare(counts, "FDifferential vs finite differences", what + "'s df", Flatten(df), DirectionalDifference(f, inputs, differentiated, directions), Tolerance, "numeric",
                RoundOff(MaxAbs(reference), Step));
        if (message is not null)
        {
            return message;
        }
        var seed = df is double ? 1.0 : RandomLike(df, random);
        var reverse = pullback(seed);
        double backward = 0, backwardMagnitude = 0;
        for (int k = 0; k < differentiated.Length; k++)
        {
            backward += Inner(reverse[k], directions[k]);
            backwardMagnitude += AbsoluteInner(reverse[k], directions[k]);
        }
        return CompareIdentity(counts, what + " adjointness ⟨Ȳ, J v⟩ = Σ⟨Jᵀ Ȳ, v⟩", Inner(seed, df), backward,
            Math.Max(AbsoluteInner(seed, df), backwardMagnitude));
    }

    /// <summary>The program's layer, Layer(W, Z) = tanh(W Z) with W p × q and Z q × p: FDifferential against LayerPullback.</summary>
    private static string? CheckLayerDifferential(Type type, RandomProgram program, Random random, CheckCounts counts)
    {
        var inputs = new object[] { MakeInput("M", program.P, program.Q, "uniform", random), MakeInput("M", program.Q, program.P, "uniform", random) };
        var pullback = type.GetMethod("LayerPullback")!;
        object[] Pullback(object seed)
        {
            var args = inputs.Append(seed).Concat(new object?[2]).ToArray();
            pullback.Invoke(null, args);
            return args.Skip(3).Select(g => g!).ToArray();
        }
        return CheckDifferential(type.GetMethod("Layer")!, Allocating(type, "LayerDifferential")!, inputs, new[] { 0, 1 }, Pullback, random, counts);
    }

    /// <summary>(f(x + h v) − f(x − h v)) / 2h, entry by entry for a vector- or matrix-valued f.</summary>
    private static double[] DirectionalDifference(MethodInfo f, object[] inputs, int[] differentiated, object[] directions)
    {
        var plus = Flatten(f.Invoke(null, Shifted(inputs, differentiated, directions, Step))!);
        var minus = Flatten(f.Invoke(null, Shifted(inputs, differentiated, directions, -Step))!);
        return plus.Select((p, i) => (p - minus[i]) / (2 * Step)).ToArray();
    }

    /// <summary>The inputs with x + t v in place of each differentiated x.</summary>
    private static object[] Shifted(object[] inputs, int[] differentiated, object[] directions, double t)
    {
        var shifted = inputs.ToArray();
        for (int k = 0; k < differentiated.Length; k++)
        {
            var x = Flatten(inputs[differentiated[k]]);
            var v = Flatten(directions[k]);
            shifted[differentiated[k]] = Rebuild(inputs[differentiated[k]], x.Select((xi, i) => xi + (t * v[i])).ToArray());
        }
        return shifted;
    }

    /// <summary>A value shaped like <paramref name="like"/>, with entries uniform in [−1, 1].</summary>
    private static object RandomLike(object like, Random random)
        => Rebuild(like, Flatten(like).Select(_ => (2 * random.NextDouble()) - 1).ToArray());

    private static double Inner(object a, object b)
    {
        var x = Flatten(a);
        var y = Flatten(b);
        return x.Select((xi, i) => xi * y[i]).Sum();
    }

    /// <summary>Σ |aᵢ bᵢ|: the scale of ⟨a, b⟩'s rounding error.</summary>
    private static double AbsoluteInner(object a, object b)
    {
        var x = Flatten(a);
        var y = Flatten(b);
        return x.Select((xi, i) => Math.Abs(xi * y[i])).Sum();
    }
}
