using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGradGen.Kernels
{
    /// <summary>
    /// An mr×nr register micro-kernel: C[0..Mr, 0..Nr] = (C +) Ãᵀ·B̃ over one packed micro-panel pair.
    /// </summary>
    /// <remarks>
    /// Packed layouts (<see cref="GemmPacking"/>): the A micro-panel holds, for each of the kc steps,
    /// Mr consecutive values op(A)[i, p]; the B micro-panel holds, for each step, Nr consecutive values
    /// op(B)[p, j]. C is row-major with row stride <c>ldc</c>; the tile is written whole, so edge tiles
    /// go through a scratch tile (see <see cref="GemmPacked"/>). Implementations are structs so the
    /// driver, generic over the kernel, is specialized and inlined per kernel by the JIT. The hot loops
    /// (kernels, macro-kernel, packing) are <see cref="MethodImplOptions.AggressiveOptimization"/>: fully
    /// optimized from the first call, rather than running a large first product in tier-0 code.
    /// </remarks>
    internal unsafe interface IGemmMicroKernel<T>
        where T : unmanaged
    {
        /// <summary>Rows of the micro-tile (height of an A micro-panel).</summary>
        static abstract int Mr { get; }

        /// <summary>Columns of the micro-tile (width of a B micro-panel).</summary>
        static abstract int Nr { get; }

        /// <summary>Tile of C at <paramref name="c"/> = (tile +) sum over kc steps of A column · B row.</summary>
        static abstract void Run(nint kc, T* a, T* b, T* c, nint ldc, bool add);
    }

    // AVX-512 (32 zmm registers): 24 accumulators + 2 B vectors + 1 broadcast = 27 live registers.
    // 24 independent FMA chains cover the 4-cycle FMA latency at 2 FMAs/cycle with room to spare,
    // and 12 broadcasts per 2 loads keep the load ports below the FMA rate.

    /// <summary>
    /// 12×(2·Vector512) micro-kernel: 12 rows of C, two vectors (2·Vector512&lt;T&gt;.Count columns) each,
    /// held in 24 accumulators; per k step two vector loads of B, 12 broadcasts of A, 24 FMAs.
    /// </summary>
    internal readonly unsafe struct MicroKernel512<T> : IGemmMicroKernel<T>
        where T : unmanaged
    {
        public static int Mr => 12;

        public static int Nr => 2 * Vector512<T>.Count;

        [SkipLocalsInit]
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(nint kc, T* a, T* b, T* c, nint ldc, bool add)
        {
            GemmSimd.PrefetchTile(c, ldc, 12, 2 * Vector512<T>.Count * sizeof(T));
            Vector512<T> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default, c3a = default, c3b = default,
                c4a = default, c4b = default, c5a = default, c5b = default, c6a = default, c6b = default, c7a = default, c7b = default,
                c8a = default, c8b = default, c9a = default, c9b = default, c10a = default, c10b = default, c11a = default, c11b = default;
            for (; kc > 0; kc--)
            {
                Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + Vector512<T>.Count), x;
                x = Vector512.Create(a[0]); c0a = GemmSimd.MulAdd(x, b0, c0a); c0b = GemmSimd.MulAdd(x, b1, c0b);
                x = Vector512.Create(a[1]); c1a = GemmSimd.MulAdd(x, b0, c1a); c1b = GemmSimd.MulAdd(x, b1, c1b);
                x = Vector512.Create(a[2]); c2a = GemmSimd.MulAdd(x, b0, c2a); c2b = GemmSimd.MulAdd(x, b1, c2b);
                x = Vector512.Create(a[3]); c3a = GemmSimd.MulAdd(x, b0, c3a); c3b = GemmSimd.MulAdd(x, b1, c3b);
                x = Vector512.Create(a[4]); c4a = GemmSimd.MulAdd(x, b0, c4a); c4b = GemmSimd.MulAdd(x, b1, c4b);
                x = Vector512.Create(a[5]); c5a = GemmSimd.MulAdd(x, b0, c5a); c5b = GemmSimd.MulAdd(x, b1, c5b);
                x = Vector512.Create(a[6]); c6a = GemmSimd.MulAdd(x, b0, c6a); c6b = GemmSimd.MulAdd(x, b1, c6b);
                x = Vector512.Create(a[7]); c7a = GemmSimd.MulAdd(x, b0, c7a); c7b = GemmSimd.MulAdd(x, b1, c7b);
                x = Vector512.Create(a[8]); c8a = GemmSimd.MulAdd(x, b0, c8a); c8b = GemmSimd.MulAdd(x, b1, c8b);
                x = Vector512.Create(a[9]); c9a = GemmSimd.MulAdd(x, b0, c9a); c9b = GemmSimd.MulAdd(x, b1, c9b);
                x = Vector512.Create(a[10]); c10a = GemmSimd.MulAdd(x, b0, c10a); c10b = GemmSimd.MulAdd(x, b1, c10b);
                x = Vector512.Create(a[11]); c11a = GemmSimd.MulAdd(x, b0, c11a); c11b = GemmSimd.MulAdd(x, b1, c11b);
                a += 12;
                b += 2 * Vector512<T>.Count;
            }

            StoreRow(c + (0 * ldc), c0a, c0b, add);
            StoreRow(c + (1 * ldc), c1a, c1b, add);
            StoreRow(c + (2 * ldc), c2a, c2b, add);
            StoreRow(c + (3 * ldc), c3a, c3b, add);
            StoreRow(c + (4 * ldc), c4a, c4b, add);
            StoreRow(c + (5 * ldc), c5a, c5b, add);
            StoreRow(c + (6 * ldc), c6a, c6b, add);
            StoreRow(c + (7 * ldc), c7a, c7b, add);
            StoreRow(c + (8 * ldc), c8a, c8b, add);
            StoreRow(c + (9 * ldc), c9a, c9b, add);
            StoreRow(c + (10 * ldc), c10a, c10b, add);
            StoreRow(c + (11 * ldc), c11a, c11b, add);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow(T* c, Vector512<T> lo, Vector512<T> hi, bool add)
        {
            if (add)
            {
                lo += Vector512.Load(c);
                hi += Vector512.Load(c + Vector512<T>.Count);
            }
            lo.Store(c);
            hi.Store(c + Vector512<T>.Count);
        }
    }

    // AVX2 (16 ymm registers): 12 accumulators + 2 B vectors + 1 broadcast = 15 (the classic Haswell 6×16).

    /// <summary>
    /// 6×(2·Vector256) micro-kernel: 6 rows of C, two vectors (2·Vector256&lt;T&gt;.Count columns) each,
    /// held in 12 accumulators; per k step two vector loads of B, 6 broadcasts of A, 12 FMAs.
    /// </summary>
    internal readonly unsafe struct MicroKernel256<T> : IGemmMicroKernel<T>
        where T : unmanaged
    {
        public static int Mr => 6;

        public static int Nr => 2 * Vector256<T>.Count;

        [SkipLocalsInit]
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(nint kc, T* a, T* b, T* c, nint ldc, bool add)
        {
            GemmSimd.PrefetchTile(c, ldc, 6, 2 * Vector256<T>.Count * sizeof(T));
            Vector256<T> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default, c3a = default, c3b = default,
                c4a = default, c4b = default, c5a = default, c5b = default;
            for (; kc > 0; kc--)
            {
                Vector256<T> b0 = Vector256.Load(b), b1 = Vector256.Load(b + Vector256<T>.Count), x;
                x = Vector256.Create(a[0]); c0a = GemmSimd.MulAdd(x, b0, c0a); c0b = GemmSimd.MulAdd(x, b1, c0b);
                x = Vector256.Create(a[1]); c1a = GemmSimd.MulAdd(x, b0, c1a); c1b = GemmSimd.MulAdd(x, b1, c1b);
                x = Vector256.Create(a[2]); c2a = GemmSimd.MulAdd(x, b0, c2a); c2b = GemmSimd.MulAdd(x, b1, c2b);
                x = Vector256.Create(a[3]); c3a = GemmSimd.MulAdd(x, b0, c3a); c3b = GemmSimd.MulAdd(x, b1, c3b);
                x = Vector256.Create(a[4]); c4a = GemmSimd.MulAdd(x, b0, c4a); c4b = GemmSimd.MulAdd(x, b1, c4b);
                x = Vector256.Create(a[5]); c5a = GemmSimd.MulAdd(x, b0, c5a); c5b = GemmSimd.MulAdd(x, b1, c5b);
                a += 6;
                b += 2 * Vector256<T>.Count;
            }

            StoreRow(c + (0 * ldc), c0a, c0b, add);
            StoreRow(c + (1 * ldc), c1a, c1b, add);
            StoreRow(c + (2 * ldc), c2a, c2b, add);
            StoreRow(c + (3 * ldc), c3a, c3b, add);
            StoreRow(c + (4 * ldc), c4a, c4b, add);
            StoreRow(c + (5 * ldc), c5a, c5b, add);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow(T* c, Vector256<T> lo, Vector256<T> hi, bool add)
        {
            if (add)
            {
                lo += Vector256.Load(c);
                hi += Vector256.Load(c + Vector256<T>.Count);
            }
            lo.Store(c);
            hi.Store(c + Vector256<T>.Count);
        }
    }

    // SSE/NEON (16 xmm registers on x86): 8 accumulators + 3 — a portable fallback.

    /// <summary>
    /// 4×(2·Vector128) micro-kernel: 4 rows of C, two vectors (2·Vector128&lt;T&gt;.Count columns) each,
    /// held in 8 accumulators; per k step two vector loads of B, 4 broadcasts of A, 8 FMAs.
    /// </summary>
    internal readonly unsafe struct MicroKernel128<T> : IGemmMicroKernel<T>
        where T : unmanaged
    {
        public static int Mr => 4;

        public static int Nr => 2 * Vector128<T>.Count;

        [SkipLocalsInit]
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(nint kc, T* a, T* b, T* c, nint ldc, bool add)
        {
            GemmSimd.PrefetchTile(c, ldc, 4, 2 * Vector128<T>.Count * sizeof(T));
            Vector128<T> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default, c3a = default, c3b = default;
            for (; kc > 0; kc--)
            {
                Vector128<T> b0 = Vector128.Load(b), b1 = Vector128.Load(b + Vector128<T>.Count), x;
                x = Vector128.Create(a[0]); c0a = GemmSimd.MulAdd(x, b0, c0a); c0b = GemmSimd.MulAdd(x, b1, c0b);
                x = Vector128.Create(a[1]); c1a = GemmSimd.MulAdd(x, b0, c1a); c1b = GemmSimd.MulAdd(x, b1, c1b);
                x = Vector128.Create(a[2]); c2a = GemmSimd.MulAdd(x, b0, c2a); c2b = GemmSimd.MulAdd(x, b1, c2b);
                x = Vector128.Create(a[3]); c3a = GemmSimd.MulAdd(x, b0, c3a); c3b = GemmSimd.MulAdd(x, b1, c3b);
                a += 4;
                b += 2 * Vector128<T>.Count;
            }

            StoreRow(c + (0 * ldc), c0a, c0b, add);
            StoreRow(c + (1 * ldc), c1a, c1b, add);
            StoreRow(c + (2 * ldc), c2a, c2b, add);
            StoreRow(c + (3 * ldc), c3a, c3b, add);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow(T* c, Vector128<T> lo, Vector128<T> hi, bool add)
        {
            if (add)
            {
                lo += Vector128.Load(c);
                hi += Vector128.Load(c + Vector128<T>.Count);
            }
            lo.Store(c);
            hi.Store(c + Vector128<T>.Count);
        }
    }
}
