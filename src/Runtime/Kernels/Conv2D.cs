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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        const string operation = "Conv2DBackwardKernel";
        var geometry = Conv2DChecks.Plane(x.Rows, x.Cols, kernelHeight, kernelWidth, stride, padding);
        string xShape = ThrowHelper.Shape(x);
        Conv2DChecks.RequireFits(geometry, operation, "x", xShape, "g", ThrowHelper.Shape(g));
        Conv2DChecks.RequireShape(g, geometry.OutHeight, geometry.OutWidth, operation, "x", xShape, "the forward output");
        var result = new Matrix<T>(kernelHeight, kernelWidth);
        Conv2DCore.KernelGradientAdd<T>(x.Data, g.Data, result.Data, geometry);
        return result;
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
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(g);
        const string operation = "Conv2DBackwardInput";
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        var geometry = Conv2DChecks.Plane(height, width, k.Rows, k.Cols, stride, padding);
        string kShape = ThrowHelper.Shape(k);
        Conv2DChecks.RequireFits(geometry, operation, "the input", ThrowHelper.Shape(height, width), "k", kShape);
        Conv2DChecks.RequireShape(g, geometry.OutHeight, geometry.OutWidth, operation, "k", kShape, "the forward output");
        var result = new Matrix<T>(height, width);
        Conv2DCore.ScatterAdd<T>(k.Data, g.Data, result.Data, geometry);
        return result;
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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        const string operation = "Conv2DBackwardKernel";
        var geometry = Conv2DChecks.Geometry(channels, height, width, kernelHeight, kernelWidth, stride, padding);
        string xShape = ThrowHelper.Shape(x), gShape = ThrowHelper.Shape(g);
        Conv2DChecks.RequireImageRows(x, geometry, operation, "x", "g", gShape);
        Conv2DChecks.RequireFits(geometry, operation, "x", xShape, "g", gShape);
        int outChannels = g.Rows / geometry.OutPlane;
        Conv2DChecks.RequireShape(g, (long)outChannels * geometry.OutPlane, x.Cols, operation, "x", xShape,
            "output channels·h'·w' rows and one column per image of x");
        var result = new Matrix<T>(outChannels, channels * geometry.KernelPlane);
        if (result.Data.Length != 0 && x.Cols != 0)
        {
            Conv2DBatch.KernelGradient(
                Conv2DCore.ImagesOf(x), Conv2DCore.ImagesOf(g), outChannels, x.Cols, result.Data, geometry);
        }

        return result;
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
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(g);
        const string operation = "Conv2DBackwardInput";
        var geometry = Conv2DChecks.Geometry(channels, height, width, kernelHeight, kernelWidth, stride, padding);
        string kShape = ThrowHelper.Shape(k), gShape = ThrowHelper.Shape(g);
        Conv2DChecks.RequireFilterColumns(k, geometry, operation, "g", gShape);
        Conv2DChecks.RequireFits(geometry, operation, "g", gShape, "k", kShape);
        Conv2DChecks.RequireShape(g, (long)k.Rows * geometry.OutPlane, g.Cols, operation, "k", kShape,
            "output channels (rows of k)·h'·w' rows");
        int rows = Conv2DChecks.CheckedRows((long)channels * geometry.InPlane, g.Cols);
        var result = new Matrix<T>(rows, g.Cols);
        if (result.Data.Length == 0)
        {
            return result;
        }

        Span<T> inputGradients = Conv2DCore.ImageScratch(result);
        Conv2DBatch.InputGradient(k.Data, Conv2DCore.ImagesOf(g), k.Rows, g.Cols, inputGradients, geometry);
        Conv2DCore.StoreImages<T>(inputGradients, result);
        return result;
    }
}
