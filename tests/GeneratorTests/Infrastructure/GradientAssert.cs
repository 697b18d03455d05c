using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using Xunit;

namespace AutoGradGen.GeneratorTests.Infrastructure;

/// <summary>
/// Compile-and-run gradient checks. A test gives the source of a <c>[Differentiable]</c> method
/// written with <c>double</c>, the inputs (<see cref="Inputs"/>, which also fixes the element type:
/// the source's "double" becomes "float" for the float variant), and the value and gradients it
/// computed itself in closed form with <see cref="Ref"/>. The check then:
/// <list type="number">
/// <item>verifies the generated signature: F's parameters, then one <c>out</c> per expected gradient,
/// named "d" + name, of the parameter's type, in parameter order (so [NoGradient]/int parameters get none);</item>
/// <item>checks the returned value against F itself and against the closed-form value;</item>
/// <item>checks every gradient (non-null, parameter's shape) against central finite differences of F
/// and against the closed form.</item>
/// </list>
/// Errors are measured as max |got − expected| ≤ tol · scale, with scale = max(1, max|expected|, |f|).
/// </summary>
public static partial class GradientAssert
{
    /// <summary>The user type every test source declares.</summary>
    public const string TypeName = "M";

    private static readonly ConcurrentDictionary<string, Lazy<Assembly>> Compiled = new();

    /// <summary>Wraps members in the usual usings and <c>public static partial class M</c>.</summary>
    public static string Source(string members)
        => "using AutoGradGen;\nusing static AutoGradGen.Ops;\n\npublic static partial class M\n{\n" + members + "\n}\n";

    /// <summary>The source for <paramref name="elementType"/>: every "double" becomes "float" for float.</summary>
    public static string For(string source, string elementType)
        => elementType == "double" ? source : source.Replace("double", elementType, StringComparison.Ordinal);

    /// <summary>Generates, compiles (zero errors/warnings) and loads, once per distinct source.</summary>
    public static Assembly Compile(string source, string elementType)
    {
        var typed = For(source, elementType);
        return Compiled.GetOrAdd(typed, s => new Lazy<Assembly>(() => GeneratorHarness.CompileAndLoad(s))).Value;
    }

    /// <summary>
    /// Registers an assembly compiled elsewhere (a consumer compiled against a library assembly) as the compilation of
    /// <paramref name="source"/> for <paramref name="elementType"/>, so that the checks below run on it.
    /// </summary>
    public static void Register(string source, string elementType, Assembly assembly)
        => Compiled[For(source, elementType)] = new Lazy<Assembly>(() => assembly);

    /// <summary>Checks <c>FWithGradient</c> of the method "F" (see the class summary).</summary>
    public static void Gradient(string source, Inputs inputs, double expectedValue, params (string Name, object Gradient)[] expected)
        => Gradient(source, "F", inputs, expectedValue, expected);

    /// <summary>Checks <c><paramref name="method"/>WithGradient</c> (see the class summary).</summary>
    public static void Gradient(string source, string method, Inputs inputs, double expectedValue,
                                params (string Name, object Gradient)[] expected)
        => Gradient(source, method, inputs, expectedValue, strictOutNames: true, expected);

    /// <summary>
    /// As <see cref="Gradient(string, Inputs, double, ValueTuple{string, object}[])"/>, for a method where
    /// "d" + name is taken by another parameter: each out must then be named "d" + name + a suffix, distinct
    /// from every parameter and every other out.
    /// </summary>
    public static void GradientWithSuffixedOuts(string source, Inputs inputs, double expectedValue,
                                                params (string Name, object Gradient)[] expected)
        => Gradient(source, "F", inputs, expectedValue, strictOutNames: false, expected);

    private static void Gradient(string source, string method, Inputs inputs, double expectedValue, bool strictOutNames,
                                 (string Name, object Gradient)[] expected)
    {
        var ctx = new Context(source, inputs, method + "WithGradient");
        var assembly = Compile(source, inputs.ElementType);
        var f = GeneratorHarness.Method(assembly, TypeName, method);
        var g = GeneratorHarness.Method(assembly, TypeName, method + "WithGradient");
        CheckSignature(ctx, f, g, seed: false, expected.Select(e => e.Name).ToArray(), strictOutNames);

        double fx = EvalScalar(f, inputs, inputs.Items);
        var args = Values.ToArgs(inputs.Items, inputs.IsFloat).Concat(new object?[expected.Length]).ToArray();
        double value = (double)Values.FromRuntime(g.Invoke(null, args));
        var tol = Tolerance.For(inputs);
        Close(ctx, "value of " + method + "WithGradient vs " + method, fx, value, tol.Same, Math.Max(1, Math.Abs(fx)));
        Close(ctx, "value vs the closed-form value", inputs.Round(expectedValue), value, tol.ClosedForm, Math.Max(1, Math.Abs(fx)));

        int n = inputs.Items.Count;
        CheckNoAliasing(ctx, args, n, expected.Select(e => e.Name).ToArray());
        for (int k = 0; k < expected.Length; k++)
        {
            var name = expected[k].Name;
            var got = args[n + k] is null ? null : Values.FromRuntime(args[n + k]);
            var fd = FiniteDifference(inputs, name, items => EvalScalar(f, inputs, items));
            CheckGradient(ctx, name, got, fd, expected[k].Gradient, Math.Abs(fx));
        }
    }

    /// <summary>
    /// Checks <c><paramref name="method"/>Pullback(params, seed, out …)</c> of a layer method: the forward value
    /// against F and <paramref name="expectedValue"/>, and each seedᵀJ against finite differences of ⟨seed, F(·)⟩
    /// and the closed-form vector-Jacobian product.
    /// </summary>
    public static void Pullback(string source, string method, Inputs inputs, object seed, object expectedValue,
                                params (string Name, object Gradient)[] expected)
    {
        var ctx = new Context(source, inputs, method + "Pullback");
        var assembly = Compile(source, inputs.ElementType);
        var f = GeneratorHarness.Method(assembly, TypeName, method);
        var g = GeneratorHarness.Method(assembly, TypeName, method + "Pullback");
        CheckSignature(ctx, f, g, seed: true, expected.Select(e => e.Name).ToArray(), strictOutNames: true);

        var forward = Values.FromRuntime(f.Invoke(null, Values.ToArgs(inputs.Items, inputs.IsFloat)));
        var seedRounded = Values.Unflatten(Values.Flatten(seed).Select(inputs.Round).ToArray(), seed);
        var args = Values.ToArgs(inputs.Items, inputs.IsFloat)
            .Append(Values.ToRuntime(seedRounded, inputs.IsFloat)).Concat(new object?[expected.Length]).ToArray();
        var value = Values.FromRuntime(g.Invoke(null, args));
        var tol = Tolerance.For(inputs);
        double scale = Math.Max(1, Values.MaxAbs(forward));
        CloseArrays(ctx, "forward value of " + method + "Pullback vs " + method, forward, value, tol.Same, scale);
        CloseArrays(ctx, "forward value vs the closed form", expectedValue, value, tol.ClosedForm, scale);

        var seedFlat = Values.Flatten(seedRounded);
        double Phi(IReadOnlyList<KeyValuePair<string, object>> items)
        {
            var y = Values.Flatten(Values.FromRuntime(f.Invoke(null, Values.ToArgs(items, inputs.IsFloat))));
            return y.Select((v, i) => v * seedFlat[i]).Sum();
        }

        int n = inputs.Items.Count + 1;
        CheckNoAliasing(ctx, args, n, expected.Select(e => e.Name).ToArray());
        double phi = Phi(inputs.Items);
        for (int k = 0; k < expected.Length; k++)
        {
            var got = args[n + k] is null ? null : Values.FromRuntime(args[n + k]);
            var fd = FiniteDifference(inputs, expected[k].Name, Phi);
            CheckGradient(ctx, expected[k].Name, got, fd, expected[k].Gradient, Math.Abs(phi));
        }
    }

    /// <summary>The lines of the <c>[ClosedForm]</c> attributes on a generated method.</summary>
    public static string[] ClosedForms(string source, string elementType, string generatedMethod)
    {
        var m = GeneratorHarness.Method(Compile(source, elementType), TypeName, generatedMethod);
        return m.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "AutoGradGen.ClosedFormAttribute")
            .Select(a => (string)a.ConstructorArguments[0].Value!)
            .ToArray();
    }

    /// <summary>The generated method's parameters as "type name" strings.</summary>
    public static string[] Parameters(string source, string elementType, string generatedMethod)
        => GeneratorHarness.Method(Compile(source, elementType), TypeName, generatedMethod)
            .GetParameters().Select(Values.Describe).ToArray();

    private static void CheckGradient(Context ctx, string name, object? got, object fd, object expected, double absF)
    {
        var input = ctx.Inputs.Get(name);
        if (got is null)
        {
            Fail(ctx, "d" + name + " is null; expected a " + Values.Shape(input) + " (zeros if " + name + " has no influence)");
        }
        if (!Values.SameShape(got!, input))
        {
            Fail(ctx, "d" + name + " is a " + Values.Shape(got!) + "; the parameter is a " + Values.Shape(input));
        }
        if (!Values.SameShape(expected, input))
        {
            throw new ArgumentException("Test bug: the closed form for " + name + " is a " + Values.Shape(expected));
        }
        var tol = Tolerance.For(ctx.Inputs);
        double scale = Math.Max(Math.Max(1, absF), Math.Max(Values.MaxAbs(expected), Values.MaxAbs(fd)));
        var (fdVsClosed, _) = Values.MaxError(Values.Flatten(fd), Values.Flatten(expected));
        string note = "\n(finite differences vs the closed form differ by " + fdVsClosed.ToString("G3") +
                      "; if that is large too, suspect the test's closed form)";
        CloseArrays(ctx, "∇" + name + " vs central finite differences", fd, got!, tol.FiniteDifference, scale, note);
        CloseArrays(ctx, "∇" + name + " vs the closed form", expected, got!, tol.ClosedForm, scale, note);
    }

    /// <summary>
    /// Gradient outputs are fresh objects: never an argument (the generated XML doc promises
    /// "never aliases an argument"), and never another gradient output (writing one would change the other).
    /// </summary>
    private static void CheckNoAliasing(Context ctx, object?[] args, int outStart, string[] names)
    {
        for (int k = outStart; k < args.Length; k++)
        {
            if (args[k] is null || args[k]!.GetType().IsValueType)
            {
                continue;
            }
            for (int j = 0; j < k; j++)
            {
                if (ReferenceEquals(args[k], args[j]))
                {
                    string other = j < outStart ? "argument #" + j : "output d" + names[j - outStart];
                    Fail(ctx, "output d" + names[k - outStart] + " is the same object as " + other);
                }
            }
        }
    }

    private static void CheckSignature(Context ctx, MethodInfo f, MethodInfo g, bool seed, string[] differentiated, bool strictOutNames)
    {
        var fp = f.GetParameters();
        var gp = g.GetParameters();
        var want = fp.Select(Values.Describe).ToList();
        if (seed)
        {
            want.Add(Values.TypeName(f.ReturnType) + " seed");
        }
        int firstOut = want.Count;
        foreach (var name in differentiated)
        {
            var p = fp.FirstOrDefault(q => q.Name == name) ?? throw new ArgumentException("Test bug: F has no parameter " + name);
            want.Add("out " + Values.TypeName(p.ParameterType) + " d" + name);
        }
        var have = gp.Select(Values.Describe).ToList();
        bool same = strictOutNames
            ? want.SequenceEqual(have)
            : want.Count == have.Count && want.Take(firstOut).SequenceEqual(have.Take(firstOut)) &&
              Enumerable.Range(firstOut, want.Count - firstOut).All(k => have[k].StartsWith(want[k], StringComparison.Ordinal)) &&
              gp.Skip(firstOut).Select(q => q.Name).Distinct().Count() == differentiated.Length &&
              !gp.Skip(firstOut).Any(q => fp.Any(r => r.Name == q.Name));
        if (!same)
        {
            Fail(ctx, "generated signature differs" + (strictOutNames ? "" : " (outs may carry a suffix, but must be unique)") +
                      ".\n  expected: (" + string.Join(", ", want) + ")\n  got:      (" + string.Join(", ", have) + ")");
        }
        if (g.ReturnType != f.ReturnType)
        {
            Fail(ctx, "generated return type " + Values.TypeName(g.ReturnType) + ", expected " + Values.TypeName(f.ReturnType));
        }
    }

    /// <summary>Central differences of <paramref name="fn"/> with respect to every entry of input <paramref name="name"/>.</summary>
    private static object FiniteDifference(Inputs inputs, string name, Func<IReadOnlyList<KeyValuePair<string, object>>, double> fn)
    {
        var x = inputs.Get(name);
        var flat = Values.Flatten(x);
        var grad = new double[flat.Length];
        var step = Tolerance.For(inputs).Step;
        for (int k = 0; k < flat.Length; k++)
        {
            double h = step * Math.Max(1, Math.Abs(flat[k]));
            double xp = inputs.Round(flat[k] + h), xm = inputs.Round(flat[k] - h);
            var plus = (double[])flat.Clone();
            var minus = (double[])flat.Clone();
            plus[k] = xp;
            minus[k] = xm;
            double fp = fn(inputs.With(name, Values.Unflatten(plus, x)));
            double fm = fn(inputs.With(name, Values.Unflatten(minus, x)));
            grad[k] = (fp - fm) / (xp - xm);
        }
        return Values.Unflatten(grad, x);
    }

    private static double EvalScalar(MethodInfo f, Inputs inputs, IReadOnlyList<KeyValuePair<string, object>> items)
        => (double)Values.FromRuntime(f.Invoke(null, Values.ToArgs(items, inputs.IsFloat)));

    private static void Close(Context ctx, string what, double expected, double got, double tol, double scale)
        => CloseArrays(ctx, what, expected, got, tol, scale);

    private static void CloseArrays(Context ctx, string what, object expected, object got, double tol, double scale, string note = "")
    {
        if (!Values.SameShape(expected, got))
        {
            Fail(ctx, what + ": got a " + Values.Shape(got) + ", expected a " + Values.Shape(expected));
        }
        var (error, at) = Values.MaxError(Values.Flatten(expected), Values.Flatten(got));
        if (error <= tol * scale)
        {
            return;
        }
        Fail(ctx, what + ": max error " + error.ToString("G4") + " at entry " + at + " (row-major) > " +
                  tol.ToString("G2") + " × scale " + scale.ToString("G4") + note +
                  "\n  expected: " + Values.Format(expected) + "\n  got:      " + Values.Format(got));
    }

    private static void Fail(Context ctx, string message)
    {
        var text = new StringBuilder();
        text.Append('[').Append(ctx.Inputs.ElementType).Append("] ").Append(ctx.Generated).Append(": ").AppendLine(message);
        text.AppendLine("--- source ---").AppendLine(For(ctx.Source, ctx.Inputs.ElementType));
        try
        {
            var run = GeneratorHarness.Run(For(ctx.Source, ctx.Inputs.ElementType));
            text.AppendLine("--- generated ---").AppendLine(string.Join("\n", run.Generated.Values));
        }
        catch (InvalidOperationException e)
        {
            text.AppendLine("(generator run failed: " + e.Message + ")");
        }
        Assert.Fail(text.ToString());
    }

    private sealed record Context(string Source, Inputs Inputs, string Generated);
}
