using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// The loops of max and average pooling on channel-stacked batches (row r = element r of every
/// image, one image per column). A window element is a whole row, so the forward passes and the
/// average-pooling adjoint are one <see cref="TensorPrimitives"/> call per window element over the
/// batch; a single image is the batch of one (its matrix storage read as an (h·w)×1 column).
/// No validation: callers check shapes.
/// </summary>
internal static class Pool2DCore
{
    /// <summary>out[(c, i, j)] = max over the window of x[(c, i·s + a, j·s + b)], per image (NaN propagates).</summary>
    internal static void MaxForward<T>(ReadOnlySpan<T> x, int batch, Span<T> output, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int c = 0; c < g.Channels; c++)
        {
            for (int i = 0; i < g.OutHeight; i++)
            {
                for (int j = 0; j < g.OutWidth; j++)
                {
                    Span<T> outRow = output.Slice(OutputRow(g, c, i, j) * batch, batch);
                    int first = InputRow(g, c, i * g.Stride, j * g.Stride);
                    x.Slice(first * batch, batch).CopyTo(outRow);
                    for (int a = 0; a < g.KernelHeight; a++)
                    {
                        for (int b = a == 0 ? 1 : 0; b < g.KernelWidth; b++)
                        {
                            int row = InputRow(g, c, (i * g.Stride) + a, (j * g.Stride) + b);
                            TensorPrimitives.Max<T>(x.Slice(row * batch, batch), outRow, outRow);
                        }
                    }
                }
            }
        }
    }

    /// <summary>out[(c, i, j)] = the mean over the window of x[(c, i·s + a, j·s + b)], per image.</summary>
    internal static void AverageForward<T>(ReadOnlySpan<T> x, int batch, Span<T> output, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.One / T.CreateChecked(g.KernelPlane);
        for (int c = 0; c < g.Channels; c++)
        {
            for (int i = 0; i < g.OutHeight; i++)
            {
                for (int j = 0; j < g.OutWidth; j++)
                {
                    Span<T> outRow = output.Slice(OutputRow(g, c, i, j) * batch, batch);
                    for (int a = 0; a < g.KernelHeight; a++)
                    {
                        for (int b = 0; b < g.KernelWidth; b++)
                        {
                            int row = InputRow(g, c, (i * g.Stride) + a, (j * g.Stride) + b);
                            TensorPrimitives.Add<T>(outRow, x.Slice(row * batch, batch), outRow);
                        }
                    }

                    TensorPrimitives.Multiply<T>(outRow, scale, outRow);
                }
            }
        }
    }

    /// <summary>
    /// dx[argmax of each window] += g[(c, i, j)], per image: the first maximum in row-major window
    /// order (ties and repeated NaN go to the first); overlapping windows accumulate.
    /// </summary>
    internal static void MaxBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradient, int batch, Span<T> inputGradient, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int c = 0; c < g.Channels; c++)
        {
            for (int i = 0; i < g.OutHeight; i++)
            {
                for (int j = 0; j < g.OutWidth; j++)
                {
                    int outRow = OutputRow(g, c, i, j);
                    for (int n = 0; n < batch; n++)
                    {
                        int best = ArgMax(x, batch, n, g, c, i * g.Stride, j * g.Stride);
                        inputGradient[(best * batch) + n] += gradient[(outRow * batch) + n];
                    }
                }
            }
        }
    }

    /// <summary>
    /// out[(c, i, j)] = dx at the window's argmax of x, per image: the differential of max pooling along dx
    /// (forward mode; the transpose of <see cref="MaxBackward"/>, with the same first-maximum rule).
    /// </summary>
    internal static void MaxTangent<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dx, int batch, Span<T> output, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int c = 0; c < g.Channels; c++)
        {
            for (int i = 0; i < g.OutHeight; i++)
            {
                for (int j = 0; j < g.OutWidth; j++)
                {
                    int outRow = OutputRow(g, c, i, j);
                    for (int n = 0; n < batch; n++)
                    {
                        int best = ArgMax(x, batch, n, g, c, i * g.Stride, j * g.Stride);
                        output[(outRow * batch) + n] = dx[(best * batch) + n];
                    }
                }
            }
        }
    }

    /// <summary>dx[(c, i·s + a, j·s + b)] += g[(c, i, j)] / size² for every window element, per image.</summary>
    internal static void AverageBackward<T>(ReadOnlySpan<T> gradient, int batch, Span<T> inputGradient, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.One / T.CreateChecked(g.KernelPlane);
        for (int c = 0; c < g.Channels; c++)
        {
            for (int i = 0; i < g.OutHeight; i++)
            {
                for (int j = 0; j < g.OutWidth; j++)
                {
                    ReadOnlySpan<T> gRow = gradient.Slice(OutputRow(g, c, i, j) * batch, batch);
                    for (int a = 0; a < g.KernelHeight; a++)
                    {
                        for (int b = 0; b < g.KernelWidth; b++)
                        {
                            int row = InputRow(g, c, (i * g.Stride) + a, (j * g.Stride) + b);
                            Span<T> dst = inputGradient.Slice(row * batch, batch);
                            TensorPrimitives.MultiplyAdd<T>(gRow, scale, dst, dst);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The row (input element index) of the first maximum of the window at (top, left) in image n.</summary>
    private static int ArgMax<T>(ReadOnlySpan<T> x, int batch, int n, in ConvGeometry g, int c, int top, int left)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int bestRow = InputRow(g, c, top, left);
        T best = x[(bestRow * batch) + n];
        for (int a = 0; a < g.KernelHeight; a++)
        {
            for (int b = 0; b < g.KernelWidth; b++)
            {
                int row = InputRow(g, c, top + a, left + b);
                T value = x[(row * batch) + n];
                if (value > best || (T.IsNaN(value) && !T.IsNaN(best)))
                {
                    best = value;
                    bestRow = row;
                }
            }
        }

        return bestRow;
    }

    private static int InputRow(in ConvGeometry g, int c, int y, int x) => (c * g.InPlane) + (y * g.Width) + x;

    private static int OutputRow(in ConvGeometry g, int c, int i, int j) => (c * g.OutPlane) + (i * g.OutWidth) + j;
}
