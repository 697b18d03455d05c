using System.Reflection;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;
using static AutoGradGen.RuntimeTests.IntoInputs;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Bad input to the destination-passing forms of <c>AutoGradGen.Compute</c>: every shape mismatch throws <see cref="ArgumentException"/> naming both
/// shapes and writes nothing (neither the operands nor the destination); every null operand throws
/// <see cref="ArgumentNullException"/> with its parameter's name (by reflection over the class).
/// </summary>
public class IntoBadInputTests
{
    private static readonly Matrix<double> A34 = M<double>(3, 4, 1);
    private static readonly Matrix<double> B52 = M<double>(5, 2, 2);
    private static readonly Matrix<double> C43 = M<double>(4, 3, 3);
    private static readonly Matrix<double> E42 = M<double>(4, 2, 4);
    private static readonly Matrix<double> F25 = M<double>(2, 5, 5);
    private static readonly Matrix<double> T33 = M<double>(3, 3, 6);
    private static readonly Vector<double> V3 = V<double>(3, 7);
    private static readonly Vector<double> V4 = V<double>(4, 8);
    private static readonly Vector<double> V5 = V<double>(5, 9);
    private static readonly Matrix<double> MatrixSlot = M<double>(3, 4, 10);
    private static readonly Vector<double> VectorSlot = V<double>(3, 11);
    private static readonly LuFactorization<double> Lu3 = Factorization.Factor(Matrix<double>.FromArray(new[,] { { 2.0, 1, 0 }, { 1, 3, 1 }, { 0, 1, 4 } }));

    /// <summary>(description, call with a pre-filled destination slot, the two shapes the message must name).</summary>
    public static TheoryData<string, Action, string, string> Mismatches() => new()
    {
        { "Add M", () => Slot((ref d) => Linear.Add(A34, C43, ref d)), "3×4", "4×3" },
        { "Add V", () => Slot((ref d) => Linear.Add(V3, V4, ref d)), "3×1", "4×1" },
        { "Subtract M", () => Slot((ref d) => Linear.Subtract(A34, C43, ref d)), "3×4", "4×3" },
        { "Subtract V", () => Slot((ref d) => Linear.Subtract(V3, V4, ref d)), "3×1", "4×1" },
        { "Multiply M", () => Slot((ref d) => Products.Multiply(A34, B52, ref d)), "3×4", "5×2" },
        { "Multiply V", () => Slot((ref d) => Products.Multiply(A34, V5, ref d)), "3×4", "5×1" },
        { "AddColumns", () => Slot((ref d) => Linear.AddColumns(A34, V4, ref d)), "3×4", "4×1" },
        { "SubtractColumns", () => Slot((ref d) => Linear.SubtractColumns(A34, V4, ref d)), "3×4", "4×1" },
        { "Hadamard M", () => Slot((ref d) => Elementwise.Hadamard(A34, C43, ref d)), "3×4", "4×3" },
        { "Hadamard V", () => Slot((ref d) => Elementwise.Hadamard(V3, V5, ref d)), "3×1", "5×1" },
        { "MultiplyTransposeA M", () => Slot((ref d) => Products.MultiplyTransposeA(A34, B52, ref d)), "3×4", "5×2" },
        { "MultiplyTransposeA V", () => Slot((ref d) => Products.MultiplyTransposeA(A34, V4, ref d)), "3×4", "4×1" },
        { "MultiplyTransposeB", () => Slot((ref d) => Products.MultiplyTransposeB(A34, F25, ref d)), "3×4", "2×5" },
        { "SigmoidBackward M", () => Slot((ref d) => Elementwise.SigmoidBackward(A34, C43, ref d)), "3×4", "4×3" },
        { "SigmoidBackward V", () => Slot((ref d) => Elementwise.SigmoidBackward(V3, V4, ref d)), "3×1", "4×1" },
        { "TanhBackward M", () => Slot((ref d) => Elementwise.TanhBackward(A34, C43, ref d)), "3×4", "4×3" },
        { "TanhBackward V", () => Slot((ref d) => Elementwise.TanhBackward(V3, V4, ref d)), "3×1", "4×1" },
        { "ReluBackward M", () => Slot((ref d) => Elementwise.ReluBackward(A34, C43, ref d)), "3×4", "4×3" },
        { "ReluBackward V", () => Slot((ref d) => Elementwise.ReluBackward(V3, V4, ref d)), "3×1", "4×1" },
        { "ExpBackward M", () => Slot((ref d) => Elementwise.ExpBackward(A34, C43, ref d)), "3×4", "4×3" },
        { "ExpBackward V", () => Slot((ref d) => Elementwise.ExpBackward(V3, V4, ref d)), "3×1", "4×1" },
        { "LogBackward M", () => Slot((ref d) => Elementwise.LogBackward(A34, C43, ref d)), "3×4", "4×3" },
        { "LogBackward V", () => Slot((ref d) => Elementwise.LogBackward(V3, V4, ref d)), "3×1", "4×1" },
        { "SqrtBackward M", () => Slot((ref d) => Elementwise.SqrtBackward(A34, C43, ref d)), "3×4", "4×3" },
        { "SqrtBackward V", () => Slot((ref d) => Elementwise.SqrtBackward(V3, V4, ref d)), "3×1", "4×1" },
        { "SquareBackward M", () => Slot((ref d) => Elementwise.SquareBackward(A34, C43, ref d)), "3×4", "4×3" },
        { "SquareBackward V", () => Slot((ref d) => Elementwise.SquareBackward(V3, V4, ref d)), "3×1", "4×1" },
        { "Divide M", () => Slot((ref d) => Elementwise.Divide(A34, C43, ref d)), "3×4", "4×3" },
        { "Divide V", () => Slot((ref d) => Elementwise.Divide(V3, V4, ref d)), "3×1", "4×1" },
        { "LeakyReluBackward M", () => Slot((ref d) => Elementwise.LeakyReluBackward(A34, C43, 0.1, ref d)), "3×4", "4×3" },
        { "LeakyReluBackward V", () => Slot((ref d) => Elementwise.LeakyReluBackward(V3, V4, 0.1, ref d)), "3×1", "4×1" },
        { "NegativePartBackward M", () => Slot((ref d) => Elementwise.NegativePartBackward(A34, C43, ref d)), "3×4", "4×3" },
        { "NegativePartBackward V", () => Slot((ref d) => Elementwise.NegativePartBackward(V3, V4, ref d)), "3×1", "4×1" },
        { "PowBackward M", () => Slot((ref d) => Elementwise.PowBackward(A34, C43, 2.0, ref d)), "3×4", "4×3" },
        { "PowBackward V", () => Slot((ref d) => Elementwise.PowBackward(V3, V4, 2.0, ref d)), "3×1", "4×1" },
        { "Lu.Solve M", () => Slot((ref d) => Lu3.Solve(E42, ref d)), "3×3", "4×2" },
        { "Lu.Solve V", () => Slot((ref d) => Lu3.Solve(V4, ref d)), "3×3", "4×1" },
        { "Lu.SolveTransposed M", () => Slot((ref d) => Lu3.SolveTransposed(E42, ref d)), "3×3", "4×2" },
        { "Lu.SolveTransposed V", () => Slot((ref d) => Lu3.SolveTransposed(V4, ref d)), "3×3", "4×1" },
        { "AddTo M", () => Linear.AddTo(A34, C43), "3×4", "4×3" },
        { "AddTo V", () => Linear.AddTo(V3, V4), "3×1", "4×1" },
        { "AddScaledTo M", () => Linear.AddScaledTo(A34, 2.0, C43), "3×4", "4×3" },
        { "AddScaledTo V", () => Linear.AddScaledTo(V3, 2.0, V4), "3×1", "4×1" },
        { "MultiplyAddTo inner", () => Products.MultiplyAddTo(T33, A34, B52), "3×4", "5×2" },
        { "MultiplyAddTo inner (Aᵀ)", () => Products.MultiplyAddTo(T33, A34, C43, transposeA: true), "3×4 (used transposed)", "4×3" },
        { "MultiplyAddTo inner (Bᵀ)", () => Products.MultiplyAddTo(T33, A34, C43, transposeB: true), "3×4", "4×3 (used transposed)" },
        { "MultiplyAddTo target shape", () => Products.MultiplyAddTo(A34, A34.Clone(), C43), "3×4", "3×3" },
        { "OuterAddTo", () => Products.OuterAddTo(A34, V3, V5, 1.0), "3×4", "3×5" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void ShapeMismatchNamesBothShapesAndWritesNothing(string description, Action call, string left, string right)
    {
        var before = Snapshot();
        var ex = Assert.Throws<ArgumentException>(call);
        Assert.Contains(left, ex.Message);
        Assert.Contains(right, ex.Message);
        Assert.True(before.SequenceEqual(Snapshot()), $"{description} modified an operand or the destination");
    }

    [Fact]
    public void MessagesReadWell()
    {
        Matrix<double>? d = null;
        Assert.StartsWith("Matrix product: left is 3×4 and right is 5×2; the inner dimensions must match.",
            Assert.Throws<ArgumentException>(() => Products.Multiply(A34, B52, ref d)).Message, StringComparison.Ordinal);
        Assert.StartsWith("MultiplyAddTo: target is 3×4 and product is 3×3; the shapes must match.",
            Assert.Throws<ArgumentException>(() => Products.MultiplyAddTo(A34, A34.Clone(), C43)).Message, StringComparison.Ordinal);
        d = A34;
        Assert.StartsWith("Transpose: the destination is the same object as a; it must not alias an input.",
            Assert.Throws<ArgumentException>(() => Linear.Transpose(A34, ref d)).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> PublicMethods() => new(Surface().Select(Describe));

    [Theory]
    [MemberData(nameof(PublicMethods))]
    public void EveryNullOperandThrowsArgumentNullException(string method)
    {
        var info = Surface().Single(m => Describe(m) == method);
        var parameters = info.GetParameters();
        info.Invoke(null, parameters.Select(p => Valid(p.ParameterType)).ToArray());
        for (int i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].ParameterType.IsValueType || parameters[i].ParameterType.IsByRef)
            {
                continue;
            }

            var args = parameters.Select(p => Valid(p.ParameterType)).ToArray();
            args[i] = null;
            var ex = Assert.Throws<TargetInvocationException>(() => info.Invoke(null, args));
            var inner = Assert.IsType<ArgumentNullException>(ex.InnerException);
            Assert.Equal(parameters[i].Name, inner.ParamName);
        }
    }

    /// <summary>
    /// The destination-passing and accumulating methods, closed over double. RequireSameShape and RequireShape
    /// (the generated methods' buffer checks, which take names, not operands) are not among them.
    /// </summary>
    private static IEnumerable<MethodInfo> Surface() =>
        new[] { typeof(Linear), typeof(Products), typeof(Elementwise), typeof(Classification), typeof(Fused), typeof(Convolution), typeof(Pooling) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.GetParameters().Any(p => p.ParameterType.IsByRef) || m.ReturnType == typeof(void))
            .Where(m => m.Name != "RequireSameShape" && m.Name != "RequireShape")   // checks of generated code, tested in RequireShapeTests
            // Convolution and pooling need a consistent image geometry; IntoConvolutionTests has their null probes.
            .Where(m => !m.Name.Contains("Conv2D", StringComparison.Ordinal) && !m.Name.Contains("Pool2D", StringComparison.Ordinal))
            .Select(m => m.MakeGenericMethod(typeof(double)))
            .Where(m => m.GetParameters().Any(p => !p.ParameterType.IsValueType && !p.ParameterType.IsByRef));

    private static string Describe(MethodInfo m) =>
        $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

    private static object? Valid(Type type) => type switch
    {
        _ when type == typeof(Matrix<double>) => M<double>(2, 2, 12),
        _ when type == typeof(Vector<double>) => Vector<double>.FromArray([1.0, 2.0]),
        _ when type == typeof(double) => 1.0,
        _ when type == typeof(int) => 2,
        _ when type == typeof(bool) => false,
        _ when type == typeof(AutoGradGen.Compute.Activation) => AutoGradGen.Compute.Activation.Tanh,
        _ when type.IsByRef => null,
        _ => throw new InvalidOperationException($"no valid argument for {type}"),
    };

    private static void Slot(IntoCall<Matrix<double>> call)
    {
        Matrix<double>? slot = MatrixSlot;
        call(ref slot);
    }

    private static void Slot(IntoCall<Vector<double>> call)
    {
        Vector<double>? slot = VectorSlot;
        call(ref slot);
    }

    private static double[] Snapshot() =>
        new[] { A34, B52, C43, E42, F25, T33, MatrixSlot }.SelectMany(m => m.ToArray().Cast<double>())
            .Concat(new[] { V3, V4, V5, VectorSlot }.SelectMany(v => v.ToArray())).ToArray();
}
