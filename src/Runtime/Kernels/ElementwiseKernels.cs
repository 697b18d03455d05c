using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>destination = f(source, scalar), element by element (the scalar is unused by some kernels).</summary>
internal delegate void SpanMap<T>(ReadOnlySpan<T> source, T scalar, Span<T> destination);

/// <summary>destination = f(left, right), element by element.</summary>
internal delegate void SpanZip<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination);

/// <summary>destination = f(left, right, scalar), element by element (a function with a scalar parameter: a slope, an exponent).</summary>
internal delegate void SpanZipScalar<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, T scalar, Span<T> destination);

/// <summary>
/// One span kernel per element-wise operation (static lambdas: created once per element type, so a call
/// allocates nothing). Inputs are x (and y), the destination d; a map's scalar s is unused by most.
/// </summary>
internal static class Kernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static readonly SpanZip<T> Add = static (x, y, d) => TensorPrimitives.Add(x, y, d);

    public static readonly SpanZip<T> Subtract = static (x, y, d) => TensorPrimitives.Subtract(x, y, d);

    public static readonly SpanZip<T> Hadamard = static (x, y, d) => TensorPrimitives.Multiply(x, y, d);

    public static readonly SpanZip<T> Divide = static (x, y, d) => TensorPrimitives.Divide(x, y, d);

    public static readonly SpanMap<T> Negate = static (x, _, d) => TensorPrimitives.Negate(x, d);

    public static readonly SpanMap<T> Scale = static (x, s, d) => TensorPrimitives.Multiply(x, s, d);

    public static readonly SpanMap<T> DivideByScalar = static (x, s, d) => TensorPrimitives.Divide(x, s, d);

    public static readonly SpanMap<T> AddScalar = static (x, s, d) => TensorPrimitives.Add(x, s, d);

    public static readonly SpanMap<T> SubtractScalar = static (x, s, d) => TensorPrimitives.Subtract(x, s, d);

    public static readonly SpanMap<T> ScalarMinus = static (x, s, d) => TensorPrimitives.Subtract(s, x, d);

    public static readonly SpanMap<T> Exp = static (x, _, d) => Transcendental.Exp(x, d);

    public static readonly SpanMap<T> Log = static (x, _, d) => Transcendental.Log(x, d);

    /// <summary>
    /// TensorPrimitives.Sigmoid rejects empty spans (unlike Exp, Tanh, …): σ of nothing is nothing.
    /// It is stable at large |x|: σ(−1000) is exactly 0 and σ(1000) exactly 1 (tested).
    /// </summary>
    public static readonly SpanMap<T> Sigmoid = static (x, _, d) =>
    {
        if (!x.IsEmpty)
        {
            Transcendental.Sigmoid(x, d);
        }
    };

    public static readonly SpanMap<T> Tanh = static (x, _, d) => Transcendental.Tanh(x, d);

    /// <summary>max(x, s) with s = 0.</summary>
    public static readonly SpanMap<T> Relu = static (x, zero, d) => TensorPrimitives.Max(x, zero, d);

    public static readonly SpanMap<T> Square = static (x, _, d) => TensorPrimitives.Multiply(x, x, d);

    public static readonly SpanMap<T> Sqrt = static (x, _, d) => TensorPrimitives.Sqrt(x, d);

    /// <summary>(y, g) ↦ g ⊙ y ⊙ (1 − y), fused.</summary>
    public static readonly SpanZip<T> SigmoidBackward = static (y, g, d) => BinaryDriver.Run<T, SigmoidBackwardOperator<T>>(y, g, d);

    /// <summary>(y, g) ↦ g ⊙ (1 − y²), fused.</summary>
    public static readonly SpanZip<T> TanhBackward = static (y, g, d) => BinaryDriver.Run<T, TanhBackwardOperator<T>>(y, g, d);

    /// <summary>(x, g) ↦ g where x &gt; 0, else 0.</summary>
    public static readonly SpanZip<T> ReluBackward = static (x, g, d) => BinaryDriver.Run<T, ReluBackwardOperator<T>>(x, g, d);

    /// <summary>(y, g) ↦ g ⊙ y.</summary>
    public static readonly SpanZip<T> ExpBackward = static (y, g, d) => TensorPrimitives.Multiply(g, y, d);

    /// <summary>(x, g) ↦ g ⊘ x.</summary>
    public static readonly SpanZip<T> LogBackward = static (x, g, d) => TensorPrimitives.Divide(g, x, d);

    /// <summary>(y, g) ↦ g ⊘ (2y), fused.</summary>
    public static readonly SpanZip<T> SqrtBackward = static (y, g, d) => BinaryDriver.Run<T, SqrtBackwardOperator<T>>(y, g, d);

    /// <summary>(x, g) ↦ (x + x) ⊙ g.</summary>
    public static readonly SpanZip<T> SquareBackward = static (x, g, d) => TensorPrimitives.AddMultiply(x, x, g, d);
}
