using System.Reflection;

namespace AutoGradGen.GeneratorTests.Infrastructure;

/// <summary>Checks of forward mode: the differential against finite differences, and against the pullback by adjointness.</summary>
public static partial class GradientAssert
{
    /// <summary>
    /// Checks <c><paramref name="method"/>Differential(params, dparams, out df)</c> along random directions:
    /// <list type="number">
    /// <item>its signature: F's parameters, then "d" + name of each differentiated parameter (its type), then <c>out</c> df;</item>
    /// <item>its value against F;</item>
    /// <item>df against the central difference (F(x + h v) − F(x − h v)) / 2h along the same directions;</item>
    /// <item>adjointness, ⟨Ȳ, J v⟩ = Σᵢ ⟨Jᵢᵀ Ȳ, vᵢ⟩, with Jᵀ Ȳ from FWithGradient (Ȳ = 1) or FPullback (random Ȳ).</item>
    /// </list>
    /// Returns the differential, for callers that also compare it with a closed form.
    /// </summary>
    public static object Tangent(string source, string method, Inputs inputs, int seed = 7)
    {
        var ctx = new Context(source, inputs, method + "Differential");
        var assembly = Compile(source, inputs.ElementType);
        var f = GeneratorHarness.Method(assembly, TypeName, method);
        var d = GeneratorHarness.Method(assembly, TypeName, method + "Differential");
        var differentiated = DifferentialParameters(ctx, f, d);
        var rng = new Random(seed);
        var directions = differentiated.Select(name => new KeyValuePair<string, object>(name, RandomLike(inputs.Items.First(i => i.Key == name).Value, rng, inputs))).ToList();

        var args = Values.ToArgs(inputs.Items, inputs.IsFloat).Concat(Values.ToArgs(directions, inputs.IsFloat)).Append(null).ToArray();
        var value = Values.FromRuntime(d.Invoke(null, args));
        var df = Values.FromRuntime(args[^1]);
        var forward = Values.FromRuntime(f.Invoke(null, Values.ToArgs(inputs.Items, inputs.IsFloat)));
        var tol = Tolerance.For(inputs);
        double scale = Math.Max(1, Math.Max(Values.MaxAbs(forward), Values.MaxAbs(df)));
        CloseArrays(ctx, "value of " + method + "Differential vs " + method, forward, value, tol.Same, scale);
        CloseArrays(ctx, "∂f against central differences along the same directions", DirectionalDifference(f, inputs, directions), df, tol.FiniteDifference, scale);

        var (lhs, rhs, magnitude) = Adjointness(assembly, method, inputs, directions, df, rng);
        Close(ctx, "adjointness ⟨Ȳ, J v⟩ (forward) = Σ ⟨Jᵀ Ȳ, v⟩ (reverse)", lhs, rhs, tol.ClosedForm * 10, Math.Max(1, magnitude));
        return df;
    }

    private static string[] DifferentialParameters(Context ctx, MethodInfo f, MethodInfo d)
    {
        var fp = f.GetParameters();
        var dp = d.GetParameters();
        if (dp.Length < fp.Length + 1 || !dp[^1].IsOut)
        {
            Fail(ctx, "expected F's parameters, the input differentials and out df; got (" + string.Join(", ", dp.Select(Values.Describe)) + ")");
        }
        for (int i = 0; i < fp.Length; i++)
        {
            if (dp[i].Name != fp[i].Name || dp[i].ParameterType != fp[i].ParameterType)
            {
                Fail(ctx, "parameter " + i + " is " + Values.Describe(dp[i]) + ", expected " + Values.Describe(fp[i]));
            }
        }
        var names = new List<string>();
        foreach (var p in dp.Skip(fp.Length).SkipLast(1))
        {
            var of = fp.FirstOrDefault(q => "d" + q.Name == p.Name);
            if (of is null || of.ParameterType != p.ParameterType)
            {
                Fail(ctx, "input differential " + Values.Describe(p) + " matches no parameter of F (named d + name, same type)");
            }
            names.Add(of!.Name!);
        }
        if (dp[^1].Name != "df" || dp[^1].ParameterType.GetElementType() != f.ReturnType)
        {
            Fail(ctx, "the last parameter is " + Values.Describe(dp[^1]) + ", expected out " + Values.TypeName(f.ReturnType) + " df");
        }
        return names.ToArray();
    }

    private static object RandomLike(object like, Random rng, Inputs inputs)
    {
        var flat = Values.Flatten(like).Select(_ => inputs.Round((rng.NextDouble() * 2) - 1)).ToArray();
        return Values.Unflatten(flat, like);
    }

    /// <summary>(F(x + h v) − F(x − h v)) / 2h, entry by entry for a vector- or matrix-valued F.</summary>
    private static object DirectionalDifference(MethodInfo f, Inputs inputs, List<KeyValuePair<string, object>> directions)
    {
        double h = Tolerance.For(inputs).Step;
        List<KeyValuePair<string, object>> Shifted(double sign) => inputs.Items.Select(item =>
        {
            var v = directions.FirstOrDefault(d => d.Key == item.Key).Value;
            if (v is null)
            {
                return item;
            }
            var x = Values.Flatten(item.Value);
            var dv = Values.Flatten(v);
            return new KeyValuePair<string, object>(item.Key, Values.Unflatten(x.Select((xi, k) => xi + (sign * h * dv[k])).ToArray(), item.Value));
        }).ToList();
        var plus = Values.Flatten(Values.FromRuntime(f.Invoke(null, Values.ToArgs(Shifted(1), inputs.IsFloat))));
        var minus = Values.Flatten(Values.FromRuntime(f.Invoke(null, Values.ToArgs(Shifted(-1), inputs.IsFloat))));
        var like = Values.FromRuntime(f.Invoke(null, Values.ToArgs(inputs.Items, inputs.IsFloat)));
        return Values.Unflatten(plus.Select((p, k) => (p - minus[k]) / (2 * h)).ToArray(), like);
    }

    /// <summary>⟨Ȳ, df⟩ and Σᵢ ⟨(Jᵀ Ȳ)ᵢ, vᵢ⟩, with the reverse side from FWithGradient or FPullback.</summary>
    private static (double Forward, double Reverse, double Magnitude) Adjointness(Assembly assembly, string method, Inputs inputs,
        List<KeyValuePair<string, object>> directions, object df, Random rng)
    {
        bool layer = df is not double;
        var seed = layer ? RandomLike(df, rng, inputs) : 1.0;
        var reverse = GeneratorHarness.Method(assembly, TypeName, method + (layer ? "Pullback" : "WithGradient"));
        var args = Values.ToArgs(inputs.Items, inputs.IsFloat).ToList();
        if (layer)
        {
            args.Add(Values.ToRuntime(seed, inputs.IsFloat));
        }
        int first = args.Count;
        args.AddRange(new object?[directions.Count]);
        var all = args.ToArray();
        reverse.Invoke(null, all);
        double forward = Inner(seed, df), sum = 0, magnitude = Math.Abs(forward);
        for (int k = 0; k < directions.Count; k++)
        {
            double term = Inner(Values.FromRuntime(all[first + k]), directions[k].Value);
            sum += term;
            magnitude = Math.Max(magnitude, Math.Abs(term));
        }
        return (forward, sum, magnitude);
    }

    private static double Inner(object a, object b)
    {
        var x = Values.Flatten(a);
        var y = Values.Flatten(b);
        return x.Select((xi, k) => xi * y[k]).Sum();
    }
}
