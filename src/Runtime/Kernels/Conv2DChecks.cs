using System;
using System.Globalization;
using System.Numerics;

namespace AutoGradGen.Kernels;

/// <summary>
/// Validation of convolution and pooling arguments, called once by each public entry point before
/// anything is allocated. Out-of-range integers throw <see cref="ArgumentOutOfRangeException"/>;
/// operands that do not fit the geometry throw <see cref="ArgumentException"/> naming both shapes
/// (through <see cref="ThrowHelper"/>).
/// </summary>
internal static class Conv2DChecks
{
    /// <summary>The geometry of a multi-channel call: every size ≥ 1, stride ≥ 1, padding ≥ 0.</summary>
    internal static ConvGeometry Geometry(
        int channels, int height, int width, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        return new ConvGeometry(channels, height, width, kernelHeight, kernelWidth, stride, padding);
    }

    /// <summary>The geometry of a single-plane call (sizes taken from matrices, so only the window, stride and padding are checked here).</summary>
    internal static ConvGeometry Plane(int height, int width, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        return new ConvGeometry(1, height, width, kernelHeight, kernelWidth, stride, padding);
    }

    /// <summary>The window must fit inside the padded input (so that the output has at least one row and column).</summary>
    internal static void RequireFits(
        in ConvGeometry g, string operation, string leftName, Dims leftShape, string rightName, Dims rightShape)
    {
        if (g.Height + (2L * g.Padding) < g.KernelHeight || g.Width + (2L * g.Padding) < g.KernelWidth)
        {
            ThrowHelper.ThrowShapeMismatch(operation, leftName, leftShape.ToString(), rightName, rightShape.ToString(), Invariant(
                $"the {g.Describe()} window must fit inside the {g.Height}×{g.Width} input plus padding"), rightName);
        }
    }

    /// <summary>A channel-stacked batch must have channels·height·width rows.</summary>
    internal static void RequireImageRows<T>(
        Matrix<T> images, in ConvGeometry g, string operation, string imagesName, string otherName, Dims otherShape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((long)g.Channels * g.Height * g.Width != images.Rows)
        {
            ThrowHelper.ThrowShapeMismatch(operation, imagesName, ThrowHelper.Shape(images), otherName, otherShape.ToString(), Invariant(
                $"{imagesName} must have channels·height·width = {g.Channels}·{g.Height}·{g.Width} rows (one image per column)"),
                imagesName);
        }
    }

    /// <summary>A filter bank must have channels·kernelHeight·kernelWidth columns (one filter per row).</summary>
    internal static void RequireFilterColumns<T>(
        Matrix<T> kernels, in ConvGeometry g, string operation, string otherName, Dims otherShape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((long)g.Channels * g.KernelHeight * g.KernelWidth != kernels.Cols)
        {
            ThrowHelper.ThrowShapeMismatch(operation, otherName, otherShape.ToString(), "k", ThrowHelper.Shape(kernels), Invariant(
                $"k must have channels·kernelHeight·kernelWidth = {g.Channels}·{g.KernelHeight}·{g.KernelWidth} columns (one filter per row)"),
                "k");
        }
    }

    /// <summary>An output-side matrix (or gradient) must be exactly rows×cols.</summary>
    internal static void RequireShape<T>(
        Matrix<T> actual, long rows, int cols, string operation, string otherName, Dims otherShape, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (actual.Rows != rows || actual.Cols != cols)
        {
            ThrowHelper.ThrowShapeMismatch(operation, otherName, otherShape.ToString(), "g", ThrowHelper.Shape(actual), Invariant(
                $"g must be {rows}×{cols} ({what})"), "g");
        }
    }

    /// <summary>rows·cols must be a representable matrix size.</summary>
    internal static int CheckedRows(long rows, int cols)
    {
        if (rows > int.MaxValue || rows * cols > Array.MaxLength)
        {
            ThrowHelper.ThrowTooLarge((int)Math.Min(rows, int.MaxValue), cols);
        }

        return (int)rows;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A shape for messages, formatted as "rows×cols" only when a check fails (so that validating allocates
/// nothing).
/// </summary>
internal readonly record struct Dims(int Rows, int Cols)
{
    public static Dims Of<T>(Matrix<T> m)
        where T : unmanaged, IFloatingPointIeee754<T> => new(m.Rows, m.Cols);

    public override string ToString() => ThrowHelper.Shape(Rows, Cols);
}
