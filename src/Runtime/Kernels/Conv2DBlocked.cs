using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGradGen.Kernels;

/// <summary>
/// The batched forward correlation with its sums held in registers: for 8 output pixels × one vector of images at a
/// time, every tap (c, a, b) is a multiply and an add on values loaded from the input rows, and each output vector is
/// stored once, where <see cref="Conv2DCore.Walk{T, TTap}"/> reads and writes the output row once per tap.
/// </summary>
/// <remarks>
/// Stride 1, no padding, a batch that is a whole number of 512-bit vectors (W7: 64 images of 28×28, 5×5 filters).
/// Per output element the taps come in the walk's order c, a, b and each is the walk's unfused x·k + sum, so the result
/// is bit for bit <see cref="Conv2DCore.Forward{T}"/>'s, on any split by filters.
/// </remarks>
internal static unsafe class Conv2DBlocked
{
    /// <summary>Output pixels per register block: 8 accumulators, each one vector of images.</summary>
    private const int Pixels = 8;

    /// <summary>Whether the blocked forward applies: stride 1, no padding, whole 512-bit vectors of images.</summary>
    public static bool Applies<T>(in ConvGeometry g, int batch)
        where T : unmanaged
        => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && g.Stride == 1 && g.Padding == 0
           && batch > 0 && batch % Vector512<T>.Count == 0;

    /// <summary>
    /// The whole forward pass into <paramref name="output"/> (every element written), on the caller's thread or split over
    /// the <see cref="WorkerPool"/> like <see cref="Conv2DBatch"/>: by filters when there are two or more, else by columns.
    /// </summary>
    public static void Run<T>(T[] x, T[] kernels, T[] output, int outChannels, int batch, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Split(x, kernels, output, outChannels, batch, g, Conv2DBatch.Workers(g, outChannels, batch, outChannels), kernelGradient: false);
    }

    /// <summary>Runs <see cref="SplitJob{T}"/>'s pieces: on the caller's thread alone when there is one worker.</summary>
    private static void Split<T>(T[] x, T[] other, T[] output, int outChannels, int batch, in ConvGeometry g, int workers, bool kernelGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = SplitJob<T>.ForThisThread;
        job.Set(x, other, output, outChannels, batch, g, workers, kernelGradient);
        try
        {
            WorkerPool.Run(job, workers);
        }
        finally
        {
            job.Clear();
        }
    }

    /// <summary>H[(o, i, j), n] = Σ_c Σ_a Σ_b K[o, c, a, b] · X[(c, i + a, j + b), n] for filters [o0, o1) and columns [n0, n1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<T>(T[] x, T[] kernels, T[] output, int o0, int o1, int n0, int n1, int batch, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x, pk = kernels, po = output)
        {
            int ow = g.OutWidth;
            for (int o = o0; o < o1; o++)
            {
                for (int i = 0; i < g.OutHeight; i++)
                {
                    T* outRow = po + ((nint)((o * g.OutPlane) + (i * ow)) * batch);
                    for (int n = n0; n < n1; n += Vector512<T>.Count)
                    {
                        int j = 0;
                        for (; j + Pixels <= ow; j += Pixels)
                        {
                            Block8(px + n, pk, outRow + n, o, i, j, batch, g);
                        }
                        for (; j < ow; j++)
                        {
                            Pixel(px + n, pk, outRow + n, o, i, j, batch, g);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Output pixels j … j + 7 of row (o, i), one vector of images (x and output already offset to it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block8<T>(T* x, T* k, T* outRow, int o, int i, int j, int batch, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint step = batch;
        Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (int c = 0; c < g.Channels; c++)
        {
            for (int a = 0; a < g.KernelHeight; a++)
            {
                T* row = x + ((nint)((c * g.InPlane) + ((i + a) * g.Width) + j) * step);
                T* taps = k + (((o * g.Channels) + c) * g.KernelPlane) + (a * g.KernelWidth);
                for (int b = 0; b < g.KernelWidth; b++)
                {
                    var kb = Vector512.Create(taps[b]);
                    T* p = row + (b * step);
                    s0 += Vector512.Load(p) * kb;
                    s1 += Vector512.Load(p + step) * kb;
                    s2 += Vector512.Load(p + (2 * step)) * kb;
                    s3 += Vector512.Load(p + (3 * step)) * kb;
                    s4 += Vector512.Load(p + (4 * step)) * kb;
                    s5 += Vector512.Load(p + (5 * step)) * kb;
                    s6 += Vector512.Load(p + (6 * step)) * kb;
                    s7 += Vector512.Load(p + (7 * step)) * kb;
                }
            }
        }

        T* d = outRow + (j * step);
        s0.Store(d);
        s1.Store(d + step);
        s2.Store(d + (2 * step));
        s3.Store(d + (3 * step));
        s4.Store(d + (4 * step));
        s5.Store(d + (5 * step));
        s6.Store(d + (6 * step));
        s7.Store(d + (7 * step));
    }

    /// <summary>One output pixel j of row (o, i), one vector of images (the row's last pixels).</summary>
    private static void Pixel<T>(T* x, T* k, T* outRow, int o, int i, int j, int batch, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint step = batch;
        Vector512<T> s = default;
        for (int c = 0; c < g.Channels; c++)
        {
            for (int a = 0; a < g.KernelHeight; a++)
            {
                T* row = x + ((nint)((c * g.InPlane) + ((i + a) * g.Width) + j) * step);
                T* taps = k + (((o * g.Channels) + c) * g.KernelPlane) + (a * g.KernelWidth);
                for (int b = 0; b < g.KernelWidth; b++)
                {
                    s += Vector512.Load(row + (b * step)) * Vector512.Create(taps[b]);
                }
            }
        }

        s.Store(outRow + (j * step));
    }

    /// <summary>
    /// ∇K[o, c, a, b] = Σ_i ⟨G row run (o, i), X row run (c, i + a) shifted by b⟩ into <paramref name="kernelGradient"/>
    /// (cleared here), on the caller's thread or split by filters; false (nothing written) when the work would be split by
    /// columns (one filter, a large batch), which the tap walk does with per-worker partial sums.
    /// </summary>
    /// <remarks>
    /// For each (o, c, a, i) the kₕ … k_w dot products of one run of G with the k_w shifted runs of X are computed
    /// together, four at a time: each vector of G is loaded once for all of them, and eight accumulator chains are in
    /// flight where one dot product had two. Each dot keeps <see cref="GemmVectorOps.Dot{T}"/>'s order (even vectors in one
    /// chain, odd in the other, then the lanes) and is added to ∇K in the walk's order of i, so the result is bit for bit
    /// the walk's.
    /// </remarks>
    public static bool TryKernelGradient<T>(T[] x, T[] gradient, T[] kernelGradient, int outChannels, int batch, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int workers = Conv2DBatch.Workers(g, outChannels, batch, outChannels);
        if (workers > 1 && outChannels < 2)
        {
            return false;
        }

        kernelGradient.AsSpan().Clear();
        Split(x, gradient, kernelGradient, outChannels, batch, g, workers, kernelGradient: true);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelGradient<T>(T[] x, T[] gradient, T[] kernelGradient, int o0, int o1, int batch, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = g.OutWidth, length = ow * batch;
        fixed (T* px = x, pg = gradient, pk = kernelGradient)
        {
            for (int o = o0; o < o1; o++)
            {
                for (int c = 0; c < g.Channels; c++)
                {
                    for (int a = 0; a < g.KernelHeight; a++)
                    {
                        T* sums = pk + (((o * g.Channels) + c) * g.KernelPlane) + (a * g.KernelWidth);
                        for (int i = 0; i < g.OutHeight; i++)
                        {
                            T* run = pg + ((nint)((o * g.OutPlane) + (i * ow)) * batch);
                            T* input = px + ((nint)((c * g.InPlane) + ((i + a) * g.Width)) * batch);
                            for (int b = 0; b < g.KernelWidth; b += 4)
                            {
                                T* shifted = input + ((nint)b * batch);
                                switch (g.KernelWidth - b)
                                {
                                    case 1:
                                        Dots<T, C1>(run, shifted, batch, length, sums + b);
                                        break;
                                    case 2:
                                        Dots<T, C2>(run, shifted, batch, length, sums + b);
                                        break;
                                    case 3:
                                        Dots<T, C3>(run, shifted, batch, length, sums + b);
                                        break;
                                    default:
                                        Dots<T, C4>(run, shifted, batch, length, sums + b);
                                        break;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>sums[t] += ⟨run, input shifted by t·shift⟩ over <paramref name="length"/> elements (a multiple of the vector width), t &lt; TCount.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots<T, TCount>(T* run, T* input, nint shift, int length, T* sums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TCount : struct, IConstant
    {
        int w = Vector512<T>.Count, t = 0;
        Vector512<T> e0 = default, e1 = default, e2 = default, e3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
        for (; t + (2 * w) <= length; t += 2 * w)
        {
            var even = Vector512.Load(run + t);
            var odd = Vector512.Load(run + t + w);
            T* p = input + t;
            e0 = GemmSimd.MulAdd(even, Vector512.Load(p), e0);
            d0 = GemmSimd.MulAdd(odd, Vector512.Load(p + w), d0);
            if (TCount.Value > 1)
            {
                e1 = GemmSimd.MulAdd(even, Vector512.Load(p + shift), e1);
                d1 = GemmSimd.MulAdd(odd, Vector512.Load(p + shift + w), d1);
            }
            if (TCount.Value > 2)
            {
                e2 = GemmSimd.MulAdd(even, Vector512.Load(p + (2 * shift)), e2);
                d2 = GemmSimd.MulAdd(odd, Vector512.Load(p + (2 * shift) + w), d2);
            }
            if (TCount.Value > 3)
            {
                e3 = GemmSimd.MulAdd(even, Vector512.Load(p + (3 * shift)), e3);
                d3 = GemmSimd.MulAdd(odd, Vector512.Load(p + (3 * shift) + w), d3);
            }
        }
        if (t < length)
        {
            var last = Vector512.Load(run + t);
            T* p = input + t;
            e0 = GemmSimd.MulAdd(last, Vector512.Load(p), e0);
            e1 = TCount.Value > 1 ? GemmSimd.MulAdd(last, Vector512.Load(p + shift), e1) : e1;
            e2 = TCount.Value > 2 ? GemmSimd.MulAdd(last, Vector512.Load(p + (2 * shift)), e2) : e2;
            e3 = TCount.Value > 3 ? GemmSimd.MulAdd(last, Vector512.Load(p + (3 * shift)), e3) : e3;
        }
        sums[0] += Vector512.Sum(e0 + d0);
        if (TCount.Value > 1)
        {
            sums[1] += Vector512.Sum(e1 + d1);
        }
        if (TCount.Value > 2)
        {
            sums[2] += Vector512.Sum(e2 + d2);
        }
        if (TCount.Value > 3)
        {
            sums[3] += Vector512.Sum(e3 + d3);
        }
    }

    /// <summary>
    /// One split of <see cref="Run{T}"/> or <see cref="TryKernelGradient{T}"/> as a pool job (this thread's reusable object):
    /// piece w is worker w's filters, or its columns for a forward pass with one filter (∇K with one filter runs on one worker).
    /// </summary>
    private sealed class SplitJob<T> : PoolJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static SplitJob<T>? t_job;

        private T[] _x = [], _other = [], _output = [];
        private int _outChannels, _batch, _workers;
        private bool _kernelGradient;
        private ConvGeometry _geometry;

        public static SplitJob<T> ForThisThread => t_job ??= new SplitJob<T>();

        /// <param name="x">The input X.</param>
        /// <param name="other">The filters K (forward) or the gradient G (∇K).</param>
        /// <param name="output">H or ∇K.</param>
        /// <param name="outChannels">C_out.</param>
        /// <param name="batch">N.</param>
        /// <param name="geometry">The window.</param>
        /// <param name="workers">The number of pieces.</param>
        /// <param name="kernelGradient">∇K rather than the forward pass.</param>
        public void Set(T[] x, T[] other, T[] output, int outChannels, int batch, in ConvGeometry geometry, int workers, bool kernelGradient)
        {
            (_x, _other, _output) = (x, other, output);
            (_outChannels, _batch, _workers, _geometry, _kernelGradient) = (outChannels, batch, workers, geometry, kernelGradient);
            Reset(workers);
        }

        /// <summary>Drops the references to the caller's arrays.</summary>
        public void Clear() => (_x, _other, _output) = ([], [], []);

        public override void Execute(int index)
        {
            if (_outChannels < 2 && !_kernelGradient)
            {
                (int n0, int n1) = Conv2DBatch.Share(_batch, _workers, index, Vector512<T>.Count);
                Forward(_x, _other, _output, 0, _outChannels, n0, n1, _batch, _geometry);
                return;
            }

            (int start, int end) = Conv2DBatch.Share(_outChannels, _workers, index, 1);
            if (_kernelGradient)
            {
                KernelGradient(_x, _other, _output, start, end, _batch, _geometry);
            }
            else
            {
                Forward(_x, _other, _output, start, end, 0, _batch, _batch, _geometry);
            }
        }
    }
}
