using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGradGen.Kernels;

/// <summary>
/// Direct kernels for a batch of one image (C_in planes of h×w, C_out filters): the forward
/// correlation and its two adjoints, plane by plane. The batched kernels (<see cref="Conv2DCore"/>)
/// vectorize over the batch, so with one image every tap becomes a short call; here the SIMD runs
/// along the output row instead and a stretch of the row stays in registers across every tap.
/// </summary>
/// <remarks>
/// Padding is materialized once per call in a per-thread scratch plane (never allocated in steady
/// state), so the inner loops are valid correlations with no bounds logic:
/// <list type="bullet">
/// <item>forward: H[o] += X̃[c] ⋆ K[o, c] (X̃ the padded plane);</item>
/// <item>∇K[o, c] = X̃[c] ⋆ ∇H[o] (valid correlation, one horizontal sum per tap);</item>
/// <item>∇X: with stride 1, ∇X̃[c] += pad(∇H[o], kₕ−1, k_w−1) ⋆ rot180 K[o, c] (the same forward
/// kernel), cropped by p; with stride &gt; 1 the scatter ∇X̃[i·s + a, j·s + b] += K[a, b]·∇H[i, j].</item>
/// </list>
/// Strides above 1 run scalar loops (they read every s-th element). The sums are in another order
/// than the batched path: the results agree to rounding, not bitwise.
/// </remarks>
internal static class Conv2DSingle
{
    /// <summary>H (C_out·h'·w') += correlation of every input plane of x (C_in·h·w) with its filter plane of k.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> kernels, int outChannels, Span<T> output, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int paddedWidth = g.Width + (2 * g.Padding);
        for (int c = 0; c < g.Channels; c++)
        {
            ReadOnlySpan<T> plane = Padded(x.Slice(c * g.InPlane, g.InPlane), g, Scratch<T>.Input);
            for (int o = 0; o < outChannels; o++)
            {
                var k = kernels.Slice(((o * g.Channels) + c) * g.KernelPlane, g.KernelPlane);
                var h = output.Slice(o * g.OutPlane, g.OutPlane);
                CorrelateAdd(plane, paddedWidth, k, g.KernelHeight, g.KernelWidth, h, g.OutHeight, g.OutWidth, g.Stride);
            }
        }
    }

    /// <summary>∇K (C_out×(C_in·kₕ·k_w)) += X̃[c] ⋆ ∇H[o] for every filter plane.</summary>
    public static void KernelGradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradient, int outChannels, Span<T> kernelGradient, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int paddedWidth = g.Width + (2 * g.Padding);
        for (int c = 0; c < g.Channels; c++)
        {
            ReadOnlySpan<T> plane = Padded(x.Slice(c * g.InPlane, g.InPlane), g, Scratch<T>.Input);
            for (int o = 0; o < outChannels; o++)
            {
                var dk = kernelGradient.Slice(((o * g.Channels) + c) * g.KernelPlane, g.KernelPlane);
                var gh = gradient.Slice(o * g.OutPlane, g.OutPlane);
                for (int a = 0; a < g.KernelHeight; a++)
                {
                    for (int b = 0; b < g.KernelWidth; b++)
                    {
                        dk[(a * g.KernelWidth) + b] += TapDot(plane, paddedWidth, a, b, gh, g.OutHeight, g.OutWidth, g.Stride);
                    }
                }
            }
        }
    }

    /// <summary>∇X (C_in·h·w) += Σ_o the adjoint of the correlation with K[o, c], applied to ∇H[o].</summary>
    public static void InputGradient<T>(ReadOnlySpan<T> kernels, ReadOnlySpan<T> gradient, int outChannels, Span<T> inputGradient, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int paddedHeight = g.Height + (2 * g.Padding), paddedWidth = g.Width + (2 * g.Padding);
        Span<T> dxp = Scratch<T>.Get(Scratch<T>.Output, paddedHeight * paddedWidth);
        Span<T> rotated = Scratch<T>.Get(Scratch<T>.Kernel, g.KernelPlane);
        for (int c = 0; c < g.Channels; c++)
        {
            dxp.Clear();
            for (int o = 0; o < outChannels; o++)
            {
                var k = kernels.Slice(((o * g.Channels) + c) * g.KernelPlane, g.KernelPlane);
                var gh = gradient.Slice(o * g.OutPlane, g.OutPlane);
                if (g.Stride == 1)
                {
                    // ∇X̃ = ∇H padded by (kₕ − 1, k_w − 1) ⋆ rot180 K: the full convolution as a valid correlation.
                    for (int t = 0; t < k.Length; t++)
                    {
                        rotated[k.Length - 1 - t] = k[t];
                    }

                    var full = new ConvGeometry(1, g.OutHeight, g.OutWidth, g.KernelHeight, g.KernelWidth, 1, 0);
                    int fullWidth = g.OutWidth + (2 * (g.KernelWidth - 1));
                    ReadOnlySpan<T> padded = PaddedBy(gh, full, g.KernelHeight - 1, g.KernelWidth - 1, Scratch<T>.Input);
                    CorrelateAdd(padded, fullWidth, rotated, g.KernelHeight, g.KernelWidth, dxp, paddedHeight, paddedWidth, 1);
                }
                else
                {
                    ScatterAdd(k, g.KernelHeight, g.KernelWidth, gh, g.OutHeight, g.OutWidth, g.Stride, dxp, paddedWidth);
                }
            }

            var dx = inputGradient.Slice(c * g.InPlane, g.InPlane);
            for (int y = 0; y < g.Height; y++)
            {
                var source = dxp.Slice(((y + g.Padding) * paddedWidth) + g.Padding, g.Width);
                System.Numerics.Tensors.TensorPrimitives.Add<T>(dx.Slice(y * g.Width, g.Width), source, dx.Slice(y * g.Width, g.Width));
            }
        }
    }

    /// <summary>The plane itself when there is no padding, else a copy with <c>p</c> zeros on every side in scratch.</summary>
    private static ReadOnlySpan<T> Padded<T>(ReadOnlySpan<T> plane, in ConvGeometry g, Scratch<T>.Slot slot)
        where T : unmanaged, IFloatingPointIeee754<T>
        => g.Padding == 0 ? plane : PaddedBy(plane, g, g.Padding, g.Padding, slot);

    /// <summary>An h×w plane with <paramref name="rows"/> zero rows above and below and <paramref name="cols"/> zero columns either side.</summary>
    private static ReadOnlySpan<T> PaddedBy<T>(ReadOnlySpan<T> plane, in ConvGeometry g, int rows, int cols, Scratch<T>.Slot slot)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = g.Width + (2 * cols);
        Span<T> padded = Scratch<T>.Get(slot, (g.Height + (2 * rows)) * width);
        padded.Clear();
        for (int y = 0; y < g.Height; y++)
        {
            plane.Slice(y * g.Width, g.Width).CopyTo(padded.Slice(((y + rows) * width) + cols));
        }

        return padded;
    }

    /// <summary>
    /// out[i, j] += Σ_ab k[a, b] · x[(i·s + a)·ldx + j·s + b] (valid correlation; out is oh×ow). With stride 1,
    /// runs of 2 vectors of the output row stay in registers across all taps.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CorrelateAdd<T>(ReadOnlySpan<T> x, int ldx, ReadOnlySpan<T> k, int kh, int kw, Span<T> output, int oh, int ow, int s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T k0 = ref MemoryMarshal.GetReference(k);
        ref T o0 = ref MemoryMarshal.GetReference(output);
        int v = Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && s == 1 ? Vector256<T>.Count : 0;
        for (int i = 0; i < oh; i++)
        {
            ref T row = ref Unsafe.Add(ref o0, i * ow);
            nint top = i * s * ldx;
            int j = 0;
            if (v > 0)
            {
                for (; j + (2 * v) <= ow; j += 2 * v)
                {
                    var acc0 = Vector256.LoadUnsafe(ref row, (nuint)j);
                    var acc1 = Vector256.LoadUnsafe(ref row, (nuint)(j + v));
                    for (int a = 0; a < kh; a++)
                    {
                        ref T xr = ref Unsafe.Add(ref x0, top + (a * ldx) + j);
                        for (int b = 0; b < kw; b++)
                        {
                            var kv = Vector256.Create(Unsafe.Add(ref k0, (a * kw) + b));
                            acc0 += kv * Vector256.LoadUnsafe(ref xr, (nuint)b);
                            acc1 += kv * Vector256.LoadUnsafe(ref xr, (nuint)(b + v));
                        }
                    }

                    acc0.StoreUnsafe(ref row, (nuint)j);
                    acc1.StoreUnsafe(ref row, (nuint)(j + v));
                }
            }

            for (; j < ow; j++)
            {
                T sum = Unsafe.Add(ref row, j);
                for (int a = 0; a < kh; a++)
                {
                    ref T xr = ref Unsafe.Add(ref x0, top + (a * ldx) + (j * s));
                    for (int b = 0; b < kw; b++)
                    {
                        sum += Unsafe.Add(ref k0, (a * kw) + b) * Unsafe.Add(ref xr, b);
                    }
                }

                Unsafe.Add(ref row, j) = sum;
            }
        }
    }

    /// <summary>Σ_ij g[i, j] · x[(i·s + a)·ldx + j·s + b]: tap (a, b) of the kernel adjoint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T TapDot<T>(ReadOnlySpan<T> x, int ldx, int a, int b, ReadOnlySpan<T> g, int oh, int ow, int s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T g0 = ref MemoryMarshal.GetReference(g);
        int v = Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && s == 1 ? Vector256<T>.Count : 0;
        var acc = Vector256<T>.Zero;
        T sum = T.Zero;
        for (int i = 0; i < oh; i++)
        {
            ref T xr = ref Unsafe.Add(ref x0, (((i * s) + a) * ldx) + b);
            ref T gr = ref Unsafe.Add(ref g0, i * ow);
            int j = 0;
            if (v > 0)
            {
                for (; j + v <= ow; j += v)
                {
                    acc += Vector256.LoadUnsafe(ref gr, (nuint)j) * Vector256.LoadUnsafe(ref xr, (nuint)j);
                }
            }

            for (; j < ow; j++)
            {
                sum += Unsafe.Add(ref gr, j) * Unsafe.Add(ref xr, j * s);
            }
        }

        return v > 0 ? sum + Vector256.Sum(acc) : sum;
    }

    /// <summary>dx[(i·s + a)·ldx + j·s + b] += k[a, b] · g[i, j] (the adjoint of a strided correlation, scalar).</summary>
    private static void ScatterAdd<T>(ReadOnlySpan<T> k, int kh, int kw, ReadOnlySpan<T> g, int oh, int ow, int s, Span<T> dx, int ldx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < oh; i++)
        {
            for (int a = 0; a < kh; a++)
            {
                var dr = dx.Slice(((i * s) + a) * ldx);
                for (int b = 0; b < kw; b++)
                {
                    T kv = k[(a * kw) + b];
                    for (int j = 0; j < ow; j++)
                    {
                        dr[(j * s) + b] += kv * g[(i * ow) + j];
                    }
                }
            }
        }
    }

    /// <summary>Per-thread scratch planes (padded input, padded ∇X, rotated kernel), grown on demand and reused.</summary>
    private static class Scratch<T>
    {
        [ThreadStatic]
        private static Slot? t_input;

        [ThreadStatic]
        private static Slot? t_output;

        [ThreadStatic]
        private static Slot? t_kernel;

        public static Slot Input => t_input ??= new Slot();

        public static Slot Output => t_output ??= new Slot();

        public static Slot Kernel => t_kernel ??= new Slot();

        public static Span<T> Get(Slot slot, int length)
        {
            if (slot.Buffer is null || slot.Buffer.Length < length)
            {
                slot.Buffer = new T[length];
            }

            return slot.Buffer.AsSpan(0, length);
        }

        /// <summary>One grown-on-demand buffer, so a caller can pass "which scratch" as one argument.</summary>
        public sealed class Slot
        {
            public T[]? Buffer { get; set; }
        }
    }
}
