using System;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// The geometry of a 2-D cross-correlation or pooling window: <see cref="Channels"/> input planes of
/// <see cref="Height"/>×<see cref="Width"/>, a <see cref="KernelHeight"/>×<see cref="KernelWidth"/>
/// window moved by <see cref="Stride"/>, and <see cref="Padding"/> zeros on every side.
/// </summary>
internal readonly record struct ConvGeometry(
    int Channels, int Height, int Width, int KernelHeight, int KernelWidth, int Stride, int Padding)
{
    /// <summary>⌊(H + 2p − kₕ)/s⌋ + 1 (the caller checked that the window fits).</summary>
    public int OutHeight => ((Height + (2 * Padding) - KernelHeight) / Stride) + 1;

    /// <summary>⌊(W + 2p − k_w)/s⌋ + 1.</summary>
    public int OutWidth => ((Width + (2 * Padding) - KernelWidth) / Stride) + 1;

    /// <summary>h·w, the elements of one input plane.</summary>
    public int InPlane => Height * Width;

    /// <summary>h'·w', the elements of one output plane.</summary>
    public int OutPlane => OutHeight * OutWidth;

    /// <summary>kₕ·k_w, the elements of one kernel plane.</summary>
    public int KernelPlane => KernelHeight * KernelWidth;

    /// <summary>The output columns j whose tap b lands inside the input: 0 ≤ j·s + b − p &lt; W, as [start, end).</summary>
    public (int Start, int End) Columns(int b)
    {
        int shift = b - Padding; // input column = j·s + shift
        int start = shift >= 0 ? 0 : (-shift + Stride - 1) / Stride;
        int last = Width - 1 - shift;
        int end = last < 0 ? 0 : Math.Min(OutWidth, (last / Stride) + 1);
        return (start, end);
    }

    /// <summary>"3×5 (stride 2, padding 1)", for messages.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{KernelHeight}×{KernelWidth} (stride {Stride}, padding {Padding})");
}

/// <summary>
/// The direct loops of 2-D cross-correlation on single planes (one channel of one image, stored
/// row-major), and the batch transposes that bring channel-stacked matrices (one image per column)
/// to contiguous planes and back. Each loop walks output rows and kernel taps; with stride 1 the
/// inner work over an output row is one contiguous <see cref="TensorPrimitives"/> call, with a larger
/// stride a short strided loop. Padding is never materialized: taps outside the input are skipped.
/// </summary>
internal static class Conv2DCore
{
    /// <summary>output[i, j] += Σ_{a,b} input[i·s + a − p, j·s + b − p] · kernel[a, b] (the forward correlation).</summary>
    internal static void CorrelateAdd<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> kernel, Span<T> output, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = g.OutWidth, s = g.Stride;
        for (int i = 0; i < g.OutHeight; i++)
        {
            Span<T> outRow = output.Slice(i * ow, ow);
            for (int a = 0; a < g.KernelHeight; a++)
            {
                int y = (i * s) + a - g.Padding;
                if ((uint)y >= (uint)g.Height)
                {
                    continue;
                }

                ReadOnlySpan<T> inRow = input.Slice(y * g.Width, g.Width);
                for (int b = 0; b < g.KernelWidth; b++)
                {
                    (int start, int end) = g.Columns(b);
                    T k = kernel[(a * g.KernelWidth) + b];
                    int shift = b - g.Padding;
                    if (s == 1 && end > start)
                    {
                        Span<T> dst = outRow[start..end];
                        TensorPrimitives.MultiplyAdd<T>(inRow.Slice(start + shift, end - start), k, dst, dst);
                        continue;
                    }

                    for (int j = start; j < end; j++)
                    {
                        outRow[j] += inRow[(j * s) + shift] * k;
                    }
                }
            }
        }
    }

    /// <summary>
    /// inputGradient[i·s + a − p, j·s + b − p] += kernel[a, b] · outputGradient[i, j]: the adjoint of
    /// <see cref="CorrelateAdd"/> in its input, i.e. ∇H fully convolved with rot180(K), the stride
    /// handled by scattering (the same as dilating ∇H) and the padding cropped.
    /// </summary>
    internal static void ScatterAdd<T>(ReadOnlySpan<T> kernel, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = g.OutWidth, s = g.Stride;
        for (int i = 0; i < g.OutHeight; i++)
        {
            ReadOnlySpan<T> gRow = outputGradient.Slice(i * ow, ow);
            for (int a = 0; a < g.KernelHeight; a++)
            {
                int y = (i * s) + a - g.Padding;
                if ((uint)y >= (uint)g.Height)
                {
                    continue;
                }

                Span<T> dRow = inputGradient.Slice(y * g.Width, g.Width);
                for (int b = 0; b < g.KernelWidth; b++)
                {
                    (int start, int end) = g.Columns(b);
                    T k = kernel[(a * g.KernelWidth) + b];
                    int shift = b - g.Padding;
                    if (s == 1 && end > start)
                    {
                        Span<T> dst = dRow.Slice(start + shift, end - start);
                        TensorPrimitives.MultiplyAdd<T>(gRow[start..end], k, dst, dst);
                        continue;
                    }

                    for (int j = start; j < end; j++)
                    {
                        dRow[(j * s) + shift] += gRow[j] * k;
                    }
                }
            }
        }
    }

    /// <summary>
    /// kernelGradient[a, b] += Σ_{i,j} outputGradient[i, j] · input[i·s + a − p, j·s + b − p]: the
    /// adjoint of <see cref="CorrelateAdd"/> in its kernel, i.e. the valid correlation X ⋆ ∇H.
    /// </summary>
    internal static void KernelGradientAdd<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient, Span<T> kernelGradient, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = g.OutWidth, s = g.Stride;
        for (int i = 0; i < g.OutHeight; i++)
        {
            ReadOnlySpan<T> gRow = outputGradient.Slice(i * ow, ow);
            for (int a = 0; a < g.KernelHeight; a++)
            {
                int y = (i * s) + a - g.Padding;
                if ((uint)y >= (uint)g.Height)
                {
                    continue;
                }

                ReadOnlySpan<T> inRow = input.Slice(y * g.Width, g.Width);
                for (int b = 0; b < g.KernelWidth; b++)
                {
                    (int start, int end) = g.Columns(b);
                    int shift = b - g.Padding;
                    T sum = T.Zero;
                    if (s == 1 && end > start)
                    {
                        sum = TensorPrimitives.Dot<T>(gRow[start..end], inRow.Slice(start + shift, end - start));
                    }
                    else
                    {
                        for (int j = start; j < end; j++)
                        {
                            sum += gRow[j] * inRow[(j * s) + shift];
                        }
                    }

                    kernelGradient[(a * g.KernelWidth) + b] += sum;
                }
            }
        }
    }

    /// <summary>
    /// The images of a channel-stacked batch as contiguous rows: a rows×cols row-major matrix (one
    /// image per column) becomes cols×rows. With one column the storage already is the image, and is
    /// returned as is.
    /// </summary>
    internal static ReadOnlySpan<T> ImagesOf<T>(Matrix<T> batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (batch.Cols == 1)
        {
            return batch.Data;
        }

        var images = new T[batch.Data.Length];
        Transpose<T>(batch.Data, batch.Rows, batch.Cols, images);
        return images;
    }

    /// <summary>Scratch for per-image results (the destination's storage itself when it has one column).</summary>
    internal static Span<T> ImageScratch<T>(Matrix<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        destination.Cols == 1 ? destination.Data : new T[destination.Data.Length];

    /// <summary>Writes per-image rows back as columns of <paramref name="destination"/> (nothing to do for one column).</summary>
    internal static void StoreImages<T>(ReadOnlySpan<T> images, Matrix<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (destination.Cols != 1)
        {
            Transpose(images, destination.Cols, destination.Rows, destination.Data);
        }
    }

    /// <summary>destination (cols×rows) = sourceᵀ, source rows×cols, both row-major; 16×16 blocks.</summary>
    private static void Transpose<T>(ReadOnlySpan<T> source, int rows, int cols, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int block = 16;
        for (int i0 = 0; i0 < rows; i0 += block)
        {
            int i1 = Math.Min(rows, i0 + block);
            for (int j0 = 0; j0 < cols; j0 += block)
            {
                int j1 = Math.Min(cols, j0 + block);
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < j1; j++)
                    {
                        destination[(j * rows) + i] = source[(i * cols) + j];
                    }
                }
            }
        }
    }
}

/// <summary>
/// The batched, multi-channel drivers: images as contiguous rows (see <see cref="Conv2DCore.ImagesOf{T}"/>),
/// kernels as rows of C_in planes. Every output plane is the sum over input channels of one plane
/// correlation; the adjoints follow the same loops.
/// </summary>
internal static class Conv2DBatch
{
    /// <summary>H[n, o] = Σ_c X[n, c] ⋆ K[o, c] for every image n and output channel o.</summary>
    internal static void Forward<T>(ReadOnlySpan<T> images, ReadOnlySpan<T> kernels, int outChannels, int batch, Span<T> outImages, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inImage = g.Channels * g.InPlane, outImage = outChannels * g.OutPlane, filter = g.Channels * g.KernelPlane;
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < outChannels; o++)
            {
                Span<T> output = outImages.Slice((n * outImage) + (o * g.OutPlane), g.OutPlane);
                for (int c = 0; c < g.Channels; c++)
                {
                    Conv2DCore.CorrelateAdd(
                        images.Slice((n * inImage) + (c * g.InPlane), g.InPlane),
                        kernels.Slice((o * filter) + (c * g.KernelPlane), g.KernelPlane),
                        output, g);
                }
            }
        }
    }

    /// <summary>∇K[o, c] = Σ_n X[n, c] ⋆ ∇H[n, o] (valid correlation, accumulated over the batch).</summary>
    internal static void KernelGradient<T>(ReadOnlySpan<T> images, ReadOnlySpan<T> gradients, int outChannels, int batch, Span<T> kernelGradient, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inImage = g.Channels * g.InPlane, outImage = outChannels * g.OutPlane, filter = g.Channels * g.KernelPlane;
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < outChannels; o++)
            {
                ReadOnlySpan<T> gradient = gradients.Slice((n * outImage) + (o * g.OutPlane), g.OutPlane);
                for (int c = 0; c < g.Channels; c++)
                {
                    Conv2DCore.KernelGradientAdd(
                        images.Slice((n * inImage) + (c * g.InPlane), g.InPlane),
                        gradient,
                        kernelGradient.Slice((o * filter) + (c * g.KernelPlane), g.KernelPlane),
                        g);
                }
            }
        }
    }

    /// <summary>∇X[n, c] = Σ_o ∇H[n, o] ∗full rot180(K[o, c]) (by scattering; padding cropped).</summary>
    internal static void InputGradient<T>(ReadOnlySpan<T> kernels, ReadOnlySpan<T> gradients, int outChannels, int batch, Span<T> inputGradients, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inImage = g.Channels * g.InPlane, outImage = outChannels * g.OutPlane, filter = g.Channels * g.KernelPlane;
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < outChannels; o++)
            {
                ReadOnlySpan<T> gradient = gradients.Slice((n * outImage) + (o * g.OutPlane), g.OutPlane);
                for (int c = 0; c < g.Channels; c++)
                {
                    Conv2DCore.ScatterAdd(
                        kernels.Slice((o * filter) + (c * g.KernelPlane), g.KernelPlane),
                        gradient,
                        inputGradients.Slice((n * inImage) + (c * g.InPlane), g.InPlane),
                        g);
                }
            }
        }
    }
}
