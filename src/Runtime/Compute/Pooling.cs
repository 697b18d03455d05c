using System;
using System.Numerics;
using System.Globalization;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// Max and average pooling (no padding) and their adjoints, each in its allocating and its destination-passing
/// form: one image (h×w matrix) or a channel-stacked batch ((C·h·w)×N, one image per column).
/// </summary>
public static class Pooling
{
    /// <summary>Max pooling of one image (size×size windows moved by the stride; NaN propagates).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The image, h×w.</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step between windows (1 or more).</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The window does not fit inside the image.</exception>
    public static Matrix<T> MaxPool2D<T>(Matrix<T> x, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return MaxPool2D(x, size, stride, ref result);
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

    /// <summary>Max pooling of a channel-stacked batch, plane by plane.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C·h·w)×N.</param>
    /// <param name="channels">C (1 or more).</param>
    /// <param name="height">h (1 or more).</param>
    /// <param name="width">w (1 or more).</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step between windows (1 or more).</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">x does not have C·h·w rows, the window does not fit.</exception>
    public static Matrix<T> MaxPool2D<T>(
        Matrix<T> x, int channels, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return MaxPool2D(x, channels, height, width, size, stride, ref result);
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

    /// <summary>Average pooling of one image (the mean of each size×size window).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The image, h×w.</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step between windows (1 or more).</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The window does not fit inside the image.</exception>
    public static Matrix<T> AvgPool2D<T>(Matrix<T> x, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return AvgPool2D(x, size, stride, ref result);
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

    /// <summary>Average pooling of a channel-stacked batch, plane by plane.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C·h·w)×N.</param>
    /// <param name="channels">C (1 or more).</param>
    /// <param name="height">h (1 or more).</param>
    /// <param name="width">w (1 or more).</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step between windows (1 or more).</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">x does not have C·h·w rows, the window does not fit.</exception>
    public static Matrix<T> AvgPool2D<T>(
        Matrix<T> x, int channels, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return AvgPool2D(x, channels, height, width, size, stride, ref result);
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

    /// <summary>The adjoint of x for one image's MaxPool2D (each window's adjoint to its first argmax).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, h×w.</param>
    /// <param name="g">The output adjoint, h'×w'.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output.</exception>
    public static Matrix<T> MaxPool2DBackward<T>(Matrix<T> x, Matrix<T> g, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return MaxPool2DBackward(x, g, size, stride, ref result);
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

    /// <summary>The adjoint of x for a channel-stacked batch's MaxPool2D.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, (C·h·w)×N.</param>
    /// <param name="g">The output adjoint, (C·h'·w')×N.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">x or g does not match the geometry.</exception>
    public static Matrix<T> MaxPool2DBackward<T>(
        Matrix<T> x, Matrix<T> g, int channels, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return MaxPool2DBackward(x, g, channels, height, width, size, stride, ref result);
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

    /// <summary>The adjoint of x for one h×w image's AvgPool2D (g / size² spread over each window).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="g">The output adjoint, h'×w'.</param>
    /// <param name="height">h, the input's rows.</param>
    /// <param name="width">w, the input's columns.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output, or the destination is g.</exception>
    public static Matrix<T> AvgPool2DBackward<T>(Matrix<T> g, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return AvgPool2DBackward(g, height, width, size, stride, ref result);
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

    /// <summary>The adjoint of x for a channel-stacked batch's AvgPool2D.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="g">The output adjoint, (C·h'·w')×N.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">g does not match the geometry, or the destination is g.</exception>
    public static Matrix<T> AvgPool2DBackward<T>(
        Matrix<T> g, int channels, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return AvgPool2DBackward(g, channels, height, width, size, stride, ref result);
    }

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

    /// <summary>The differential of one image's MaxPool2D along dx: dx read at each window's first argmax of x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, h×w.</param>
    /// <param name="dx">The input differential, h×w.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <returns>A new h'×w' matrix.</returns>
    /// <exception cref="ArgumentException">dx is not the shape of x, or the window does not fit.</exception>
    public static Matrix<T> MaxPool2DTangent<T>(Matrix<T> x, Matrix<T> dx, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return MaxPool2DTangent(x, dx, size, stride, ref result);
    }

    /// <summary>The differential of one image's MaxPool2D along dx, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, h×w.</param>
    /// <param name="dx">The input differential, h×w.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="destination">The h'×w' result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">dx is not the shape of x, the window does not fit, or the destination is an operand.</exception>
    public static Matrix<T> MaxPool2DTangent<T>(Matrix<T> x, Matrix<T> dx, int size, int stride, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(dx);
        var geometry = Pool2DChecks.Plane(x, size, stride, "MaxPool2DTangent");
        ThrowHelper.RequireSameShape(x, dx, "MaxPool2DTangent", nameof(x), nameof(dx));
        return MaxPoolTangent(x, dx, geometry, 1, geometry.OutHeight, geometry.OutWidth, ref destination);
    }

    /// <summary>The differential of a channel-stacked batch's MaxPool2D along dx.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, (C·h·w)×N.</param>
    /// <param name="dx">The input differential, (C·h·w)×N.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <returns>A new (C·h'·w')×N matrix.</returns>
    /// <exception cref="ArgumentException">x or dx does not match the geometry.</exception>
    public static Matrix<T> MaxPool2DTangent<T>(
        Matrix<T> x, Matrix<T> dx, int channels, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return MaxPool2DTangent(x, dx, channels, height, width, size, stride, ref result);
    }

    /// <summary>The differential of a channel-stacked batch's MaxPool2D along dx, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, (C·h·w)×N.</param>
    /// <param name="dx">The input differential, (C·h·w)×N.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="destination">The (C·h'·w')×N result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">x or dx does not match the geometry, or the destination is an operand.</exception>
    public static Matrix<T> MaxPool2DTangent<T>(
        Matrix<T> x, Matrix<T> dx, int channels, int height, int width, int size, int stride, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(dx);
        var geometry = Pool2DChecks.Batch(x, channels, height, width, size, stride, "MaxPool2DTangent");
        ThrowHelper.RequireSameShape(x, dx, "MaxPool2DTangent", nameof(x), nameof(dx));
        return MaxPoolTangent(x, dx, geometry, x.Cols, channels * geometry.OutPlane, x.Cols, ref destination);
    }

    private static Matrix<T> MaxPoolTangent<T>(
        Matrix<T> x, Matrix<T> dx, in ConvGeometry geometry, int batch, int rows, int cols, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireNotAliased(destination, x, dx, new Operands("MaxPool2DTangent", nameof(x), nameof(dx)));
        var result = Ensure(ref destination, rows, cols);
        Pool2DCore.MaxTangent<T>(x.Data, dx.Data, batch, result.Data, geometry);
        return result;
    }

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
}

/// <summary>
/// Validation of pooling arguments, once per public entry point, before anything is allocated.
/// Pooling has no padding: the size×size window must fit inside the image.
/// </summary>
internal static class Pool2DChecks
{
    /// <summary>One image x (h×w): the window must fit.</summary>
    internal static ConvGeometry Plane<T>(Matrix<T> x, int size, int stride, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        var geometry = new ConvGeometry(1, x.Rows, x.Cols, size, size, stride, 0);
        RequireFits(geometry, operation, "x", Dims.Of(x));
        return geometry;
    }

    /// <summary>A channel-stacked batch x: C·h·w rows and a window that fits.</summary>
    internal static ConvGeometry Batch<T>(Matrix<T> x, int channels, int height, int width, int size, int stride, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geometry = Geometry(channels, height, width, size, stride);
        RequireRows(x, "x", geometry, operation);
        RequireFits(geometry, operation, "x", Dims.Of(x));
        return geometry;
    }

    /// <summary>Every size ≥ 1.</summary>
    internal static ConvGeometry Geometry(int channels, int height, int width, int size, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        return new ConvGeometry(channels, height, width, size, size, stride, 0);
    }

    /// <summary>The window must fit inside one h×w plane.</summary>
    internal static void RequireFits(in ConvGeometry g, string operation, string name, Dims shape)
    {
        if (g.KernelHeight > g.Height || g.KernelWidth > g.Width)
        {
            ThrowHelper.ThrowShapeMismatch(operation, name, shape.ToString(), "the window",
                ThrowHelper.Shape(g.KernelHeight, g.KernelWidth),
                Invariant($"it must fit inside the {g.Height}×{g.Width} image (pooling has no padding)"), name);
        }
    }

    /// <summary>A channel-stacked matrix must have C·h·w rows.</summary>
    internal static void RequireRows<T>(Matrix<T> m, string name, in ConvGeometry g, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long rows = (long)g.Channels * g.Height * g.Width;
        if (rows != m.Rows)
        {
            ThrowHelper.ThrowShapeMismatch(operation, name, ThrowHelper.Shape(m), "channels·height·width",
                Invariant($"{g.Channels}·{g.Height}·{g.Width} = {rows}"),
                Invariant($"{name} must have that many rows (one image per column)"), name);
        }
    }

    /// <summary>The output gradient must have the pooled shape (C·h'·w')×N.</summary>
    internal static void RequireGradient<T>(Matrix<T> gradient, long rows, int cols, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradient.Rows != rows || gradient.Cols != cols)
        {
            ThrowHelper.ThrowShapeMismatch(operation, "g", ThrowHelper.Shape(gradient), "the pooled output",
                Invariant($"{rows}×{cols}"), "they must match", "g");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
