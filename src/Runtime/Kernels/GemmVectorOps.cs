using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGradGen.Kernels
{
    /// <summary>
    /// The dot product and row update of <see cref="GemmDirect"/> (matrix × vector, tiny products), compiled
    /// fully optimized from the first call (<see cref="MethodImplOptions.AggressiveOptimization"/>).
    /// </summary>
    /// <remarks>
    /// <see cref="TensorPrimitives"/> is JIT-compiled in tiers like any library code: its first tier is
    /// unoptimized, and it is only promoted after a quiet spell of ~100 ms, so a 512×512 matrix-vector product
    /// ran at ≈ 400 µs for 60 calls in a row in a fresh process, against ≈ 35 µs optimized. These loops are
    /// the same operations for float and double; other element types keep the <see cref="TensorPrimitives"/>
    /// calls. The row update rounds as TensorPrimitives.MultiplyAdd does (x·s, then + d: unfused), so its
    /// results are bitwise the previous ones; the dot product sums in its own order (two vector accumulators).
    /// </remarks>
    internal static class GemmVectorOps
    {
        /// <summary>Σ x[i]·y[i] over the common length.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            {
                return TensorPrimitives.Dot(x, y);
            }

            ref T px = ref MemoryMarshal.GetReference(x);
            ref T py = ref MemoryMarshal.GetReference(y);
            int n = x.Length, i = 0;
            T sum = T.Zero;
            if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
            {
                int w = Vector512<T>.Count;
                Vector512<T> s0 = Vector512<T>.Zero, s1 = Vector512<T>.Zero;
                for (; i + (2 * w) <= n; i += 2 * w)
                {
                    s0 = GemmSimd.MulAdd(Vector512.LoadUnsafe(ref px, (nuint)i), Vector512.LoadUnsafe(ref py, (nuint)i), s0);
                    s1 = GemmSimd.MulAdd(Vector512.LoadUnsafe(ref px, (nuint)(i + w)), Vector512.LoadUnsafe(ref py, (nuint)(i + w)), s1);
                }
                for (; i + w <= n; i += w)
                {
                    s0 = GemmSimd.MulAdd(Vector512.LoadUnsafe(ref px, (nuint)i), Vector512.LoadUnsafe(ref py, (nuint)i), s0);
                }
                sum = Vector512.Sum(s0 + s1);
            }
            else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
            {
                int w = Vector256<T>.Count;
                Vector256<T> s0 = Vector256<T>.Zero, s1 = Vector256<T>.Zero;
                for (; i + (2 * w) <= n; i += 2 * w)
                {
                    s0 = GemmSimd.MulAdd(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i), s0);
                    s1 = GemmSimd.MulAdd(Vector256.LoadUnsafe(ref px, (nuint)(i + w)), Vector256.LoadUnsafe(ref py, (nuint)(i + w)), s1);
                }
                for (; i + w <= n; i += w)
                {
                    s0 = GemmSimd.MulAdd(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i), s0);
                }
                sum = Vector256.Sum(s0 + s1);
            }

            for (; i < n; i++)
            {
                sum += Unsafe.Add(ref px, i) * Unsafe.Add(ref py, i);
            }
            return sum;
        }

        /// <summary>d[i] = x[i]·s + d[i] (multiply, then add: the rounding of TensorPrimitives.MultiplyAdd).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void MultiplyAdd<T>(ReadOnlySpan<T> x, T s, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            {
                TensorPrimitives.MultiplyAdd(x, s, d, d);
                return;
            }
            Update<T, AddToRow>(x, s, d);
        }

        /// <summary>d[i] = x[i]·s (the rounding of TensorPrimitives.Multiply): the overwriting row of a rank-1 update.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Scale<T>(ReadOnlySpan<T> x, T s, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            {
                TensorPrimitives.Multiply(x, s, d);
                return;
            }
            Update<T, OverwriteRow>(x, s, d);
        }

        /// <summary>Whether a row update adds to the destination (a JIT-time constant per struct).</summary>
        private interface IRowUpdate
        {
            static abstract bool Adds { get; }
        }

        private readonly struct AddToRow : IRowUpdate
        {
            public static bool Adds => true;
        }

        private readonly struct OverwriteRow : IRowUpdate
        {
            public static bool Adds => false;
        }

        /// <summary>d[i] = x[i]·s (+ d[i] when <typeparamref name="TUpdate"/> adds), its 512-bit stores on 64-byte lines.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Update<T, TUpdate>(ReadOnlySpan<T> x, T s, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T>
            where TUpdate : struct, IRowUpdate
        {
            ref T px = ref MemoryMarshal.GetReference(x);
            ref T pd = ref MemoryMarshal.GetReference(d);
            int n = x.Length, i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (int head = HeadToLine(ref pd, n); i < head; i++)
                {
                    Unsafe.Add(ref pd, i) = TUpdate.Adds ? (Unsafe.Add(ref px, i) * s) + Unsafe.Add(ref pd, i) : Unsafe.Add(ref px, i) * s;
                }
                var vs = Vector512.Create(s);
                for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                {
                    var product = Vector512.LoadUnsafe(ref px, (nuint)i) * vs;
                    (TUpdate.Adds ? product + Vector512.LoadUnsafe(ref pd, (nuint)i) : product).StoreUnsafe(ref pd, (nuint)i);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                var vs = Vector256.Create(s);
                for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                {
                    var product = Vector256.LoadUnsafe(ref px, (nuint)i) * vs;
                    (TUpdate.Adds ? product + Vector256.LoadUnsafe(ref pd, (nuint)i) : product).StoreUnsafe(ref pd, (nuint)i);
                }
            }

            for (; i < n; i++)
            {
                Unsafe.Add(ref pd, i) = TUpdate.Adds ? (Unsafe.Add(ref px, i) * s) + Unsafe.Add(ref pd, i) : Unsafe.Add(ref px, i) * s;
            }
        }

        /// <summary>
        /// How many leading elements to do one by one so that the 512-bit stores into <paramref name="d"/> start on a
        /// 64-byte line: a store that straddles two lines costs two, and the allocator puts an array at any 8-byte
        /// offset. (The loads from x still straddle lines unless x sits at d's offset: <see cref="GemmDirect"/> copies b
        /// there for a rank-1 update.) Rows shorter than two vectors are left alone.
        /// </summary>
        private static unsafe int HeadToLine<T>(ref T d, int n)
            where T : unmanaged
        {
            if (n < 2 * Vector512<T>.Count)
            {
                return 0;
            }
            int offset = GemmScratch<T>.OffsetInLine(ref d);
            return offset == 0 ? 0 : (64 - offset) / sizeof(T);
        }
    }
}
