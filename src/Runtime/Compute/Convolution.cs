using System;
using System.Numerics;
using System.Globalization;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// 2-D convolution (cross-correlation) and its adjoints, each in its allocating and its destination-passing
/// form: one image (h×w matrix) with one kernel, or a channel-stacked batch ((C·h·w)×N, one image per column)
/// with filters k (C_out×(C_in·kₕ·k_w)).
/// </summary>
public static partial class Convolution
{
    /// <summary>The 2-D cross-correlation of one image, H[i, j] = Σ_{a,b} X[i·s + a − p, j·s + b − p] K[a, b].</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The image, h×w.</param>
    /// <param name="k">The kernel, kₕ×k_w (at least 1×1).</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <param name="padding">The zeros p added on every side (0 or more).</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The kernel is empty or does not fit inside the padded image.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The stride is below 1 or the padding negative.</exception>
    public static Matrix<T> Conv2D<T>(Matrix<T> x, Matrix<T> k, int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Conv2D(x, k, stride, padding, ref result);
    }

    /// <summary>The 2-D cross-correlation of one image, H[i, j] = Σ_{a,b} X[i·s + a − p, j·s + b − p] K[a, b], into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The image, h×w.</param>
    /// <param name="k">The kernel, kₕ×k_w (at least 1×1).</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <param name="padding">The zeros p added on every side (0 or more).</param>
    /// <param name="destination">The h'×w' result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The kernel is empty or does not fit inside the padded image, or the destination is an operand.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The stride is below 1 or the padding negative.</exception>
    public static Matrix<T> Conv2D<T>(Matrix<T> x, Matrix<T> k, int stride, int padding, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(k);
        const string operation = "Conv2D";
        if (k.Rows == 0 || k.Cols == 0)
        {
            ThrowHelper.ThrowShapeMismatch(operation, "x", ThrowHelper.Shape(x), "k", ThrowHelper.Shape(k),
                "the kernel must be at least 1×1", nameof(k));
        }

        var geometry = Conv2DChecks.Plane(x.Rows, x.Cols, k.Rows, k.Cols, stride, padding);
        Conv2DChecks.RequireFits(geometry, operation, "x", Dims.Of(x), "k", Dims.Of(k));
        RequireNotAliased(destination, x, k, new Operands(operation, nameof(x), nameof(k)));
        var result = Ensure(ref destination, geometry.OutHeight, geometry.OutWidth);
        Conv2DBatch.Forward(x.Data, k.Data, 1, 1, result.Data, geometry);
        return result;
    }

    /// <summary>The multi-channel, batched 2-D cross-correlation H[o] = Σ_c X[c] ∗ K[o, c] (per image).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C_in·h·w)×N: one image per column, element c·h·w + y·w + x.</param>
    /// <param name="k">The filters, C_out×(C_in·kₕ·k_w).</param>
    /// <param name="channels">C_in (1 or more).</param>
    /// <param name="height">h (1 or more).</param>
    /// <param name="width">w (1 or more).</param>
    /// <param name="kernelHeight">kₕ (1 or more).</param>
    /// <param name="kernelWidth">k_w (1 or more).</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <param name="padding">The zeros p added on every side of every plane (0 or more).</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">x or k does not match the geometry, the kernel does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or the padding is negative.</exception>
    public static Matrix<T> Conv2D<T>(
        Matrix<T> x, Matrix<T> k, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Conv2D(x, k, channels, height, width, kernelHeight, kernelWidth, stride, padding, ref result);
    }

    /// <summary>The multi-channel, batched 2-D cross-correlation H[o] = Σ_c X[c] ∗ K[o, c] (per image), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C_in·h·w)×N: one image per column, element c·h·w + y·w + x.</param>
    /// <param name="k">The filters, C_out×(C_in·kₕ·k_w).</param>
    /// <param name="channels">C_in (1 or more).</param>
    /// <param name="height">h (1 or more).</param>
    /// <param name="width">w (1 or more).</param>
    /// <param name="kernelHeight">kₕ (1 or more).</param>
    /// <param name="kernelWidth">k_w (1 or more).</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <param name="padding">The zeros p added on every side of every plane (0 or more).</param>
    /// <param name="destination">The (C_out·h'·w')×N result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">x or k does not match the geometry, the kernel does not fit, or the destination is an operand.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or the padding is negative.</exception>
    public static Matrix<T> Conv2D<T>(
        Matrix<T> x, Matrix<T> k, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride, int padding, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(k);
        const string operation = "Conv2D";
        var geometry = Conv2DChecks.Geometry(channels, height, width, kernelHeight, kernelWidth, stride, padding);
        Dims xShape = Dims.Of(x), kShape = Dims.Of(k);
        Conv2DChecks.RequireImageRows(x, geometry, operation, "x", "k", kShape);
        Conv2DChecks.RequireFilterColumns(k, geometry, operation, "x", xShape);
        Conv2DChecks.RequireFits(geometry, operation, "x", xShape, "k", kShape);
        int rows = Conv2DChecks.CheckedRows((long)k.Rows * geometry.OutPlane, x.Cols);
        RequireNotAliased(destination, x, k, new Operands(operation, nameof(x), nameof(k)));
        var result = Ensure(ref destination, rows, x.Cols);
        Conv2DBatch.Forward(x.Data, k.Data, k.Rows, x.Cols, result.Data, geometry);
        return result;
    }

    /// <summary>∇X = ∇H ∗full rot180(K), the input adjoint of the single-image <see cref="Conv2D{T}(Matrix{T}, Matrix{T}, int, int, ref Matrix{T})"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="k">The forward kernel K, kₕ×k_w.</param>
    /// <param name="g">The output adjoint ∇H, h'×w'.</param>
    /// <param name="height">h, the input's rows.</param>
    /// <param name="width">w, the input's columns.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="padding">The forward padding.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output.</exception>
    public static Matrix<T> Conv2DBackwardInput<T>(
        Matrix<T> k, Matrix<T> g, int height, int width, int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Conv2DBackwardInput(k, g, height, width, stride, padding, ref result);
    }

    /// <summary>∇X = ∇H ∗full rot180(K), the input adjoint of the single-image <see cref="Conv2D{T}(Matrix{T}, Matrix{T}, int, int, ref Matrix{T})"/>, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="k">The forward kernel K, kₕ×k_w.</param>
    /// <param name="g">The output adjoint ∇H, h'×w'.</param>
    /// <param name="height">h, the input's rows.</param>
    /// <param name="width">w, the input's columns.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="padding">The forward padding.</param>
    /// <param name="destination">The h×w result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output, or the destination is an operand.</exception>
    public static Matrix<T> Conv2DBackwardInput<T>(
        Matrix<T> k, Matrix<T> g, int height, int width, int stride, int padding, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(g);
        const string operation = "Conv2DBackwardInput";
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        var geometry = Conv2DChecks.Plane(height, width, k.Rows, k.Cols, stride, padding);
        Dims kShape = Dims.Of(k);
        Conv2DChecks.RequireFits(geometry, operation, "the input", new Dims(height, width), "k", kShape);
        Conv2DChecks.RequireShape(g, geometry.OutHeight, geometry.OutWidth, operation, "k", kShape, "the forward output");
        RequireNotAliased(destination, k, g, new Operands(operation, nameof(k), nameof(g)));
        var result = Ensure(ref destination, height, width);
        Conv2DBatch.InputGradient(k.Data, g.Data, 1, 1, result.Data, geometry);
        return result;
    }

    /// <summary>∇X[n, c] = Σ_o ∇H[n, o] ∗full rot180(K[o, c]), the input adjoint of the batched Conv2D.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="k">The forward filters, C_out×(C_in·kₕ·k_w).</param>
    /// <param name="g">The output adjoint, (C_out·h'·w')×N.</param>
    /// <param name="channels">C_in.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="kernelHeight">kₕ.</param>
    /// <param name="kernelWidth">k_w.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="padding">The forward padding.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">k or g does not match the geometry.</exception>
    public static Matrix<T> Conv2DBackwardInput<T>(
        Matrix<T> k, Matrix<T> g, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Conv2DBackwardInput(k, g, channels, height, width, kernelHeight, kernelWidth, stride, padding, ref result);
    }

    /// <summary>∇X[n, c] = Σ_o ∇H[n, o] ∗full rot180(K[o, c]), the input adjoint of the batched Conv2D, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="k">The forward filters, C_out×(C_in·kₕ·k_w).</param>
    /// <param name="g">The output adjoint, (C_out·h'·w')×N.</param>
    /// <param name="channels">C_in.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="kernelHeight">kₕ.</param>
    /// <param name="kernelWidth">k_w.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="padding">The forward padding.</param>
    /// <param name="destination">The (C_in·h·w)×N result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">k or g does not match the geometry, or the destination is an operand.</exception>
    public static Matrix<T> Conv2DBackwardInput<T>(
        Matrix<T> k, Matrix<T> g, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride, int padding, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(g);
        const string operation = "Conv2DBackwardInput";
        var geometry = Conv2DChecks.Geometry(channels, height, width, kernelHeight, kernelWidth, stride, padding);
        Dims kShape = Dims.Of(k), gShape = Dims.Of(g);
        Conv2DChecks.RequireFilterColumns(k, geometry, operation, "g", gShape);
        Conv2DChecks.RequireFits(geometry, operation, "g", gShape, "k", kShape);
        Conv2DChecks.RequireShape(g, (long)k.Rows * geometry.OutPlane, g.Cols, operation, "k", kShape,
            "output channels (rows of k)·h'·w' rows");
        int rows = Conv2DChecks.CheckedRows((long)channels * geometry.InPlane, g.Cols);
        RequireNotAliased(destination, k, g, new Operands(operation, nameof(k), nameof(g)));
        var result = Ensure(ref destination, rows, g.Cols);
        Conv2DBatch.InputGradient(k.Data, g.Data, k.Rows, g.Cols, result.Data, geometry);
        return result;
    }

    /// <summary>∇K = X ⋆ ∇H, the kernel adjoint of the single-image Conv2D.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input X, h×w.</param>
    /// <param name="g">The output adjoint ∇H, h'×w'.</param>
    /// <param name="kernelHeight">kₕ, the kernel's rows.</param>
    /// <param name="kernelWidth">k_w, the kernel's columns.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="padding">The forward padding.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output.</exception>
    public static Matrix<T> Conv2DBackwardKernel<T>(
        Matrix<T> x, Matrix<T> g, int kernelHeight, int kernelWidth, int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Conv2DBackwardKernel(x, g, kernelHeight, kernelWidth, stride, padding, ref result);
    }

    /// <summary>∇K = X ⋆ ∇H, the kernel adjoint of the single-image Conv2D, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input X, h×w.</param>
    /// <param name="g">The output adjoint ∇H, h'×w'.</param>
    /// <param name="kernelHeight">kₕ, the kernel's rows.</param>
    /// <param name="kernelWidth">k_w, the kernel's columns.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="padding">The forward padding.</param>
    /// <param name="destination">The kₕ×k_w result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output, or the destination is an operand.</exception>
    public static Matrix<T> Conv2DBackwardKernel<T>(
        Matrix<T> x, Matrix<T> g, int kernelHeight, int kernelWidth, int stride, int padding, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        const string operation = "Conv2DBackwardKernel";
        var geometry = Conv2DChecks.Plane(x.Rows, x.Cols, kernelHeight, kernelWidth, stride, padding);
        Dims xShape = Dims.Of(x);
        Conv2DChecks.RequireFits(geometry, operation, "x", xShape, "g", Dims.Of(g));
        Conv2DChecks.RequireShape(g, geometry.OutHeight, geometry.OutWidth, operation, "x", xShape, "the forward output");
        RequireNotAliased(destination, x, g, new Operands(operation, nameof(x), nameof(g)));
        var result = Ensure(ref destination, kernelHeight, kernelWidth);
        Conv2DBatch.KernelGradient(x.Data, g.Data, 1, 1, result.Data, geometry);
        return result;
    }

    /// <summary>∇K[o, c] = Σ_n X[n, c] ⋆ ∇H[n, o], the filter adjoint of the batched Conv2D.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, (C_in·h·w)×N.</param>
    /// <param name="g">The output adjoint, (C_out·h'·w')×N.</param>
    /// <param name="channels">C_in.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="kernelHeight">kₕ.</param>
    /// <param name="kernelWidth">k_w.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="padding">The forward padding.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">x or g does not match the geometry.</exception>
    public static Matrix<T> Conv2DBackwardKernel<T>(
        Matrix<T> x, Matrix<T> g, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Conv2DBackwardKernel(x, g, channels, height, width, kernelHeight, kernelWidth, stride, padding, ref result);
    }

    /// <summary>∇K[o, c] = Σ_n X[n, c] ⋆ ∇H[n, o], the filter adjoint of the batched Conv2D, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, (C_in·h·w)×N.</param>
    /// <param name="g">The output adjoint, (C_out·h'·w')×N.</param>
    /// <param name="channels">C_in.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="kernelHeight">kₕ.</param>
    /// <param name="kernelWidth">k_w.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="padding">The forward padding.</param>
    /// <param name="destination">The C_out×(C_in·kₕ·k_w) result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">x or g does not match the geometry, or the destination is an operand.</exception>
    public static Matrix<T> Conv2DBackwardKernel<T>(
        Matrix<T> x, Matrix<T> g, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride, int padding, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        const string operation = "Conv2DBackwardKernel";
        var geometry = Conv2DChecks.Geometry(channels, height, width, kernelHeight, kernelWidth, stride, padding);
        Dims xShape = Dims.Of(x), gShape = Dims.Of(g);
        Conv2DChecks.RequireImageRows(x, geometry, operation, "x", "g", gShape);
        Conv2DChecks.RequireFits(geometry, operation, "x", xShape, "g", gShape);
        int outChannels = g.Rows / geometry.OutPlane;
        Conv2DChecks.RequireShape(g, (long)outChannels * geometry.OutPlane, x.Cols, operation, "x", xShape,
            "output channels·h'·w' rows and one column per image of x");
        RequireNotAliased(destination, x, g, new Operands(operation, nameof(x), nameof(g)));
        var result = Ensure(ref destination, outChannels, channels * geometry.KernelPlane);
        Conv2DBatch.KernelGradient(x.Data, g.Data, outChannels, x.Cols, result.Data, geometry);
        return result;
    }
}

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
