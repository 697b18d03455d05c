namespace AutoGradGen.RuntimeTests.TorchSharpStandIn;

#pragma warning disable CS8981 // TorchSharp's own lower-case names, so docs/interop.md's code compiles as written

/// <summary>
/// A stand-in for the few TorchSharp members docs/interop.md uses (TorchSharp itself is not
/// referenced: its native library does not load on this machine, see TOOLCHAIN.md). Same names and
/// parameter shapes as TorchSharp's <c>torch.Tensor.shape</c>, <c>data&lt;T&gt;()</c> and
/// <c>TensorAccessor&lt;T&gt;</c>; the elements live in a managed array here instead of native memory.
/// </summary>
public static class torch
{
    public sealed class Tensor(long[] shape, float[] storage)
    {
        public long[] shape { get; } = shape;

        internal float[] Storage { get; } = storage;

        public TensorAccessor<T> data<T>()
            where T : unmanaged =>
            new((T[])(object)Storage);
    }
}

/// <summary>TorchSharp's <c>TensorAccessor&lt;T&gt;</c> members that the docs use.</summary>
public sealed class TensorAccessor<T>(T[] elements)
    where T : unmanaged
{
    public T[] ToArray() => (T[])elements.Clone();

    public void CopyTo(Span<T> array, int arrayIndex = 0, long tensorIndex = 0) =>
        elements.AsSpan((int)tensorIndex).CopyTo(array[arrayIndex..]);

    public void CopyFrom(ReadOnlySpan<T> array, int arrayIndex = 0, long tensorIndex = 0) =>
        array[arrayIndex..].CopyTo(elements.AsSpan((int)tensorIndex));
}
