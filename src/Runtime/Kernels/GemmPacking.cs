using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

        /// <summary>The panel's w values of a step are adjacent in the source: one row copy per step.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void PackContiguous<T>(T* dst, T* src, int kc, int w, int valid, nint ps)
            where T : unmanaged
        {
            if (valid == w && Vector128.IsHardwareAccelerated && w % Vector128<T>.Count == 0)
            {
                for (int p = 0; p < kc; p++)
                {
                    CopyVectors(dst + ((nint)p * w), src + (p * ps), w);
                }
                return;
            }

            for (int p = 0; p < kc; p++)
            {
                var row = new Span<T>(dst + ((nint)p * w), w);
                new ReadOnlySpan<T>(src + (p * ps), valid).CopyTo(row);
                row.Slice(valid).Clear();
            }
        }

        /// <summary>Copies <paramref name="count"/> elements, a multiple of Vector128&lt;T&gt;.Count, with the widest vectors.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void CopyVectors<T>(T* dst, T* src, int count)
            where T : unmanaged
        {
            int t = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; t + Vector512<T>.Count <= count; t += Vector512<T>.Count)
                {
                    Vector512.Load(src + t).Store(dst + t);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                for (; t + Vector256<T>.Count <= count; t += Vector256<T>.Count)
                {
                    Vector256.Load(src + t).Store(dst + t);
                }
            }
            for (; t < count; t += Vector128<T>.Count)
            {
                Vector128.Load(src + t).Store(dst + t);
            }
        }

        /// <summary>
        /// The source runs along p (ps = 1 in both transposed cases): groups of source lines are
        /// transposed in registers (4×4 floats, 2×2 doubles) where SSE2 is available; the remaining
        /// lines are read sequentially and scattered with stride w into the panel, which fits in L1.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void PackTransposing<T>(T* dst, T* src, int kc, int w, int valid, nint ts, nint ps)
            where T : unmanaged
        {
            int t = 0;
            if (ps == 1 && Sse2.IsSupported)
            {
                if (typeof(T) == typeof(float))
                {
                    t = Transpose4x4((float*)dst, (float*)src, kc, w, valid, ts);
                }
                else if (typeof(T) == typeof(double))
                {
                    t = Transpose2x2((double*)dst, (double*)src, kc, w, valid, ts);
                }
            }

            for (; t < valid; t++)
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

        /// <summary>Lines [0, 4·⌊valid/4⌋) as 4×4 register transposes; returns the first line left over.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static int Transpose4x4(float* dst, float* src, int kc, int w, int valid, nint ts)
        {
            int t = 0;
            for (; t + 4 <= valid; t += 4)
            {
                float* s0 = src + (t * ts), s1 = s0 + ts, s2 = s1 + ts, s3 = s2 + ts;
                float* d = dst + t;
                int p = 0;
                for (; p + 4 <= kc; p += 4, d += 4 * w)
                {
                    Vector128<float> r0 = Sse.LoadVector128(s0 + p), r1 = Sse.LoadVector128(s1 + p);
                    Vector128<float> r2 = Sse.LoadVector128(s2 + p), r3 = Sse.LoadVector128(s3 + p);
                    Vector128<float> lo01 = Sse.UnpackLow(r0, r1), lo23 = Sse.UnpackLow(r2, r3);
                    Vector128<float> hi01 = Sse.UnpackHigh(r0, r1), hi23 = Sse.UnpackHigh(r2, r3);
                    Sse.Store(d, Sse.MoveLowToHigh(lo01, lo23));
                    Sse.Store(d + w, Sse.MoveHighToLow(lo23, lo01));
                    Sse.Store(d + (2 * w), Sse.MoveLowToHigh(hi01, hi23));
                    Sse.Store(d + (3 * w), Sse.MoveHighToLow(hi23, hi01));
                }
                for (; p < kc; p++, d += w)
                {
                    d[0] = s0[p];
                    d[1] = s1[p];
                    d[2] = s2[p];
                    d[3] = s3[p];
                }
            }
            return t;
        }

        /// <summary>Lines [0, 2·⌊valid/2⌋) as 2×2 register transposes; returns the first line left over.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static int Transpose2x2(double* dst, double* src, int kc, int w, int valid, nint ts)
        {
            int t = 0;
            for (; t + 2 <= valid; t += 2)
            {
                double* s0 = src + (t * ts), s1 = s0 + ts;
                double* d = dst + t;
                int p = 0;
                for (; p + 2 <= kc; p += 2, d += 2 * w)
                {
                    Vector128<double> r0 = Sse2.LoadVector128(s0 + p), r1 = Sse2.LoadVector128(s1 + p);
                    Sse2.Store(d, Sse2.UnpackLow(r0, r1));
                    Sse2.Store(d + w, Sse2.UnpackHigh(r0, r1));
                }
                if (p < kc)
                {
                    d[0] = s0[p];
                    d[1] = s1[p];
                }
            }
            return t;
        }
    }
}
