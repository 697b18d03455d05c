using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoGradGen.Kernels
{
    /// <summary>Shape and layout of one product, with the strides that address op(A) and op(B).</summary>
    internal readonly struct GemmDims
    {
        public GemmDims(int m, int k, int n, bool transposeA, bool transposeB, bool accumulate)
        {
            M = m;
            K = k;
            N = n;
            ARowStride = transposeA ? 1 : k;
            AColStride = transposeA ? m : 1;
            BRowStride = transposeB ? 1 : n;
            BColStride = transposeB ? k : 1;
            Accumulate = accumulate;
        }

        public int M { get; }

        public int K { get; }

        public int N { get; }

        /// <summary>op(A)[i, p] = A[i·ARowStride + p·AColStride].</summary>
        public nint ARowStride { get; }

        /// <summary>See <see cref="ARowStride"/>.</summary>
        public nint AColStride { get; }

        /// <summary>op(B)[p, j] = B[p·BRowStride + j·BColStride].</summary>
        public nint BRowStride { get; }

        /// <summary>See <see cref="BRowStride"/>.</summary>
        public nint BColStride { get; }

        public bool Accumulate { get; }
    }

    /// <summary>
    /// Packed, cache-blocked GEMM driver (BLIS/GotoBLAS loop nest, written for row-major C whose
    /// micro-tiles are vectorized along n):
    /// <code>
    /// for ic in M by MC            A block  MC×KC packed once per (ic, pc)   → L3
    ///   for pc in K by KC
    ///     for jc in N by NC        B block  KC×NC packed once per (ic, pc, jc) → L2
    ///       for ir in MC by mr     A micro-panel mr×KC stays in L1 across the jr loop
    ///         for jr in NC by nr   B micro-panel KC×nr streams from L2 into the micro-kernel
    /// </code>
    /// Large products split C into a grid of blocks, one per worker (<see cref="GemmGrid"/>).
    /// </summary>
    internal static unsafe class GemmPacked
    {
        /// <summary>
        /// KC·sizeof(T) = 1536 B: KC = 384 floats or 192 doubles, so an A micro-panel (12×KC) is
        /// 18 KiB, about half of a 32 KiB L1d, leaving room for the B micro-panel lines in flight;
        /// longer KC amortizes each C tile's load/store over more FMAs.
        /// </summary>
        private const int KcBytes = 1536;

        /// <summary>
        /// Packed B block (KC×NC) budget: half of a 1 MiB L2 (Zen 4, Ice Lake-SP; Skylake-SP has 1 MiB),
        /// so it survives the whole ir loop: NC = 320 floats or 336 doubles with the AVX-512 kernel.
        /// </summary>
        private const int L2BlockBytes = 512 * 1024;

        /// <summary>
        /// Packed A block (MC×KC) budget: 2 MiB of the shared L3 (MC ≈ 1356 rows); it is reused across
        /// every jc block, so A is packed once per KC step for all but the tallest matrices.
        /// </summary>
        private const int L3BlockBytes = 2 * 1024 * 1024;

        /// <summary>Runs the packed product with the micro-kernel that <paramref name="path"/> names.</summary>
        public static void Multiply<T>(GemmPath path, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, GemmDims dims, T alpha, int threads)
            where T : unmanaged, IFloatingPointIeee754<T>
            => Multiply(path, a, b, c, dims, alpha, threads, default(NoEpilogue<T>));

        /// <summary>
        /// The same, and <paramref name="epilogue"/> on every block of C once the block is complete, by the thread
        /// that computed it (<see cref="IGemmEpilogue{T}"/>).
        /// </summary>
        public static void Multiply<T, TEpilogue>(GemmPath path, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, GemmDims dims, T alpha, int threads, TEpilogue epilogue)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TEpilogue : struct, IGemmEpilogue<T>
        {
            fixed (T* pa = a, pb = b, pc = c)
            {
                var op = new Operands<T>(pa, pb, pc, dims, alpha);
                switch (path)
                {
                    case GemmPath.Packed512:
                        Run<T, MicroKernel512<T>, TEpilogue>(op, threads, epilogue);
                        break;
                    case GemmPath.Packed256:
                        Run<T, MicroKernel256<T>, TEpilogue>(op, threads, epilogue);
                        break;
                    default:
                        Run<T, MicroKernel128<T>, TEpilogue>(op, threads, epilogue);
                        break;
                }
            }
        }

        private static void Run<T, TKernel, TEpilogue>(Operands<T> op, int threads, TEpilogue epilogue)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TKernel : IGemmMicroKernel<T>
            where TEpilogue : struct, IGemmEpilogue<T>
        {
            GemmDims d = op.Dims;
            var grid = GemmGrid.Choose(d.M, d.N, threads, TKernel.Mr, TKernel.Nr);
            if (grid.Count == 1)
            {
                RunBlock<T, TKernel, TEpilogue>(op, epilogue, 0, d.M, 0, d.N);
                return;
            }

            RunParallel<T, TKernel, TEpilogue>(op, epilogue, grid, threads);
        }

        /// <summary>One grid block per piece of a <see cref="WorkerPool"/> job (this thread's reusable job object).</summary>
        private static void RunParallel<T, TKernel, TEpilogue>(Operands<T> op, TEpilogue epilogue, GemmGrid grid, int threads)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TKernel : IGemmMicroKernel<T>
            where TEpilogue : struct, IGemmEpilogue<T>
        {
            var job = BlockJob<T, TKernel, TEpilogue>.ForThisThread;
            job.Operands = op;
            job.Epilogue = epilogue;
            job.Grid = grid;
            job.Reset(grid.Count);
            WorkerPool.Run(job, threads);
        }

        /// <summary>The blocks of one product as a pool job: piece i is grid block i.</summary>
        private sealed class BlockJob<T, TKernel, TEpilogue> : PoolJob
            where T : unmanaged, IFloatingPointIeee754<T>
            where TKernel : IGemmMicroKernel<T>
            where TEpilogue : struct, IGemmEpilogue<T>
        {
            [ThreadStatic]
            private static BlockJob<T, TKernel, TEpilogue>? t_job;

            public static BlockJob<T, TKernel, TEpilogue> ForThisThread => t_job ??= new BlockJob<T, TKernel, TEpilogue>();

            public Operands<T> Operands { get; set; }

            public TEpilogue Epilogue { get; set; }

            public GemmGrid Grid { get; set; }

            public override void Execute(int index)
            {
                Grid.GetBlock(index, out int r0, out int r1, out int c0, out int c1);
                RunBlock<T, TKernel, TEpilogue>(Operands, Epilogue, r0, r1, c0, c1);
            }
        }

        /// <summary>
        /// C[r0..r1, c0..c1] (+)= op(A)[r0..r1, :] · op(B)[:, c0..c1] on the calling thread; the epilogue runs on each
        /// MC×NC block right after its last KC step.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RunBlock<T, TKernel, TEpilogue>(in Operands<T> op, in TEpilogue epilogue, int r0, int r1, int c0, int c1)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TKernel : IGemmMicroKernel<T>
            where TEpilogue : struct, IGemmEpilogue<T>
        {
            GemmDims d = op.Dims;
            int mr = TKernel.Mr, nr = TKernel.Nr;
            // Block sizes: the cache budgets above, then evened out over the extent (k = 1024 runs as
            // 3 × 344 rather than 384 + 384 + 256), so no block is a thin, less efficient remainder.
            int kcMax = Balance(d.K, KcBytes / sizeof(T), 8);
            int mcMax = Balance(r1 - r0, RoundDown(L3BlockBytes / KcBytes, mr), mr);
            int ncMax = Balance(c1 - c0, RoundDown(L2BlockBytes / KcBytes, nr), nr);

            int aLength = GemmScratch<T>.RoundToLines(mcMax * kcMax);
            int bLength = GemmScratch<T>.RoundToLines(ncMax * kcMax);
            T* ap = GemmScratch<T>.Get(aLength + bLength + (mr * nr));
            T* bp = ap + aLength;
            T* tile = bp + bLength;

            for (int ic = r0; ic < r1; ic += mcMax)
            {
                int mc = Math.Min(mcMax, r1 - ic);
                for (int pc = 0; pc < d.K; pc += kcMax)
                {
                    int kc = Math.Min(kcMax, d.K - pc);
                    bool add = d.Accumulate || pc > 0;
                    T* aSrc = op.A + (ic * d.ARowStride) + (pc * d.AColStride);
                    GemmPacking.PackPanels(ap, aSrc, mc, kc, mr, d.ARowStride, d.AColStride);
                    if (op.Alpha != T.One)
                    {
                        // s · op(A) · op(B): the factor scales the packed A block (mc·kc values, in cache), not C.
                        var packed = new Span<T>(ap, ((mc + mr - 1) / mr) * mr * kc);
                        System.Numerics.Tensors.TensorPrimitives.Multiply(packed, op.Alpha, packed);
                    }
                    for (int jc = c0; jc < c1; jc += ncMax)
                    {
                        int nc = Math.Min(ncMax, c1 - jc);
                        T* bSrc = op.B + (pc * d.BRowStride) + (jc * d.BColStride);
                        GemmPacking.PackPanels(bp, bSrc, nc, kc, nr, d.BColStride, d.BRowStride);
                        T* cBlock = op.C + ((nint)ic * d.N) + jc;
                        MacroKernel<T, TKernel>(ap, bp, cBlock, mc, nc, kc, d.N, add, tile);
                        if (pc + kc == d.K)
                        {
                            epilogue.Apply(cBlock, d.N, ic, mc, jc, nc);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// C block (mc×nc) (+)= packed A block · packed B block. Full tiles are written in place by the
        /// micro-kernel; edge tiles are computed into <paramref name="tile"/> and their valid part merged.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void MacroKernel<T, TKernel>(T* ap, T* bp, T* c, int mc, int nc, int kc, nint ldc, bool add, T* tile)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TKernel : IGemmMicroKernel<T>
        {
            int mr = TKernel.Mr, nr = TKernel.Nr;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* a = ap + ((nint)ir * kc);
                for (int jr = 0; jr < nc; jr += nr)
                {
                    int cols = Math.Min(nr, nc - jr);
                    T* b = bp + ((nint)jr * kc);
                    T* cTile = c + (ir * ldc) + jr;
                    if (rows == mr && cols == nr)
                    {
                        TKernel.Run(kc, a, b, cTile, ldc, add);
                    }
                    else
                    {
                        TKernel.Run(kc, a, b, tile, nr, add: false);
                        MergeTile(tile, nr, cTile, ldc, rows, cols, add);
                    }
                }
            }
        }

        /// <summary>Writes (or adds) the top-left rows×cols of an edge tile into C.</summary>
        private static void MergeTile<T>(T* tile, int nr, T* c, nint ldc, int rows, int cols, bool add)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < rows; i++)
            {
                T* src = tile + (i * nr);
                T* dst = c + (i * ldc);
                for (int j = 0; j < cols; j++)
                {
                    dst[j] = add ? dst[j] + src[j] : src[j];
                }
            }
        }

        /// <summary>
        /// The block size that covers <paramref name="extent"/> in as few blocks of at most
        /// <paramref name="limit"/> as possible, all about equal, rounded up to <paramref name="multiple"/>.
        /// </summary>
        private static int Balance(int extent, int limit, int multiple)
        {
            int blocks = (extent + limit - 1) / limit;
            return Math.Min(limit, RoundUp((extent + blocks - 1) / blocks, multiple));
        }

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

        private static int RoundDown(int value, int multiple) => Math.Max(multiple, value / multiple * multiple);

        /// <summary>Base pointers of one product (pinned by the caller for its whole duration).</summary>
        private readonly struct Operands<T>
            where T : unmanaged
        {
            public Operands(T* a, T* b, T* c, GemmDims dims, T alpha)
            {
                A = a;
                B = b;
                C = c;
                Dims = dims;
                Alpha = alpha;
            }

            /// <summary>The factor s of C (+)= s · op(A) · op(B).</summary>
            public T Alpha { get; }

            public T* A { get; }

            public T* B { get; }

            public T* C { get; }

            public GemmDims Dims { get; }
        }
    }
}
