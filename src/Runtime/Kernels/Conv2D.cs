using System;
using System.Numerics;

namespace AutoGradGen.Kernels;

/// <summary>
/// Backward steps of <see cref="Ops.Conv2D{T}(Matrix{T}, Matrix{T}, int, int)"/> and its multi-channel,
/// batched form, for generated code (not meant to be called by hand). From the differential
/// ∂H = X ⋆ ∂K + ∂X ⋆ K (correlation is bilinear):
/// ∇K = X ⋆ ∇H, the valid correlation of the input with the output adjoint (summed over images), and
/// ∇X = ∇H ∗full rot180(K), the output adjoint fully convolved with the flipped kernel, with the
/// stride handled by scattering (equivalently: ∇H dilated by s − 1 zeros) and the padding cropped.
/// Neither materializes the Toeplitz matrix of the convolution.
/// </summary>
/// <remarks>
/// The geometry arguments repeat those of the forward call, so that the generator can pass them
/// through; the kernel and input sizes cannot be recovered from the adjoint alone when the stride
/// is above 1. Shapes are validated like the public API: a mismatch throws
/// <see cref="ArgumentException"/> naming both shapes, before anything is allocated.
/// </remarks>
public static class Conv2D
{
    /// <summary>∇K = X ⋆ ∇H: the adjoint of the kernel of the single-image H = Conv2D(X, K, s, p).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input X, h×w.</param>
    /// <param name="g">The output adjoint ∇H, h'×w'.</param>
    /// <param name="kernelHeight">kₕ, the kernel's rows.</param>
    /// <param name="kernelWidth">k_w, the kernel's columns.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="padding">The forward padding.</param>
    /// <returns>A new kₕ×k_w matrix: ∇K[a, b] = Σ_{i,j} ∇H[i, j] X[i·s + a − p, j·s + b − p].</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output.</exception>
    public static Matrix<T> Conv2DBackwardKernel<T>(
        Matrix<T> x, Matrix<T> g, int kernelHeight, int kernelWidth, int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.Conv2DBackwardKernel(x, g, kernelHeight, kernelWidth, stride, padding, ref result);
    }

    /// <summary>∇X = ∇H ∗full rot180(K): the adjoint of the input of the single-image H = Conv2D(X, K, s, p).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="k">The forward kernel K, kₕ×k_w.</param>
    /// <param name="g">The output adjoint ∇H, h'×w'.</param>
    /// <param name="height">h, the input's rows.</param>
    /// <param name="width">w, the input's columns.</param>
    /// <param name="stride">The forward stride.</param>
    /// <param name="padding">The forward padding.</param>
    /// <returns>A new h×w matrix: ∇X[y, x] = Σ over the (i, a), (j, b) with i·s + a − p = y, j·s + b − p = x of K[a, b] ∇H[i, j].</returns>
    /// <exception cref="ArgumentException">g is not the shape of the forward output.</exception>
    public static Matrix<T> Conv2DBackwardInput<T>(
        Matrix<T> k, Matrix<T> g, int height, int width, int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.Conv2DBackwardInput(k, g, height, width, stride, padding, ref result);
    }

    /// <summary>
    /// ∇K[o, c] = Σ_n X[n, c] ⋆ ∇H[n, o]: the adjoint of the filters of the batched
    /// <see cref="Ops.Conv2D{T}(Matrix{T}, Matrix{T}, int, int, int, int, int, int, int)"/>.
    /// </summary>
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
    /// <returns>A new C_out×(C_in·kₕ·k_w) matrix, laid out like the forward filters.</returns>
    /// <exception cref="ArgumentException">x or g does not match the geometry.</exception>
    public static Matrix<T> Conv2DBackwardKernel<T>(
        Matrix<T> x, Matrix<T> g, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.Conv2DBackwardKernel(x, g, channels, height, width, kernelHeight, kernelWidth, stride, padding, ref result);
    }

    /// <summary>
    /// ∇X[n, c] = Σ_o ∇H[n, o] ∗full rot180(K[o, c]): the adjoint of the input of the batched
    /// <see cref="Ops.Conv2D{T}(Matrix{T}, Matrix{T}, int, int, int, int, int, int, int)"/>.
    /// </summary>
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
    /// <returns>A new (C_in·h·w)×N matrix, laid out like the forward input.</returns>
    /// <exception cref="ArgumentException">k or g does not match the geometry.</exception>
    public static Matrix<T> Conv2DBackwardInput<T>(
        Matrix<T> k, Matrix<T> g, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.Conv2DBackwardInput(k, g, channels, height, width, kernelHeight, kernelWidth, stride, padding, ref result);
    }
}
