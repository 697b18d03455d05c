using AutoGradGen.Compute;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>Linear.RequireShape, the check generated second-order twins make of the caller's Hessian buffer.</summary>
public sealed class RequireShapeTests
{
    [Fact]
    public void RightShape_Passes()
        => Linear.RequireShape(new Matrix<double>(4, 4), 4, 4, "hessian");

    [Fact]
    public void Null_ThrowsArgumentNullException_NamingTheBuffer()
    {
        var e = Assert.Throws<ArgumentNullException>(() => Linear.RequireShape<float>(null!, 3, 3, "hessian"));
        Assert.Equal("hessian", e.ParamName);
    }

    [Theory, InlineData(3, 4), InlineData(4, 3), InlineData(5, 5)]
    public void WrongShape_ThrowsArgumentException_NamingBothShapes(int rows, int cols)
    {
        var e = Assert.Throws<ArgumentException>(() => Linear.RequireShape(new Matrix<double>(rows, cols), 4, 4, "hessian"));
        Assert.Equal("hessian", e.ParamName);
        Assert.Contains(rows + "×" + cols, e.Message, StringComparison.Ordinal);
        Assert.Contains("4×4", e.Message, StringComparison.Ordinal);
    }
}
