using System.Numerics.Tensors;
using System.Text.RegularExpressions;
using AutoGradGen.RuntimeTests.TorchSharpStandIn;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The compiled copy of docs/interop.md's code. Each <c>#region doc:NAME</c> below is the block
/// marked <c>&lt;!-- compiled: NAME --&gt;</c> there, line for line apart from indentation
/// (<see cref="DocBlocksMatchTheirCompiledCopies"/> checks that), so the doc cannot rot: if the
/// runtime's API changes, this file stops compiling, and if the doc changes, that test fails.
/// </summary>
public sealed partial class InteropDocExamples
{
    [Fact]
    public void TensorsBlockRuns()
    {
        #region doc:tensors
        // A matrix seen as a Tensor<T>: no copy, so TensorPrimitives or Tensor operations work in place.
        var W = Matrix<float>.FromSpan([1, 2, 3, 4, 5, 6], 2, 3);
        Tensor<float> view = W.AsTensor();                 // lengths [2, 3], W's own storage
        view[1, 2] = 60;                                   // W[1, 2] is now 60
        TensorSpan<float> span = W.AsTensorSpan();         // the same, as a span

        // A tensor from elsewhere into a matrix: one copy, any strides.
        Tensor<float> t = Tensor.Create(new float[] { 1, 2, 3, 4, 5, 6 }, [3, 2]);
        var M = Matrix<float>.FromTensor(t);               // 3×2
        #endregion

        Assert.Equal(60f, W[1, 2]);
        Assert.Equal(60f, span[1, 2]);
        Assert.Equal(3, M.Rows);
        Assert.Equal(5f, M[2, 0]);
    }

    #region doc:mlnet
    // (a) Rows from CreateEnumerable<Row>: write each sample into its column (one pass, one copy).
    static Matrix<float> FeaturesAsColumns(IReadOnlyList<float[]> rows, int featureCount)
    {
        var X = new Matrix<float>(featureCount, rows.Count);
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < featureCount; j++)
                X[j, i] = rows[i][j];
        return X;
    }

    // (b) A buffer you fill row by row (from a VBuffer<float> getter: features.GetValues() is a
    //     ReadOnlySpan<float>), wrapped without a copy as N × d, then transposed once to d × N.
    static Matrix<float> FeaturesFromBuffer(float[] rowMajor, int samples, int featureCount)
    {
        var rowsAsMatrix = Matrix<float>.Wrap(rowMajor, samples, featureCount);   // no copy
        return Ops.Transpose(rowsAsMatrix);                                        // d × N
    }

    // One sample's VBuffer<float> as a Vector<float> (a copy of its dense values).
    static Vector<float> Sample(ReadOnlySpan<float> denseValues) => Vector<float>.FromSpan(denseValues);
    #endregion

    [Fact]
    public void MlNetBlockGivesOneColumnPerSample()
    {
        float[][] rows = [[1, 2, 3], [4, 5, 6]];                  // two samples, three features
        var a = FeaturesAsColumns(rows, 3);
        var b = FeaturesFromBuffer([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal(3, a.Rows);
        Assert.Equal(2, a.Cols);
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.Equal(6f, a[2, 1]);
        Assert.Equal([4f, 5f, 6f], Sample(rows[1]).ToArray());
    }

    #region doc:torchsharp
    // TorchSharp -> AutoGradGen: one copy into the matrix's storage.
    static Matrix<float> FromTorch(torch.Tensor t)
    {
        var M = new Matrix<float>((int)t.shape[0], (int)t.shape[1]);
        t.data<float>().CopyTo(M.AsSpan());
        return M;
    }

    // AutoGradGen -> TorchSharp: one copy into an existing tensor of the same shape.
    static void IntoTorch(Matrix<float> M, torch.Tensor t) => t.data<float>().CopyFrom(M.AsSpan());
    #endregion

    [Fact]
    public void TorchSharpBlockRoundTrips()
    {
        var t = new torch.Tensor([2, 3], [1, 2, 3, 4, 5, 6]);
        var M = FromTorch(t);
        Assert.Equal(6f, M[1, 2]);
        M[0, 0] = -1;
        var back = new torch.Tensor([2, 3], new float[6]);
        IntoTorch(M, back);
        Assert.Equal([-1f, 2, 3, 4, 5, 6], back.Storage);
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.Storage);             // FromTorch copied
        var wrapped = Matrix<float>.Wrap(t.data<float>().ToArray(), 2, 3);
        Assert.Equal(M[1, 2], wrapped[1, 2]);
    }

    [Fact]
    public void DocBlocksMatchTheirCompiledCopies()
    {
        string doc = File.ReadAllText(RepositoryFile("docs", "interop.md"));
        string code = File.ReadAllText(RepositoryFile("tests", "RuntimeTests", "InteropDocExamples.cs"));
        var blocks = Regex.Matches(doc, @"<!-- compiled: (\w+) -->\r?\n```csharp\r?\n(.*?)\r?\n```\r?\n<!-- /compiled -->", RegexOptions.Singleline);
        Assert.Equal(3, blocks.Count);
        foreach (Match block in blocks)
        {
            var region = Regex.Match(code, @"#region doc:" + block.Groups[1].Value + @"\r?\n(.*?)\r?\n\s*#endregion", RegexOptions.Singleline);
            Assert.True(region.Success, $"no #region doc:{block.Groups[1].Value} in InteropDocExamples.cs");
            Assert.Equal(Lines(block.Groups[2].Value), Lines(region.Groups[1].Value));
        }
    }

    private static string[] Lines(string text) =>
        text.Split('\n').Select(line => line.Trim()).ToArray();

    private static string RepositoryFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoGradGen.sln")))
                return Path.Combine([dir.FullName, .. parts]);
        }

        throw new FileNotFoundException("AutoGradGen.sln not found above " + AppContext.BaseDirectory);
    }
}
