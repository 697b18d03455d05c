using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGradGen.Kernels;

/// <summary>
/// A fused element-wise function of two inputs, d = f(x, y), in the style of TensorPrimitives'
/// operator structs: one scalar and one SIMD implementation per register width, the same formula.
/// </summary>
internal interface IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Invoke(T x, T y);

    static abstract Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);

    static abstract Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);

    static abstract Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}

/// <summary>Runs an <see cref="IBinaryOperator{T}"/> over spans in one pass: widest vectors first, scalar tail.</summary>
internal static class BinaryDriver
{
    /// <summary>destination[i] = TOp(x[i], y[i]). The caller guarantees equal lengths and no partial overlap.</summary>
    internal static void Run<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        ref T xRef = ref MemoryMarshal.GetReference(x);
        ref T yRef = ref MemoryMarshal.GetReference(y);
        ref T dRef = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (nuint step = (nuint)Vector512<T>.Count; i + step <= length; i += step)
            {
                TOp.Invoke(Vector512.LoadUnsafe(ref xRef, i), Vector512.LoadUnsafe(ref yRef, i)).StoreUnsafe(ref dRef, i);
            }
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (nuint step = (nuint)Vector256<T>.Count; i + step <= length; i += step)
            {
                TOp.Invoke(Vector256.LoadUnsafe(ref xRef, i), Vector256.LoadUnsafe(ref yRef, i)).StoreUnsafe(ref dRef, i);
            }
        }

        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
        {
            for (nuint step = (nuint)Vector128<T>.Count; i + step <= length; i += step)
            {
                TOp.Invoke(Vector128.LoadUnsafe(ref xRef, i), Vector128.LoadUnsafe(ref yRef, i)).StoreUnsafe(ref dRef, i);
            }
        }

        for (; i < length; i++)
        {
            destination[(int)i] = TOp.Invoke(x[(int)i], y[(int)i]);
        }
    }
}

/// <summary>σ′ chain rule: (y, g) ↦ g · y · (1 − y), with y = σ(x) the forward output.</summary>
internal readonly struct SigmoidBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T y, T g) => g * y * (T.One - y);

    public static Vector128<T> Invoke(Vector128<T> y, Vector128<T> g) => g * y * (Vector128<T>.One - y);

    public static Vector256<T> Invoke(Vector256<T> y, Vector256<T> g) => g * y * (Vector256<T>.One - y);

    public static Vector512<T> Invoke(Vector512<T> y, Vector512<T> g) => g * y * (Vector512<T>.One - y);
}

/// <summary>tanh′ chain rule: (y, g) ↦ g · (1 − y²), with y = tanh x the forward output.</summary>
internal readonly struct TanhBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T y, T g) => g * (T.One - (y * y));

    public static Vector128<T> Invoke(Vector128<T> y, Vector128<T> g) => g * (Vector128<T>.One - (y * y));

    public static Vector256<T> Invoke(Vector256<T> y, Vector256<T> g) => g * (Vector256<T>.One - (y * y));

    public static Vector512<T> Invoke(Vector512<T> y, Vector512<T> g) => g * (Vector512<T>.One - (y * y));
}

/// <summary>ReLU′ chain rule: (x, g) ↦ g where x &gt; 0, else 0 (also 0 at x = 0 and for NaN x).</summary>
internal readonly struct ReluBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T g) => x > T.Zero ? g : T.Zero;

    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> g) =>
        Vector128.GreaterThan(x, Vector128<T>.Zero) & g;

    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> g) =>
        Vector256.GreaterThan(x, Vector256<T>.Zero) & g;

    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> g) =>
        Vector512.GreaterThan(x, Vector512<T>.Zero) & g;
}

/// <summary>√′ chain rule: (y, g) ↦ g / (2y), with y = √x the forward output.</summary>
internal readonly struct SqrtBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T y, T g) => g / (y + y);

    public static Vector128<T> Invoke(Vector128<T> y, Vector128<T> g) => g / (y + y);

    public static Vector256<T> Invoke(Vector256<T> y, Vector256<T> g) => g / (y + y);

    public static Vector512<T> Invoke(Vector512<T> y, Vector512<T> g) => g / (y + y);
}
