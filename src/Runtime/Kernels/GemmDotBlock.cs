using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGradGen.Kernels
{
    /// <summary>
    /// C[i, j] (+)= α · A[i, :]·B[j, :] for A stored m×k and B stored n×k (both row-major, so op(A) = A and
    /// op(B) = Bᵀ: the Gram / "G Xᵀ" layout, <c>transposeA = false</c>, <c>transposeB = true</c>), computed
    /// by 4×4 register blocks of dot products: no packing, no scratch, no allocation.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Per k step a block loads one vector from each of its 4 rows of A and 4 rows of B and does 16 FMAs
    /// into 16 vector accumulators (AVX-512: 16 accumulators + 4 A vectors + 1 B vector of the 32 zmm
    /// registers), which is FMA-bound rather than load- or latency-bound like one dot product at a time
    /// (<see cref="GemmDirect"/>), and skips the packing that dominates <see cref="GemmPacked"/> when m and
    /// n are small and k is long. Each accumulator is summed horizontally at the end. Rows longer than
    /// <see cref="ChunkBytes"/> are taken chunk by chunk (each chunk's α·dot added into C), so a block's
    /// rows of A stay in L1 and the rows of B in L2. The loads are unaligned: rows that are not 64-byte
    /// aligned cost about a quarter of the speed (float 16×1000×16: 170 GFLOP/s aligned, 145 not).
    /// </para>
    /// <para>
    /// The k tail (k not a multiple of the vector width) is one more vector step over the last full
    /// vector of each row, at offset k − width, with the lanes already summed zeroed in both the A and the
    /// B vector (so 0·0 is added, never 0·∞); rows are never read outside [0, k). The widest vector with
    /// at most k lanes is used (512, 256, 128 bits, then scalar), so every k takes a vector path but
    /// k &lt; 4 (float) or k &lt; 2 (double). Edge blocks (m or n not a multiple of 4) are computed over the
    /// last 4 rows (or the clamped rows when m or n &lt; 4) and store only the entries not stored before, so
    /// every entry of C is written exactly once. Each result is a dot product of length k, summed in a
    /// different order than the naive loop (lanes, then chunks): exact up to rounding. Element types other
    /// than float and double run the same blocks with scalar "vectors".
    /// </para>
    /// </remarks>
    internal static unsafe class GemmDotBlock
    {
        /// <summary>Rows of A (and rows of B) per register block.</summary>
        private const int Block = 4;

        /// <summary>
        /// Bytes of each row per k chunk: 4 KiB, so a block's 4 rows of A (16 KiB) stay in L1 across the row
        /// of blocks and n rows of B (≤ 512 KiB for n ≤ 128) in L2; longer k is summed chunk by chunk into C.
        /// </summary>
        private const int ChunkBytes = 4096;

        /// <summary>
        /// C (m×n) (+)= α · A (m×k) · Bᵀ, B stored n×k; m, k, n ≥ 1. With <paramref name="threads"/> &gt; 1 the
        /// blocks are split along the longer of m and n into one piece per thread (<see cref="WorkerPool"/>);
        /// every entry is computed the same way whatever the split, so the results are the same bits.
        /// </summary>
        public static void Multiply<T>(
            ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool accumulate, T alpha, int threads)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            fixed (T* pa = a, pb = b, pc = c)
            {
                var op = new DotOperands<T>(pa, pb, pc, m, k, n, accumulate, alpha);
                int rowBlocks = (m + Block - 1) / Block, columnBlocks = (n + Block - 1) / Block;
                int pieces = Math.Min(threads, Math.Max(rowBlocks, columnBlocks));
                if (pieces <= 1)
                {
                    RunWidest(op, new BlockRange(0, m, 0, n));
                    return;
                }

                var job = DotJob<T>.ForThisThread;
                job.Operands = op;
                job.SplitRows = rowBlocks >= columnBlocks;
                job.Reset(pieces);
                WorkerPool.Run(job, threads);
            }
        }

        /// <summary>The blocks of <paramref name="range"/> with the widest vector of at most k lanes the hardware has.</summary>
        private static void RunWidest<T>(in DotOperands<T> op, BlockRange range)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (typeof(T) == typeof(float) || typeof(T) == typeof(double))
            {
                if (Vector512.IsHardwareAccelerated && op.K >= Vector512<T>.Count)
                {
                    Run<T, Vector512<T>, Lanes512<T>>(op, range);
                    return;
                }
                if (Vector256.IsHardwareAccelerated && op.K >= Vector256<T>.Count)
                {
                    Run<T, Vector256<T>, Lanes256<T>>(op, range);
                    return;
                }
                if (Vector128.IsHardwareAccelerated && op.K >= Vector128<T>.Count)
                {
                    Run<T, Vector128<T>, Lanes128<T>>(op, range);
                    return;
                }
            }
            Run<T, T, LanesScalar<T>>(op, range);
        }

        /// <summary>
        /// Every 4×4 block of C in <paramref name="range"/>, for each chunk of k in turn (the first chunk
        /// stores or accumulates as asked, the later ones add to it). The last block of a dimension that is not
        /// a multiple of 4 starts at max(0, size − 4) (overlapping the previous one) and stores only from the
        /// first unstored index.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Run<T, TV, TL>(in DotOperands<T> op, BlockRange range)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : unmanaged
            where TL : struct, IDotLanes<T, TV>
        {
            int lastRow = Math.Max(0, op.M - Block), lastColumn = Math.Max(0, op.N - Block);
            int chunk = Math.Max(TL.Count, ChunkBytes / sizeof(T) / TL.Count * TL.Count);
            for (int p0 = 0; p0 < op.K; p0 += chunk)
            {
                var k = new KRange(p0, Math.Min(op.K - p0, chunk), op.Accumulate || p0 > 0);
                for (int i0 = range.RowStart; i0 < range.RowEnd; i0 += Block)
                {
                    int ib = Math.Min(i0, lastRow);
                    for (int j0 = range.ColumnStart; j0 < range.ColumnEnd; j0 += Block)
                    {
                        RunBlock<T, TV, TL>(op, k, ib, Math.Min(j0, lastColumn), i0, j0);
                    }
                }
            }
        }

        /// <summary>
        /// The 16 dot products of rows ib..ib+3 of A (clamped to m − 1) with rows jb..jb+3 of B (clamped to
        /// n − 1), stored for the rows ≥ i0 and columns ≥ j0 (see <see cref="Store"/>).
        /// </summary>
        [SkipLocalsInit]
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RunBlock<T, TV, TL>(in DotOperands<T> op, KRange range, int ib, int jb, int i0, int j0)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : unmanaged
            where TL : struct, IDotLanes<T, TV>
        {
            nint k = range.Start + range.Length, w = TL.Count, p = range.Start;
            T* a0 = op.ARow(ib), a1 = op.ARow(ib + 1), a2 = op.ARow(ib + 2), a3 = op.ARow(ib + 3);
            T* b0 = op.BRow(jb), b1 = op.BRow(jb + 1), b2 = op.BRow(jb + 2), b3 = op.BRow(jb + 3);
            TV c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default,
                c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
            TV x0, x1, x2, x3, y;
            for (; p + w <= k; p += w)
            {
                x0 = TL.Load(a0 + p); x1 = TL.Load(a1 + p); x2 = TL.Load(a2 + p); x3 = TL.Load(a3 + p);
                y = TL.Load(b0 + p); c00 = TL.MulAdd(x0, y, c00); c10 = TL.MulAdd(x1, y, c10); c20 = TL.MulAdd(x2, y, c20); c30 = TL.MulAdd(x3, y, c30);
                y = TL.Load(b1 + p); c01 = TL.MulAdd(x0, y, c01); c11 = TL.MulAdd(x1, y, c11); c21 = TL.MulAdd(x2, y, c21); c31 = TL.MulAdd(x3, y, c31);
                y = TL.Load(b2 + p); c02 = TL.MulAdd(x0, y, c02); c12 = TL.MulAdd(x1, y, c12); c22 = TL.MulAdd(x2, y, c22); c32 = TL.MulAdd(x3, y, c32);
                y = TL.Load(b3 + p); c03 = TL.MulAdd(x0, y, c03); c13 = TL.MulAdd(x1, y, c13); c23 = TL.MulAdd(x2, y, c23); c33 = TL.MulAdd(x3, y, c33);
            }

            if (p < k)
            {
                // The last full vector of each row, its first w − (k − p) lanes (already summed) zeroed in A and B.
                TV mask = TL.KeepFrom((int)(w - (k - p)));
                p = k - w;
                x0 = TL.And(TL.Load(a0 + p), mask); x1 = TL.And(TL.Load(a1 + p), mask); x2 = TL.And(TL.Load(a2 + p), mask); x3 = TL.And(TL.Load(a3 + p), mask);
                y = TL.And(TL.Load(b0 + p), mask); c00 = TL.MulAdd(x0, y, c00); c10 = TL.MulAdd(x1, y, c10); c20 = TL.MulAdd(x2, y, c20); c30 = TL.MulAdd(x3, y, c30);
                y = TL.And(TL.Load(b1 + p), mask); c01 = TL.MulAdd(x0, y, c01); c11 = TL.MulAdd(x1, y, c11); c21 = TL.MulAdd(x2, y, c21); c31 = TL.MulAdd(x3, y, c31);
                y = TL.And(TL.Load(b2 + p), mask); c02 = TL.MulAdd(x0, y, c02); c12 = TL.MulAdd(x1, y, c12); c22 = TL.MulAdd(x2, y, c22); c32 = TL.MulAdd(x3, y, c32);
                y = TL.And(TL.Load(b3 + p), mask); c03 = TL.MulAdd(x0, y, c03); c13 = TL.MulAdd(x1, y, c13); c23 = TL.MulAdd(x2, y, c23); c33 = TL.MulAdd(x3, y, c33);
            }

            T* sums = stackalloc T[Block];
            Store<T, TV, TL>(op, range.Add, ib, jb, i0, j0, 0, c00, c01, c02, c03, sums);
            Store<T, TV, TL>(op, range.Add, ib, jb, i0, j0, 1, c10, c11, c12, c13, sums);
            Store<T, TV, TL>(op, range.Add, ib, jb, i0, j0, 2, c20, c21, c22, c23, sums);
            Store<T, TV, TL>(op, range.Add, ib, jb, i0, j0, 3, c30, c31, c32, c33, sums);
        }

        /// <summary>
        /// Row ib + r of the block: C[ib + r, jb + s] (+)= α · Σ lanes of the accumulator s, for the row only if
        /// i0 ≤ ib + r &lt; m and for the columns j0 ≤ jb + s &lt; n (the others were stored by an earlier block
        /// or are clamped duplicates); <paramref name="sums"/> is room for 4 sums.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store<T, TV, TL>(in DotOperands<T> op, bool add, int ib, int jb, int i0, int j0, int r, TV s0, TV s1, TV s2, TV s3, T* sums)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TV : unmanaged
            where TL : struct, IDotLanes<T, TV>
        {
            int i = ib + r;
            if (i < i0 || i >= op.M)
            {
                return;
            }

            T* row = op.C + ((nint)i * op.N);
            if (jb >= j0 && jb + Block <= op.N)
            {
                // The whole block row: straight into C.
                TL.Sum4(s0, s1, s2, s3, op.Alpha, add, row + jb);
                return;
            }

            TL.Sum4(s0, s1, s2, s3, op.Alpha, false, sums);
            for (int j = Math.Max(jb, j0), last = Math.Min(jb + Block, op.N); j < last; j++)
            {
                row[j] = add ? row[j] + sums[j - jb] : sums[j - jb];
            }
        }

        /// <summary>
        /// Piece <paramref name="index"/> of <paramref name="count"/>: an even share of the 4-row (or 4-column)
        /// blocks, all columns (rows); starts are multiples of 4, so the edge blocks are those of the whole product.
        /// </summary>
        private static BlockRange Piece(int m, int n, bool splitRows, int index, int count)
        {
            int blocks = ((splitRows ? m : n) + Block - 1) / Block;
            int start = (int)((long)blocks * index / count) * Block;
            int end = Math.Min(splitRows ? m : n, (int)((long)blocks * (index + 1) / count) * Block);
            return splitRows ? new BlockRange(start, end, 0, n) : new BlockRange(0, m, start, end);
        }

        /// <summary>The blocks of one product as a pool job: piece i is <see cref="Piece"/> i (this thread's reusable job object).</summary>
        private sealed class DotJob<T> : PoolJob
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            [ThreadStatic]
            private static DotJob<T>? t_job;

            public static DotJob<T> ForThisThread => t_job ??= new DotJob<T>();

            public DotOperands<T> Operands { get; set; }

            public bool SplitRows { get; set; }

            public override void Execute(int index)
            {
                DotOperands<T> op = Operands;
                RunWidest(op, Piece(op.M, op.N, SplitRows, index, Count));
            }
        }

        /// <summary>The entries [RowStart, RowEnd) × [ColumnStart, ColumnEnd) of C; the starts are multiples of 4.</summary>
        private readonly record struct BlockRange(int RowStart, int RowEnd, int ColumnStart, int ColumnEnd);

        /// <summary>One chunk [Start, Start + Length) of k, and whether its results add to C.</summary>
        private readonly record struct KRange(int Start, int Length, bool Add);

        /// <summary>Pointers and shape of one product.</summary>
        private readonly struct DotOperands<T>
            where T : unmanaged
        {
            public DotOperands(T* a, T* b, T* c, int m, int k, int n, bool accumulate, T alpha)
            {
                A = a;
                B = b;
                C = c;
                M = m;
                K = k;
                N = n;
                Accumulate = accumulate;
                Alpha = alpha;
            }

            public T* A { get; }

            public T* B { get; }

            public T* C { get; }

            public int M { get; }

            public int K { get; }

            public int N { get; }

            public bool Accumulate { get; }

            public T Alpha { get; }

            /// <summary>Row i of A, clamped to the last row (duplicates of a block narrower than m are never stored).</summary>
            public T* ARow(int i) => A + ((nint)Math.Min(i, M - 1) * K);

            /// <summary>Row j of B (column j of op(B)), clamped to the last row.</summary>
            public T* BRow(int j) => B + ((nint)Math.Min(j, N - 1) * K);
        }
    }

    /// <summary>
    /// The few vector operations of <see cref="GemmDotBlock"/> on one vector type <typeparamref name="TV"/> of
    /// <typeparamref name="T"/> lanes; implemented by structs so the block loop is specialized per width.
    /// </summary>
    internal unsafe interface IDotLanes<T, TV>
        where T : unmanaged
        where TV : unmanaged
    {
        /// <summary>Lanes per vector.</summary>
        static abstract int Count { get; }

        /// <summary>Count consecutive elements from <paramref name="p"/> (unaligned).</summary>
        static abstract TV Load(T* p);

        /// <summary>z + x·y (fused for float/double where the hardware has FMA).</summary>
        static abstract TV MulAdd(TV x, TV y, TV z);

        /// <summary>Bitwise x &amp; mask.</summary>
        static abstract TV And(TV x, TV mask);

        /// <summary>All bits set in the lanes ≥ <paramref name="skip"/>, zero in the first <paramref name="skip"/>.</summary>
        static abstract TV KeepFrom(int skip);

        /// <summary>
        /// dst[0..4) = α · (the lane sums of s0..s3), + dst[0..4) when <paramref name="add"/> (α·sum rounded,
        /// then added, as <see cref="GemmDirect"/>). On x86 the four vectors are reduced together by unpacking and
        /// adding (a transpose-and-add tree: 13 instructions for four 512-bit vectors rather than ~26 per
        /// <see cref="Vector512.Sum{T}"/>); elsewhere one sum at a time.
        /// </summary>
        static abstract void Sum4(TV s0, TV s1, TV s2, TV s3, T alpha, bool add, T* dst);
    }

    /// <summary><see cref="IDotLanes{T, TV}"/> on <see cref="Vector512{T}"/>.</summary>
    internal readonly unsafe struct Lanes512<T> : IDotLanes<T, Vector512<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector512<T>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Load(T* p) => Vector512.Load(p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> MulAdd(Vector512<T> x, Vector512<T> y, Vector512<T> z) => GemmSimd.MulAdd(x, y, z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> And(Vector512<T> x, Vector512<T> mask) => x & mask;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> KeepFrom(int skip)
            => Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(skip)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Sum4(Vector512<T> s0, Vector512<T> s1, Vector512<T> s2, Vector512<T> s3, T alpha, bool add, T* dst)
        {
            if (Avx512F.IsSupported && typeof(T) == typeof(float))
            {
                Vector256<float> h = LaneSums4(s0.AsSingle(), s1.AsSingle(), s2.AsSingle(), s3.AsSingle());
                DotStore.Put(h.GetLower() + h.GetUpper(), (float*)dst, Unsafe.BitCast<T, float>(alpha), add);
            }
            else if (Avx512F.IsSupported && typeof(T) == typeof(double))
            {
                // Per 128-bit lane [s0, s1] and [s2, s3] partial sums, then 512 → 256 bits.
                Vector512<double> x = Avx512F.UnpackLow(s0.AsDouble(), s1.AsDouble()) + Avx512F.UnpackHigh(s0.AsDouble(), s1.AsDouble());
                Vector512<double> y = Avx512F.UnpackLow(s2.AsDouble(), s3.AsDouble()) + Avx512F.UnpackHigh(s2.AsDouble(), s3.AsDouble());
                Lanes256<double>.Fold(x.GetLower() + x.GetUpper(), y.GetLower() + y.GetUpper(), Unsafe.BitCast<T, double>(alpha), add, (double*)dst);
            }
            else
            {
                DotStore.Put(Vector512.Sum(s0), Vector512.Sum(s1), Vector512.Sum(s2), Vector512.Sum(s3), alpha, add, dst);
            }
        }

        /// <summary>
        /// Float: each 128-bit lane of the result holds [s0, s1, s2, s3] partial sums (two unpack-and-add
        /// rounds), folded to 256 bits.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> LaneSums4(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3)
        {
            Vector512<float> x = Avx512F.UnpackLow(s0, s1) + Avx512F.UnpackHigh(s0, s1);
            Vector512<float> y = Avx512F.UnpackLow(s2, s3) + Avx512F.UnpackHigh(s2, s3);
            Vector512<float> z = Avx512F.UnpackLow(x.AsDouble(), y.AsDouble()).AsSingle() + Avx512F.UnpackHigh(x.AsDouble(), y.AsDouble()).AsSingle();
            return z.GetLower() + z.GetUpper();
        }
    }

    /// <summary><see cref="IDotLanes{T, TV}"/> on <see cref="Vector256{T}"/>.</summary>
    internal readonly unsafe struct Lanes256<T> : IDotLanes<T, Vector256<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector256<T>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Load(T* p) => Vector256.Load(p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> MulAdd(Vector256<T> x, Vector256<T> y, Vector256<T> z) => GemmSimd.MulAdd(x, y, z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> And(Vector256<T> x, Vector256<T> mask) => x & mask;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> KeepFrom(int skip)
            => Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(skip)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Sum4(Vector256<T> s0, Vector256<T> s1, Vector256<T> s2, Vector256<T> s3, T alpha, bool add, T* dst)
        {
            if (Avx.IsSupported && typeof(T) == typeof(float))
            {
                Vector256<float> x = Avx.UnpackLow(s0.AsSingle(), s1.AsSingle()) + Avx.UnpackHigh(s0.AsSingle(), s1.AsSingle());
                Vector256<float> y = Avx.UnpackLow(s2.AsSingle(), s3.AsSingle()) + Avx.UnpackHigh(s2.AsSingle(), s3.AsSingle());
                Vector256<float> z = Avx.UnpackLow(x.AsDouble(), y.AsDouble()).AsSingle() + Avx.UnpackHigh(x.AsDouble(), y.AsDouble()).AsSingle();
                DotStore.Put(z.GetLower() + z.GetUpper(), (float*)dst, Unsafe.BitCast<T, float>(alpha), add);
            }
            else if (Avx.IsSupported && typeof(T) == typeof(double))
            {
                Vector256<double> x = Avx.UnpackLow(s0.AsDouble(), s1.AsDouble()) + Avx.UnpackHigh(s0.AsDouble(), s1.AsDouble());
                Vector256<double> y = Avx.UnpackLow(s2.AsDouble(), s3.AsDouble()) + Avx.UnpackHigh(s2.AsDouble(), s3.AsDouble());
                Fold(x, y, Unsafe.BitCast<T, double>(alpha), add, (double*)dst);
            }
            else
            {
                DotStore.Put(Vector256.Sum(s0), Vector256.Sum(s1), Vector256.Sum(s2), Vector256.Sum(s3), alpha, add, dst);
            }
        }

        /// <summary>
        /// The sums [x₀ + x₂, x₁ + x₃, y₀ + y₂, y₁ + y₃] (x and y hold [s0, s1] and [s2, s3] partial sums per
        /// 128-bit lane) through <see cref="DotStore.Put(Vector256{double}, double*, double, bool)"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static void Fold(Vector256<double> x, Vector256<double> y, double alpha, bool add, double* dst)
            => DotStore.Put(Vector256.Create(x.GetLower(), y.GetLower()) + Vector256.Create(x.GetUpper(), y.GetUpper()), dst, alpha, add);
    }

    /// <summary><see cref="IDotLanes{T, TV}"/> on <see cref="Vector128{T}"/>.</summary>
    internal readonly unsafe struct Lanes128<T> : IDotLanes<T, Vector128<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector128<T>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> Load(T* p) => Vector128.Load(p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> MulAdd(Vector128<T> x, Vector128<T> y, Vector128<T> z) => GemmSimd.MulAdd(x, y, z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> And(Vector128<T> x, Vector128<T> mask) => x & mask;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> KeepFrom(int skip)
            => Vector128.GreaterThanOrEqual(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(skip)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Sum4(Vector128<T> s0, Vector128<T> s1, Vector128<T> s2, Vector128<T> s3, T alpha, bool add, T* dst)
        {
            if (Sse2.IsSupported && typeof(T) == typeof(float))
            {
                Vector128<float> x = Sse.UnpackLow(s0.AsSingle(), s1.AsSingle()) + Sse.UnpackHigh(s0.AsSingle(), s1.AsSingle());
                Vector128<float> y = Sse.UnpackLow(s2.AsSingle(), s3.AsSingle()) + Sse.UnpackHigh(s2.AsSingle(), s3.AsSingle());
                Vector128<float> z = Sse2.UnpackLow(x.AsDouble(), y.AsDouble()).AsSingle() + Sse2.UnpackHigh(x.AsDouble(), y.AsDouble()).AsSingle();
                DotStore.Put(z, (float*)dst, Unsafe.BitCast<T, float>(alpha), add);
            }
            else if (Sse2.IsSupported && typeof(T) == typeof(double))
            {
                double a = Unsafe.BitCast<T, double>(alpha);
                DotStore.Put(Sse2.UnpackLow(s0.AsDouble(), s1.AsDouble()) + Sse2.UnpackHigh(s0.AsDouble(), s1.AsDouble()), (double*)dst, a, add);
                DotStore.Put(Sse2.UnpackLow(s2.AsDouble(), s3.AsDouble()) + Sse2.UnpackHigh(s2.AsDouble(), s3.AsDouble()), (double*)dst + 2, a, add);
            }
            else
            {
                DotStore.Put(Vector128.Sum(s0), Vector128.Sum(s1), Vector128.Sum(s2), Vector128.Sum(s3), alpha, add, dst);
            }
        }
    }

    /// <summary>
    /// <see cref="IDotLanes{T, TV}"/> with one lane (any element type): multiply then add, as the scalar
    /// loops of <see cref="GemmVectorOps"/>. With one lane the k loop has no tail, so the mask is never used.
    /// </summary>
    internal readonly unsafe struct LanesScalar<T> : IDotLanes<T, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Load(T* p) => *p;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T MulAdd(T x, T y, T z) => (x * y) + z;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T And(T x, T mask) => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T KeepFrom(int skip) => T.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Sum4(T s0, T s1, T s2, T s3, T alpha, bool add, T* dst)
            => DotStore.Put(s0, s1, s2, s3, alpha, add, dst);
    }

    /// <summary>dst (+)= α · sums for the four sums of one block row (α·sum rounded, then added).</summary>
    internal static unsafe class DotStore
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Put(Vector128<float> sums, float* dst, float alpha, bool add)
        {
            Vector128<float> value = sums * alpha;
            (add ? Vector128.Load(dst) + value : value).Store(dst);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Put(Vector128<double> sums, double* dst, double alpha, bool add)
        {
            Vector128<double> value = sums * alpha;
            (add ? Vector128.Load(dst) + value : value).Store(dst);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Put(Vector256<double> sums, double* dst, double alpha, bool add)
        {
            Vector256<double> value = sums * alpha;
            (add ? Vector256.Load(dst) + value : value).Store(dst);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Put<T>(T s0, T s1, T s2, T s3, T alpha, bool add, T* dst)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            T v0 = alpha * s0, v1 = alpha * s1, v2 = alpha * s2, v3 = alpha * s3;
            dst[0] = add ? dst[0] + v0 : v0;
            dst[1] = add ? dst[1] + v1 : v1;
            dst[2] = add ? dst[2] + v2 : v2;
            dst[3] = add ? dst[3] + v3 : v3;
        }
    }
}
