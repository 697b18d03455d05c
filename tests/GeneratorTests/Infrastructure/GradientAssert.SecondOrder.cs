using System.Reflection;

namespace AutoGradGen.GeneratorTests.Infrastructure;

/// <summary>Checks of second order: Hessian-vector products and dense Hessians.</summary>
public static partial class GradientAssert
{
    /// <summary>
    /// Checks <c><paramref name="method"/>HessianVectorProduct(params, v…, out d…, out hv…)</c> along a random direction v:
    /// <list type="number">
    /// <item>its signature: F's parameters, then v + name of each differentiated parameter, out d + name, out hv + name;</item>
    /// <item>its value against F and its gradients against FWithGradient;</item>
    /// <item>hv against central differences of FWithGradient along v: (∇f(x + h v) − ∇f(x − h v)) / 2h;</item>
    /// <item>symmetry of the Hessian: ⟨u, H v⟩ = ⟨v, H u⟩ for a second random direction u.</item>
    /// </list>
    /// Returns the products hv, one per differentiated parameter.
    /// </summary>
    public static object[] HessianVectorProduct(string source, string method, Inputs inputs, int seed = 11)
    {
        var ctx = new Context(source, inputs, method + "HessianVectorProduct");
        var assembly = Compile(source, inputs.ElementType);
        var f = GeneratorHarness.Method(assembly, TypeName, method);
        var g = GeneratorHarness.Method(assembly, TypeName, method + "WithGradient");
        var h = GeneratorHarness.Method(assembly, TypeName, method + "HessianVectorProduct");
        var names = SecondOrderParameters(ctx, f, h);
        var rng = new Random(seed);
        var v = names.Select(n => new KeyValuePair<string, object>(n, RandomLike(Item(inputs, n), rng, inputs))).ToList();
        var u = names.Select(n => new KeyValuePair<string, object>(n, RandomLike(Item(inputs, n), rng, inputs))).ToList();

        var (value, gradients, hv) = InvokeProduct(h, inputs, v);
        var tol = Tolerance.For(inputs);
        double fx = EvalScalar(f, inputs, inputs.Items);
        Close(ctx, "value vs " + method, fx, value, tol.Same, Math.Max(1, Math.Abs(fx)));
        var reference = Gradients(g, inputs, inputs.Items, names.Length);
        for (int k = 0; k < names.Length; k++)
        {
            CloseArrays(ctx, "∇" + names[k] + " vs " + method + "WithGradient", reference[k], gradients[k], tol.Same, Math.Max(1, Values.MaxAbs(reference[k])));
        }

        double step = tol.Step;
        var plus = Gradients(g, inputs, Shifted(inputs, v, step), names.Length);
        var minus = Gradients(g, inputs, Shifted(inputs, v, -step), names.Length);
        for (int k = 0; k < names.Length; k++)
        {
            var p = Values.Flatten(plus[k]);
            var m = Values.Flatten(minus[k]);
            var difference = Values.Unflatten(p.Select((pi, i) => (pi - m[i]) / (2 * step)).ToArray(), plus[k]);
            double scale = Math.Max(1, Math.Max(Values.MaxAbs(difference), Values.MaxAbs(hv[k])));
            CloseArrays(ctx, "hv" + names[k] + " against central differences of the gradient along v", difference, hv[k], tol.FiniteDifference, scale);
        }

        var (_, _, hu) = InvokeProduct(h, inputs, u);
        double uHv = 0, vHu = 0, magnitude = 0;
        for (int k = 0; k < names.Length; k++)
        {
            double a = Inner(u[k].Value, hv[k]), b = Inner(v[k].Value, hu[k]);
            uHv += a;
            vHu += b;
            magnitude = Math.Max(magnitude, Math.Max(Math.Abs(a), Math.Abs(b)));
        }
        Close(ctx, "symmetry ⟨u, H v⟩ = ⟨v, H u⟩", uHv, vHu, tol.ClosedForm * 10, Math.Max(1, magnitude));
        return hv;
    }

    /// <summary>
    /// Checks <c><paramref name="method"/>Hessian(params, out d…, out hessian)</c>: value and gradients against
    /// FWithGradient, symmetry, and every column j against the Hessian-vector product along eⱼ. Returns the Hessian.
    /// </summary>
    public static double[,] Hessian(string source, string method, Inputs inputs)
    {
        var ctx = new Context(source, inputs, method + "Hessian");
        var assembly = Compile(source, inputs.ElementType);
        var f = GeneratorHarness.Method(assembly, TypeName, method);
        var g = GeneratorHarness.Method(assembly, TypeName, method + "WithGradient");
        var hvp = GeneratorHarness.Method(assembly, TypeName, method + "HessianVectorProduct");
        var dense = GeneratorHarness.Method(assembly, TypeName, method + "Hessian");
        var names = SecondOrderParameters(ctx, f, hvp);
        var dp = dense.GetParameters();
        if (dp.Length != f.GetParameters().Length + names.Length + 1 || dp[^1].Name != "hessian")
        {
            Fail(ctx, "expected F's parameters, out d + name of each differentiated parameter, out hessian; got (" + string.Join(", ", dp.Select(Values.Describe)) + ")");
        }
        var args = Values.ToArgs(inputs.Items, inputs.IsFloat).Concat(new object?[names.Length + 1]).ToArray();
        double value = Convert.ToDouble(dense.Invoke(null, args), System.Globalization.CultureInfo.InvariantCulture);
        var tol = Tolerance.For(inputs);
        double fx = EvalScalar(f, inputs, inputs.Items);
        Close(ctx, "value vs " + method, fx, value, tol.Same, Math.Max(1, Math.Abs(fx)));
        int first = inputs.Items.Count;
        var reference = Gradients(g, inputs, inputs.Items, names.Length);
        for (int k = 0; k < names.Length; k++)
        {
            CloseArrays(ctx, "∇" + names[k] + " vs " + method + "WithGradient", reference[k], Values.FromRuntime(args[first + k]), tol.Same, Math.Max(1, Values.MaxAbs(reference[k])));
        }
        var hessian = (double[,])Values.FromRuntime(args[^1]);
        int n = hessian.GetLength(0);
        var sizes = names.Select(nm => Values.Flatten(Item(inputs, nm)).Length).ToArray();
        if (hessian.GetLength(1) != n || n != sizes.Sum())
        {
            Fail(ctx, "the Hessian is " + Values.Shape(hessian) + ", expected " + sizes.Sum() + " × " + sizes.Sum());
        }
        double scale = Math.Max(1, Values.MaxAbs(hessian));
        CloseArrays(ctx, "symmetry H = Hᵀ", Transposed(hessian), hessian, tol.ClosedForm * 10, scale);
        for (int j = 0; j < n; j++)
        {
            var directions = UnitDirection(inputs, names, sizes, j);
            var (_, _, hv) = InvokeProduct(hvp, inputs, directions);
            var column = hv.SelectMany(Values.Flatten).ToArray();
            var got = Enumerable.Range(0, n).Select(i => hessian[i, j]).ToArray();
            CloseArrays(ctx, "column " + j + " vs the Hessian-vector product along e" + j, column, got, tol.ClosedForm * 10, scale);
        }
        return hessian;
    }

    private static object Item(Inputs inputs, string name) => inputs.Items.First(i => i.Key == name).Value;

    private static string[] SecondOrderParameters(Context ctx, MethodInfo f, MethodInfo h)
    {
        var fp = f.GetParameters();
        var hp = h.GetParameters();
        int extra = hp.Length - fp.Length;
        if (extra <= 0 || extra % 3 != 0)
        {
            Fail(ctx, "expected F's parameters, then v…, out d…, out hv… ; got (" + string.Join(", ", hp.Select(Values.Describe)) + ")");
        }
        int k = extra / 3;
        var names = new string[k];
        for (int i = 0; i < k; i++)
        {
            var direction = hp[fp.Length + i];
            var of = fp.FirstOrDefault(q => "v" + q.Name == direction.Name && q.ParameterType == direction.ParameterType);
            if (of is null)
            {
                Fail(ctx, "direction " + Values.Describe(direction) + " matches no parameter of F (named v + name, same type)");
            }
            names[i] = of!.Name!;
            var gradient = hp[fp.Length + k + i];
            var product = hp[fp.Length + (2 * k) + i];
            if (!gradient.IsOut || gradient.Name != "d" + names[i] || !product.IsOut || product.Name != "hv" + names[i])
            {
                Fail(ctx, "expected out d" + names[i] + " and out hv" + names[i] + "; got " + Values.Describe(gradient) + ", " + Values.Describe(product));
            }
        }
        return names;
    }

    private static (double Value, object[] Gradients, object[] Products) InvokeProduct(MethodInfo h, Inputs inputs, List<KeyValuePair<string, object>> directions)
    {
        int k = directions.Count;
        var args = Values.ToArgs(inputs.Items, inputs.IsFloat).Concat(Values.ToArgs(directions, inputs.IsFloat)).Concat(new object?[2 * k]).ToArray();
        double value = Convert.ToDouble(h.Invoke(null, args), System.Globalization.CultureInfo.InvariantCulture);
        int first = inputs.Items.Count + k;
        var gradients = Enumerable.Range(0, k).Select(i => Values.FromRuntime(args[first + i])).ToArray();
        var products = Enumerable.Range(0, k).Select(i => Values.FromRuntime(args[first + k + i])).ToArray();
        return (value, gradients, products);
    }

    private static object[] Gradients(MethodInfo g, Inputs inputs, IEnumerable<KeyValuePair<string, object>> at, int count)
    {
        var args = Values.ToArgs(at, inputs.IsFloat).Concat(new object?[count]).ToArray();
        g.Invoke(null, args);
        return Enumerable.Range(0, count).Select(i => Values.FromRuntime(args[args.Length - count + i])).ToArray();
    }

    private static List<KeyValuePair<string, object>> Shifted(Inputs inputs, List<KeyValuePair<string, object>> directions, double step)
        => inputs.Items.Select(item =>
        {
            var v = directions.FirstOrDefault(d => d.Key == item.Key).Value;
            if (v is null)
            {
                return item;
            }
            var x = Values.Flatten(item.Value);
            var dv = Values.Flatten(v);
            return new KeyValuePair<string, object>(item.Key, Values.Unflatten(x.Select((xi, i) => xi + (step * dv[i])).ToArray(), item.Value));
        }).ToList();

    private static List<KeyValuePair<string, object>> UnitDirection(Inputs inputs, string[] names, int[] sizes, int j)
    {
        var result = new List<KeyValuePair<string, object>>();
        int offset = 0;
        for (int k = 0; k < names.Length; k++)
        {
            var flat = new double[sizes[k]];
            if (j >= offset && j < offset + sizes[k])
            {
                flat[j - offset] = 1;
            }
            result.Add(new KeyValuePair<string, object>(names[k], Values.Unflatten(flat, Item(inputs, names[k]))));
            offset += sizes[k];
        }
        return result;
    }

    private static double[,] Transposed(double[,] a)
    {
        var t = new double[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                t[j, i] = a[i, j];
            }
        }
        return t;
    }
}
