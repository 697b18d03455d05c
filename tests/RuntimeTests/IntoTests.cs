using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;
using static AutoGradGen.RuntimeTests.IntoInputs;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Every destination-passing method of the <c>AutoGradGen.Compute</c> families against its allocating counterpart, in float and
/// double, on empty, 1×1 and odd shapes (products on both GEMM paths): bitwise equal, the same object and
/// zero bytes allocated on a repeat call, a wrong-shape destination replaced, an input as destination rejected.
/// </summary>
public class IntoTests
{
    private static readonly (int Rows, int Cols)[] ElementShapes = [(0, 3), (1, 1), (7, 5), (13, 17)];

    private static readonly int[] Lengths = [0, 1, 35, 67];

    /// <summary>(m, k, n): empty, k = 0, 1×1×1, the direct path and the packed path (all single-threaded).</summary>
    private static readonly (int M, int K, int N)[] ProductShapes =
        [(0, 3, 2), (3, 0, 2), (1, 1, 1), (5, 7, 3), (13, 17, 11), (33, 65, 31)];

    public static TheoryData<string> Names() => new(All<double>().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Double(string name) => All<double>().Single(c => c.Name == name).Run();

    [Theory]
    [MemberData(nameof(Names))]
    public void Single(string name) => All<float>().Single(c => c.Name == name).Run();

    [Fact]
    public void EveryDestinationPassingMethodIsCovered()
    {
        var covered = All<double>().Select(c => c.Name.Split(' ')[0]).ToHashSet();
        covered.UnionWith(CoveredElsewhere);
        Type[] families =
        [
            typeof(Linear), typeof(AutoGradGen.Compute.Products), typeof(Elementwise), typeof(Classification), typeof(Convolution),
            typeof(Pooling), typeof(Fused), typeof(Normalization), typeof(AutoGradGen.Compute.Slicing),
        ];
        var withDestination = families.SelectMany(t => t.GetMethods())
            .Where(m => m.GetParameters().Any(p => p.ParameterType.IsByRef) && m.Name != nameof(Linear.Ensure))
            .Select(m => m.Name);
        Assert.All(withDestination, name => Assert.Contains(name, covered));
    }

    /// <summary>Destination-passing families with test classes of their own (same contract, same checks).</summary>
    private static readonly string[] CoveredElsewhere =
    [
        // IntoClassificationTests
        "Softmax", "LogSoftmax", "SoftmaxBackward", "LogSoftmaxBackward", "LogSoftmaxTangent", "CrossEntropyBackward",
        // IntoConvolutionTests
        "Conv2D", "Conv2DBackwardInput", "Conv2DBackwardKernel", "MaxPool2D", "AvgPool2D", "MaxPool2DBackward", "AvgPool2DBackward", "MaxPool2DTangent",
        // LayerOpsTests
        "CausalSoftmax", "CausalSoftmaxBackward", "ChannelBias", "ChannelSums",
        // SlicingTests
        "Column", "Row", "Diagonal", "SliceRows", "SliceColumns", "ConcatRows", "ConcatColumns",
        "ScatterElement", "ScatterColumn", "ScatterRow", "ScatterRows", "ScatterColumns", "ScatterDiagonal",
        // EmbeddingTests
        "Embedding", "ScatterEmbedding",
        // IntoFusedTests
        "AddActivate", "AddColumnsActivate",
        // GemmEpilogueTests
        "MultiplyAddColumnsActivate", "MultiplyActivationBackward",
        // IntoCurvatureTests
        "ExpSecond", "LogSecond", "SigmoidSecond", "TanhSecond", "SoftplusSecond", "GeluSecond", "SqrtSecond", "PowSecond", "PowMixedSecond",
        "ScaleRows", "ScaleColumns",
        "SoftmaxCurvature", "LogSoftmaxBackwardCurvature", "LogSoftmaxTangentCurvature", "CrossEntropyCurvature",
        // NormalizationTests
        "LayerNorm", "LayerNormTangent", "LayerNormBackward", "LayerNormScale", "LayerNormScaleBackward", "LayerNormCurvature", "LayerNormScaleCurvature",
        "BatchNorm", "BatchNormTangent", "BatchNormBackward", "BatchNormScale", "BatchNormScaleBackward", "BatchNormCurvature", "BatchNormScaleCurvature",
    ];

    private static IEnumerable<IIntoCase> All<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ElementShapes.SelectMany(s => MatrixElementwise<T>(s.Rows, s.Cols))
            .Concat(Lengths.SelectMany(VectorElementwise<T>))
            .Concat(ProductShapes.SelectMany(s => Products<T>(s.M, s.K, s.N)))
            .Concat(ElementShapes.SelectMany(s => Broadcasts<T>(s.Rows, s.Cols)));

    private static IEnumerable<IIntoCase> MatrixElementwise<T>(int r, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = M<T>(r, c, 1);
        var b = M<T>(r, c, 2);
        var pos = M<T>(r, c, 3, 0.1, 2);
        var col = V<T>(r, 4);
        var s = T.CreateChecked(1.75);
        string at = $" {r}×{c}";
        yield return Mat("Add" + at, () => a + b, (ref d) => Linear.Add(a, b, ref d), a, b);
        yield return Mat("Subtract" + at, () => a - b, (ref d) => Linear.Subtract(a, b, ref d), a, b);
        yield return Mat("Negate" + at, () => -a, (ref d) => Linear.Negate(a, ref d), a);
        yield return Mat("Scale" + at, () => s * a, (ref d) => Linear.Scale(s, a, ref d), a);
        yield return Mat("Divide(scalar)" + at, () => a / s, (ref d) => Linear.Divide(a, s, ref d), a);
        yield return Mat("AddScalar" + at, () => a + s, (ref d) => Linear.AddScalar(a, s, ref d), a);
        yield return Mat("AddScalar" + at + " s+A", () => s + a, (ref d) => Linear.AddScalar(s, a, ref d), a);
        yield return Mat("SubtractScalar" + at, () => a - s, (ref d) => Linear.SubtractScalar(a, s, ref d), a);
        yield return Mat("SubtractScalar" + at + " s−A", () => s - a, (ref d) => Linear.SubtractScalar(s, a, ref d), a);
        yield return Mat("AddColumns" + at, () => a + col, (ref d) => Linear.AddColumns(a, col, ref d), a);
        yield return Mat("SubtractColumns" + at, () => a - col, (ref d) => Linear.SubtractColumns(a, col, ref d), a);
        yield return Mat("Transpose" + at, () => Ops.Transpose(a), (ref d) => Linear.Transpose(a, ref d), a);
        yield return Mat("Hadamard" + at, () => Ops.Hadamard(a, b), (ref d) => Elementwise.Hadamard(a, b, ref d), a, b);
        yield return Mat("Exp" + at, () => Ops.Exp(a), (ref d) => Elementwise.Exp(a, ref d), a);
        yield return Mat("Log" + at, () => Ops.Log(pos), (ref d) => Elementwise.Log(pos, ref d), pos);
        yield return Mat("Sigmoid" + at, () => Ops.Sigmoid(a), (ref d) => Elementwise.Sigmoid(a, ref d), a);
        yield return Mat("Softplus" + at, () => Ops.Softplus(a), (ref d) => Elementwise.Softplus(a, ref d), a);
        yield return Mat("Gelu" + at, () => Ops.Gelu(a), (ref d) => Elementwise.Gelu(a, ref d), a);
        yield return Mat("Abs" + at, () => Ops.Abs(a), (ref d) => Elementwise.Abs(a, ref d), a);
        yield return Mat("Tanh" + at, () => Ops.Tanh(a), (ref d) => Elementwise.Tanh(a, ref d), a);
        yield return Mat("Relu" + at, () => Ops.Relu(a), (ref d) => Elementwise.Relu(a, ref d), a);
        yield return Mat("Square" + at, () => Ops.Square(a), (ref d) => Elementwise.Square(a, ref d), a);
        yield return Mat("Sqrt" + at, () => Ops.Sqrt(pos), (ref d) => Elementwise.Sqrt(pos, ref d), pos);
        yield return Mat("SigmoidBackward" + at, () => Elementwise.SigmoidBackward(a, b), (ref d) => Elementwise.SigmoidBackward(a, b, ref d), a, b);
        yield return Mat("SoftplusBackward" + at, () => Elementwise.SoftplusBackward(a, b), (ref d) => Elementwise.SoftplusBackward(a, b, ref d), a, b);
        yield return Mat("GeluBackward" + at, () => Elementwise.GeluBackward(a, b), (ref d) => Elementwise.GeluBackward(a, b, ref d), a, b);
        yield return Mat("AbsBackward" + at, () => Elementwise.AbsBackward(a, b), (ref d) => Elementwise.AbsBackward(a, b, ref d), a, b);
        yield return Mat("TanhBackward" + at, () => Elementwise.TanhBackward(a, b), (ref d) => Elementwise.TanhBackward(a, b, ref d), a, b);
        yield return Mat("ReluBackward" + at, () => Elementwise.ReluBackward(a, b), (ref d) => Elementwise.ReluBackward(a, b, ref d), a, b);
        yield return Mat("ExpBackward" + at, () => Elementwise.ExpBackward(a, b), (ref d) => Elementwise.ExpBackward(a, b, ref d), a, b);
        yield return Mat("LogBackward" + at, () => Elementwise.LogBackward(pos, b), (ref d) => Elementwise.LogBackward(pos, b, ref d), pos, b);
        yield return Mat("SqrtBackward" + at, () => Elementwise.SqrtBackward(pos, b), (ref d) => Elementwise.SqrtBackward(pos, b, ref d), pos, b);
        yield return Mat("SquareBackward" + at, () => Elementwise.SquareBackward(a, b), (ref d) => Elementwise.SquareBackward(a, b, ref d), a, b);
        yield return Mat("Divide" + at, () => Elementwise.Divide(a, pos), (ref d) => Elementwise.Divide(a, pos, ref d), a, pos);
        yield return Mat("Ops.Divide" + at, () => Ops.Divide(a, pos), (ref d) => Elementwise.Divide(a, pos, ref d), a, pos);
        yield return Mat("Maximum" + at, () => Ops.Maximum(a, b), (ref d) => Elementwise.Maximum(a, b, ref d), a, b);
        yield return Mat("Minimum" + at, () => Ops.Minimum(a, b), (ref d) => Elementwise.Minimum(a, b, ref d), a, b);
        yield return Mat("AtLeastMask" + at, () => Elementwise.AtLeastMask(a, b), (ref d) => Elementwise.AtLeastMask(a, b, ref d), a, b);
        yield return Mat("AboveMask" + at, () => Elementwise.AboveMask(a, b), (ref d) => Elementwise.AboveMask(a, b, ref d), a, b);
        yield return Mat("LeakyRelu" + at, () => Ops.LeakyRelu(a, s), (ref d) => Elementwise.LeakyRelu(a, s, ref d), a);
        yield return Mat("LeakyReluBackward" + at, () => Elementwise.LeakyReluBackward(a, b, s), (ref d) => Elementwise.LeakyReluBackward(a, b, s, ref d), a, b);
        yield return Mat("NegativePart" + at, () => Elementwise.NegativePart(a), (ref d) => Elementwise.NegativePart(a, ref d), a);
        yield return Mat("NegativePartBackward" + at, () => Elementwise.NegativePartBackward(a, b), (ref d) => Elementwise.NegativePartBackward(a, b, ref d), a, b);
        yield return Mat("Pow" + at, () => Ops.Pow(pos, s), (ref d) => Elementwise.Pow(pos, s, ref d), pos);
        yield return Mat("PowBackward" + at, () => Elementwise.PowBackward(pos, b, s), (ref d) => Elementwise.PowBackward(pos, b, s, ref d), pos, b);
    }

    private static IEnumerable<IIntoCase> VectorElementwise<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = V<T>(n, 5);
        var y = V<T>(n, 6);
        var pos = V<T>(n, 7, 0.1, 2);
        var s = T.CreateChecked(-0.625);
        string at = $" {n}";
        yield return Vec("Add" + at, () => x + y, (ref d) => Linear.Add(x, y, ref d), x, y);
        yield return Vec("Subtract" + at, () => x - y, (ref d) => Linear.Subtract(x, y, ref d), x, y);
        yield return Vec("Negate" + at, () => -x, (ref d) => Linear.Negate(x, ref d), x);
        yield return Vec("Scale" + at, () => s * x, (ref d) => Linear.Scale(s, x, ref d), x);
        yield return Vec("Divide(scalar)" + at, () => x / s, (ref d) => Linear.Divide(x, s, ref d), x);
        yield return Vec("AddScalar" + at, () => x + s, (ref d) => Linear.AddScalar(x, s, ref d), x);
        yield return Vec("AddScalar" + at + " s+x", () => s + x, (ref d) => Linear.AddScalar(s, x, ref d), x);
        yield return Vec("SubtractScalar" + at, () => x - s, (ref d) => Linear.SubtractScalar(x, s, ref d), x);
        yield return Vec("SubtractScalar" + at + " s−x", () => s - x, (ref d) => Linear.SubtractScalar(s, x, ref d), x);
        yield return Vec("Hadamard" + at, () => Ops.Hadamard(x, y), (ref d) => Elementwise.Hadamard(x, y, ref d), x, y);
        yield return Vec("Exp" + at, () => Ops.Exp(x), (ref d) => Elementwise.Exp(x, ref d), x);
        yield return Vec("Log" + at, () => Ops.Log(pos), (ref d) => Elementwise.Log(pos, ref d), pos);
        yield return Vec("Sigmoid" + at, () => Ops.Sigmoid(x), (ref d) => Elementwise.Sigmoid(x, ref d), x);
        yield return Vec("Softplus" + at, () => Ops.Softplus(x), (ref d) => Elementwise.Softplus(x, ref d), x);
        yield return Vec("Gelu" + at, () => Ops.Gelu(x), (ref d) => Elementwise.Gelu(x, ref d), x);
        yield return Vec("Abs" + at, () => Ops.Abs(x), (ref d) => Elementwise.Abs(x, ref d), x);
        yield return Vec("Tanh" + at, () => Ops.Tanh(x), (ref d) => Elementwise.Tanh(x, ref d), x);
        yield return Vec("Relu" + at, () => Ops.Relu(x), (ref d) => Elementwise.Relu(x, ref d), x);
        yield return Vec("Square" + at, () => Ops.Square(x), (ref d) => Elementwise.Square(x, ref d), x);
        yield return Vec("Sqrt" + at, () => Ops.Sqrt(pos), (ref d) => Elementwise.Sqrt(pos, ref d), pos);
        yield return Vec("SigmoidBackward" + at, () => Elementwise.SigmoidBackward(x, y), (ref d) => Elementwise.SigmoidBackward(x, y, ref d), x, y);
        yield return Vec("SoftplusBackward" + at, () => Elementwise.SoftplusBackward(x, y), (ref d) => Elementwise.SoftplusBackward(x, y, ref d), x, y);
        yield return Vec("GeluBackward" + at, () => Elementwise.GeluBackward(x, y), (ref d) => Elementwise.GeluBackward(x, y, ref d), x, y);
        yield return Vec("AbsBackward" + at, () => Elementwise.AbsBackward(x, y), (ref d) => Elementwise.AbsBackward(x, y, ref d), x, y);
        yield return Vec("TanhBackward" + at, () => Elementwise.TanhBackward(x, y), (ref d) => Elementwise.TanhBackward(x, y, ref d), x, y);
        yield return Vec("ReluBackward" + at, () => Elementwise.ReluBackward(x, y), (ref d) => Elementwise.ReluBackward(x, y, ref d), x, y);
        yield return Vec("ExpBackward" + at, () => Elementwise.ExpBackward(x, y), (ref d) => Elementwise.ExpBackward(x, y, ref d), x, y);
        yield return Vec("LogBackward" + at, () => Elementwise.LogBackward(pos, y), (ref d) => Elementwise.LogBackward(pos, y, ref d), pos, y);
        yield return Vec("SqrtBackward" + at, () => Elementwise.SqrtBackward(pos, y), (ref d) => Elementwise.SqrtBackward(pos, y, ref d), pos, y);
        yield return Vec("SquareBackward" + at, () => Elementwise.SquareBackward(x, y), (ref d) => Elementwise.SquareBackward(x, y, ref d), x, y);
        yield return Vec("Divide" + at, () => Elementwise.Divide(x, pos), (ref d) => Elementwise.Divide(x, pos, ref d), x, pos);
        yield return Vec("Ops.Divide" + at, () => Ops.Divide(x, pos), (ref d) => Elementwise.Divide(x, pos, ref d), x, pos);
        yield return Vec("Maximum" + at, () => Ops.Maximum(x, y), (ref d) => Elementwise.Maximum(x, y, ref d), x, y);
        yield return Vec("Minimum" + at, () => Ops.Minimum(x, y), (ref d) => Elementwise.Minimum(x, y, ref d), x, y);
        yield return Vec("AtLeastMask" + at, () => Elementwise.AtLeastMask(x, y), (ref d) => Elementwise.AtLeastMask(x, y, ref d), x, y);
        yield return Vec("AboveMask" + at, () => Elementwise.AboveMask(x, y), (ref d) => Elementwise.AboveMask(x, y, ref d), x, y);
        yield return Vec("LeakyRelu" + at, () => Ops.LeakyRelu(x, s), (ref d) => Elementwise.LeakyRelu(x, s, ref d), x);
        yield return Vec("LeakyReluBackward" + at, () => Elementwise.LeakyReluBackward(x, y, s), (ref d) => Elementwise.LeakyReluBackward(x, y, s, ref d), x, y);
        yield return Vec("NegativePart" + at, () => Elementwise.NegativePart(x), (ref d) => Elementwise.NegativePart(x, ref d), x);
        yield return Vec("NegativePartBackward" + at, () => Elementwise.NegativePartBackward(x, y), (ref d) => Elementwise.NegativePartBackward(x, y, ref d), x, y);
        yield return Vec("Pow" + at, () => Ops.Pow(pos, s), (ref d) => Elementwise.Pow(pos, s, ref d), pos);
        yield return Vec("PowBackward" + at, () => Elementwise.PowBackward(pos, y, s), (ref d) => Elementwise.PowBackward(pos, y, s, ref d), pos, y);
        yield return Mat("Outer" + at, () => Ops.Outer(x, pos), (ref d) => AutoGradGen.Compute.Products.Outer(x, pos, ref d));
        yield return Vec("Filled" + at, () => Linear.Filled(n, s), (ref d) => Linear.Filled(n, s, ref d));
    }

    private static IEnumerable<IIntoCase> Products<T>(int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var left = M<T>(m, k, 8);
        var right = M<T>(k, n, 9);
        var leftT = M<T>(k, m, 10);
        var rightT = M<T>(n, k, 11);
        var xk = V<T>(k, 12);
        string at = $" {m}×{k}×{n}";
        yield return Mat("Multiply" + at, () => left * right, (ref d) => AutoGradGen.Compute.Products.Multiply(left, right, ref d), left, right);
        yield return Vec("Multiply(vector)" + at, () => left * xk, (ref d) => AutoGradGen.Compute.Products.Multiply(left, xk, ref d), xk);
        yield return Mat("MultiplyTransposeA" + at, () => AutoGradGen.Compute.Products.MultiplyTransposeA(leftT, right),
            (ref d) => AutoGradGen.Compute.Products.MultiplyTransposeA(leftT, right, ref d), leftT, right);
        yield return Vec("MultiplyTransposeA(vector)" + at, () => AutoGradGen.Compute.Products.MultiplyTransposeA(leftT, xk),
            (ref d) => AutoGradGen.Compute.Products.MultiplyTransposeA(leftT, xk, ref d), xk);
        yield return Mat("MultiplyTransposeB" + at, () => AutoGradGen.Compute.Products.MultiplyTransposeB(left, rightT),
            (ref d) => AutoGradGen.Compute.Products.MultiplyTransposeB(left, rightT, ref d), left, rightT);
    }

    private static IEnumerable<IIntoCase> Broadcasts<T>(int r, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = M<T>(r, c, 13);
        var v = T.CreateChecked(2.5);
        string at = $" {r}×{c}";
        yield return Mat("Filled" + at, () => Linear.Filled(r, c, v), (ref d) => Linear.Filled(r, c, v, ref d));
        yield return Vec("SumColumns" + at, () => Linear.SumColumns(a), (ref d) => Linear.SumColumns(a, ref d));
        var rowVector = V<T>(r, 17);
        var columnVector = V<T>(c, 19);
        yield return Vec("RowSums" + at, () => Ops.RowSums(a), (ref d) => Linear.RowSums(a, ref d));
        yield return Vec("RowMeans" + at, () => Ops.RowMeans(a), (ref d) => Linear.RowMeans(a, ref d));
        yield return Vec("ColumnSums" + at, () => Ops.ColumnSums(a), (ref d) => Linear.ColumnSums(a, ref d));
        yield return Vec("ColumnMeans" + at, () => Ops.ColumnMeans(a), (ref d) => Linear.ColumnMeans(a, ref d));
        yield return Mat("SpreadColumns" + at, () => Linear.SpreadColumns(a, rowVector), (ref d) => Linear.SpreadColumns(a, rowVector, ref d), rowVector);
        yield return Mat("SpreadColumnsMean" + at, () => Linear.SpreadColumnsMean(a, rowVector), (ref d) => Linear.SpreadColumnsMean(a, rowVector, ref d), rowVector);
        yield return Mat("SpreadRows" + at, () => Linear.SpreadRows(a, columnVector), (ref d) => Linear.SpreadRows(a, columnVector, ref d), columnVector);
        yield return Mat("SpreadRowsMean" + at, () => Linear.SpreadRowsMean(a, columnVector), (ref d) => Linear.SpreadRowsMean(a, columnVector, ref d), columnVector);
        yield return Mat("ScaledIdentity" + at, () => Linear.ScaledIdentity(c, v), (ref d) => Linear.ScaledIdentity(c, v, ref d));
    }
}
