using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The one documented behaviour for each kind of bad input (docs/runtime.md, "Bad input"): shape
/// mismatches, nulls, empty operands, singular and near-singular matrices, NaN and ±∞. A call that
/// fails leaves its outputs (destinations, accumulation targets, optimizer parameters) untouched.
/// </summary>
public class BadInputBehaviourTests
{
    private const double Sentinel = 7.25;

    private static Matrix<double> M(int rows, int cols, double fill)
    {
        var m = new Matrix<double>(rows, cols);
        m.AsSpan().Fill(fill);
        return m;
    }

    private static Vector<double> V(int n, double fill)
    {
        var v = new Vector<double>(n);
        v.AsSpan().Fill(fill);
        return v;
    }

    private static Matrix<double> Random(int rows, int cols, int seed)
    {
        var rng = new System.Random(seed);
        var m = new Matrix<double>(rows, cols);
        foreach (ref var x in m.AsSpan())
        {
            x = (2 * rng.NextDouble()) - 1;
        }
        return m;
    }

    private static void AssertAll(ReadOnlySpan<double> values, double expected, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(values[i].Equals(expected), $"{what}: entry {i} is {values[i]}, expected {expected}");
        }
    }

    // ── shape mismatches: ArgumentException naming both shapes; outputs untouched ─────────────

    public static TheoryData<string, Action<Matrix<double>, Vector<double>>, string, string> MismatchesIntoOutputs() => new()
    {
        // (what, call writing into the 3×4 output matrix / the length-3 output vector, both shapes named)
        { "Into.Add", (o, _) => { Matrix<double>? d = o; Linear.Add(M(3, 4, 1), M(4, 3, 1), ref d); }, "3×4", "4×3" },
        { "Into.Multiply", (o, _) => { Matrix<double>? d = o; Products.Multiply(M(3, 5, 1), M(4, 4, 1), ref d); }, "3×5", "4×4" },
        { "Into.AddColumns", (o, _) => { Matrix<double>? d = o; Linear.AddColumns(M(3, 4, 1), V(4, 1), ref d); }, "3×4", "4×1" },
        { "Into.Hadamard", (o, _) => { Matrix<double>? d = o; Elementwise.Hadamard(M(3, 4, 1), M(3, 5, 1), ref d); }, "3×4", "3×5" },
        { "Into.Multiply (vector)", (_, o) => { Vector<double>? d = o; Products.Multiply(M(3, 4, 1), V(3, 1), ref d); }, "3×4", "3×1" },
        { "Into.AddTo", (o, _) => Linear.AddTo(o, M(4, 3, 1)), "3×4", "4×3" },
        { "Into.AddTo (vector)", (_, o) => Linear.AddTo(o, V(4, 1)), "3×1", "4×1" },
        { "Into.MultiplyAddTo", (o, _) => Products.MultiplyAddTo(o, M(3, 2, 1), M(3, 4, 1)), "3×2", "3×4" },
        { "Into.MultiplyAddTo (C)", (o, _) => Products.MultiplyAddTo(o, M(3, 2, 1), M(2, 5, 1)), "3×4", "3×5" },
        { "Into.OuterAddTo", (o, _) => Products.OuterAddTo(o, V(3, 1), V(5, 1), 1.0), "3×4", "3×5" },
        { "Into.MultiplyAddTo scaled", (o, _) => Products.MultiplyAddTo(o, 2.0, M(3, 2, 1), M(3, 4, 1)), "3×2", "3×4" },
        { "Into.MultiplyAddTo scaled (C)", (o, _) => Products.MultiplyAddTo(o, 2.0, M(3, 2, 1), M(2, 5, 1), transposeA: false), "3×4", "3×5" },
        { "Into.Multiply scaled", (o, _) => { Matrix<double>? d = o; Products.Multiply(2.0, M(3, 5, 1), M(4, 4, 1), ref d); }, "3×5", "4×4" },
        { "Into.MultiplyTransposeA scaled", (o, _) => { Matrix<double>? d = o; Products.MultiplyTransposeA(2.0, M(5, 3, 1), M(4, 4, 1), ref d); }, "5×3", "4×4" },
        { "Into.MultiplyTransposeB scaled", (o, _) => { Matrix<double>? d = o; Products.MultiplyTransposeB(2.0, M(3, 5, 1), M(4, 4, 1), ref d); }, "3×5", "4×4" },
        { "Lu.Solve into", (_, o) => { Vector<double>? d = o; Factorization.Factor(Matrix<double>.Identity(4)).Solve(V(3, 1), ref d); }, "4×4", "3×1" },
    };

    [Theory, MemberData(nameof(MismatchesIntoOutputs))]
    public void ShapeMismatch_NamesBothShapes_AndLeavesTheOutputUntouched(
        string what, Action<Matrix<double>, Vector<double>> call, string first, string second)
    {
        var matrixOut = M(3, 4, Sentinel);
        var vectorOut = V(3, Sentinel);
        var e = Assert.Throws<ArgumentException>(() => call(matrixOut, vectorOut));
        Assert.Contains(first, e.Message);
        Assert.Contains(second, e.Message);
        AssertAll(matrixOut.AsSpan(), Sentinel, what + " matrix output");
        AssertAll(vectorOut.AsSpan(), Sentinel, what + " vector output");
    }

    [Fact]
    public void ShapeMismatch_InAnOptimizerStep_UpdatesNoParameter()
    {
        var W = M(3, 4, Sentinel);
        var b = V(3, Sentinel);
        var sgd = new Sgd<double>([W], [b], 0.1);
        var e = Assert.Throws<ArgumentException>(() => sgd.Step([M(3, 4, 1)], [V(4, 1)])); // W's gradient fits, b's does not
        Assert.Contains("3×1", e.Message);
        Assert.Contains("4×1", e.Message);
        AssertAll(W.AsSpan(), Sentinel, "W");
        AssertAll(b.AsSpan(), Sentinel, "b");
        Assert.Equal(0, sgd.StepCount);
    }

    [Fact]
    public void ShapeMismatch_MessageReadsWell()
    {
        var e = Assert.Throws<ArgumentException>(() => M(3, 4, 1) * M(5, 2, 1));
        Assert.Equal("Matrix product: left is 3×4 and right is 5×2; the inner dimensions must match. (Parameter 'right')", e.Message);
    }

    // ── null arguments: ArgumentNullException with the parameter's name ───────────────────────

    public static TheoryData<string, Action, string> Nulls() => new()
    {
        { "A * B", () => _ = (Matrix<double>)null! * M(2, 2, 1), "left" },
        { "Sum", () => Sum((Matrix<double>)null!), "a" },
        { "Dot", () => Dot(V(2, 1), null!), "y" },
        { "Softmax", () => Softmax((Vector<double>)null!), "x" },
        { "Solve", () => Solve(M(2, 2, 1), (Vector<double>)null!), "b" },
        { "Inverse", () => Inverse((Matrix<double>)null!), "a" },
        { "LogDet", () => LogDet((Matrix<double>)null!), "a" },
        { "Into.AddTo", () => Linear.AddTo(null!, M(2, 2, 1)), "target" },
        { "GradientCheck.Run", () => GradientCheck.Run<double>(null!, []), "function" },
    };

    [Theory, MemberData(nameof(Nulls))]
    public void NullArgument_ThrowsArgumentNullException_WithItsName(string what, Action call, string parameter)
    {
        var e = Assert.Throws<ArgumentNullException>(call);
        Assert.True(e.ParamName == parameter, $"{what}: ParamName is '{e.ParamName}', expected '{parameter}'");
    }

    [Fact]
    public void NullDestination_IsNotAnError_ItAllocates()
    {
        Matrix<double>? destination = null;
        var result = Linear.Add(M(2, 3, 1), M(2, 3, 2), ref destination);
        Assert.Same(result, destination);
        AssertAll(result.AsSpan(), 3, "1 + 2");
    }

    // ── empty operands: work wherever the math does ───────────────────────────────────────────

    [Fact]
    public void EmptyOperands_GiveTheDocumentedResults()
    {
        var zeroK = M(3, 0, 1) * M(0, 4, 1);                          // k = 0: a 3×4 of zeros
        Assert.Equal((3, 4), (zeroK.Rows, zeroK.Cols));
        AssertAll(zeroK.AsSpan(), 0, "(3×0)(0×4)");
        var noRows = M(0, 5, 1) * M(5, 4, 1);
        Assert.Equal((0, 4), (noRows.Rows, noRows.Cols));
        var zeroKVector = M(2, 0, 1) * V(0, 1);
        Assert.Equal(2, zeroKVector.Length);
        AssertAll(zeroKVector.AsSpan(), 0, "(2×0)·(0)");

        Assert.Equal(0.0, Sum(M(0, 3, 1)));
        Assert.Equal(0.0, Sum(V(0, 1)));
        Assert.Equal(0.0, Dot(V(0, 1), V(0, 1)));
        Assert.Equal(0.0, Dot(M(3, 0, 1), M(3, 0, 1)));
        Assert.Equal(0.0, SquaredNorm(M(0, 0, 1)));
        Assert.Equal(0.0, Trace(M(0, 0, 1)));
        Assert.True(double.IsNaN(Mean(M(0, 4, 1))), "Mean of empty is 0/0");
        Assert.True(double.IsNaN(Mean(V(0, 1))), "Mean of empty is 0/0");

        Assert.Equal(1.0, Det(M(0, 0, 1)));
        Assert.Equal(0.0, LogDet(M(0, 0, 1)));
        var inverse = Inverse(M(0, 0, 1));
        Assert.Equal((0, 0), (inverse.Rows, inverse.Cols));
        var solved = Solve(M(0, 0, 1), M(0, 3, 1));
        Assert.Equal((0, 3), (solved.Rows, solved.Cols));

        var t = Transpose(M(2, 0, 1));
        Assert.Equal((0, 2), (t.Rows, t.Cols));
        Assert.Equal((0, 3), (Sigmoid(M(0, 3, 1)).Rows, Sigmoid(M(0, 3, 1)).Cols));
        Assert.Equal(0, Exp(V(0, 1)).Length);
        Assert.Equal(0, Softmax(V(0, 1)).Length);
        Assert.Equal(0, LogSoftmax(V(0, 1)).Length);
        var columns = Softmax(M(0, 3, 1));
        Assert.Equal((0, 3), (columns.Rows, columns.Cols));
        Assert.Equal(0.0, CrossEntropy(V(0, 1), V(0, 1)));
        Assert.Equal(0.0, CrossEntropy(M(0, 3, 1), M(0, 3, 1)));        // 3 samples of nothing: mean of zeros
        Assert.True(double.IsNaN(CrossEntropy(M(4, 0, 1), M(4, 0, 1))), "no samples: 0/0");
    }

    // ── singular and near-singular matrices ───────────────────────────────────────────────────

    private static Matrix<double> ExactlySingular() => Matrix<double>.FromArray(new double[,] { { 1, 2, 3 }, { 2, 4, 6 }, { 1, 0, 1 } });

    [Fact]
    public void ExactlySingular_InverseSolveAndLogDet_ThrowNamingTheOperation_DetIsZero()
    {
        var a = ExactlySingular();
        var before = a.Clone();
        Assert.StartsWith("Inverse: the matrix is singular", Assert.Throws<SingularMatrixException>(() => Inverse(a)).Message);
        Assert.StartsWith("Solve: the matrix is singular", Assert.Throws<SingularMatrixException>(() => Solve(a, V(3, 1))).Message);
        Assert.StartsWith("Solve: the matrix is singular", Assert.Throws<SingularMatrixException>(() => Solve(a, M(3, 2, 1))).Message);
        Assert.Equal(0.0, Det(a));
        // log|det A| = −∞ has no gradient (A⁻ᵀ does not exist): LogDet throws forward as its gradient does backward.
        Assert.StartsWith("LogDet: the matrix is singular", Assert.Throws<SingularMatrixException>(() => LogDet(a)).Message);
        Assert.StartsWith("LogDet: the matrix is singular",
            Assert.Throws<SingularMatrixException>(() => LogDet(Matrix<float>.FromArray(new float[,] { { 1, 2 }, { 2, 4 } }))).Message);
        Assert.StartsWith("LogDet: the matrix is singular", Assert.Throws<SingularMatrixException>(() => LogDet(new Matrix<float>(3, 3))).Message); // the zero matrix
        Assert.True(before.AsSpan().SequenceEqual(a.AsSpan()), "the operand was modified");
    }

    [Fact]
    public void ExactlySingular_FactorizationSolvesIntoADestination_LeaveItUntouched()
    {
        var lu = Factorization.Factor(ExactlySingular(), MatrixOperation.Solve);
        Assert.True(lu.IsSingular);
        Vector<double>? destination = V(3, Sentinel);
        var kept = destination;
        Assert.Throws<SingularMatrixException>(() => lu.Solve(V(3, 1), ref destination));
        Assert.Same(kept, destination);
        AssertAll(kept.AsSpan(), Sentinel, "destination");
        Matrix<double>? inverse = M(3, 3, Sentinel);
        Assert.Throws<SingularMatrixException>(() => lu.InverseTransposed(ref inverse));
        AssertAll(inverse!.AsSpan(), Sentinel, "inverse destination");
    }

    [Theory, InlineData(1e-10), InlineData(1e-14)]
    public void NearlySingular_NoConditionCheck_FiniteButLargeResults(double epsilon)
    {
        // [[1, 1], [1, 1 + ε]]: det = ε, A⁻¹ = (1/ε)[[1 + ε, −1], [−1, 1]]; no pivot is exactly zero.
        var a = Matrix<double>.FromArray(new double[,] { { 1, 1 }, { 1, 1 + epsilon } });
        var inverse = Inverse(a);
        Assert.All(inverse.ToArray().Cast<double>(), x => Assert.True(double.IsFinite(x)));
        Assert.True(Math.Abs(inverse[0, 1]) > 0.5 / epsilon, $"|A⁻¹[0, 1]| = {Math.Abs(inverse[0, 1])} should be ≈ 1/ε");

        var x = Solve(a, Vector<double>.FromArray([1, -1]));
        Assert.All(x.ToArray(), v => Assert.True(double.IsFinite(v) && Math.Abs(v) > 0.5 / epsilon));

        double logDet = LogDet(a);
        Assert.True(double.IsFinite(logDet));
        Assert.Equal(Math.Log(epsilon), logDet, 0.1); // as accurate as 1 + ε is representable
    }

    // ── NaN and ±∞ propagate (IEEE), nothing throws ──────────────────────────────────────────

    public static TheoryData<int> ProductSizes => new() { 3, 24, 130 }; // direct, packed, packed + Parallel.For GEMM

    [Theory, MemberData(nameof(ProductSizes))]
    public void NaN_InAProduct_MakesEveryDependentEntryNaN_EvenWhereMultipliedByZero(int n)
    {
        var a = Random(n, n, 1);
        var b = Random(n, n, 2);
        a[1, 2] = double.NaN;             // row 1 of AB depends on it
        b[0, n - 1] = double.NaN;         // column n−1 of AB depends on it
        a[0, 0] = 0;                      // … also row 0, where it meets a 0: 0 · NaN = NaN
        var c = a * b;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                bool dependent = i == 1 || j == n - 1;
                Assert.True(double.IsNaN(c[i, j]) == dependent, $"C[{i}, {j}] = {c[i, j]}");
            }
        }

        var y = a * new Vector<double>(n); // zeros · row 1 with its NaN
        Assert.True(double.IsNaN(y[1]));
        Assert.False(double.IsNaN(y[0]));
    }

    [Fact]
    public void NaN_PropagatesThroughElementwiseOpsReductionsAndSoftmax()
    {
        var x = Vector<double>.FromArray([0.5, double.NaN, -2, 3]);
        foreach (var (name, result) in new (string, Vector<double>)[]
                 { ("Exp", Exp(x)), ("Log", Log(x)), ("Sigmoid", Sigmoid(x)), ("Tanh", Tanh(x)), ("Relu", Relu(x)), ("Square", Square(x)), ("Sqrt", Sqrt(x)), ("x + x", x + x), ("Hadamard", Hadamard(x, x)) })
        {
            Assert.True(double.IsNaN(result[1]), $"{name}(NaN) = {result[1]}");
            Assert.False(double.IsNaN(result[0]), $"{name} spread the NaN to entry 0");
        }

        Assert.True(double.IsNaN(Sum(x)));
        Assert.True(double.IsNaN(Mean(x)));
        Assert.True(double.IsNaN(Dot(x, V(4, 1))));
        Assert.True(double.IsNaN(SquaredNorm(x)));
        Assert.True(double.IsNaN(CrossEntropy(x, Vector<double>.FromArray([0, 0, 1, 0]))));

        // Softmax normalizes by the whole vector (or column): one NaN makes all of it NaN.
        AssertAll(Softmax(x).AsSpan(), double.NaN, "Softmax");
        AssertAll(LogSoftmax(x).AsSpan(), double.NaN, "LogSoftmax");
        var logits = Random(4, 3, 5);
        logits[2, 1] = double.NaN;
        var columns = Softmax(logits);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(double.IsNaN(columns[i, 1]), "the NaN's column");
            Assert.False(double.IsNaN(columns[i, 0]) || double.IsNaN(columns[i, 2]), "other columns");
        }

        var m = Random(3, 3, 6);
        m[1, 1] = double.NaN;
        Assert.True(double.IsNaN(Trace(m)));
        Assert.True(double.IsNaN(Det(m)));
        Assert.True(double.IsNaN(LogDet(m)));
    }

    [Fact]
    public void Infinities_FollowIeeeRules()
    {
        var x = Vector<double>.FromArray([double.PositiveInfinity, double.NegativeInfinity, 1]);
        Assert.Equal(new[] { double.PositiveInfinity, 0, Math.E }, Exp(x).ToArray());
        Assert.Equal(new[] { 1.0, 0, 1 / (1 + Math.Exp(-1)) }, Sigmoid(x).ToArray());
        Assert.Equal(new[] { 1.0, -1, Math.Tanh(1) }, Tanh(x).ToArray());
        Assert.Equal(new[] { double.PositiveInfinity, 0, 1 }, Relu(x).ToArray());
        Assert.Equal(double.NegativeInfinity, Log(0.0));
        Assert.True(double.IsNaN(Sum(x)), "∞ + (−∞) = NaN");
        Assert.Equal(double.PositiveInfinity, Sum(Vector<double>.FromArray([double.PositiveInfinity, 1])));
        Assert.True(double.IsNaN((M(2, 2, 0) * Vector<double>.FromArray([double.PositiveInfinity, 1]))[0]), "0 · ∞ = NaN");
        Assert.Equal(double.PositiveInfinity, (M(2, 2, 1) / 0.0)[0, 0]);

        // Softmax: one +∞ logit gives ∞ − ∞ = NaN in the normalization, so the whole vector is NaN;
        // −∞ logits are ordinary (probability 0).
        AssertAll(Softmax(x).AsSpan(), double.NaN, "Softmax with +∞");
        Assert.Equal(new[] { 0.0, 0.5, 0.5 }, Softmax(Vector<double>.FromArray([double.NegativeInfinity, 2, 2])).ToArray());
    }

    [Fact]
    public void NaN_InALinearSystem_IsNotASingularity_NoException()
    {
        var a = Matrix<double>.Identity(3);
        a[1, 1] = double.NaN;
        Assert.Contains(Inverse(a).ToArray().Cast<double>(), double.IsNaN);
        Assert.Contains(Solve(a, V(3, 1)).ToArray(), double.IsNaN);

        // As in LAPACK, a zero multiplier skips its row update, so a NaN that only ever meets it is not read:
        // det [[1, NaN], [0, 1]] is 1, not 1·1 − NaN·0.
        var upper = Matrix<double>.FromArray(new double[,] { { 1, double.NaN }, { 0, 1 } });
        Assert.Equal(1.0, Det(upper));
        Assert.Equal(0.0, LogDet(upper));
    }
}
