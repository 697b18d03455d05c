using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGradGen.Kernels
{
    /// <summary>Which code path <see cref="Gemm"/> takes; <see cref="Auto"/> picks by shape and hardware.</summary>
    internal enum GemmPath
    {
        /// <summary>
        /// Direct path for vectors and tiny products, dot blocks for A·Bᵀ with small m and n (<see cref="Gemm.PrefersDotBlock"/>),
        /// packed kernel otherwise (the widest SIMD available).
        /// </summary>
        Auto,
        /// <summary>Unpacked loops over dot products and row updates (any <c>T</c>).</summary>
        Direct,
        /// <summary>Packed kernel, 4×(2·Vector128) micro-tile.</summary>
        Packed128,
        /// <summary>Packed kernel, 6×(2·Vector256) micro-tile.</summary>
        Packed256,
        /// <summary>Packed kernel, 12×(2·Vector512) micro-tile.</summary>
        Packed512,
        /// <summary>
        /// 4×4 register blocks of dot products (<see cref="GemmDotBlock"/>) for A stored m×k and B stored n×k
        /// (<c>transposeA = false</c>, <c>transposeB = true</c>); other layouts take the <see cref="Auto"/> choice.
        /// </summary>
        DotBlock,
        /// <summary>
        /// A strip of C for 2 … 12 rows held in registers while B (not transposed) streams once, unpacked
        /// (<see cref="GemmSkinny"/>: a dense layer with few outputs); other shapes take the <see cref="Auto"/> choice.
        /// </summary>
        Skinny,
    }

    /// <summary>
    /// Matrix product kernel on row-major spans: C = op(A) · op(B) (+ C when <c>accumulate</c>).
    /// op(A) is m×k, op(B) is k×n, C is m×n. With <c>transposeA</c>, A is stored k×m; with
    /// <c>transposeB</c>, B is stored n×k. No shape checks: callers validate at the public boundary.
    /// </summary>
    /// <remarks>
    /// float and double take a packed, register-blocked GEMM in the BLIS/GotoBLAS style
    /// (<see cref="GemmPacked"/>): A and B are copied into cache-sized panels, the transposed
    /// layouts being handled by the packing, and an mr×nr micro-kernel of FMAs
    /// (<see cref="IGemmMicroKernel{T}"/>) runs over them. Vectors (m or n = 1), tiny products and
    /// other element types take <see cref="GemmDirect"/>; A·Bᵀ (A m×k, B n×k) with m and n small against k
    /// takes <see cref="GemmDotBlock"/>, whose rows are already contiguous, so packing would be pure overhead.
    /// </remarks>
    internal static class Gemm
    {
        /// <summary>
        /// Up to this many multiply-adds (m·n·k) the packing set-up (≈ 0.2 µs) outweighs the gain and
        /// <see cref="GemmDirect"/> runs instead: measured crossover on AVX-512 between 4³ and 6³
        /// (at 8³ the packed kernel is already 1.5× faster, at 16³ 2.5×).
        /// </summary>
        internal const long DirectWorkThreshold = 5 * 5 * 5;

        /// <summary>
        /// From this many multiply-adds (m·n·k) on, the packed kernel splits C across cores:
        /// 128³ ≈ 4 MFLOP is ≈ 50 µs on one core, well above the worker pool's wake-up of a few µs.
        /// </summary>
        internal const long ParallelWorkThreshold = 128L * 128 * 128;

        /// <summary>Upper bound on the threads one product may use (≤ 1: single-threaded): <see cref="Parallelism.MaxThreads"/>.</summary>
        internal static int MaxDegreeOfParallelism
        {
            get => Parallelism.MaxThreads;
            set => Parallelism.MaxThreads = value;
        }

        /// <summary>C (m×n) = op(A) (m×k) · op(B) (k×n), or C += … when <paramref name="accumulate"/>.</summary>
        public static void Multiply<T>(
            ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c,
            int m, int k, int n,
            bool transposeA = false, bool transposeB = false, bool accumulate = false)
            where T : unmanaged, IFloatingPointIeee754<T>
            => MultiplyWith(a, b, c, m, k, n, transposeA, transposeB, accumulate, T.One,
                GemmPath.Auto, Parallelism.MaxThreads);

        /// <summary>C = s · op(A) · op(B), or C += s · op(A) · op(B) when <paramref name="accumulate"/>: the factor rides on the packing of A.</summary>
        public static void MultiplyScaled<T>(
            T scale, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c,
            int m, int k, int n,
            bool transposeA, bool transposeB, bool accumulate)
            where T : unmanaged, IFloatingPointIeee754<T>
            => MultiplyWith(a, b, c, m, k, n, transposeA, transposeB, accumulate, scale,
                GemmPath.Auto, Parallelism.MaxThreads);

        /// <summary>
        /// <see cref="Multiply"/> (times <paramref name="alpha"/>) with the code path and the parallelism chosen by the caller
        /// (tests pin every path; a packed path the hardware lacks falls back to the best one it has).
        /// </summary>
        internal static void MultiplyWith<T>(
            ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c,
            int m, int k, int n,
            bool transposeA, bool transposeB, bool accumulate, T alpha,
            GemmPath path, int maxDegreeOfParallelism)
            where T : unmanaged, IFloatingPointIeee754<T>
            => MultiplyWith(a, b, c, m, k, n, transposeA, transposeB, accumulate, alpha, path, maxDegreeOfParallelism, default(NoEpilogue<T>));

        /// <summary>
        /// C = op(A) · op(B), then <paramref name="epilogue"/> on C: on the packed path block by block, by the thread that
        /// computed the block while it is in its cache; on the other paths over the whole of C after the product.
        /// </summary>
        internal static void MultiplyWith<T, TEpilogue>(
            ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c,
            int m, int k, int n,
            bool transposeA, bool transposeB, bool accumulate, T alpha,
            GemmPath path, int maxDegreeOfParallelism, TEpilogue epilogue)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TEpilogue : struct, IGemmEpilogue<T>
        {
            if (m == 0 || n == 0)
            {
                return;
            }

            path = k == 0 ? GemmPath.Direct : Resolve<T>(path, m, k, n, transposeA, transposeB);
            int threads = (long)m * n * k >= ParallelWorkThreshold ? maxDegreeOfParallelism : 1;
            if (path == GemmPath.Skinny)
            {
                GemmSkinny.Multiply(a, b, c, m, k, n, transposeA, accumulate, alpha, threads);
                ApplyToAll(c, m, n, epilogue);
                return;
            }

            if (path is GemmPath.Direct or GemmPath.DotBlock)
            {
                if (k == 0)
                {
                    if (!accumulate)
                    {
                        c.Slice(0, m * n).Clear();
                    }
                }
                else if (path == GemmPath.Direct)
                {
                    GemmDirect.Multiply(a, b, c, m, k, n, transposeA, transposeB, accumulate, alpha);
                }
                else
                {
                    GemmDotBlock.Multiply(a, b, c, m, k, n, accumulate, alpha, threads);
                }
                ApplyToAll(c, m, n, epilogue);
                return;
            }

            var dims = new GemmDims(m, k, n, transposeA, transposeB, accumulate);
            GemmPacked.Multiply(path, a, b, c, dims, alpha, threads, epilogue);
        }

        /// <summary>The epilogue over the whole m×n C, on this thread (nothing for <see cref="NoEpilogue{T}"/>).</summary>
        private static unsafe void ApplyToAll<T, TEpilogue>(Span<T> c, int m, int n, TEpilogue epilogue)
            where T : unmanaged
            where TEpilogue : struct, IGemmEpilogue<T>
        {
            if (typeof(TEpilogue) == typeof(NoEpilogue<T>))
            {
                return;
            }
            fixed (T* pc = c)
            {
                epilogue.Apply(pc, n, 0, m, 0, n);
            }
        }

        /// <summary>
        /// The path actually taken: packed, dot blocks or skinny strips only for float/double with SIMD, non-vector shapes (m, n,
        /// k > 1: k = 1 is a rank-1 update, one streaming pass over C on the direct path) and
        /// enough work; <see cref="GemmPath.DotBlock"/> only for the A·Bᵀ layout (by <see cref="GemmPath.Auto"/> only
        /// where <see cref="PrefersDotBlock"/> was measured: with AVX-512); <see cref="GemmPath.Skinny"/> for 2 … 12 rows of
        /// op(A) and B not transposed, with AVX-512 (faster than packed at every such shape measured, see <see cref="GemmSkinny"/>).
        /// </summary>
        internal static GemmPath Resolve<T>(GemmPath requested, int m, int k, int n, bool transposeA, bool transposeB)
        {
            bool packable = typeof(T) == typeof(float) || typeof(T) == typeof(double);
            if (!packable || !Vector128.IsHardwareAccelerated || requested == GemmPath.Direct)
            {
                return GemmPath.Direct;
            }

            bool dotLayout = !transposeA && transposeB;
            if (requested == GemmPath.DotBlock && dotLayout)
            {
                return GemmPath.DotBlock;
            }

            bool skinny = GemmSkinny.Applies(m, n, transposeB, typeof(T) == typeof(float) ? 16 : 8);
            if (requested == GemmPath.Skinny && skinny && k > 1)
            {
                return GemmPath.Skinny;
            }

            if (requested is GemmPath.Auto or GemmPath.DotBlock or GemmPath.Skinny)
            {
                if (m == 1 || n == 1 || k == 1 || (long)m * n * k <= DirectWorkThreshold)
                {
                    return GemmPath.Direct;
                }
                if (skinny)
                {
                    return GemmPath.Skinny;
                }
                bool dot = dotLayout && Vector512.IsHardwareAccelerated && PrefersDotBlock(m, k, n);
                return dot ? GemmPath.DotBlock : BestPacked();
            }

            // The packed paths are declared narrowest first, so ">" means "wider than the hardware runs".
            return requested > BestPacked() ? BestPacked() : requested;
        }

        /// <summary>
        /// Whether A·Bᵀ (A m×k, B n×k) runs faster as <see cref="GemmDotBlock"/> than packed: when
        /// m·n/(m + n) &lt; clamp(k, 24, 96)/4. Packing costs ∝ (m + n)·k against m·n·k multiply-adds, so it
        /// weighs most when m·n/(m + n) (half the harmonic mean of m and n) is small, whatever k; the dot
        /// blocks pay a fixed reduction per 16 entries, so a short k needs smaller m and n.
        /// </summary>
        /// <remarks>
        /// Measured on AVX-512 (Zen, float and double, rows not 64-byte aligned, 1 and 2 threads): 16×1000×16
        /// runs 4.6× (float) and 2.1× (double) faster than packed, 32×1000×64 1.3–1.4×, 16×4096×128 on 2 threads
        /// 1.6–1.9×; packed wins (or ties) from 32×32 at k = 64, 16×32 at k = 16, 64×128 at k ≥ 256. With
        /// 16 vector registers (AVX2) the 16 accumulators of a block would spill, so only AVX-512 takes it unasked.
        /// </remarks>
        internal static bool PrefersDotBlock(int m, int k, int n)
            => (long)m * n * 4 < (long)Math.Clamp(k, 24, 96) * (m + n);

        /// <summary>The widest packed kernel this machine runs natively (FMA included).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static GemmPath BestPacked()
        {
            if (Vector512.IsHardwareAccelerated)
            {
                return GemmPath.Packed512;
            }
            return GemmSimd.HasFma && Vector256.IsHardwareAccelerated ? GemmPath.Packed256 : GemmPath.Packed128;
        }
    }
}
