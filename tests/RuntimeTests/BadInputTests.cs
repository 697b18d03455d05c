using System.Reflection;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Bad input at the public boundary: every shape mismatch throws <see cref="ArgumentException"/>
/// naming both shapes and leaves the operands untouched; every null throws
/// <see cref="ArgumentNullException"/> (found by reflection over the whole public surface).
/// </summary>
public class BadInputTests
{
    private static readonly Matrix<double> A34 = Filled(3, 4, 1);
    private static readonly Matrix<double> B52 = Filled(5, 2, 2);
    private static readonly Matrix<double> C43 = Filled(4, 3, 3);
    private static readonly Matrix<double> D33 = Filled(3, 3, 4);
    private static readonly Matrix<double> E42 = Filled(4, 2, 5);
    private static readonly Matrix<double> F25 = Filled(2, 5, 6);
    private static readonly Vector<double> V3 = Vector<double>.FromArray([1, 2, 3]);
    private static readonly Vector<double> V4 = Vector<double>.FromArray([1, 2, 3, 4]);
    private static readonly Vector<double> V5 = Vector<double>.FromArray([1, 2, 3, 4, 5]);

    /// <summary>(description, call, the two shapes the message must name).</summary>
    public static TheoryData<string, Func<object>, string, string> Mismatches() => new()
    {
        { "A*B", () => A34 * B52, "3×4", "5×2" },
        { "A*x", () => A34 * V5, "3×4", "5×1" },
        { "A+B", () => A34 + C43, "3×4", "4×3" },
        { "A-B", () => A34 - C43, "3×4", "4×3" },
        { "A+b", () => A34 + V4, "3×4", "4×1" },
        { "A-b", () => A34 - V4, "3×4", "4×1" },
        { "x+y", () => V3 + V4, "3×1", "4×1" },
        { "x-y", () => V3 - V4, "3×1", "4×1" },
        { "Hadamard M", () => Hadamard(A34, C43), "3×4", "4×3" },
        { "Hadamard V", () => Hadamard(V3, V5), "3×1", "5×1" },
        { "Dot M", () => Dot(A34, C43), "3×4", "4×3" },
        { "Dot V", () => Dot(V3, V5), "3×1", "5×1" },
        { "Solve M", () => Solve(D33, E42), "3×3", "4×2" },
        { "Solve V", () => Solve(D33, V4), "3×3", "4×1" },
        { "Lu.Solve M", () => Factorization.Factor(Matrix<double>.Identity(3)).Solve(E42), "3×3", "4×2" },
        { "Lu.Solve V", () => Factorization.Factor(Matrix<double>.Identity(3)).Solve(V4), "3×3", "4×1" },
        { "Lu.SolveTransposed M", () => Factorization.Factor(Matrix<double>.Identity(3)).SolveTransposed(E42), "3×3", "4×2" },
        { "Lu.SolveTransposed V", () => Factorization.Factor(Matrix<double>.Identity(3)).SolveTransposed(V4), "3×3", "4×1" },
        { "MultiplyTransposeA M", () => Products.MultiplyTransposeA(A34, B52), "3×4", "5×2" },
        { "MultiplyTransposeA V", () => Products.MultiplyTransposeA(A34, V4), "3×4", "4×1" },
        { "MultiplyTransposeB", () => Products.MultiplyTransposeB(A34, F25), "3×4", "2×5" },
        { "SigmoidBackward M", () => Elementwise.SigmoidBackward(A34, C43), "3×4", "4×3" },
        { "SigmoidBackward V", () => Elementwise.SigmoidBackward(V3, V4), "3×1", "4×1" },
        { "TanhBackward M", () => Elementwise.TanhBackward(A34, C43), "3×4", "4×3" },
        { "TanhBackward V", () => Elementwise.TanhBackward(V3, V4), "3×1", "4×1" },
        { "ReluBackward M", () => Elementwise.ReluBackward(A34, C43), "3×4", "4×3" },
        { "ReluBackward V", () => Elementwise.ReluBackward(V3, V4), "3×1", "4×1" },
        { "ExpBackward M", () => Elementwise.ExpBackward(A34, C43), "3×4", "4×3" },
        { "ExpBackward V", () => Elementwise.ExpBackward(V3, V4), "3×1", "4×1" },
        { "LogBackward M", () => Elementwise.LogBackward(A34, C43), "3×4", "4×3" },
        { "LogBackward V", () => Elementwise.LogBackward(V3, V4), "3×1", "4×1" },
        { "SqrtBackward M", () => Elementwise.SqrtBackward(A34, C43), "3×4", "4×3" },
        { "SqrtBackward V", () => Elementwise.SqrtBackward(V3, V4), "3×1", "4×1" },
        { "SquareBackward M", () => Elementwise.SquareBackward(A34, C43), "3×4", "4×3" },
        { "SquareBackward V", () => Elementwise.SquareBackward(V3, V4), "3×1", "4×1" },
        { "Divide M", () => Elementwise.Divide(A34, C43), "3×4", "4×3" },
        { "Divide V", () => Elementwise.Divide(V3, V4), "3×1", "4×1" },
        { "LeakyReluBackward M", () => Elementwise.LeakyReluBackward(A34, C43, 0.1), "3×4", "4×3" },
        { "LeakyReluBackward V", () => Elementwise.LeakyReluBackward(V3, V4, 0.1), "3×1", "4×1" },
        { "NegativePartBackward M", () => Elementwise.NegativePartBackward(A34, C43), "3×4", "4×3" },
        { "NegativePartBackward V", () => Elementwise.NegativePartBackward(V3, V4), "3×1", "4×1" },
        { "PowBackward M", () => Elementwise.PowBackward(A34, C43, 2.0), "3×4", "4×3" },
        { "PowBackward V", () => Elementwise.PowBackward(V3, V4, 2.0), "3×1", "4×1" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void ShapeMismatchNamesBothShapesAndWritesNothing(string description, Func<object> call, string left, string right)
    {
        var before = Snapshot();
        var ex = Assert.Throws<ArgumentException>(call);
        Assert.Contains(left, ex.Message);
        Assert.Contains(right, ex.Message);
        Assert.True(before.SequenceEqual(Snapshot()), $"{description} modified an operand");
    }

    [Fact]
    public void ProductMessageReadsWell()
    {
        var ex = Assert.Throws<ArgumentException>(() => A34 * B52);
        Assert.StartsWith("Matrix product: left is 3×4 and right is 5×2; the inner dimensions must match.", ex.Message);
    }

    [Fact]
    public void FloatMismatchesThrowToo()
    {
        var a = new Matrix<float>(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => a * a);
        Assert.Contains("2×3", ex.Message);
        Assert.Throws<ArgumentException>(() => Products.MultiplyTransposeB(a, new Matrix<float>(2, 2)));
        Assert.Throws<ArgumentException>(() => Elementwise.ReluBackward(new Vector<float>(2), new Vector<float>(3)));
    }

    public static TheoryData<string> PublicMethods() =>
        new(PublicSurface().Select(m => Describe(m)).Distinct());

    [Theory]
    [MemberData(nameof(PublicMethods))]
    public void EveryNullArgumentThrowsArgumentNullException(string method)
    {
        var info = PublicSurface().Single(m => Describe(m) == method);
        var parameters = info.GetParameters();
        object? target = info.IsStatic ? null : Factorization.Factor(Invertible());

        // The all-valid call must succeed, so that each null below is what triggers the exception.
        // Batched convolution and pooling take a geometry (channels, height, width, …) of ints, all 2 here:
        // their images are then 2·2·2 = 8 rows tall, so those methods get 8×8 matrices.
        bool batched = parameters.Count(p => p.ParameterType == typeof(int)) >= 5;
        // Slices read at index (or start, count) 1 of the 2×2 matrix and length-2 vector: 2 is outside them.
        bool indexes = info.DeclaringType == typeof(Ops) && info.Name is "Column" or "Row" or "SliceRows" or "SliceColumns";
        Invoke(info, target, parameters.Select(p => ValidArgument(p.ParameterType, batched, indexes)).ToArray());
        int nullable = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].ParameterType.IsValueType || parameters[i].ParameterType.IsByRef)
            {
                continue; // a null ref destination is valid: it asks for a new result
            }

            nullable++;
            var args = parameters.Select(p => ValidArgument(p.ParameterType, batched, indexes)).ToArray();
            args[i] = null;
            var ex = Assert.Throws<ArgumentNullException>(() => Invoke(info, target, args));
            Assert.Equal(parameters[i].Name, ex.ParamName);
        }

        Assert.True(nullable > 0 || parameters.All(p => p.ParameterType.IsValueType || p.ParameterType.IsByRef));
    }

    [Fact]
    public void SurfaceFoundByReflectionIsComplete()
    {
        var names = PublicSurface().Select(m => m.Name).ToHashSet();
        string[] expected =
        [
            "Transpose", "Inverse", "Solve", "Outer", "Trace", "Det", "LogDet", "Dot", "Sum", "Mean", "SquaredNorm",
            "Hadamard", "Exp", "Log", "Sigmoid", "Tanh", "Relu", "Square", "Sqrt", "MultiplyTransposeA",
            "MultiplyTransposeB", "SigmoidBackward", "ReluBackward", "Divide", "SumColumns", "Factor", "SolveTransposed",
            "op_Multiply", "op_Addition", "op_Subtraction", "op_UnaryNegation", "op_Division", "FromArray",
        ];
        Assert.All(expected, name => Assert.Contains(name, names));
    }

    private static Matrix<double> Filled(int rows, int cols, double start)
    {
        var m = new Matrix<double>(rows, cols);
        for (int i = 0; i < m.AsSpan().Length; i++)
        {
            m.AsSpan()[i] = start + i;
        }

        return m;
    }

    private static double[] Snapshot() =>
        new[] { A34, B52, C43, D33, E42, F25 }.SelectMany(m => m.ToArray().Cast<double>())
            .Concat(new[] { V3, V4, V5 }.SelectMany(v => v.ToArray())).ToArray();

    private static Matrix<double> Invertible() => Matrix<double>.FromArray(new[,] { { 2.0, 1 }, { 1, 3 } });

    /// <summary>Public methods taking Matrix, Vector, arrays, strings or ref destinations, closed over double.</summary>
    private static IEnumerable<MethodInfo> PublicSurface()
    {
        Type[] types =
        [
            typeof(Ops), typeof(Factorization), typeof(Matrix<double>), typeof(Vector<double>), typeof(LuFactorization<double>),
        ];
        // The allocating forms of the Compute families; their destination-passing and accumulating forms are
        // IntoBadInputTests' surface.
        Type[] families = [typeof(Products), typeof(Elementwise), typeof(Linear)];
        return types
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Concat(families.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
                .Where(m => !m.GetParameters().Any(p => p.ParameterType.IsByRef) && m.ReturnType != typeof(void)))
            .Where(m => !m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal))
            .Where(m => m.DeclaringType != typeof(object) && m.Name is not ("ToString" or "GetHashCode" or "Equals" or "GetType"))
            .Select(m => m.IsGenericMethodDefinition ? m.MakeGenericMethod(typeof(double)) : m)
            .Where(m => m.GetParameters().Any(p => !p.ParameterType.IsValueType))
            .Where(m => !m.GetParameters().Any(p => (p.ParameterType.GetElementType() ?? p.ParameterType).IsByRefLike)); // tensor spans: not callable by reflection (InteropTests covers them)
    }

    private static string Describe(MethodInfo m) =>
        $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

    private static object? ValidArgument(Type type, bool batched, bool indexes = false) => type switch
    {
        _ when type == typeof(Matrix<double>) => batched ? Matrix<double>.Identity(8) : Invertible(),
        // A batched convolution's bias has one entry per filter (the 8 rows of the 8×8 filter matrix).
        _ when type == typeof(Vector<double>) => batched ? Vector<double>.FromArray([1.0, 2, 3, 4, 5, 6, 7, 8]) : Vector<double>.FromArray([1.0, 2.0]),
        _ when type == typeof(double) => 1.0,
        _ when type == typeof(int) => indexes ? 1 : 2,
        _ when type.IsByRef => null, // a destination slot: null asks for a new result
        _ when type == typeof(MatrixOperation) => MatrixOperation.Lu,
        _ when type == typeof(string) => "Op",
        _ when type == typeof(double[]) => new[] { 1.0, 2.0, 3.0, 4.0 },  // 2×2 for Matrix.Wrap(storage, 2, 2)
        _ when type == typeof(int[]) => new[] { 1, 0, 1 },  // token ids, inside a 2×2 embedding matrix
        _ when type == typeof(System.Numerics.Tensors.Tensor<double>) => System.Numerics.Tensors.Tensor.Create(new[] { 1.0, 2.0, 3.0, 4.0 }, [4, 1]), // a matrix and a vector
        _ when type == typeof(double[,]) => new[,] { { 1.0, 2.0 } },
        _ => throw new InvalidOperationException($"no valid argument for {type}"),
    };

    private static void Invoke(MethodInfo method, object? target, object?[] args)
    {
        try
        {
            method.Invoke(target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }
}
