using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGradGen.Kernels;

/// <summary>
/// C = s · op(A) · B for a short op(A) (2 ≤ m ≤ 12 rows) and B stored k×n: a strip of C (m rows × two 512-bit vectors)
/// is held in registers while B is streamed once, row by row, each of its vectors used by all m rows, with no packing. A
/// dense layer with few outputs (W X for 10 classes) ran on the packed kernel, whose 12-row micro-tile and packed copy of
/// all of B cost more than the product. Float, one thread, AVX-512, stopwatch medians, packed against here: 10×4608 ·
/// 4608×64 126–132 against 30 µs, 10×256 · 256×256 23 against 5.7, 10×784 · 784×256 47 against 18, 12×1024 · 1024×1024
/// 235 against 119 (212 GFLOP/s), 2×1024 · 1024×1024 240–283 against 207, 4×64 · 64×4096 65 against 31, 8×3000 · 3000×16
/// 27 against 3.8, 12×16 · 16×2048 6.4 against 5.6.
/// </summary>
/// <remarks>
/// Strips of two vectors, then one vector, then single columns (a scalar dot per row). C is written once: s·Σ, plus C when
/// accumulating. Strips are split over the <see cref="WorkerPool"/> when the caller passes several threads; a column's sum
/// is the same sequence of multiply-adds whoever computes it, so the bits do not depend on the thread count.
/// </remarks>
internal static unsafe class GemmSkinny
{
    /// <summary>The most rows of op(A): 12 accumulator pairs, two B vectors and a broadcast fill 27 of 32 registers.</summary>
    internal const int MaxRows = 12;

    /// <summary>
    /// Whether a float or double product can run here: AVX-512, B not transposed, 2 … 12 rows, at least a full vector of
    /// columns (<paramref name="lanes"/> elements).
    /// </summary>
    public static bool Applies(int m, int n, bool transposeB, int lanes)
        => Vector512.IsHardwareAccelerated && !transposeB && m >= 2 && m <= MaxRows && n >= lanes;

    /// <summary>C (+)= s · op(A) · B on at most <paramref name="threads"/> threads (the caller checked <see cref="Applies"/>).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool transposeA, bool accumulate, T alpha, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pa = a, pb = b, pc = c)
        {
            var op = new Operands<T>(pa, pb, pc, m, k, n, transposeA, accumulate, alpha);
            int strip = 2 * Vector512<T>.Count;
            int strips = (n + strip - 1) / strip;
            int workers = Math.Min(threads, strips);
            if (workers <= 1)
            {
                Rows(op, 0, n);
                return;
            }

            var job = StripJob<T>.ForThisThread;
            job.Set(op, strips, workers);
            WorkerPool.Run(job, workers);
        }
    }

    /// <summary>Columns [j0, j1) of C, with the row count as a type so that the unused accumulators vanish.</summary>
    private static void Rows<T>(in Operands<T> op, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op.M)
        {
            case 2:
                Columns<T, C2>(op, j0, j1);
                break;
            case 3:
                Columns<T, C3>(op, j0, j1);
                break;
            case 4:
                Columns<T, C4>(op, j0, j1);
                break;
            case 5:
                Columns<T, C5>(op, j0, j1);
                break;
            case 6:
                Columns<T, C6>(op, j0, j1);
                break;
            case 7:
                Columns<T, C7>(op, j0, j1);
                break;
            case 8:
                Columns<T, C8>(op, j0, j1);
                break;
            case 9:
                Columns<T, C9>(op, j0, j1);
                break;
            case 10:
                Columns<T, C10>(op, j0, j1);
                break;
            case 11:
                Columns<T, C11>(op, j0, j1);
                break;
            default:
                Columns<T, C12>(op, j0, j1);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns<T, TRows>(in Operands<T> op, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRows : struct, IConstant
    {
        int w = Vector512<T>.Count, j = j0;
        for (; j + (2 * w) <= j1; j += 2 * w)
        {
            Strip<T, TRows>(op, j, wide: true);
        }
        for (; j + w <= j1; j += w)
        {
            Strip<T, TRows>(op, j, wide: false);
        }
        for (; j < j1; j++)
        {
            Column(op, j);
        }
    }

    /// <summary>Columns j … j + 2w − 1 (wide) or j … j + w − 1 of all m rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Strip<T, TRows>(in Operands<T> op, int j, bool wide)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRows : struct, IConstant
    {
        int w = Vector512<T>.Count;
        nint rowStep = op.TransposeA ? 1 : op.K, stepAlongK = op.TransposeA ? op.M : 1, ldc = op.N;
        T alpha = op.Alpha;
        bool accumulate = op.Accumulate;
        Vector512<T> e0 = default, o0 = default, e1 = default, o1 = default, e2 = default, o2 = default, e3 = default, o3 = default, e4 = default, o4 = default, e5 = default, o5 = default, e6 = default, o6 = default, e7 = default, o7 = default, e8 = default, o8 = default, e9 = default, o9 = default, e10 = default, o10 = default, e11 = default, o11 = default;
        T* bRow = op.B + j, ap = op.A;
        if (wide)
        {
            for (int p = 0; p < op.K; p++, bRow += op.N, ap += stepAlongK)
            {
                var lo = Vector512.Load(bRow);
                var hi = Vector512.Load(bRow + w);
                var w0 = Vector512.Create(ap[0 * rowStep]); e0 = GemmSimd.MulAdd(lo, w0, e0); o0 = GemmSimd.MulAdd(hi, w0, o0);
                var w1 = Vector512.Create(ap[1 * rowStep]); e1 = GemmSimd.MulAdd(lo, w1, e1); o1 = GemmSimd.MulAdd(hi, w1, o1);
                if (TRows.Value > 2)
                {
                    var w2 = Vector512.Create(ap[2 * rowStep]); e2 = GemmSimd.MulAdd(lo, w2, e2); o2 = GemmSimd.MulAdd(hi, w2, o2);
                }
                if (TRows.Value > 3)
                {
                    var w3 = Vector512.Create(ap[3 * rowStep]); e3 = GemmSimd.MulAdd(lo, w3, e3); o3 = GemmSimd.MulAdd(hi, w3, o3);
                }
                if (TRows.Value > 4)
                {
                    var w4 = Vector512.Create(ap[4 * rowStep]); e4 = GemmSimd.MulAdd(lo, w4, e4); o4 = GemmSimd.MulAdd(hi, w4, o4);
                }
                if (TRows.Value > 5)
                {
                    var w5 = Vector512.Create(ap[5 * rowStep]); e5 = GemmSimd.MulAdd(lo, w5, e5); o5 = GemmSimd.MulAdd(hi, w5, o5);
                }
                if (TRows.Value > 6)
                {
                    var w6 = Vector512.Create(ap[6 * rowStep]); e6 = GemmSimd.MulAdd(lo, w6, e6); o6 = GemmSimd.MulAdd(hi, w6, o6);
                }
                if (TRows.Value > 7)
                {
                    var w7 = Vector512.Create(ap[7 * rowStep]); e7 = GemmSimd.MulAdd(lo, w7, e7); o7 = GemmSimd.MulAdd(hi, w7, o7);
                }
                if (TRows.Value > 8)
                {
                    var w8 = Vector512.Create(ap[8 * rowStep]); e8 = GemmSimd.MulAdd(lo, w8, e8); o8 = GemmSimd.MulAdd(hi, w8, o8);
                }
                if (TRows.Value > 9)
                {
                    var w9 = Vector512.Create(ap[9 * rowStep]); e9 = GemmSimd.MulAdd(lo, w9, e9); o9 = GemmSimd.MulAdd(hi, w9, o9);
                }
                if (TRows.Value > 10)
                {
                    var w10 = Vector512.Create(ap[10 * rowStep]); e10 = GemmSimd.MulAdd(lo, w10, e10); o10 = GemmSimd.MulAdd(hi, w10, o10);
                }
                if (TRows.Value > 11)
                {
                    var w11 = Vector512.Create(ap[11 * rowStep]); e11 = GemmSimd.MulAdd(lo, w11, e11); o11 = GemmSimd.MulAdd(hi, w11, o11);
                }
            }

            T* c = op.C + j;
            Finish(e0, c + (0 * ldc), alpha, accumulate); Finish(o0, c + (0 * ldc) + w, alpha, accumulate);
            Finish(e1, c + (1 * ldc), alpha, accumulate); Finish(o1, c + (1 * ldc) + w, alpha, accumulate);
            if (TRows.Value > 2)
            {
                Finish(e2, c + (2 * ldc), alpha, accumulate); Finish(o2, c + (2 * ldc) + w, alpha, accumulate);
            }
            if (TRows.Value > 3)
            {
                Finish(e3, c + (3 * ldc), alpha, accumulate); Finish(o3, c + (3 * ldc) + w, alpha, accumulate);
            }
            if (TRows.Value > 4)
            {
                Finish(e4, c + (4 * ldc), alpha, accumulate); Finish(o4, c + (4 * ldc) + w, alpha, accumulate);
            }
            if (TRows.Value > 5)
            {
                Finish(e5, c + (5 * ldc), alpha, accumulate); Finish(o5, c + (5 * ldc) + w, alpha, accumulate);
            }
            if (TRows.Value > 6)
            {
                Finish(e6, c + (6 * ldc), alpha, accumulate); Finish(o6, c + (6 * ldc) + w, alpha, accumulate);
            }
            if (TRows.Value > 7)
            {
                Finish(e7, c + (7 * ldc), alpha, accumulate); Finish(o7, c + (7 * ldc) + w, alpha, accumulate);
            }
            if (TRows.Value > 8)
            {
                Finish(e8, c + (8 * ldc), alpha, accumulate); Finish(o8, c + (8 * ldc) + w, alpha, accumulate);
            }
            if (TRows.Value > 9)
            {
                Finish(e9, c + (9 * ldc), alpha, accumulate); Finish(o9, c + (9 * ldc) + w, alpha, accumulate);
            }
            if (TRows.Value > 10)
            {
                Finish(e10, c + (10 * ldc), alpha, accumulate); Finish(o10, c + (10 * ldc) + w, alpha, accumulate);
            }
            if (TRows.Value > 11)
            {
                Finish(e11, c + (11 * ldc), alpha, accumulate); Finish(o11, c + (11 * ldc) + w, alpha, accumulate);
            }
            return;
        }

        for (int p = 0; p < op.K; p++, bRow += op.N, ap += stepAlongK)
        {
            var lo = Vector512.Load(bRow);
                e0 = GemmSimd.MulAdd(lo, Vector512.Create(ap[0 * rowStep]), e0);
                e1 = GemmSimd.MulAdd(lo, Vector512.Create(ap[1 * rowStep]), e1);
                if (TRows.Value > 2)
                {
                    e2 = GemmSimd.MulAdd(lo, Vector512.Create(ap[2 * rowStep]), e2);
                }
                if (TRows.Value > 3)
                {
                    e3 = GemmSimd.MulAdd(lo, Vector512.Create(ap[3 * rowStep]), e3);
                }
                if (TRows.Value > 4)
                {
                    e4 = GemmSimd.MulAdd(lo, Vector512.Create(ap[4 * rowStep]), e4);
                }
                if (TRows.Value > 5)
                {
                    e5 = GemmSimd.MulAdd(lo, Vector512.Create(ap[5 * rowStep]), e5);
                }
                if (TRows.Value > 6)
                {
                    e6 = GemmSimd.MulAdd(lo, Vector512.Create(ap[6 * rowStep]), e6);
                }
                if (TRows.Value > 7)
                {
                    e7 = GemmSimd.MulAdd(lo, Vector512.Create(ap[7 * rowStep]), e7);
                }
                if (TRows.Value > 8)
                {
                    e8 = GemmSimd.MulAdd(lo, Vector512.Create(ap[8 * rowStep]), e8);
                }
                if (TRows.Value > 9)
                {
                    e9 = GemmSimd.MulAdd(lo, Vector512.Create(ap[9 * rowStep]), e9);
                }
                if (TRows.Value > 10)
                {
                    e10 = GemmSimd.MulAdd(lo, Vector512.Create(ap[10 * rowStep]), e10);
                }
                if (TRows.Value > 11)
                {
                    e11 = GemmSimd.MulAdd(lo, Vector512.Create(ap[11 * rowStep]), e11);
                }
        }

        {
            T* c = op.C + j;
            Finish(e0, c + (0 * ldc), alpha, accumulate);
            Finish(e1, c + (1 * ldc), alpha, accumulate);
            if (TRows.Value > 2)
            {
                Finish(e2, c + (2 * ldc), alpha, accumulate);
            }
            if (TRows.Value > 3)
            {
                Finish(e3, c + (3 * ldc), alpha, accumulate);
            }
            if (TRows.Value > 4)
            {
                Finish(e4, c + (4 * ldc), alpha, accumulate);
            }
            if (TRows.Value > 5)
            {
                Finish(e5, c + (5 * ldc), alpha, accumulate);
            }
            if (TRows.Value > 6)
            {
                Finish(e6, c + (6 * ldc), alpha, accumulate);
            }
            if (TRows.Value > 7)
            {
                Finish(e7, c + (7 * ldc), alpha, accumulate);
            }
            if (TRows.Value > 8)
            {
                Finish(e8, c + (8 * ldc), alpha, accumulate);
            }
            if (TRows.Value > 9)
            {
                Finish(e9, c + (9 * ldc), alpha, accumulate);
            }
            if (TRows.Value > 10)
            {
                Finish(e10, c + (10 * ldc), alpha, accumulate);
            }
            if (TRows.Value > 11)
            {
                Finish(e11, c + (11 * ldc), alpha, accumulate);
            }
        }
    }

    /// <summary>s·Σ (+ C) into one vector of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<T>(Vector512<T> sum, T* c, T alpha, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (alpha != T.One)
        {
            sum *= alpha;
        }
        if (accumulate)
        {
            sum += Vector512.Load(c);
        }
        sum.Store(c);
    }

    /// <summary>One column of C (the last n mod w): a scalar dot per row, in the strips' order of multiply-adds.</summary>
    private static void Column<T>(in Operands<T> op, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint rowStep = op.TransposeA ? 1 : op.K, stepAlongK = op.TransposeA ? op.M : 1;
        for (int i = 0; i < op.M; i++)
        {
            T sum = T.Zero;
            T* ai = op.A + (i * rowStep);
            for (int p = 0; p < op.K; p++)
            {
                sum = T.FusedMultiplyAdd(op.B[((nint)p * op.N) + j], ai[p * stepAlongK], sum);
            }
            T* cij = op.C + ((nint)i * op.N) + j;
            if (op.Alpha != T.One)
            {
                sum *= op.Alpha;
            }
            *cij = op.Accumulate ? sum + *cij : sum;
        }
    }

    /// <summary>Base pointers and shape of one product (pinned by the caller for its whole duration).</summary>
    private readonly struct Operands<T>(T* a, T* b, T* c, int m, int k, int n, bool transposeA, bool accumulate, T alpha)
        where T : unmanaged
    {
        public T* A { get; } = a;

        public T* B { get; } = b;

        public T* C { get; } = c;

        public int M { get; } = m;

        public int K { get; } = k;

        public int N { get; } = n;

        public bool TransposeA { get; } = transposeA;

        public bool Accumulate { get; } = accumulate;

        public T Alpha { get; } = alpha;
    }

    /// <summary>The strips of one product as a pool job: piece w is worker w's run of whole strips.</summary>
    private sealed class StripJob<T> : PoolJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static StripJob<T>? t_job;

        private Operands<T> _op;
        private int _strips;
        private int _workers;

        public static StripJob<T> ForThisThread => t_job ??= new StripJob<T>();

        public void Set(in Operands<T> op, int strips, int workers)
        {
            _op = op;
            _strips = strips;
            _workers = workers;
            Reset(workers);
        }

        public override void Execute(int index)
        {
            int strip = 2 * Vector512<T>.Count, per = (_strips + _workers - 1) / _workers;
            int j0 = Math.Min(_op.N, index * per * strip), j1 = Math.Min(_op.N, j0 + (per * strip));
            Rows(_op, j0, j1);
        }
    }
}
