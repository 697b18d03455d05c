using System;

namespace AutoGradGen.Kernels
{
    /// <summary>
    /// Copies blocks of op(A) and op(B) into the micro-panel layout the micro-kernels stream through.
    /// </summary>
    /// <remarks>
    /// A micro-panel of width w (w = mr for A, nr for B) stores, for each of the kc steps p, the w
    /// values along the panel's broad dimension t: <c>dst[p·w + t] = src[t·ts + p·ps]</c>. The strides
    /// express all four layouts, so op(A) = Aᵀ and op(B) = Bᵀ are never materialized:
    /// op(A)[i, p] is A[i·k + p] (ts = k, ps = 1) or, transposed, A[p·m + i] (ts = 1, ps = m);
    /// op(B)[p, j] is B[p·n + j] (ts = 1, ps = n) or, transposed, B[j·k + p] (ts = k, ps = 1).
    /// Rows past the matrix edge are zero, so the kernel always runs full tiles.
    /// </remarks>
    internal static unsafe class GemmPacking
    {
        /// <summary>Packs <paramref name="extent"/> values along t (⌈extent / w⌉ panels) × kc steps.</summary>
        public static void PackPanels<T>(T* dst, T* src, int extent, int kc, int w, nint ts, nint ps)
            where T : unmanaged
        {
            for (int t0 = 0; t0 < extent; t0 += w)
            {
                int valid = Math.Min(w, extent - t0);
                if (ts == 1)
                {
                    PackContiguous(dst, src + t0, kc, w, valid, ps);
                }
                else
                {
                    PackTransposing(dst, src + (t0 * ts), kc, w, valid, ts, ps);
                }
                dst += (nint)w * kc;
            }
        }

        /// <summary>The panel's w values of a step are adjacent in the source: one block copy per step.</summary>
        private static void PackContiguous<T>(T* dst, T* src, int kc, int w, int valid, nint ps)
            where T : unmanaged
        {
            for (int p = 0; p < kc; p++)
            {
                var row = new Span<T>(dst + ((nint)p * w), w);
                new ReadOnlySpan<T>(src + (p * ps), valid).CopyTo(row);
                row.Slice(valid).Clear();
            }
        }

        /// <summary>
        /// The source runs along p (ps = 1 in both transposed cases): read each of the w source lines
        /// sequentially and scatter it with stride w into the panel, which fits in L1.
        /// </summary>
        private static void PackTransposing<T>(T* dst, T* src, int kc, int w, int valid, nint ts, nint ps)
            where T : unmanaged
        {
            for (int t = 0; t < valid; t++)
            {
                T* line = src + (t * ts);
                T* d = dst + t;
                for (int p = 0; p < kc; p++)
                {
                    d[(nint)p * w] = line[p * ps];
                }
            }

            if (valid < w)
            {
                for (int p = 0; p < kc; p++)
                {
                    new Span<T>(dst + ((nint)p * w) + valid, w - valid).Clear();
                }
            }
        }
    }
}
