using System.Numerics;
using System.Runtime.InteropServices;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>A destination-passing call on fixed inputs: <c>(ref destination) =&gt; Family.Op(…, ref destination)</c>.</summary>
internal delegate TDest IntoCall<TDest>(ref TDest? destination)
    where TDest : class;

/// <summary>One destination-passing method on fixed inputs, checked against its allocating counterpart.</summary>
internal interface IIntoCase
{
    string Name { get; }

    /// <summary>Equal to the allocating form (bitwise), reused and allocation-free on the second call, a wrong shape replaced, aliasing rejected.</summary>
    void Run();
}

/// <summary>The checks every destination-passing method must pass; <typeparamref name="TDest"/> is <c>Matrix&lt;T&gt;</c> or <c>Vector&lt;T&gt;</c>.</summary>
internal sealed class IntoCase<T, TDest>(string name, Func<TDest> allocating, IntoCall<TDest> into, object[] inputs) : IIntoCase
    where T : unmanaged, IFloatingPointIeee754<T>
    where TDest : class
{
    public string Name { get; } = name;

    public void Run()
    {
        var expected = allocating();

        // First call with a null slot: a new result, stored in the slot.
        TDest? slot = null;
        var first = into(ref slot);
        Assert.Same(slot, first);
        Bits.Equal(expected, first, Name);

        // Same shapes again: the same object, fully overwritten (stale NaNs must not leak through).
        Bits.FillNaN<T>(first);
        var second = into(ref slot);
        Assert.Same(first, second);
        Assert.Same(first, slot);
        Bits.Equal(expected, second, Name);

        // Steady state: nothing allocated (a byte count, not a timing).
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            into(ref slot);
        }

        Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);

        // A destination of another shape is replaced, not written.
        TDest? wrong = (TDest)Bits.OtherShape<T>(first);
        var old = wrong;
        var third = into(ref wrong);
        Assert.NotSame(old, third);
        Assert.Same(wrong, third);
        Bits.Equal(expected, third, Name);

        // An input as the destination is rejected before anything is written.
        foreach (var input in inputs.OfType<TDest>())
        {
            var snapshot = Bits.Of(input);
            var ex = Assert.Throws<ArgumentException>(() =>
            {
                TDest? aliased = input;
                into(ref aliased);
            });
            Assert.Equal("destination", ex.ParamName);
            Assert.Contains("alias", ex.Message, StringComparison.Ordinal);
            Assert.Equal(snapshot, Bits.Of(input));
        }
    }

    public override string ToString() => Name;
}

/// <summary>Bitwise comparison of matrices and vectors (shape and the bytes of every element).</summary>
internal static class Bits
{
    public static string Shape(object value) => value switch
    {
        Matrix<double> m => $"{m.Rows}×{m.Cols}",
        Matrix<float> m => $"{m.Rows}×{m.Cols}",
        Vector<double> v => $"{v.Length}",
        Vector<float> v => $"{v.Length}",
        _ => throw new ArgumentException(value.GetType().Name),
    };

    public static byte[] Of(object value) => value switch
    {
        Matrix<double> m => MemoryMarshal.AsBytes(m.AsSpan()).ToArray(),
        Matrix<float> m => MemoryMarshal.AsBytes(m.AsSpan()).ToArray(),
        Vector<double> v => MemoryMarshal.AsBytes(v.AsSpan()).ToArray(),
        Vector<float> v => MemoryMarshal.AsBytes(v.AsSpan()).ToArray(),
        _ => throw new ArgumentException(value.GetType().Name),
    };

    public static void Equal(object expected, object actual, string context)
    {
        Assert.True(Shape(expected) == Shape(actual), $"{context}: shape {Shape(actual)}, expected {Shape(expected)}");
        Assert.True(Of(expected).AsSpan().SequenceEqual(Of(actual)), $"{context}: elements differ from the allocating form");
    }

    public static void FillNaN<T>(object value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (value)
        {
            case Matrix<T> m:
                m.AsSpan().Fill(T.NaN);
                break;
            case Vector<T> v:
                v.AsSpan().Fill(T.NaN);
                break;
        }
    }

    /// <summary>A matrix with one more row, or a vector one longer.</summary>
    public static object OtherShape<T>(object value)
        where T : unmanaged, IFloatingPointIeee754<T> => value switch
        {
            Matrix<T> m => new Matrix<T>(m.Rows + 1, m.Cols),
            Vector<T> v => new Vector<T>(v.Length + 1),
            _ => throw new ArgumentException(value.GetType().Name),
        };
}

/// <summary>Random operands for the Into cases.</summary>
internal static class IntoInputs
{
    public static Matrix<T> M<T>(int rows, int cols, int seed, double lo = -1, double hi = 1)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Matrix<T>.FromArray(Inputs.RandomMatrix<T>(rows, cols, seed, lo, hi));

    public static Vector<T> V<T>(int length, int seed, double lo = -1, double hi = 1)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector<T>.FromArray(Inputs.RandomArray<T>(length, seed, lo, hi));

    /// <summary>A case whose destination is a matrix.</summary>
    public static IIntoCase Mat<T>(string name, Func<Matrix<T>> allocating, IntoCall<Matrix<T>> into, params object[] inputs)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new IntoCase<T, Matrix<T>>(name, allocating, into, inputs);

    /// <summary>A case whose destination is a vector.</summary>
    public static IIntoCase Vec<T>(string name, Func<Vector<T>> allocating, IntoCall<Vector<T>> into, params object[] inputs)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new IntoCase<T, Vector<T>>(name, allocating, into, inputs);
}
