using System.Linq.Expressions;
using System.Reflection;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.SecondOrder;

/// <summary>
/// The zero-allocation twins of FHessianVectorProduct and FHessian (workspace, caller-owned buffers,
/// accumulate): with accumulate false they give exactly what the allocating methods give; with accumulate
/// true they add to what the buffers held; warmed up, a call allocates 0 bytes. Double and float.
/// </summary>
public sealed class WorkspaceTwinTests
{
    public static TheoryData<string, string> Programs()
    {
        var data = new TheoryData<string, string>();
        foreach (var t in new[] { "double", "float" })
        {
            data.Add("logistic", t);
            data.Add("network", t);
            data.Add("logdet", t);
            data.Add("bias", t);
        }
        return data;
    }

    private static (string Source, Inputs Inputs) Program(string name, string t) => name switch
    {
        "logistic" => (GradientAssert.Source("[Differentiable] public static double F(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y, [NoGradient] double lambda) "
                + "=> BinaryCrossEntropyWithLogits(X * w, y) / X.Rows + lambda / 2 * SquaredNorm(w);"),
            new Inputs(t, seed: 61).Vector("w", 4).Matrix("X", 9, 4).Vector("y", 9, 0, 1).Scalar("lambda", 0.1, 0.5)),
        "network" => (GradientAssert.Source("[Differentiable] public static double F(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y) "
                + "{ var H = Tanh(W1 * X + b1); return CrossEntropy(W2 * H, Y) + SquaredNorm(Sigmoid(H)); }"),
            new Inputs(t, seed: 62).Matrix("W1", 4, 3).Vector("b1", 4).Matrix("W2", 3, 4).Matrix("X", 3, 5).Matrix("Y", 3, 5, 0, 1)),
        "logdet" => (GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, [NoGradient] Matrix<double> A) => LogDet(A + Outer(x, x));"),
            WithDiagonal(new Inputs(t, seed: 63).Vector("x", 3).Matrix("A", 3, 3, -0.3, 0.3), "A", 3)),
        _ => (GradientAssert.Source("[Differentiable] public static double F(Vector<double> w, double b, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> ones) "
                + "=> Sum(Softplus(X * w + b * ones)) + b * b * SquaredNorm(w);"),
            new Inputs(t, seed: 64).Vector("w", 3).Scalar("b").Matrix("X", 5, 3).Add("ones", Enumerable.Repeat(1.0, 5).ToArray())),
    };

    private static Inputs WithDiagonal(Inputs inputs, string name, int n)
    {
        var a = (double[,])inputs.M(name).Clone();
        for (int i = 0; i < n; i++)
        {
            a[i, i] += 3;
        }
        return inputs.Replace(name, a);
    }

    [Theory, MemberData(nameof(Programs))]
    public void HessianVectorProductTwin_MatchesTheAllocatingMethod_Accumulates_AndAllocatesNothing(string name, string t)
    {
        var (source, inputs) = Program(name, t);
        var assembly = GradientAssert.Compile(source, t);
        var allocating = Overload(assembly, "FHessianVectorProduct", workspace: false);
        var twin = Overload(assembly, "FHessianVectorProduct", workspace: true);
        int n = inputs.Items.Count, k = (allocating.GetParameters().Length - n) / 3;
        var rng = new Random(7);
        var args = Values.ToArgs(inputs.Items, inputs.IsFloat).ToList();
        var directions = Enumerable.Range(0, k).Select(i => Values.ToRuntime(Random(Values.FromRuntime(args[Differentiated(allocating, n, i)]), rng, inputs), inputs.IsFloat)).ToList();
        var reference = args.Concat(directions).Concat(new object?[2 * k]).ToArray();
        double value = Convert.ToDouble(allocating.Invoke(null, reference), System.Globalization.CultureInfo.InvariantCulture);
        var expected = reference.Skip(n + k).Select(Values.FromRuntime).ToArray();

        var workspace = Activator.CreateInstance(twin.GetParameters()[n + k].ParameterType)!;
        foreach (var accumulate in new[] { false, true })
        {
            // Buffers start at 1 in every entry: overwriting must ignore that, accumulating must add to it.
            var buffers = expected.Select(e => Values.ToRuntime(Values.Unflatten(Values.Flatten(e).Select(_ => 1.0).ToArray(), e), inputs.IsFloat)).ToArray();
            var call = args.Concat(directions).Append(workspace).Concat(buffers).Append(accumulate).ToArray();
            double got = Convert.ToDouble(twin.Invoke(null, call), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(value, got, inputs.IsFloat ? 1e-5 : 1e-12);
            for (int i = 0; i < expected.Length; i++)
            {
                var want = Values.Flatten(expected[i]).Select(x => accumulate ? x + 1 : x).ToArray();
                var have = Values.Flatten(Values.FromRuntime(call[n + k + 1 + i]));
                Close(want, have, inputs.IsFloat ? 1e-4 : 1e-10, name + " output " + i + (accumulate ? " (accumulate)" : " (overwrite)"));
            }
        }
        Assert.Equal(0, SteadyStateBytes(twin, args.Concat(directions).Append(workspace).Concat(expected.Select(e => Values.ToRuntime(e, inputs.IsFloat))).Append(false).ToArray()));
    }

    [Theory, MemberData(nameof(Programs))]
    public void HessianTwin_MatchesTheAllocatingMethod_Accumulates_AndAllocatesNothing(string name, string t)
    {
        var (source, inputs) = Program(name, t);
        var assembly = GradientAssert.Compile(source, t);
        if (name == "network")
        {
            Assert.DoesNotContain(assembly.GetType(GradientAssert.TypeName)!.GetMethods(), m => m.Name == "FHessian");   // matrix parameters: no dense Hessian
            return;
        }
        var allocating = Overload(assembly, "FHessian", workspace: false);
        var twin = Overload(assembly, "FHessian", workspace: true);
        int n = inputs.Items.Count, k = allocating.GetParameters().Length - n - 1;
        var args = Values.ToArgs(inputs.Items, inputs.IsFloat).ToList();
        var reference = args.Concat(new object?[k + 1]).ToArray();
        double value = Convert.ToDouble(allocating.Invoke(null, reference), System.Globalization.CultureInfo.InvariantCulture);
        var expected = reference.Skip(n).Select(Values.FromRuntime).ToArray();
        var workspace = Activator.CreateInstance(twin.GetParameters()[n].ParameterType)!;
        foreach (var accumulate in new[] { false, true })
        {
            var buffers = expected.Select(e => Values.ToRuntime(Values.Unflatten(Values.Flatten(e).Select(_ => 1.0).ToArray(), e), inputs.IsFloat)).ToArray();
            var call = args.Append(workspace).Concat(buffers).Append(accumulate).ToArray();
            double got = Convert.ToDouble(twin.Invoke(null, call), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(value, got, inputs.IsFloat ? 1e-5 : 1e-12);
            for (int i = 0; i < expected.Length; i++)
            {
                var want = Values.Flatten(expected[i]).Select(x => accumulate ? x + 1 : x).ToArray();
                Close(want, Values.Flatten(Values.FromRuntime(call[n + 1 + i])), inputs.IsFloat ? 1e-4 : 1e-10, name + " output " + i);
            }
        }
        Assert.Equal(0, SteadyStateBytes(twin, args.Append(workspace).Concat(expected.Select(e => Values.ToRuntime(e, inputs.IsFloat))).Append(false).ToArray()));
    }

    public static TheoryData<string, string> DifferentialPrograms()
    {
        var data = new TheoryData<string, string>();
        foreach (var t in new[] { "double", "float" })
        {
            data.Add("network", t);
            data.Add("layer", t);
            data.Add("calls", t);
        }
        return data;
    }

    private static (string Source, Inputs Inputs) DifferentialProgram(string name, string t) => name switch
    {
        "layer" => (GradientAssert.Source("[Differentiable] public static Matrix<double> F(Matrix<double> W, Vector<double> b, [NoGradient] Matrix<double> X) => Tanh(W * X + b);"),
            new Inputs(t, seed: 71).Matrix("W", 4, 3).Vector("b", 4).Matrix("X", 3, 5)),
        "calls" => (GradientAssert.Source("[Differentiable] public static Matrix<double> L(Matrix<double> W, Matrix<double> X) => Sigmoid(W * X);\n"
                + "[Differentiable] public static double S(Matrix<double> A) => SquaredNorm(A);\n"
                + "[Differentiable] public static double F(Matrix<double> W, [NoGradient] Matrix<double> X) => S(L(W, X)) + Sum(L(W, X));"),
            new Inputs(t, seed: 72).Matrix("W", 3, 4).Matrix("X", 4, 2)),
        _ => Program(name, t),
    };

    [Theory, MemberData(nameof(DifferentialPrograms))]
    public void DifferentialTwin_MatchesTheAllocatingMethod_AndAllocatesNothing(string name, string t)
    {
        var (source, inputs) = DifferentialProgram(name, t);
        var assembly = GradientAssert.Compile(source, t);
        var allocating = Overload(assembly, "FDifferential", workspace: false);
        var twin = Overload(assembly, "FDifferential", workspace: true);
        int n = inputs.Items.Count, k = allocating.GetParameters().Length - n - 1;
        var rng = new Random(9);
        var args = Values.ToArgs(inputs.Items, inputs.IsFloat).ToList();
        var differentials = allocating.GetParameters().Skip(n).Take(k)
            .Select(p => Values.ToRuntime(Random(Values.FromRuntime(args[Array.FindIndex(allocating.GetParameters(), q => "d" + q.Name == p.Name)]), rng, inputs), inputs.IsFloat)).ToList();
        var reference = args.Concat(differentials).Append(null).ToArray();
        var value = Values.Flatten(Values.FromRuntime(allocating.Invoke(null, reference)));
        var df = Values.Flatten(Values.FromRuntime(reference[^1]));
        var workspace = Activator.CreateInstance(twin.GetParameters()[n + k].ParameterType)!;
        var call = args.Concat(differentials).Append(workspace).Append(null).ToArray();
        var got = Values.Flatten(Values.FromRuntime(twin.Invoke(null, call)));
        double tol = inputs.IsFloat ? 1e-5 : 1e-12;
        Close(value, got, tol, name + " value");
        Close(df, Values.Flatten(Values.FromRuntime(call[^1])), tol, name + " df");
        Assert.Equal(0, SteadyStateBytes(twin, args.Concat(differentials).Append(workspace).Append(call[^1]).ToArray()));
    }

    [Fact]
    public void HessianVectorProductTwin_RejectsAWrongShapedBuffer_NamingBoth_BeforeWritingAnything()
    {
        var (source, inputs) = Program("logistic", "double");
        var twin = Overload(GradientAssert.Compile(source, "double"), "FHessianVectorProduct", workspace: true);
        var args = Values.ToArgs(inputs.Items, false).ToList();
        var direction = Values.ToRuntime(new double[4], false);
        var gradient = Values.ToRuntime(new double[] { 5, 5, 5, 5 }, false);
        var product = Values.ToRuntime(new double[3], false);
        var workspace = Activator.CreateInstance(twin.GetParameters()[5].ParameterType)!;
        var e = Assert.Throws<TargetInvocationException>(() => twin.Invoke(null, args.Append(direction).Append(workspace).Append(gradient).Append(product).Append(false).ToArray()));
        var inner = Assert.IsType<ArgumentException>(e.InnerException);
        Assert.Contains("hvw", inner.Message, StringComparison.Ordinal);
        Assert.Contains("w", inner.Message, StringComparison.Ordinal);
        Assert.Equal(new double[] { 5, 5, 5, 5 }, Values.Flatten(Values.FromRuntime(gradient)));
    }

    private static MethodInfo Overload(Assembly assembly, string name, bool workspace)
        => assembly.GetType(GradientAssert.TypeName)!.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == name && m.GetParameters().Any(p => p.ParameterType.Name.EndsWith("Workspace", StringComparison.Ordinal)) == workspace);

    /// <summary>The index among F's parameters of the i-th direction's parameter (v + name).</summary>
    private static int Differentiated(MethodInfo allocating, int n, int i)
    {
        var ps = allocating.GetParameters();
        var name = ps[n + i].Name!.Substring(1);
        return Array.FindIndex(ps, p => p.Name == name);
    }

    private static object Random(object like, Random rng, Inputs inputs)
        => Values.Unflatten(Values.Flatten(like).Select(_ => inputs.Round((rng.NextDouble() * 2) - 1)).ToArray(), like);

    private static void Close(double[] want, double[] have, double tol, string what)
    {
        Assert.Equal(want.Length, have.Length);
        double scale = Math.Max(1, want.Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < want.Length; i++)
        {
            Assert.True(Math.Abs(want[i] - have[i]) <= tol * scale, what + "[" + i + "]: expected " + want[i] + ", got " + have[i]);
        }
    }

    /// <summary>Bytes allocated by one warmed-up call through a compiled delegate (no reflection boxing); ref scalars are locals.</summary>
    private static long SteadyStateBytes(MethodInfo method, object?[] args)
    {
        var ps = method.GetParameters();
        var locals = new List<ParameterExpression>();
        var init = new List<Expression>();
        var callArgs = new List<Expression>();
        for (int i = 0; i < ps.Length; i++)
        {
            var type = ps[i].ParameterType.IsByRef ? ps[i].ParameterType.GetElementType()! : ps[i].ParameterType;
            if (ps[i].ParameterType.IsByRef)
            {
                var local = Expression.Variable(type);
                locals.Add(local);
                init.Add(Expression.Assign(local, Expression.Constant(args[i], type)));
                callArgs.Add(local);
            }
            else
            {
                callArgs.Add(Expression.Constant(args[i], type));
            }
        }
        var run = Expression.Lambda<Action>(Expression.Block(locals, init.Append(Expression.Call(method, callArgs)).Append(Expression.Empty()))).Compile();
        run();
        run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        run();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
