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
/// The direct loops of batched, multi-channel 2-D cross-correlation and its two adjoints, on the
/// channel-stacked layout itself ((C·h·w)×N row-major: matrix row r is pixel r of every image, so a
/// row is a contiguous run over the batch). One walk over output channels o, input channels c,
/// output rows i, kernel taps (a, b) and the run of output columns j whose tap lands inside the input
/// serves all three roles; each tap is a multiply-add (or dot product) of whole rows over the batch.
/// With stride 1 and every column in hand, the rows of a run are adjacent, so a run is one contiguous
/// multiply-add or dot product of (run length)·N elements (<see cref="GemmVectorOps"/>: optimized from the first call). Padding is never materialized: taps
/// outside the input are skipped. A single image is the batch of one (its storage read as an (h·w)×1
/// column). No validation: callers check shapes. Large batches run on several threads (see
/// <see cref="Conv2DBatch"/>).
/// </summary>
internal static class Conv2DCore
{
    /// <summary>One kernel tap applied to a run of output positions (the inner statement of a role).</summary>
    internal interface ITap<TSelf, T>
        where TSelf : struct, ITap<TSelf, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>
        /// The role on operands <paramref name="a"/>, <paramref name="b"/> (see each role) writing into
        /// <paramref name="output"/> from <paramref name="outputOffset"/>, over the batch columns [n0, n1).
        /// </summary>
        static abstract TSelf Create(T[] a, T[] b, T[] output, int outputOffset, int batch, int stride, int n0, int n1);

        /// <summary>
        /// Whether the role's output rows belong to input channels (∇X) rather than to filters (forward, ∇K):
        /// threads that take disjoint ranges of those write disjoint outputs.
        /// </summary>
        static abstract bool OutputByInputChannel { get; }

        /// <summary>
        /// Filter element <paramref name="kernelIndex"/> between output rows <paramref name="outRow"/> + t and input
        /// rows <paramref name="inRow"/> + t·stride, for t in [0, <paramref name="count"/>).
        /// </summary>
        void Run(int kernelIndex, int outRow, int inRow, int count);
    }

    /// <summary>
    /// Walks every tap of filters [o0, o1) × input channels [c0, c1): output row (o, i, j) meets input row
    /// (c, i·s + a − p, j·s + b − p) through filter element (o, c, a, b). Per output (or input) element the
    /// taps come in the order c, a, b (or o, i, b), whatever the ranges.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static void Walk<T, TTap>(ref TTap tap, in ConvGeometry g, int o0, int o1, int c0, int c1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTap : struct, ITap<TTap, T>
    {
        int ow = g.OutWidth, s = g.Stride, filter = g.Channels * g.KernelPlane;
        for (int o = o0; o < o1; o++)
        {
            for (int c = c0; c < c1; c++)
            {
                for (int i = 0; i < g.OutHeight; i++)
                {
                    int outRow = (o * g.OutPlane) + (i * ow);
                    for (int a = 0; a < g.KernelHeight; a++)
                    {
                        int y = (i * s) + a - g.Padding;
                        if ((uint)y >= (uint)g.Height)
                        {
                            continue;
                        }

                        int inRow = (c * g.InPlane) + (y * g.Width);
                        int kernelRow = (o * filter) + (c * g.KernelPlane) + (a * g.KernelWidth);
                        for (int b = 0; b < g.KernelWidth; b++)
                        {
                            (int start, int end) = g.Columns(b);
                            if (end > start)
                            {
                                tap.Run(kernelRow + b, outRow + start, inRow + (start * s) + b - g.Padding, end - start);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>output[(o, i, j)] += k[(o, c, a, b)] · x[(c, y, x)]: the forward correlation, on columns [n0, n1) (a = x, b = k).</summary>
    internal readonly struct Forward<T>(T[] x, T[] kernels, T[] output, int batch, int stride, int n0, int n1) : ITap<Forward<T>, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Forward<T> Create(T[] a, T[] b, T[] output, int outputOffset, int batch, int stride, int n0, int n1) =>
            new(a, b, output, batch, stride, n0, n1);

        public static bool OutputByInputChannel => false;

        public void Run(int kernelIndex, int outRow, int inRow, int count) =>
            Runs.MultiplyAdd(x, inRow, stride, kernels[kernelIndex], output, outRow, 1, count, batch, n0, n1);
    }

    /// <summary>
    /// dx[(c, y, x)] += k[(o, c, a, b)] · g[(o, i, j)]: the adjoint in the input (∇H fully convolved with
    /// rot180 K, the stride handled by scattering, the padding cropped), on columns [n0, n1) (a = k, b = g).
    /// </summary>
    internal readonly struct InputGradient<T>(T[] kernels, T[] gradient, T[] inputGradient, int batch, int stride, int n0, int n1) : ITap<InputGradient<T>, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static InputGradient<T> Create(T[] a, T[] b, T[] output, int outputOffset, int batch, int stride, int n0, int n1) =>
            new(a, b, output, batch, stride, n0, n1);

        public static bool OutputByInputChannel => true;

        public void Run(int kernelIndex, int outRow, int inRow, int count) =>
            Runs.MultiplyAdd(gradient, outRow, 1, kernels[kernelIndex], inputGradient, inRow, stride, count, batch, n0, n1);
    }

    /// <summary>
    /// kernelGradient[(o, c, a, b)] += Σ g[(o, i, j)] · x[(c, y, x)] over the run and columns [n0, n1): the
    /// adjoint in the kernel (the valid correlation X ⋆ ∇H, summed over the images) (a = x, b = g; the
    /// gradient is written from <c>offset</c> on, so that workers can fill disjoint partial sums).
    /// </summary>
    internal readonly struct KernelGradient<T>(T[] x, T[] gradient, T[] kernelGradient, int offset, int batch, int stride, int n0, int n1)
        : ITap<KernelGradient<T>, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static KernelGradient<T> Create(T[] a, T[] b, T[] output, int outputOffset, int batch, int stride, int n0, int n1) =>
            new(a, b, output, outputOffset, batch, stride, n0, n1);

        public static bool OutputByInputChannel => false;

        public void Run(int kernelIndex, int outRow, int inRow, int count) =>
            kernelGradient[offset + kernelIndex] += Runs.Dot(gradient, outRow, x, inRow, stride, count, batch, n0, n1);
    }

    /// <summary>The row-run primitives of the three roles.</summary>
    private static class Runs
    {
        /// <summary>Below this many elements a scalar loop beats a TensorPrimitives call (same rounding: x·k + d, unfused).</summary>
        private const int Short = 8;

        /// <summary>
        /// d[(dRow + t·dStep), n] += k · s[(sRow + t·sStep), n] for t &lt; count, n in [n0, n1); one contiguous call
        /// when both steps are 1 and the whole batch is in hand (the run's rows are then adjacent).
        /// </summary>
        public static void MultiplyAdd<T>(
            T[] source, int sourceRow, int sourceStep, T k, T[] destination, int destinationRow, int destinationStep,
            int count, int batch, int n0, int n1)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int width = n1 - n0;
            if (sourceStep == 1 && destinationStep == 1 && width == batch)
            {
                width *= count;
                count = 1;
            }

            for (int t = 0; t < count; t++)
            {
                var s = source.AsSpan(((sourceRow + (t * sourceStep)) * batch) + n0, width);
                var d = destination.AsSpan(((destinationRow + (t * destinationStep)) * batch) + n0, width);
                if (width < Short)
                {
                    for (int n = 0; n < s.Length; n++)
                    {
                        d[n] = (s[n] * k) + d[n];
                    }
                }
                else
                {
                    GemmVectorOps.MultiplyAdd<T>(s, k, d);
                }
            }
        }

        /// <summary>Σ over t &lt; count and n in [n0, n1) of g[(gRow + t), n] · x[(xRow + t·xStep), n] (one dot when contiguous).</summary>
        public static T Dot<T>(T[] gradient, int gradientRow, T[] x, int xRow, int xStep, int count, int batch, int n0, int n1)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int width = n1 - n0;
            if (xStep == 1 && width == batch)
            {
                return GemmVectorOps.Dot<T>(
                    gradient.AsSpan(gradientRow * batch, count * batch), x.AsSpan(xRow * batch, count * batch));
            }

            T sum = T.Zero;
            for (int t = 0; t < count; t++)
            {
                var gRow = gradient.AsSpan(((gradientRow + t) * batch) + n0, width);
                var xRun = x.AsSpan(((xRow + (t * xStep)) * batch) + n0, width);
                sum += width == 1 ? gRow[0] * xRun[0] : GemmVectorOps.Dot<T>(gRow, xRun);
            }

            return sum;
        }
    }
}
