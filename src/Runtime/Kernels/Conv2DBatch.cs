using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// The three convolution kernels on whole channel-stacked operands ((C·h·w)×N, one image per column;
/// a single image is C = N = 1), each writing its whole destination: the forward correlation, the
/// input adjoint and the filter adjoint. A batch of one image takes the direct kernels of
/// <see cref="Conv2DSingle"/> (SIMD along the output row instead of across the batch). From <see cref="ParallelWorkThreshold"/> multiply-adds on, the
/// work is split into pieces run by the caller and <see cref="WorkerPool"/> (no allocation): by the channels that
/// own the output rows (filters for the forward pass and ∇K, input channels for ∇X) when there are at
/// least two, else by columns (images).
/// </summary>
/// <remarks>
/// Split by channels, every worker walks whole rows (the contiguous stride-1 fast path stays) and writes
/// its own rows, so all three results are bitwise the single-threaded ones. Split by columns, the forward
/// pass and ∇X are still bitwise the same (each element sees the same sequence of multiply-adds), but ∇K
/// sums over the images: each worker sums its columns into its own partial gradient (worker 0 into the
/// destination, the others into a per-thread buffer of the caller), added in worker order
/// at the end — deterministic for a given worker count, rounded differently from one thread's sum.
/// </remarks>
internal static class Conv2DBatch
{
    /// <summary>
    /// Multiply-adds (C_out·C_in·kₕ·k_w·h'·w'·N) from which the work is split over threads: 2²² ≈ 4 M
    /// is a few hundred µs on one core, well above the worker pool's wake-up of a few µs.
    /// </summary>
    internal const long ParallelWorkThreshold = 1L << 22;

    /// <summary>The fewest images (columns) a worker gets: shorter runs over the batch lose the SIMD width.</summary>
    internal const int MinColumnsPerWorker = 32;

    /// <summary>Upper bound on the threads one call may use (≤ 1: single-threaded): <see cref="Parallelism.MaxThreads"/>.</summary>
    internal static int MaxWorkers
    {
        get => Parallelism.MaxThreads;
        set => Parallelism.MaxThreads = value;
    }

    /// <summary>Worker column ranges start at multiples of this (64-byte lines for float), so workers share no line of a row.</summary>
    private const int ColumnAlignment = 16;

    /// <summary>H[n, o] = Σ_c X[n, c] ⋆ K[o, c] into <paramref name="output"/> ((C_out·h'·w')×N).</summary>
    internal static void Forward<T>(T[] x, T[] kernels, int outChannels, int batch, T[] output, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Conv2DBlocked.Applies<T>(g, batch))
        {
            // Writes every element: no clearing pass.
            Conv2DBlocked.Run(x, kernels, output, outChannels, batch, g);
            return;
        }

        output.AsSpan().Clear();
        if (batch == 1)
        {
            Conv2DSingle.Forward<T>(x, kernels, outChannels, output, g);
            return;
        }

        Run<T, Conv2DCore.Forward<T>>(x, kernels, output, outChannels, batch, g);
    }

    /// <summary>∇X[n, c] = Σ_o ∇H[n, o] ∗full rot180(K[o, c]) into <paramref name="inputGradient"/> ((C_in·h·w)×N).</summary>
    internal static void InputGradient<T>(T[] kernels, T[] gradient, int outChannels, int batch, T[] inputGradient, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        inputGradient.AsSpan().Clear();
        if (batch == 1)
        {
            Conv2DSingle.InputGradient<T>(kernels, gradient, outChannels, inputGradient, g);
            return;
        }

        Run<T, Conv2DCore.InputGradient<T>>(kernels, gradient, inputGradient, outChannels, batch, g);
    }

    /// <summary>∇K[o, c] = Σ_n X[n, c] ⋆ ∇H[n, o] into <paramref name="kernelGradient"/> (C_out×(C_in·kₕ·k_w)).</summary>
    internal static void KernelGradient<T>(T[] x, T[] gradient, int outChannels, int batch, T[] kernelGradient, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Conv2DBlocked.Applies<T>(g, batch) && Conv2DBlocked.TryKernelGradient(x, gradient, kernelGradient, outChannels, batch, g))
        {
            return;
        }

        kernelGradient.AsSpan().Clear();
        if (batch == 1)
        {
            Conv2DSingle.KernelGradient<T>(x, gradient, outChannels, kernelGradient, g);
            return;
        }

        Run<T, Conv2DCore.KernelGradient<T>>(x, gradient, kernelGradient, outChannels, batch, g);
    }

    /// <summary>
    /// How many workers share this much work (1: run on the caller's thread): one per range of the
    /// <paramref name="channels"/> that own the output rows when there are enough of them, else one per
    /// <see cref="MinColumnsPerWorker"/> images.
    /// </summary>
    internal static int Workers(in ConvGeometry g, int outChannels, int batch, int channels)
    {
        long work = (long)outChannels * g.Channels * g.KernelPlane * g.OutPlane * batch;
        int maxWorkers = Parallelism.MaxThreads;
        if (work < ParallelWorkThreshold || maxWorkers == 1)
        {
            return 1;
        }

        return Math.Max(1, Math.Min(maxWorkers, channels >= 2 ? channels : batch / MinColumnsPerWorker));
    }

    /// <summary>Worker <paramref name="w"/>'s share [start, end) of <paramref name="count"/> items, starting at multiples of <paramref name="alignment"/>.</summary>
    internal static (int Start, int End) Share(int count, int workers, int w, int alignment)
    {
        int per = ((count + workers - 1) / workers + alignment - 1) / alignment * alignment;
        int start = Math.Min(count, w * per);
        return (start, Math.Min(count, start + per));
    }

    /// <summary>
    /// Walks every tap of role <typeparamref name="TTap"/> over all filters and channels into the cleared
    /// destination, on one thread or split over workers: by the channels that own the output rows (filters,
    /// or input channels for ∇X) when there are at least two (every worker then walks whole rows, the
    /// contiguous fast path, and the result is bitwise the single-threaded one), else by columns. Split by
    /// columns, ∇K (whose output is not per column) gets one zeroed partial per extra worker, added into
    /// the destination in worker order.
    /// </summary>
    private static void Run<T, TTap>(T[] a, T[] b, T[] output, int outChannels, int batch, in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTap : struct, Conv2DCore.ITap<TTap, T>
    {
        if (batch == 0 || outChannels == 0)
        {
            return;
        }

        int channels = TTap.OutputByInputChannel ? g.Channels : outChannels;
        int workers = Workers(g, outChannels, batch, channels);
        if (workers == 1)
        {
            var tap = TTap.Create(a, b, output, 0, batch, g.Stride, 0, batch);
            Conv2DCore.Walk<T, TTap>(ref tap, g, 0, outChannels, 0, g.Channels);
        }
        else if (channels >= 2)
        {
            ByChannels<T, TTap>(a, b, output, outChannels, batch, g, workers, channels);
        }
        else
        {
            ByColumns<T, TTap>(a, b, output, outChannels, batch, g, workers);
        }
    }

    /// <summary>The channel split of <see cref="Run{T, TTap}"/>: worker w walks its range of the channels that own the output rows.</summary>
    private static void ByChannels<T, TTap>(
        T[] a, T[] b, T[] output, int outChannels, int batch, in ConvGeometry geometry, int workers, int channels)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTap : struct, Conv2DCore.ITap<TTap, T>
    {
        var job = ConvJob<T, TTap>.ForThisThread;
        job.Set(a, b, output, null, outChannels, batch, geometry, workers, channels);
        try
        {
            WorkerPool.Run(job, workers);
        }
        finally
        {
            job.Clear();
        }
    }

    /// <summary>The column split of <see cref="Run{T, TTap}"/> (one output channel, or one input channel for ∇X).</summary>
    private static void ByColumns<T, TTap>(T[] a, T[] b, T[] output, int outChannels, int batch, in ConvGeometry geometry, int workers)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTap : struct, Conv2DCore.ITap<TTap, T>
    {
        // Only ∇K's output (one filter bank) is summed over the batch.
        bool partial = typeof(TTap) == typeof(Conv2DCore.KernelGradient<T>);
        int size = output.Length;
        T[]? partials = partial ? PartialScratch<T>.Get((workers - 1) * size) : null;
        partials?.AsSpan(0, (workers - 1) * size).Clear();
        var job = ConvJob<T, TTap>.ForThisThread;
        job.Set(a, b, output, partials, outChannels, batch, geometry, workers, 0);
        try
        {
            WorkerPool.Run(job, workers);
        }
        finally
        {
            job.Clear();
        }

        for (int w = 1; partials is not null && w < workers; w++)
        {
            TensorPrimitives.Add<T>(output, partials.AsSpan((w - 1) * size, size), output);
        }
    }

    /// <summary>
    /// One split of <see cref="Run{T, TTap}"/> as a pool job (this thread's reusable object): piece w walks
    /// worker w's range of channels (<c>Channels</c> ≥ 2) or of columns (into its partial for ∇K).
    /// </summary>
    private sealed class ConvJob<T, TTap> : PoolJob
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTap : struct, Conv2DCore.ITap<TTap, T>
    {
        [ThreadStatic]
        private static ConvJob<T, TTap>? t_job;

        private T[] _a = [], _b = [], _output = [];
        private T[]? _partials;
        private int _outChannels, _batch, _workers, _channels;
        private ConvGeometry _geometry;

        public static ConvJob<T, TTap> ForThisThread => t_job ??= new ConvJob<T, TTap>();

        public void Set(T[] a, T[] b, T[] output, T[]? partials, int outChannels, int batch, in ConvGeometry geometry, int workers, int channels)
        {
            (_a, _b, _output, _partials) = (a, b, output, partials);
            (_outChannels, _batch, _workers, _channels, _geometry) = (outChannels, batch, workers, channels, geometry);
            Reset(workers);
        }

        /// <summary>Drops the references to the caller's arrays.</summary>
        public void Clear() => (_a, _b, _output, _partials) = ([], [], [], null);

        public override void Execute(int index)
        {
            if (_channels >= 2)
            {
                (int start, int end) = Share(_channels, _workers, index, 1);
                var tap = TTap.Create(_a, _b, _output, 0, _batch, _geometry.Stride, 0, _batch);
                if (TTap.OutputByInputChannel)
                {
                    Conv2DCore.Walk<T, TTap>(ref tap, _geometry, 0, _outChannels, start, end);
                }
                else
                {
                    Conv2DCore.Walk<T, TTap>(ref tap, _geometry, start, end, 0, _geometry.Channels);
                }
            }
            else
            {
                (int n0, int n1) = Share(_batch, _workers, index, ColumnAlignment);
                int size = _output.Length;
                var tap = _partials is null || index == 0
                    ? TTap.Create(_a, _b, _output, 0, _batch, _geometry.Stride, n0, n1)
                    : TTap.Create(_a, _b, _partials, (index - 1) * size, _batch, _geometry.Stride, n0, n1);
                Conv2DCore.Walk<T, TTap>(ref tap, _geometry, 0, _outChannels, 0, _geometry.Channels);
            }
        }
    }

    /// <summary>Per-thread buffer of the column split's ∇K partials, grown on demand and reused.</summary>
    private static class PartialScratch<T>
    {
        [ThreadStatic]
        private static T[]? t_buffer;

        public static T[] Get(int length)
        {
            if (t_buffer is null || t_buffer.Length < length)
            {
                t_buffer = new T[length];
            }

            return t_buffer;
        }
    }
}
