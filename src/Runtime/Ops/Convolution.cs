using System;
using System.Numerics;
using AutoGradGen.Compute;

namespace AutoGradGen;

/// <content>
/// Convolution and pooling. A single image is a matrix (one channel). A batch of N images with C
/// channels of h×w is a channel-stacked matrix of (C·h·w)×N: one image per column, channel-major
/// then row-major inside (element c·h·w + y·w + x), so that results feed dense layers (W X + b)
/// directly and flattening is the identity. See docs/convolution.md.
/// </content>
public static partial class Ops
{
    /// <summary>
    /// The 2-D cross-correlation X ∗ K of one image: H[i, j] = Σ_{a,b} X[i·s + a − p, j·s + b − p] K[a, b],
    /// with zeros outside X (padding p) and stride s.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The image, h×w.</param>
    /// <param name="k">The kernel, kₕ×k_w (at least 1×1).</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <param name="padding">The zeros p added on every side (0 or more).</param>
    /// <returns>A new (⌊(h + 2p − kₕ)/s⌋ + 1)×(⌊(w + 2p − k_w)/s⌋ + 1) matrix.</returns>
    /// <exception cref="ArgumentException">The kernel does not fit inside the padded image.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The kernel is empty, the stride is below 1 or the padding negative.</exception>
    public static Matrix<T> Conv2D<T>(Matrix<T> x, Matrix<T> k, int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Convolution.Conv2D(x, k, stride, padding);

    /// <summary>
    /// A multi-channel, batched 2-D cross-correlation (a convolution layer without bias):
    /// H[o] = Σ_c X[c] ∗ K[o, c] for each image, with stride s and zero padding p.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C_in·h·w)×N: one image per column, element c·h·w + y·w + x.</param>
    /// <param name="k">The filters, C_out×(C_in·kₕ·k_w): row o is filter o, element c·kₕ·k_w + a·k_w + b.</param>
    /// <param name="channels">C_in, the input channels (1 or more).</param>
    /// <param name="height">h, the image height (1 or more).</param>
    /// <param name="width">w, the image width (1 or more).</param>
    /// <param name="kernelHeight">kₕ (1 or more).</param>
    /// <param name="kernelWidth">k_w (1 or more).</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <param name="padding">The zeros p added on every side of every plane (0 or more).</param>
    /// <returns>A new (C_out·h'·w')×N matrix in the same layout, h' = ⌊(h + 2p − kₕ)/s⌋ + 1, w' = ⌊(w + 2p − k_w)/s⌋ + 1.</returns>
    /// <exception cref="ArgumentException">x or k does not match the geometry, or the kernel does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or the padding is negative.</exception>
    public static Matrix<T> Conv2D<T>(
        Matrix<T> x, Matrix<T> k, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Convolution.Conv2D(x, k, channels, height, width, kernelHeight, kernelWidth, stride, padding);

    /// <summary>
    /// A convolution layer with one bias per output channel: H[o] = Σ_c X[c] ∗ K[o, c] + b[o] for each image
    /// (the batched <see cref="Conv2D{T}(Matrix{T}, Matrix{T}, int, int, int, int, int, int, int)"/> plus the bias).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C_in·h·w)×N.</param>
    /// <param name="k">The filters, C_out×(C_in·kₕ·k_w).</param>
    /// <param name="bias">The biases, one per output channel (length C_out).</param>
    /// <param name="channels">C_in, the input channels (1 or more).</param>
    /// <param name="height">h, the image height (1 or more).</param>
    /// <param name="width">w, the image width (1 or more).</param>
    /// <param name="kernelHeight">kₕ (1 or more).</param>
    /// <param name="kernelWidth">k_w (1 or more).</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <param name="padding">The zeros p added on every side of every plane (0 or more).</param>
    /// <returns>A new (C_out·h'·w')×N matrix.</returns>
    /// <exception cref="ArgumentException">x or k does not match the geometry, the kernel does not fit, or the bias's length is not C_out.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or the padding is negative.</exception>
    public static Matrix<T> Conv2D<T>(
        Matrix<T> x, Matrix<T> k, Vector<T> bias, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Convolution.Conv2D(x, k, bias, channels, height, width, kernelHeight, kernelWidth, stride, padding);

    /// <summary>Max pooling of one image: H[i, j] = max of the size×size window at (i·s, j·s) (no padding; NaN propagates).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The image, h×w.</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <returns>A new (⌊(h − size)/s⌋ + 1)×(⌊(w − size)/s⌋ + 1) matrix.</returns>
    /// <exception cref="ArgumentException">The window does not fit inside the image.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size or stride is below 1.</exception>
    public static Matrix<T> MaxPool2D<T>(Matrix<T> x, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Pooling.MaxPool2D(x, size, stride);

    /// <summary>
    /// Max pooling of a channel-stacked batch, plane by plane: each output is the maximum of a
    /// size×size window at (i·s, j·s) of its channel (no padding; NaN propagates).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C·h·w)×N: one image per column, element c·h·w + y·w + x.</param>
    /// <param name="channels">C (1 or more).</param>
    /// <param name="height">h (1 or more).</param>
    /// <param name="width">w (1 or more).</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <returns>A new (C·h'·w')×N matrix, h' = ⌊(h − size)/s⌋ + 1, w' = ⌊(w − size)/s⌋ + 1.</returns>
    /// <exception cref="ArgumentException">x does not have C·h·w rows, or the window does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static Matrix<T> MaxPool2D<T>(Matrix<T> x, int channels, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Pooling.MaxPool2D(x, channels, height, width, size, stride);

    /// <summary>Average pooling of one image: H[i, j] = the mean of the size×size window at (i·s, j·s) (no padding).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The image, h×w.</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <returns>A new (⌊(h − size)/s⌋ + 1)×(⌊(w − size)/s⌋ + 1) matrix.</returns>
    /// <exception cref="ArgumentException">The window does not fit inside the image.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size or stride is below 1.</exception>
    public static Matrix<T> AvgPool2D<T>(Matrix<T> x, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Pooling.AvgPool2D(x, size, stride);

    /// <summary>
    /// Average pooling of a channel-stacked batch, plane by plane: each output is the mean of a
    /// size×size window at (i·s, j·s) of its channel (no padding).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C·h·w)×N: one image per column, element c·h·w + y·w + x.</param>
    /// <param name="channels">C (1 or more).</param>
    /// <param name="height">h (1 or more).</param>
    /// <param name="width">w (1 or more).</param>
    /// <param name="size">The window side (1 or more, at most h and w).</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <returns>A new (C·h'·w')×N matrix, h' = ⌊(h − size)/s⌋ + 1, w' = ⌊(w − size)/s⌋ + 1.</returns>
    /// <exception cref="ArgumentException">x does not have C·h·w rows, or the window does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static Matrix<T> AvgPool2D<T>(Matrix<T> x, int channels, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Pooling.AvgPool2D(x, channels, height, width, size, stride);
}
