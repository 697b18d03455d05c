using System;
using System.Numerics;

namespace AutoGradGen.Kernels;

/// <summary>
/// Backward steps of <see cref="Ops.MaxPool2D{T}(Matrix{T}, int, int)"/> and
/// <see cref="Ops.AvgPool2D{T}(Matrix{T}, int, int)"/> (single image and channel-stacked batch),
/// for generated code (not meant to be called by hand). Max pooling is locally a selection, so its
/// adjoint routes each output adjoint to the argmax of its window (the first one in row-major
/// window order on ties); average pooling is linear, so its adjoint spreads each output adjoint
/// evenly, g / size², over its window. Overlapping windows (stride &lt; size) accumulate.
/// Shapes are validated like the public API, before anything is allocated.
/// </summary>
public static class Pool2D
{
    /// <summary>The adjoint of x for H = MaxPool2D(x, size, stride) of one image.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, h×w.</param>
    /// <param name="g">The output adjoint, h'×w'.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <returns>A new h×w matrix: zero except at the argmax of each window, which receives that window's adjoint.</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output.</exception>
    public static Matrix<T> MaxPool2DBackward<T>(Matrix<T> x, Matrix<T> g, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.MaxPool2DBackward(x, g, size, stride, ref result);
    }

    /// <summary>The adjoint of x for H = MaxPool2D(x, channels, height, width, size, stride) of a channel-stacked batch.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input, (C·h·w)×N.</param>
    /// <param name="g">The output adjoint, (C·h'·w')×N.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <returns>A new (C·h·w)×N matrix.</returns>
    /// <exception cref="ArgumentException">x or g does not match the geometry.</exception>
    public static Matrix<T> MaxPool2DBackward<T>(
        Matrix<T> x, Matrix<T> g, int channels, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.MaxPool2DBackward(x, g, channels, height, width, size, stride, ref result);
    }

    /// <summary>The adjoint of x for H = AvgPool2D(x, size, stride) of one h×w image.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="g">The output adjoint, h'×w'.</param>
    /// <param name="height">h, the input's rows.</param>
    /// <param name="width">w, the input's columns.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <returns>A new h×w matrix: each element receives g / size² from every window that covers it.</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output.</exception>
    public static Matrix<T> AvgPool2DBackward<T>(Matrix<T> g, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.AvgPool2DBackward(g, height, width, size, stride, ref result);
    }

    /// <summary>The adjoint of x for H = AvgPool2D(x, channels, height, width, size, stride) of a channel-stacked batch.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="g">The output adjoint, (C·h'·w')×N.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="size">The forward window side.</param>
    /// <param name="stride">The forward stride.</param>
    /// <returns>A new (C·h·w)×N matrix, N = the columns of g.</returns>
    /// <exception cref="ArgumentException">g does not match the geometry.</exception>
    public static Matrix<T> AvgPool2DBackward<T>(Matrix<T> g, int channels, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.AvgPool2DBackward(g, channels, height, width, size, stride, ref result);
    }
}
