using System;
using System.Numerics;

namespace AutoGradGen.Kernels;

/// <content>
/// Convolution and pooling (<see cref="Ops.Conv2D{T}(Matrix{T}, Matrix{T}, int, int)"/>, <see cref="Ops.MaxPool2D{T}(Matrix{T}, int, int)"/>,
/// <see cref="Ops.AvgPool2D{T}(Matrix{T}, int, int)"/>) and their backward steps (<see cref="Kernels.Conv2D"/>, <see cref="Kernels.Pool2D"/>),
/// into a destination. A single image is the channel-stacked batch of one image of one channel, so each
/// kernel has one implementation; no scratch is used (the batched kernels work on the (C·h·w)×N layout
/// directly). Batches of ≥ <see cref="Conv2DBatch.ParallelWorkThreshold"/> multiply-adds run on several threads,
/// where <see cref="System.Threading.Tasks.Parallel"/> allocates its own bookkeeping.
/// </content>
public static partial class Into
{
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

    /// <summary>Max pooling of one image (size×size windows moved by the stride; NaN propagates), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The image, h×w.</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step between windows (1 or more).</param>
    /// <param name="destination">The h'×w' result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The window does not fit inside the image, or the destination is the operand.</exception>
    public static Matrix<T> MaxPool2D<T>(Matrix<T> x, int size, int stride, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var geometry = Pool2DChecks.Plane(x, size, stride, "MaxPool2D");
        return Pool(x, geometry, 1, geometry.OutHeight, geometry.OutWidth, max: true, ref destination, "MaxPool2D");
    }

    /// <summary>Max pooling of a channel-stacked batch, plane by plane, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C·h·w)×N.</param>
    /// <param name="channels">C (1 or more).</param>
    /// <param name="height">h (1 or more).</param>
    /// <param name="width">w (1 or more).</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step between windows (1 or more).</param>
    /// <param name="destination">The (C·h'·w')×N result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">x does not have C·h·w rows, the window does not fit, or the destination is the operand.</exception>
    public static Matrix<T> MaxPool2D<T>(
        Matrix<T> x, int channels, int height, int width, int size, int stride, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var geometry = Pool2DChecks.Batch(x, channels, height, width, size, stride, "MaxPool2D");
        return Pool(x, geometry, x.Cols, channels * geometry.OutPlane, x.Cols, max: true, ref destination, "MaxPool2D");
    }

    /// <summary>Average pooling of one image (the mean of each size×size window), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The image, h×w.</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step between windows (1 or more).</param>
    /// <param name="destination">The h'×w' result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The window does not fit inside the image, or the destination is the operand.</exception>
    public static Matrix<T> AvgPool2D<T>(Matrix<T> x, int size, int stride, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var geometry = Pool2DChecks.Plane(x, size, stride, "AvgPool2D");
        return Pool(x, geometry, 1, geometry.OutHeight, geometry.OutWidth, max: false, ref destination, "AvgPool2D");
    }

    /// <summary>Average pooling of a channel-stacked batch, plane by plane, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C·h·w)×N.</param>
    /// <param name="channels">C (1 or more).</param>
    /// <param name="height">h (1 or more).</param>
    /// <param name="width">w (1 or more).</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step between windows (1 or more).</param>
    /// <param name="destination">The (C·h'·w')×N result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">x does not have C·h·w rows, the window does not fit, or the destination is the operand.</exception>
    public static Matrix<T> AvgPool2D<T>(
        Matrix<T> x, int channels, int height, int width, int size, int stride, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var geometry = Pool2DChecks.Batch(x, channels, height, width, size, stride, "AvgPool2D");
        return Pool(x, geometry, x.Cols, channels * geometry.OutPlane, x.Cols, max: false, ref destination, "AvgPool2D");
    }

    /// <summary>The adjoint of x for one image's MaxPool2D (each window's adjoint to its first argmax), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, h×w.</param>
    /// <param name="g">The output adjoint, h'×w'.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="destination">The h×w result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output, or the destination is an operand.</exception>
    public static Matrix<T> MaxPool2DBackward<T>(Matrix<T> x, Matrix<T> g, int size, int stride, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        var geometry = Pool2DChecks.Plane(x, size, stride, "MaxPool2DBackward");
        Pool2DChecks.RequireGradient(g, geometry.OutHeight, geometry.OutWidth, "MaxPool2DBackward");
        return MaxPoolBackward(x, g, geometry, 1, ref destination);
    }

    /// <summary>The adjoint of x for a channel-stacked batch's MaxPool2D, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, (C·h·w)×N.</param>
    /// <param name="g">The output adjoint, (C·h'·w')×N.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="destination">The (C·h·w)×N result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">x or g does not match the geometry, or the destination is an operand.</exception>
    public static Matrix<T> MaxPool2DBackward<T>(
        Matrix<T> x, Matrix<T> g, int channels, int height, int width, int size, int stride, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        var geometry = Pool2DChecks.Batch(x, channels, height, width, size, stride, "MaxPool2DBackward");
        Pool2DChecks.RequireGradient(g, (long)channels * geometry.OutPlane, x.Cols, "MaxPool2DBackward");
        return MaxPoolBackward(x, g, geometry, x.Cols, ref destination);
    }

    /// <summary>The adjoint of x for one h×w image's AvgPool2D (g / size² spread over each window), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="g">The output adjoint, h'×w'.</param>
    /// <param name="height">h, the input's rows.</param>
    /// <param name="width">w, the input's columns.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="destination">The h×w result's slot (reused when its shape matches); not <paramref name="g"/>.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output, or the destination is g.</exception>
    public static Matrix<T> AvgPool2DBackward<T>(Matrix<T> g, int height, int width, int size, int stride, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AvgPool2DBackward(g, 1, height, width, size, stride, ref destination, plane: true);

    /// <summary>The adjoint of x for a channel-stacked batch's AvgPool2D, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="g">The output adjoint, (C·h'·w')×N.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="destination">The (C·h·w)×N result's slot, N = the columns of g (reused when its shape matches); not g.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">g does not match the geometry, or the destination is g.</exception>
    public static Matrix<T> AvgPool2DBackward<T>(
        Matrix<T> g, int channels, int height, int width, int size, int stride, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AvgPool2DBackward(g, channels, height, width, size, stride, ref destination, plane: false);

    /// <summary>A validated max or average pooling forward pass into the rows×cols destination.</summary>
    private static Matrix<T> Pool<T>(
        Matrix<T> x, in ConvGeometry geometry, int batch, int rows, int cols, bool max, ref Matrix<T>? destination,
        string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowHelper.RequireNotAliased(destination, x, operation, nameof(x));
        var result = Ensure(ref destination, rows, cols);
        if (max)
        {
            Pool2DCore.MaxForward<T>(x.Data, batch, result.Data, geometry);
        }
        else
        {
            result.Data.AsSpan().Clear();
            Pool2DCore.AverageForward<T>(x.Data, batch, result.Data, geometry);
        }

        return result;
    }

    /// <summary>A validated max-pooling adjoint into the destination (shaped like x).</summary>
    private static Matrix<T> MaxPoolBackward<T>(Matrix<T> x, Matrix<T> g, in ConvGeometry geometry, int batch, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireNotAliased(destination, x, g, new Operands("MaxPool2DBackward", nameof(x), nameof(g)));
        var result = Ensure(ref destination, x.Rows, x.Cols);
        result.Data.AsSpan().Clear();
        Pool2DCore.MaxBackward<T>(x.Data, g.Data, batch, result.Data, geometry);
        return result;
    }

    /// <summary>The average-pooling adjoint of one plane (<paramref name="plane"/>: an h×w result) or of a batch.</summary>
    private static Matrix<T> AvgPool2DBackward<T>(
        Matrix<T> g, int channels, int height, int width, int size, int stride, ref Matrix<T>? destination, bool plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(g);
        const string operation = "AvgPool2DBackward";
        var geometry = Pool2DChecks.Geometry(channels, height, width, size, stride);
        Pool2DChecks.RequireFits(geometry, operation, "the input", new Dims(height, width));
        int batch = plane ? 1 : g.Cols;
        if (plane)
        {
            Pool2DChecks.RequireGradient(g, geometry.OutHeight, geometry.OutWidth, operation);
        }
        else
        {
            Pool2DChecks.RequireGradient(g, (long)channels * geometry.OutPlane, g.Cols, operation);
        }

        int rows = plane ? height : Conv2DChecks.CheckedRows((long)channels * geometry.InPlane, g.Cols);
        ThrowHelper.RequireNotAliased(destination, g, operation, nameof(g));
        var result = Ensure(ref destination, rows, plane ? width : g.Cols);
        result.Data.AsSpan().Clear();
        Pool2DCore.AverageBackward<T>(g.Data, batch, result.Data, geometry);
        return result;
    }
}
