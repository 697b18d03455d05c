using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGradGen.Kernels;

/// <summary>
/// exp, log, σ and tanh over spans, with results that do not depend on where the data lives.
/// </summary>
/// <remarks>
/// TensorPrimitives picks its code path (vector width, unrolling, how the unaligned head and the tail
/// are handled) from the span's address and length, and for the transcendental functions those paths
/// round differently in the last bit. The same matrix could then give different bits after the GC moved
/// it, and two threads computing the same gradient into different buffers could disagree. Here the data
/// is processed in fixed chunks, counted from index 0, each copied into a 64-byte-aligned per-thread
/// buffer and padded to whole vectors: an element's bits depend only on its value, the span's length and
/// its index, never on an address. Fused kernels use the same chunks (<see cref="ApplyChunk{T}"/>), so
/// they match the unfused operations bit for bit. The copies stay in L1 and cost little next to the
/// function itself; nothing is allocated on the GC heap (the buffer is native, 16 KiB per thread).
/// </remarks>
internal static unsafe class Transcendental
{
    private const int BufferBytes = 8192;

    [ThreadStatic]
    private static byte* t_scratch;

    internal enum Kind
    {
        Exp,
        Log,
        Sigmoid,
        Tanh,
    }

    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> => Apply(x, destination, Kind.Exp);

    public static void Log<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> => Apply(x, destination, Kind.Log);

    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> => Apply(x, destination, Kind.Sigmoid);

    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> => Apply(x, destination, Kind.Tanh);

    private static byte* Scratch()
    {
        if (t_scratch is null)
        {
            t_scratch = (byte*)NativeMemory.AlignedAlloc(2 * BufferBytes, 64);
        }
        return t_scratch;
    }

    /// <summary>The chunk length: callers that interleave other work (fused kernels) use the same chunks.</summary>
    public static int ChunkLength<T>()
        where T : unmanaged => BufferBytes / sizeof(T);

    private static void Apply<T>(ReadOnlySpan<T> x, Span<T> destination, Kind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunk = ChunkLength<T>();
        for (int start = 0; start < x.Length; start += chunk)
        {
            int n = Math.Min(chunk, x.Length - start);
            ApplyChunk(x.Slice(start, n), destination.Slice(start, n), kind);
        }
    }

    /// <summary>One chunk (at most <see cref="ChunkLength{T}"/> elements; may be in place).</summary>
    public static void ApplyChunk<T>(ReadOnlySpan<T> x, Span<T> destination, Kind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count;
        int n = x.Length;
        int padded = (n + lanes - 1) / lanes * lanes;
        byte* scratch = Scratch();
        var input = new Span<T>(scratch, padded);
        var output = new Span<T>(scratch + BufferBytes, padded);
        x.CopyTo(input);
        input.Slice(n).Clear();
        Invoke(kind, input, output);
        output.Slice(0, n).CopyTo(destination);
    }

    private static void Invoke<T>(Kind kind, ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (kind)
        {
            case Kind.Exp:
                TensorPrimitives.Exp(x, destination);
                break;
            case Kind.Log:
                TensorPrimitives.Log(x, destination);
                break;
            case Kind.Sigmoid:
                TensorPrimitives.Sigmoid(x, destination);
                break;
            default:
                TensorPrimitives.Tanh(x, destination);
                break;
        }
    }
}
