using System.Reflection;
using System.Runtime.InteropServices;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.Reentrancy;

/// <summary>
/// Two non-trivial models compiled once for the reentrancy and workspace tests: the lecture's
/// example 4 (a sigmoid of a solve, read out by a bilinear form) and a two-layer tanh net whose
/// loss calls a [Differentiable] layer method twice. Helpers call the generated methods by reflection.
/// </summary>
internal static class ReentrancyModels
{
    public const string Source = """
        using AutoGradGen;
        using static AutoGradGen.Ops;

        public static partial class Models
        {
            /// <summary>Lecture example 4: f = xᵀA σ(B⁻¹z + b).</summary>
            [Differentiable]
            public static double SigmoidForm([NoGradient] Vector<double> x, [NoGradient] Matrix<double> A,
                                             Matrix<double> B, Vector<double> z, Vector<double> b)
            {
                var h = Inverse(B) * z + b;
                return Dot(x, A * Sigmoid(h));
            }

            [Differentiable]
            public static Matrix<double> Layer(Matrix<double> W, Vector<double> b, Matrix<double> X)
                => Tanh(W * X + b);

            /// <summary>L = ‖W₂ tanh(W₁X + b₁) + b₂ − Y‖² / N through two calls of Layer.</summary>
            [Differentiable]
            public static double Net(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2,
                                     [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
            {
                var H = Layer(W1, b1, X);
                var O = Layer(W2, b2, H);
                return SquaredNorm(O - Y) / X.Cols;
            }
        }
        """;

    private static readonly Lazy<Type> LazyType = new(() => GeneratorHarness.CompileAndLoad(Source).GetType("Models", throwOnError: true)!);

    /// <summary>The compiled Models class.</summary>
    public static Type Type => LazyType.Value;

    public static MethodInfo Method(string name)
        => Type.GetMethod(name, BindingFlags.Public | BindingFlags.Static) ?? throw new MissingMethodException("Models", name);

    public static object NewWorkspace(string model)
        => Activator.CreateInstance(Type.GetNestedType(model + "Workspace") ?? throw new TypeLoadException(model + "Workspace"))!;

    /// <summary>
    /// Calls a generated method; an exception it throws is rethrown as is (not wrapped). Trailing optional
    /// parameters that <paramref name="args"/> leaves out (FBackward's <c>accumulate</c>) take their defaults.
    /// </summary>
    public static object? Invoke(MethodInfo method, object?[] args)
    {
        var parameters = method.GetParameters();
        var full = args.Concat(parameters.Skip(args.Length).Select(p => p.DefaultValue)).ToArray();
        try
        {
            var result = method.Invoke(null, full);
            Array.Copy(full, args, args.Length);
            return result;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    public static Matrix<double> RandomMatrix(Random rng, int rows, int cols, double scale = 1)
    {
        var m = new Matrix<double>(rows, cols);
        foreach (ref var v in m.AsSpan())
        {
            v = scale * ((2 * rng.NextDouble()) - 1);
        }
        return m;
    }

    public static Vector<double> RandomVector(Random rng, int n, double scale = 1)
    {
        var v = new Vector<double>(n);
        foreach (ref var e in v.AsSpan())
        {
            e = scale * ((2 * rng.NextDouble()) - 1);
        }
        return v;
    }

    /// <summary>A matrix or vector of the same shape filled with <paramref name="value"/>.</summary>
    public static object Filled(object like, double value)
    {
        object result = like switch
        {
            Matrix<double> m => new Matrix<double>(m.Rows, m.Cols),
            Vector<double> v => new Vector<double>(v.Length),
            _ => throw new ArgumentException(like.GetType().Name),
        };
        Span(result).Fill(value);
        return result;
    }

    public static Span<double> Span(object value) => value switch
    {
        Matrix<double> m => m.AsSpan(),
        Vector<double> v => v.AsSpan(),
        _ => throw new ArgumentException(value.GetType().Name),
    };

    /// <summary>The raw bits of every entry: equal only when bit-identical (−0 ≠ +0, each NaN payload its own).</summary>
    public static long[] Bits(object value) => MemoryMarshal.Cast<double, long>(Span(value)).ToArray();

    public static object Copy(object value) => value switch
    {
        Matrix<double> m => m.Clone(),
        Vector<double> v => v.Clone(),
        double d => d,
        _ => throw new ArgumentException(value.GetType().Name),
    };

    public static void AssertBitIdentical(object expected, object actual, string what)
    {
        if (expected is double e)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits((double)actual),
                $"{what}: {actual:R} is not bit-identical to {e:R}");
            return;
        }
        var want = Bits(expected);
        var got = Bits(actual);
        Assert.Equal(want.Length, got.Length);
        int first = Enumerable.Range(0, want.Length).FirstOrDefault(i => want[i] != got[i], -1);
        Assert.True(first < 0, first < 0 ? "" :
            $"{what}: entry {first} is {BitConverter.Int64BitsToDouble(got[first]):R}, not {BitConverter.Int64BitsToDouble(want[first]):R}");
    }
}
