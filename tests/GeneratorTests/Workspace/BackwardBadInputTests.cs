using Xunit;
using static AutoGradGen.GeneratorTests.Reentrancy.ReentrancyModels;

namespace AutoGradGen.GeneratorTests.Workspace;

/// <summary>
/// Bad input to a generated FBackward: a gradient buffer of the wrong shape is an ArgumentException
/// naming both shapes, thrown before anything is written (no buffer changes, not even those of the
/// right shape); a null workspace is an ArgumentNullException; inputs whose shapes do not fit fail in
/// the forward pass, also before any buffer is written. A failing call leaves its outputs untouched.
/// </summary>
public class BackwardBadInputTests
{
    private const double Sentinel = 7.25;

    private static object[] NetInputs(int batch = 5)
    {
        var rng = new Random(11);
        return [RandomMatrix(rng, 4, 3), RandomVector(rng, 4), RandomMatrix(rng, 2, 4), RandomVector(rng, 2), RandomMatrix(rng, 3, batch), RandomMatrix(rng, 2, batch)];
    }

    /// <summary>Buffers dW1, db1, dW2, db2 filled with the sentinel; <paramref name="replace"/> swaps one for a wrong shape.</summary>
    private static object?[] Buffers(object[] inputs, int replace = -1, object? wrong = null)
        => Enumerable.Range(0, 4).Select(k => k == replace ? wrong : Filled(inputs[k], Sentinel)).ToArray();

    private static Exception CallBackward(object[] inputs, object? workspace, object?[] buffers)
        => Assert.ThrowsAny<Exception>(() => Invoke(Method("NetBackward"), inputs.Append(workspace).Concat(buffers).ToArray()));

    private static void AssertUntouched(object?[] buffers)
    {
        foreach (var buffer in buffers.Where(b => b is not null))
        {
            Assert.All(Span(buffer!).ToArray(), v => Assert.Equal(Sentinel, v));
        }
    }

    public static TheoryData<int, int, int, string, string> WrongBuffers => new()
    {
        // buffer index, rows, cols (cols 0 = a vector of that length), its name, the parameter's shape
        { 0, 3, 4, "dW1", "4×3" },  // transposed
        { 1, 5, 0, "db1", "4×1" },
        { 2, 2, 5, "dW2", "2×4" },
        { 3, 3, 0, "db2", "2×1" },
    };

    [Theory, MemberData(nameof(WrongBuffers))]
    public void WrongShapeBuffer_ThrowsNamingBothShapes_AndWritesNoBuffer(int index, int rows, int cols, string name, string parameterShape)
    {
        var inputs = NetInputs();
        object wrong = cols == 0 ? new Vector<double>(rows) : new Matrix<double>(rows, cols);
        Span(wrong).Fill(Sentinel);
        var buffers = Buffers(inputs, index, wrong);
        var workspace = NewWorkspace("Net");

        var e = Assert.IsAssignableFrom<ArgumentException>(CallBackward(inputs, workspace, buffers));
        string wrongShape = cols == 0 ? $"{rows}×1" : $"{rows}×{cols}";
        Assert.Contains(name, e.Message);
        Assert.Contains(wrongShape, e.Message);
        Assert.Contains(parameterShape, e.Message);
        Assert.Equal(name, e.ParamName);
        AssertUntouched(buffers);

        // The workspace is still usable: the same call with the right buffers works.
        var good = Buffers(inputs);
        Invoke(Method("NetBackward"), inputs.Append(workspace).Concat(good).ToArray());
        Assert.Contains(good, b => Span(b!).ToArray().Any(v => v != Sentinel));
    }

    [Fact]
    public void WrongShapeBuffer_MessageReadsWell()
    {
        var inputs = NetInputs();
        var e = Assert.IsAssignableFrom<ArgumentException>(CallBackward(inputs, NewWorkspace("Net"), Buffers(inputs, 0, new Matrix<double>(3, 4))));
        Assert.Equal("Gradient buffer: dW1 is 3×4 and W1 is 4×3; they must have the same shape. (Parameter 'dW1')", e.Message);
    }

    [Fact]
    public void WrongShapeBuffer_AfterTheWorkspaceHasSeenTheShapes_StillWritesNothing()
    {
        var inputs = NetInputs();
        var workspace = NewWorkspace("Net");
        Invoke(Method("NetBackward"), inputs.Append(workspace).Concat(Buffers(inputs)).ToArray()); // warm

        var buffers = Buffers(inputs, 3, new Vector<double>(4));
        Span(buffers[3]!).Fill(Sentinel);
        Assert.IsAssignableFrom<ArgumentException>(CallBackward(inputs, workspace, buffers));
        AssertUntouched(buffers);
    }

    [Fact]
    public void NullWorkspace_ThrowsArgumentNull_AndWritesNoBuffer()
    {
        var inputs = NetInputs();
        var buffers = Buffers(inputs);
        var e = Assert.IsType<ArgumentNullException>(CallBackward(inputs, null, buffers));
        Assert.Equal("workspace", e.ParamName);
        AssertUntouched(buffers);
    }

    [Fact]
    public void NullInput_ThrowsArgumentNull_AndWritesNoBuffer()
    {
        var inputs = NetInputs();
        inputs[4] = null!; // X
        var buffers = Buffers(NetInputs());
        Assert.IsType<ArgumentNullException>(CallBackward(inputs, NewWorkspace("Net"), buffers));
        AssertUntouched(buffers);
    }

    [Fact]
    public void InputsThatDoNotFit_FailInTheForwardPass_BeforeAnyBufferIsWritten()
    {
        // X has 4 rows but W1 has 3 columns: the first product throws, naming both shapes.
        var inputs = NetInputs();
        inputs[4] = RandomMatrix(new Random(1), 4, 5);
        var buffers = Buffers(inputs);
        var e = Assert.IsAssignableFrom<ArgumentException>(CallBackward(inputs, NewWorkspace("Net"), buffers));
        Assert.Contains("4×3", e.Message);
        Assert.Contains("4×5", e.Message);
        AssertUntouched(buffers);

        // Y of the wrong batch size: found late in the forward pass (O − Y), still before the backward pass writes.
        inputs = NetInputs();
        inputs[5] = RandomMatrix(new Random(2), 2, 6);
        buffers = Buffers(inputs);
        e = Assert.IsAssignableFrom<ArgumentException>(CallBackward(inputs, NewWorkspace("Net"), buffers));
        Assert.Contains("2×5", e.Message);
        Assert.Contains("2×6", e.Message);
        AssertUntouched(buffers);
    }

    [Fact]
    public void NullBuffers_SkipThoseGradients()
    {
        var inputs = NetInputs();
        var buffers = Buffers(inputs);
        buffers[0] = null;
        buffers[2] = null;
        Invoke(Method("NetBackward"), inputs.Append(NewWorkspace("Net")).Concat(buffers).ToArray());
        Assert.Contains(Span(buffers[1]!).ToArray(), v => v != Sentinel);
        Assert.Contains(Span(buffers[3]!).ToArray(), v => v != Sentinel);
    }
}
