using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using Sse = System.Runtime.Intrinsics.X86.Sse;
using X86Fma = System.Runtime.Intrinsics.X86.Fma;

namespace AutoGradGen.Kernels
{
    /// <summary>
    /// Fused multiply-add z + x·y on SIMD vectors of float or double, dispatched on <c>typeof(T)</c>
    /// (folded away by the JIT, which specializes each value-type instantiation).
    /// </summary>
    internal static unsafe class GemmSimd
    {
        /// <summary>
        /// Prefetches a rows×rowBytes tile of C into L1 while the micro-kernel runs its k loop, so the
        /// final load/store of C (rows a cache-unfriendly ldc apart, often in L3 or memory for large n)
        /// does not stall the pipeline. A no-op where the hardware has no prefetch hint.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void PrefetchTile<T>(T* c, nint ldc, int rows, int rowBytes)
            where T : unmanaged
        {
            if (!Sse.IsSupported)
            {
                return;
            }
            for (int i = 0; i < rows; i++)
            {
                byte* row = (byte*)(c + (i * ldc));
                Sse.Prefetch0(row);
                Sse.Prefetch0(row + rowBytes - 1);
            }
        }

        /// <summary>Whether 128/256-bit FMA is a hardware instruction (AVX-512F always has it).</summary>
        public static bool HasFma => X86Fma.IsSupported || AdvSimd.IsSupported;

        /// <summary>z + x·y, one rounding.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> MulAdd<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
            }
            if (typeof(T) == typeof(double))
            {
                return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
            }
            return (x * y) + z;
        }

        /// <summary>z + x·y, fused where the hardware has FMA (else multiply then add, never emulated).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> MulAdd<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z)
        {
            if (HasFma && typeof(T) == typeof(float))
            {
                return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
            }
            if (HasFma && typeof(T) == typeof(double))
            {
                return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
            }
            return (x * y) + z;
        }

        /// <summary>z + x·y, fused where the hardware has FMA (else multiply then add, never emulated).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> MulAdd<T>(Vector128<T> x, Vector128<T> y, Vector128<T> z)
        {
            if (HasFma && typeof(T) == typeof(float))
            {
                return Vector128.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
            }
            if (HasFma && typeof(T) == typeof(double))
            {
                return Vector128.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
            }
            return (x * y) + z;
        }
    }
}
