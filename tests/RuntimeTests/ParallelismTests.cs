using AutoGradGen.Kernels;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Runs alone (xunit starts a collection that disables parallelization after every other one has
/// finished), so the process-wide <see cref="Parallelism.MaxThreads"/> and the allocation counter of the
/// whole process are this collection's to use.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial: process-wide settings and allocation counters";
}

/// <summary>A two-layer network for the generated-code checks (the W6 workload's model).</summary>
public static partial class ParallelModels
{
    [Differentiable]
    public static double TwoLayer(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2,
                                  [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
    {
        var H = Sigmoid(W1 * X + b1);
        return CrossEntropy(W2 * H + b2, Y);
    }
}

/// <summary>
/// The worker pool behind the parallel GEMM and batched convolution: no allocation on any thread in
/// steady state at 2 threads, the same bits as one thread, concurrent callers, and the public setting.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ParallelismTests
{
    /// <summary>A product of 192·160·144 ≈ 4.4 M multiply-adds, above <see cref="Gemm.ParallelWorkThreshold"/>.</summary>
    private const int M = 192, K = 160, N = 144;

    [Fact]
    public void Gemm_AtTwoThreads_AllocatesNothingOnAnyThread()
    {
        Assert.True((long)M * K * N >= Gemm.ParallelWorkThreshold);
        var (a, b, c) = (Random(M * K, 1), Random(K * N, 2), new double[M * N]);
        AssertNoAllocation(() => Gemm.Multiply<double>(a, b, c, M, K, N));
        Assert.True(WorkerPool.ThreadCount >= 1);
    }

    [Fact]
    public void BatchedConvolution_ForwardAndBackward_AtTwoThreads_AllocatesNothingOnAnyThread()
    {
        // Both splits: by filters (8 output channels) and by columns (∇X of one input channel, ∇K partials).
        var x = Matrix(28 * 28, 128, 3);
        var k = Matrix(8, 25, 4);
        Matrix<double>? h = null, dx = null, dk = null;
        var geometry = new ConvGeometry(1, 28, 28, 5, 5, 1, 0);
        Assert.True(Conv2DBatch.Workers(geometry, 8, 128, 8) > 1 || Environment.ProcessorCount == 1);
        // One filter over 512 images: ∇K split by columns, summed from per-worker partials.
        var x1 = Matrix(28 * 28, 512, 5);
        var k1 = Matrix(1, 25, 6);
        Matrix<double>? h1 = null, dk1 = null;
        AssertNoAllocation(() =>
        {
            var y = AutoGradGen.Compute.Convolution.Conv2D(x, k, 1, 28, 28, 5, 5, 1, 0, ref h);
            AutoGradGen.Compute.Convolution.Conv2DBackwardInput(k, y, 1, 28, 28, 5, 5, 1, 0, ref dx);
            AutoGradGen.Compute.Convolution.Conv2DBackwardKernel(x, y, 1, 28, 28, 5, 5, 1, 0, ref dk);
            var y1 = AutoGradGen.Compute.Convolution.Conv2D(x1, k1, 1, 28, 28, 5, 5, 1, 0, ref h1);
            AutoGradGen.Compute.Convolution.Conv2DBackwardKernel(x1, y1, 1, 28, 28, 5, 5, 1, 0, ref dk1);
        });
    }

    [Fact]
    public void GeneratedTwoLayerBackward_AtTwoThreads_AllocatesNothingOnAnyThread()
    {
        var (w1, b1, w2, b2) = (Matrix(256, 784, 5, 0.05), Vector(256, 6), Matrix(10, 256, 7, 0.1), Vector(10, 8));
        var (x, y) = (Matrix(784, 64, 9), OneHot(10, 64));
        var (dW1, db1, dW2, db2) = (new Matrix<double>(256, 784), new Vector<double>(256), new Matrix<double>(10, 256), new Vector<double>(10));
        var workspace = new ParallelModels.TwoLayerWorkspace();
        AssertNoAllocation(() => ParallelModels.TwoLayerBackward(w1, b1, w2, b2, x, y, workspace, dW1, db1, dW2, db2, accumulate: false));
    }

    [Fact]
    public void PooledResults_AreBitwiseTheSingleThreadedOnes_WithConcurrentCallers()
    {
        var (a, b) = (Random(M * K, 11), Random(K * N, 12));
        var x = Matrix(28 * 28, 512, 13);
        var k = Matrix(8, 25, 14);
        double[] gemm1, conv1, grad1, partial2;
        using (Threads(1))
        {
            (gemm1, conv1, grad1, _) = Compute(a, b, x, k);
        }

        using (Threads(2))
        {
            // The column split of ∇K rounds by worker count: its reference is a 2-thread call on its own.
            (_, _, _, partial2) = Compute(a, b, x, k);
            var failures = 0;
            var workers = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
            {
                for (int i = 0; i < 5; i++)
                {
                    var (gemm, conv, grad, partial) = Compute(a, b, x, k);
                    if (!gemm.AsSpan().SequenceEqual(gemm1) || !conv.AsSpan().SequenceEqual(conv1)
                        || !grad.AsSpan().SequenceEqual(grad1) || !partial.AsSpan().SequenceEqual(partial2))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            })).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());
            Assert.Equal(0, failures);
        }
    }

    [Fact]
    public void MaxThreads_DefaultsToProcessorCount_AndClampsAtOne()
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 0;
            Assert.Equal(1, Parallelism.MaxThreads);
            Assert.Equal(1, Gemm.MaxDegreeOfParallelism);
            Parallelism.MaxThreads = 3;
            Assert.Equal(3, Conv2DBatch.MaxWorkers);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void APieceThatThrows_ReachesTheCaller_AndThePoolStaysUsable()
    {
        using (Threads(2))
        {
            var job = new ThrowingJob();
            job.Reset(4);
            Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(job, 2));
            Gemm_AtTwoThreads_AllocatesNothingOnAnyThread();
        }
    }

    private sealed class ThrowingJob : PoolJob
    {
        public override void Execute(int index)
        {
            if (index == 2)
            {
                throw new InvalidOperationException("piece 2");
            }
        }
    }

    /// <summary>
    /// The GEMM (grid split), the convolution forward and ∇K (by filters), and ∇K of the first filter alone
    /// (by columns, with partials).
    /// </summary>
    private static (double[] Gemm, double[] Conv, double[] KernelGradient, double[] Partial) Compute(
        double[] a, double[] b, Matrix<double> x, Matrix<double> k)
    {
        var c = new double[M * N];
        Gemm.Multiply<double>(a, b, c, M, K, N);
        var h = Ops.Conv2D(x, k, 1, 28, 28, 5, 5);
        var dk = AutoGradGen.Compute.Convolution.Conv2DBackwardKernel(x, h, 1, 28, 28, 5, 5);
        var h1 = new Matrix<double>(h.Rows / 8, h.Cols);
        h.AsSpan()[..h1.AsSpan().Length].CopyTo(h1.AsSpan());
        var dk1 = AutoGradGen.Compute.Convolution.Conv2DBackwardKernel(x, h1, 1, 28, 28, 5, 5);
        return (c, h.AsSpan().ToArray(), dk.AsSpan().ToArray(), dk1.AsSpan().ToArray());
    }

    /// <summary>
    /// At 2 threads, after a warm-up, 10 calls allocate 0 bytes on the calling thread and 0 bytes on the pool's
    /// worker threads (counted by each worker around its jobs, waits included: <see cref="WorkerPool.WorkerAllocatedBytes"/>),
    /// which are all the threads that run the kernels. (A process-wide count, <c>GC.GetTotalAllocatedBytes</c>,
    /// also sees the test host's own threads, which allocate 168 B now and then.)
    /// </summary>
    private static void AssertNoAllocation(Action step)
    {
        using (Threads(2))
        {
            for (int i = 0; i < 20; i++)
            {
                step();
            }

            long caller = GC.GetAllocatedBytesForCurrentThread(), workers = WorkerPool.WorkerAllocatedBytes;
            for (int i = 0; i < 10; i++)
            {
                step();
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - caller);
            Assert.Equal(0, WorkerPool.WorkerAllocatedBytes - workers);
        }
    }

    private static Restore Threads(int threads)
    {
        var restore = new Restore(Parallelism.MaxThreads);
        Parallelism.MaxThreads = threads;
        return restore;
    }

    private readonly struct Restore(int saved) : IDisposable
    {
        public void Dispose() => Parallelism.MaxThreads = saved;
    }

    private static double[] Random(int length, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (r.NextDouble() * 2) - 1).ToArray();
    }

    private static Matrix<double> Matrix(int rows, int cols, int seed, double scale = 1.0)
    {
        var m = new Matrix<double>(rows, cols);
        Random(rows * cols, seed).Select(v => v * scale).ToArray().CopyTo(m.AsSpan());
        return m;
    }

    private static Vector<double> Vector(int n, int seed)
    {
        var v = new Vector<double>(n);
        Random(n, seed).Select(e => e * 0.1).ToArray().CopyTo(v.AsSpan());
        return v;
    }

    private static Matrix<double> OneHot(int classes, int n)
    {
        var y = new Matrix<double>(classes, n);
        for (int j = 0; j < n; j++)
        {
            y[j % classes, j] = 1.0;
        }
        return y;
    }
}
