using AutoGradGen.Generator.Model;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>
/// Every op's one rule, both directions. For each op of the user's language a method applying it is
/// generated, and on random operands and random directions its FDifferential (the tangent, from the
/// op's differential rule) is checked against central differences, and its pullback (derived from the
/// same rule by transposition, or hand-tuned next to it) against the tangent by adjointness:
/// ⟨Ȳ, J·Ẋ⟩ = ⟨Jᵀ·Ȳ, Ẋ⟩. Double and float.
/// </summary>
public sealed class AdjointTests
{
    private const string D = "double";

    /// <summary>One case: the op it covers, the method, and its arguments.</summary>
    public sealed record Case(string Op, string Body, Func<Inputs, Inputs> Arguments);

    private static Inputs M(Inputs i, string name, int r, int c) => i.Matrix(name, r, c);

    /// <summary>A well-conditioned square matrix: random entries plus 3 on the diagonal.</summary>
    private static Inputs Square(Inputs i, string name, int n)
    {
        i.Matrix(name, n, n, -0.5, 0.5);
        var a = (double[,])i.M(name).Clone();
        for (int k = 0; k < n; k++)
        {
            a[k, k] += 3;
        }
        return i.Replace(name, a);
    }

    public static readonly Case[] Cases =
    {
        new("Add", "Matrix<double> F(Matrix<double> A, Matrix<double> B) => A + B;", i => M(M(i, "A", 3, 4), "B", 3, 4)),
        new("Subtract", "Vector<double> F(Vector<double> x, Vector<double> y) => x - y;", i => i.Vector("x", 5).Vector("y", 5)),
        new("Negate", "Matrix<double> F(Matrix<double> A) => -A;", i => M(i, "A", 2, 3)),
        new("Multiply", "Matrix<double> F(Matrix<double> A, Matrix<double> B) => A * B;", i => M(M(i, "A", 3, 4), "B", 4, 2)),
        new("Multiply", "Vector<double> F(Matrix<double> A, Vector<double> x) => A * x;", i => M(i, "A", 3, 4).Vector("x", 4)),
        new("Multiply", "Matrix<double> F(double s, Matrix<double> A) => s * A;", i => i.Scalar("s").Matrix("A", 2, 3)),
        new("Multiply", "Vector<double> F(Vector<double> x, double s) => x * s;", i => i.Vector("x", 4).Scalar("s")),
        new("Multiply", "double F(double a, double b) => a * b;", i => i.Scalar("a").Scalar("b")),
        new("Divide", "Matrix<double> F(Matrix<double> A, double s) => A / s;", i => M(i, "A", 2, 3).AwayFromZeroScalar("s")),
        new("AddColumns", "Matrix<double> F(Matrix<double> A, Vector<double> b) => A + b;", i => M(i, "A", 3, 4).Vector("b", 3)),
        new("AddColumns", "Matrix<double> F([NoGradient] Matrix<double> A, Vector<double> b) => A + b;", i => M(i, "A", 3, 4).Vector("b", 3)),
        new("SubtractColumns", "Matrix<double> F(Matrix<double> A, Vector<double> b) => A - b;", i => M(i, "A", 3, 4).Vector("b", 3)),
        new("AddScalar", "Matrix<double> F(Matrix<double> A, double s) => A + s;", i => M(i, "A", 3, 4).Scalar("s")),
        new("AddScalar", "Vector<double> F(double s, Vector<double> x) => s + x;", i => i.Scalar("s").Vector("x", 5)),
        new("AddScalar", "Matrix<double> F([NoGradient] Matrix<double> A, double s) => A + s;", i => M(i, "A", 2, 3).Scalar("s")),
        new("SubtractScalar", "Matrix<double> F(double s, Matrix<double> A) => s - A;", i => i.Scalar("s").Matrix("A", 3, 2)),
        new("SubtractScalar", "Vector<double> F(Vector<double> x, double s) => x - s;", i => i.Vector("x", 4).Scalar("s")),
        new("SubtractScalar", "Matrix<double> F([NoGradient] Matrix<double> A, double s) => A - s;", i => M(i, "A", 2, 3).Scalar("s")),
        new("Constant", "Matrix<double> F(Matrix<double> A) => A - 2 * Matrix<double>.Identity(A.Rows);", i => M(i, "A", 3, 3)),
        new("Maximum", "double F(double a, double b) => System.Math.Max(a, b) * System.Math.Min(a, b);", i => i.Add("a", 0.75).Add("b", -0.5)),
        new("Transpose", "Matrix<double> F(Matrix<double> A) => Transpose(A);", i => M(i, "A", 2, 5)),
        new("Inverse", "Matrix<double> F(Matrix<double> A) => Inverse(A);", i => Square(i, "A", 4)),
        new("Solve", "Matrix<double> F(Matrix<double> A, Matrix<double> B) => Solve(A, B);", i => Square(i, "A", 4).Matrix("B", 4, 3)),
        new("Solve", "Vector<double> F(Matrix<double> A, Vector<double> b) => Solve(A, b);", i => Square(i, "A", 3).Vector("b", 3)),
        new("Outer", "Matrix<double> F(Vector<double> x, Vector<double> y) => Outer(x, y);", i => i.Vector("x", 3).Vector("y", 4)),
        new("Trace", "double F(Matrix<double> A) => Trace(A);", i => M(i, "A", 4, 4)),
        new("Det", "double F(Matrix<double> A) => Det(A);", i => Square(i, "A", 3)),
        new("LogDet", "double F(Matrix<double> A) => LogDet(A);", i => Square(i, "A", 4)),
        new("Dot", "double F(Vector<double> x, Vector<double> y) => Dot(x, y);", i => i.Vector("x", 5).Vector("y", 5)),
        new("Dot", "double F(Matrix<double> A, Matrix<double> B) => Dot(A, B);", i => M(M(i, "A", 3, 2), "B", 3, 2)),
        new("Sum", "double F(Matrix<double> A) => Sum(A);", i => M(i, "A", 3, 4)),
        new("Mean", "double F(Vector<double> x) => Mean(x);", i => i.Vector("x", 6)),
        new("LogSumExp", "double F(Matrix<double> A) => LogSumExp(A);", i => i.Matrix("A", 3, 4, -3, 3)),
        new("LogSumExp", "double F(Vector<double> x) => LogSumExp(x);", i => i.Vector("x", 5, -40, 40)),
        new("RowSums", "Vector<double> F(Matrix<double> A) => RowSums(A);", i => M(i, "A", 3, 4)),
        new("RowMeans", "Vector<double> F(Matrix<double> A) => RowMeans(A);", i => M(i, "A", 4, 3)),
        new("ColumnSums", "Vector<double> F(Matrix<double> A) => ColumnSums(A);", i => M(i, "A", 3, 5)),
        new("ColumnMeans", "Vector<double> F(Matrix<double> A) => ColumnMeans(A);", i => M(i, "A", 5, 2)),
        new("ColumnMeans", "double F(Matrix<double> A, Vector<double> v) => Dot(v, ColumnMeans(A * A)) + Sum(RowMeans(A));", i => M(i, "A", 3, 3).Vector("v", 3)),
        new("SquaredNorm", "double F(Matrix<double> A) => SquaredNorm(A);", i => M(i, "A", 3, 3)),
        new("Hadamard", "Matrix<double> F(Matrix<double> A, Matrix<double> B) => Hadamard(A, B);", i => M(M(i, "A", 3, 2), "B", 3, 2)),
        new("ElementwiseQuotient", "Matrix<double> F(Matrix<double> A, Matrix<double> B) => Divide(A, B);", i => M(i, "A", 3, 2).Matrix("B", 3, 2, 0.5, 2)),
        new("ElementwiseQuotient", "Vector<double> F(Vector<double> x, Vector<double> y) => Divide(x, y);", i => i.Vector("x", 5).Vector("y", 5, -2, -0.5)),
        new("Maximum", "Matrix<double> F(Matrix<double> A, Matrix<double> B) => Maximum(A, B);", i => M(M(i, "A", 3, 4), "B", 3, 4)),
        new("Minimum", "Vector<double> F(Vector<double> x, Vector<double> y) => Minimum(x, y);", i => i.Vector("x", 6).Vector("y", 6)),
        new("Exp", "Matrix<double> F(Matrix<double> A) => Exp(A);", i => M(i, "A", 3, 2)),
        new("Log", "Vector<double> F(Vector<double> x) => Log(x);", i => i.Vector("x", 4, 0.5, 2)),
        new("Sigmoid", "Matrix<double> F(Matrix<double> A) => Sigmoid(A);", i => M(i, "A", 2, 3)),
        new("Tanh", "Vector<double> F(Vector<double> x) => Tanh(x);", i => i.Vector("x", 5)),
        new("Relu", "Matrix<double> F(Matrix<double> A) => Relu(A);", i => i.AwayFromZero("A", 3, 3)),
        new("Softplus", "Matrix<double> F(Matrix<double> A) => Softplus(A);", i => M(i, "A", 3, 3)),
        new("Softplus", "double F(double x, Vector<double> v) => Softplus(x) + Sum(Softplus(v));", i => i.Scalar("x").Vector("v", 4)),
        new("LogSigmoid", "Vector<double> F(Vector<double> x) => Log(Sigmoid(x));", i => i.Vector("x", 5, -40, 40)),
        new("Gelu", "Matrix<double> F(Matrix<double> A) => Gelu(A);", i => i.Matrix("A", 3, 3, -3, 3)),
        new("Gelu", "double F(double x, Vector<double> v) => Gelu(x) + Sum(Gelu(v));", i => i.Scalar("x").Vector("v", 4)),
        new("Abs", "Matrix<double> F(Matrix<double> A) => Abs(A);", i => i.AwayFromZero("A", 3, 3)),
        new("Abs", "double F(double x, Vector<double> v) => Abs(x) * Sum(Abs(v));", i => i.AwayFromZeroScalar("x").AwayFromZeroVector("v", 4)),
        new("Square", "Matrix<double> F(Matrix<double> A) => Square(A);", i => M(i, "A", 2, 2)),
        new("Sqrt", "Vector<double> F(Vector<double> x) => Sqrt(x);", i => i.Vector("x", 4, 0.5, 2)),
        new("Softmax", "Vector<double> F(Vector<double> h) => Softmax(h);", i => i.Vector("h", 5)),
        new("Softmax", "Matrix<double> F(Matrix<double> H) => Softmax(H);", i => M(i, "H", 4, 3)),
        new("LogSoftmax", "Vector<double> F(Vector<double> h) => LogSoftmax(h);", i => i.Vector("h", 5)),
        new("LogSoftmax", "Matrix<double> F(Matrix<double> H) => LogSoftmax(H);", i => M(i, "H", 4, 3)),
        new("CrossEntropy", "double F(Matrix<double> H, Matrix<double> Y) => CrossEntropy(H, Y);", i => M(i, "H", 4, 3).Matrix("Y", 4, 3, 0, 2)),
        new("CrossEntropy", "double F(Vector<double> h, Vector<double> y) => CrossEntropy(h, y);", i => i.Vector("h", 4).Vector("y", 4, 0, 2)),
        new("BinaryCrossEntropyWithLogits", "double F(Matrix<double> Z, Matrix<double> Y) => BinaryCrossEntropyWithLogits(Z, Y);", i => M(i, "Z", 3, 4).Matrix("Y", 3, 4, 0, 1)),
        new("BinaryCrossEntropyWithLogits", "double F(Vector<double> z, Vector<double> y) => BinaryCrossEntropyWithLogits(z, y);", i => i.Vector("z", 5, -3, 3).Vector("y", 5, -1, 2)),
        new("SoftmaxLoss", "double F(Vector<double> h, Vector<double> y) => -Dot(y, Log(Softmax(h)));", i => i.Vector("h", 4).Vector("y", 4, 0, 2)),
        new("Conv2D", "Matrix<double> F(Matrix<double> X, Matrix<double> K) => Conv2D(X, K, 2, 1);", i => M(M(i, "X", 6, 5), "K", 3, 2)),
        new("Conv2D", "Matrix<double> F(Matrix<double> X, Matrix<double> K) => Conv2D(X, K, 2, 4, 4, 3, 3, 1, 1);", i => M(M(i, "X", 32, 2), "K", 3, 18)),
        new("MaxPool2D", "Matrix<double> F(Matrix<double> X) => MaxPool2D(X, 2, 2);", i => i.Add("X", DeepRef.DistinctValues(4, 6, 11))),
        new("AvgPool2D", "Matrix<double> F(Matrix<double> X) => AvgPool2D(X, 2, 1);", i => M(i, "X", 4, 5)),
        new("Call", "double G(Matrix<double> A) => SquaredNorm(A);\n[Differentiable] public static double F(Matrix<double> A, Matrix<double> B) => G(A * B);",
            i => M(M(i, "A", 3, 2), "B", 2, 3)),
        new("Call", "Vector<double> L(Matrix<double> W, Vector<double> x) => Sigmoid(W * x);\n[Differentiable] public static Vector<double> F(Matrix<double> W, Vector<double> x) => 2 * L(W, x);",
            i => M(i, "W", 3, 4).Vector("x", 4)),
        // Appended, so that the cases above keep their seeds (1000 + k, 2000 + k).
        new("LeakyRelu", "Matrix<double> F(Matrix<double> A) => LeakyRelu(A, 0.25f);", i => i.AwayFromZero("A", 3, 3)),
        new("LeakyRelu", "Matrix<double> F(Matrix<double> A, double s) => LeakyRelu(A, s);", i => i.AwayFromZero("A", 3, 4).Scalar("s", -0.5, 0.5)),
        new("LeakyRelu", "double F(double x, Vector<double> v, [NoGradient] double s) => LeakyRelu(x, s) * Sum(LeakyRelu(v, s));",
            i => i.AwayFromZeroScalar("x").AwayFromZeroVector("v", 5).Scalar("s", 0.05, 0.3)),
        new("LeakyRelu", "double F(double x, Vector<double> v, double s) => LeakyRelu(x, s) * Sum(LeakyRelu(v, s));",
            i => i.AwayFromZeroScalar("x").AwayFromZeroVector("v", 5).Scalar("s", -0.3, 0.3)),
        new("Pow", "Matrix<double> F(Matrix<double> A) => Pow(A, 3);", i => M(i, "A", 3, 3)),
        new("Pow", "Vector<double> F(Vector<double> x) => Pow(x, 0.5f);", i => i.Vector("x", 5, 0.5, 2)),
        new("Pow", "Vector<double> F(Vector<double> x, [NoGradient] double p) => Pow(x, p);", i => i.Vector("x", 5, 0.5, 2).Scalar("p", -1.5, 2.5)),
        new("Pow", "Matrix<double> F(Matrix<double> A, double p) => Pow(A, p);", i => i.Matrix("A", 3, 2, 0.5, 2).Scalar("p", -1.5, 2.5)),
        new("Pow", "double F(double x, Vector<double> v, double p) => Pow(x, p) * Sum(Pow(v, p));",
            i => i.Scalar("x", 0.5, 2).Vector("v", 4, 0.5, 2).Scalar("p", -1.5, 2.5)),
        new("LayerNorm", "Matrix<double> F(Matrix<double> X, Vector<double> g, Vector<double> b) => LayerNorm(X, g, b);",
            i => M(i, "X", 4, 3).Vector("g", 4, 0.5, 1.5).Vector("b", 4)),
        new("LayerNorm", "Matrix<double> F(Matrix<double> X, [NoGradient] Vector<double> g, [NoGradient] Vector<double> b) => LayerNorm(X, g, b, 0.01f);",
            i => M(i, "X", 5, 2).Vector("g", 5, -1.5, 1.5).Vector("b", 5)),
        new("LayerNorm", "double F([NoGradient] Matrix<double> X, Vector<double> g, Vector<double> b) => Sum(Tanh(LayerNorm(X, g, b)));",
            i => M(i, "X", 3, 4).Vector("g", 3).Vector("b", 3)),
        new("LayerNorm", "double F(Matrix<double> X, Vector<double> g, [NoGradient] Vector<double> b) => SquaredNorm(Sigmoid(LayerNorm(X, g, b)));",
            i => M(i, "X", 3, 3).Vector("g", 3).Vector("b", 3)),
        new("BatchNorm", "Matrix<double> F(Matrix<double> X, Vector<double> g, Vector<double> b) => BatchNorm(X, g, b);",
            i => M(i, "X", 3, 5).Vector("g", 3, 0.5, 1.5).Vector("b", 3)),
        new("BatchNorm", "Matrix<double> F(Matrix<double> X, [NoGradient] Vector<double> g, [NoGradient] Vector<double> b) => BatchNorm(X, g, b, 0.01f);",
            i => M(i, "X", 2, 4).Vector("g", 2, -1.5, 1.5).Vector("b", 2)),
        new("BatchNorm", "double F([NoGradient] Matrix<double> X, Vector<double> g, Vector<double> b) => Sum(Tanh(BatchNorm(X, g, b)));",
            i => M(i, "X", 3, 4).Vector("g", 3).Vector("b", 3)),
        new("BatchNorm", "double F(Matrix<double> W, Vector<double> g, [NoGradient] Vector<double> b, [NoGradient] Matrix<double> X) => SquaredNorm(Sigmoid(BatchNorm(W * X, g, b)));",
            i => M(i, "W", 3, 2).Vector("g", 3).Vector("b", 3).Matrix("X", 2, 4)),
        new("Element", "double F(Matrix<double> A, int i, int j) => A[i, j] * A[j, i] + A[i, j];", i => M(i, "A", 3, 4).Int("i", 2).Int("j", 1)),
        new("Element", "double F(Vector<double> v, Matrix<double> A) => v[1] * A[A.Rows - 1, 0] + v[v.Length - 1];", i => i.Vector("v", 4).Matrix("A", 3, 2)),
        new("Column", "Vector<double> F(Matrix<double> A, int j) => Column(A, j);", i => M(i, "A", 3, 4).Int("j", 2)),
        new("Row", "Vector<double> F(Matrix<double> A, int i) => Row(A, i + 1);", i => M(i, "A", 4, 3).Int("i", 1)),
        new("SliceRows", "Matrix<double> F(Matrix<double> A, int s, int n) => SliceRows(A, s, n);", i => M(i, "A", 5, 3).Int("s", 1).Int("n", 3)),
        new("SliceRows", "Vector<double> F(Vector<double> v) => SliceRows(v, 2, v.Length - 2);", i => i.Vector("v", 6)),
        new("SliceColumns", "Matrix<double> F(Matrix<double> A, int s) => SliceColumns(A, s, A.Cols - s);", i => M(i, "A", 3, 5).Int("s", 2)),
        new("Diagonal", "Vector<double> F(Matrix<double> A) => Diagonal(A);", i => M(i, "A", 3, 5)),
        new("Diagonal", "Vector<double> F(Matrix<double> A) => Diagonal(A);", i => M(i, "A", 4, 2)),
        new("ConcatRows", "Matrix<double> F(Matrix<double> A, Matrix<double> B) => ConcatRows(A, B);", i => M(M(i, "A", 2, 3), "B", 4, 3)),
        new("ConcatRows", "Vector<double> F([NoGradient] Vector<double> x, Vector<double> y) => ConcatRows(x, y);", i => i.Vector("x", 2).Vector("y", 3)),
        new("ConcatColumns", "Matrix<double> F(Matrix<double> A, Matrix<double> B) => ConcatColumns(A, B);", i => M(M(i, "A", 3, 2), "B", 3, 4)),
        new("ConcatColumns", "Matrix<double> F(Matrix<double> A, [NoGradient] Matrix<double> B) => ConcatColumns(B, A);", i => M(M(i, "A", 3, 2), "B", 3, 1)),
        new("CausalSoftmax", "Matrix<double> F(Matrix<double> S) => CausalSoftmax(S);", i => M(i, "S", 4, 4)),
        new("CausalSoftmax", "Matrix<double> F(Matrix<double> S) => CausalSoftmax(S);", i => i.Matrix("S", 3, 5, -2, 2)),
        new("Conv2DBias", "Matrix<double> F(Matrix<double> X, Matrix<double> K, Vector<double> b) => Conv2D(X, K, b, 2, 4, 4, 3, 3, 1, 1);",
            i => M(M(i, "X", 32, 2), "K", 3, 18).Vector("b", 3)),
        new("Conv2DBias", "Matrix<double> F([NoGradient] Matrix<double> X, [NoGradient] Matrix<double> K, Vector<double> b) => Conv2D(X, K, b, 1, 3, 3, 2, 2);",
            i => M(M(i, "X", 9, 2), "K", 2, 4).Vector("b", 2)),
        new("Embedding", "Matrix<double> F(Matrix<double> E, int[] ids) => Embedding(E, ids);", i => M(i, "E", 3, 5).Add("ids", new[] { 4, 0, 4, 2, 4 })),
        new("Embedding", "Matrix<double> F(Matrix<double> E, [NoGradient] Matrix<double> W, int[] ids) => Tanh(Embedding(W * E, ids));",
            i => M(M(i, "E", 2, 6), "W", 3, 2).Add("ids", new[] { 5, 1, 1 })),
    };

    public static TheoryData<int, string> All()
    {
        var data = new TheoryData<int, string>();
        for (int k = 0; k < Cases.Length; k++)
        {
            data.Add(k, D);
            data.Add(k, "float");
        }
        return data;
    }

    [Theory, MemberData(nameof(All))]
    public void Tangent_MatchesFiniteDifferences_AndIsAdjointToThePullback(int k, string t)
    {
        var c = Cases[k];
        var source = GradientAssert.Source("[Differentiable] public static " + c.Body);
        GradientAssert.Tangent(source, "F", c.Arguments(new Inputs(t, seed: 1000 + k)));
    }

    [Fact]
    public void EveryOpOfTheLanguage_HasARule_AndACase()
    {
        var forward = Op.All.Where(o => o.Role == OpRole.Forward).ToList();
        Assert.NotEmpty(forward);
        var missingRule = forward.Where(o => o.Tangent is null).Select(o => o.Name).ToList();
        Assert.True(missingRule.Count == 0, "ops without a differential rule: " + string.Join(", ", missingRule));
        var covered = Cases.Select(c => c.Op).ToHashSet();
        var missingCase = forward.Where(o => !covered.Contains(o.Name)).Select(o => o.Name).ToList();
        Assert.True(missingCase.Count == 0, "ops without an adjoint/FD case here: " + string.Join(", ", missingCase));
    }
}
