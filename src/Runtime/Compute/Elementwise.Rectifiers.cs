using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// The piecewise-linear functions |x|, leaky ReLU and min(x, 0) (leaky ReLU's derivative in its slope), and their
/// backward steps (see <see cref="Elementwise"/>). At a kink the derivative taken is the one documented with each op
/// (sign(0) = 0; leaky ReLU's f′(0) is its slope, and min(x, 0)′ at 0 is 1 to match).
/// </summary>
public static partial class Elementwise
{
    /// <summary>|x|, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Abs<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Abs(a, ref result);
    }

    /// <summary>|x|, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Abs<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, T.Zero, ref destination, RectifierKernel<T>.Abs, "Abs", nameof(a));

    /// <summary>|x|, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Abs<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Abs(x, ref result);
    }

    /// <summary>|x|, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Abs<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, T.Zero, ref destination, RectifierKernel<T>.Abs, "Abs", nameof(x));

    /// <summary>g ⊙ sign(x), with sign(0) = 0: the adjoint of x for y = |x| (and its differential along g).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> AbsBackward<T>(Matrix<T> x, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return AbsBackward(x, g, ref result);
    }

    /// <summary>g ⊙ sign(x), with sign(0) = 0: the adjoint of x for y = |x| (and its differential along g), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> AbsBackward<T>(Matrix<T> x, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, RectifierKernel<T>.AbsBackward, new Operands("AbsBackward", nameof(x), nameof(g)));

    /// <summary>g ⊙ sign(x), with sign(0) = 0: the adjoint of x for y = |x| (and its differential along g).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> AbsBackward<T>(Vector<T> x, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return AbsBackward(x, g, ref result);
    }

    /// <summary>g ⊙ sign(x), with sign(0) = 0: the adjoint of x for y = |x| (and its differential along g), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> AbsBackward<T>(Vector<T> x, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, RectifierKernel<T>.AbsBackward, new Operands("AbsBackward", nameof(x), nameof(g)));

    /// <summary>Leaky ReLU: x where x &gt; 0, slope · x elsewhere, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="slope">The slope for x ≤ 0 (for example 0.01).</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> LeakyRelu<T>(Matrix<T> a, T slope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LeakyRelu(a, slope, ref result);
    }

    /// <summary>Leaky ReLU: x where x &gt; 0, slope · x elsewhere, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="slope">The slope for x ≤ 0 (for example 0.01).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> LeakyRelu<T>(Matrix<T> a, T slope, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, slope, ref destination, RectifierKernel<T>.LeakyRelu, "LeakyRelu", nameof(a));

    /// <summary>Leaky ReLU: x where x &gt; 0, slope · x elsewhere, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="slope">The slope for x ≤ 0 (for example 0.01).</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> LeakyRelu<T>(Vector<T> x, T slope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return LeakyRelu(x, slope, ref result);
    }

    /// <summary>Leaky ReLU: x where x &gt; 0, slope · x elsewhere, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="slope">The slope for x ≤ 0 (for example 0.01).</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> LeakyRelu<T>(Vector<T> x, T slope, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, slope, ref destination, RectifierKernel<T>.LeakyRelu, "LeakyRelu", nameof(x));

    /// <summary>g where x &gt; 0, slope · g elsewhere (x = 0 included): the adjoint of x for y = lrelu(x, slope) (and its differential along g).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="slope">The slope the forward pass used.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> LeakyReluBackward<T>(Matrix<T> x, Matrix<T> g, T slope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LeakyReluBackward(x, g, slope, ref result);
    }

    /// <summary>g where x &gt; 0, slope · g elsewhere (x = 0 included): the adjoint of x for y = lrelu(x, slope) (and its differential along g), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="slope">The slope the forward pass used.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> LeakyReluBackward<T>(Matrix<T> x, Matrix<T> g, T slope, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, slope, ref destination, RectifierKernel<T>.LeakyReluBackward, new Operands("LeakyReluBackward", nameof(x), nameof(g)));

    /// <summary>g where x &gt; 0, slope · g elsewhere (x = 0 included): the adjoint of x for y = lrelu(x, slope) (and its differential along g).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="slope">The slope the forward pass used.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> LeakyReluBackward<T>(Vector<T> x, Vector<T> g, T slope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return LeakyReluBackward(x, g, slope, ref result);
    }

    /// <summary>g where x &gt; 0, slope · g elsewhere (x = 0 included): the adjoint of x for y = lrelu(x, slope) (and its differential along g), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="slope">The slope the forward pass used.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> LeakyReluBackward<T>(Vector<T> x, Vector<T> g, T slope, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, slope, ref destination, RectifierKernel<T>.LeakyReluBackward, new Operands("LeakyReluBackward", nameof(x), nameof(g)));

    /// <summary>min(x, 0), element by element: the derivative of lrelu(x, slope) in the slope.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> NegativePart<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return NegativePart(a, ref result);
    }

    /// <summary>min(x, 0), element by element: the derivative of lrelu(x, slope) in the slope, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> NegativePart<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, T.Zero, ref destination, RectifierKernel<T>.NegativePart, "NegativePart", nameof(a));

    /// <summary>min(x, 0), element by element: the derivative of lrelu(x, slope) in the slope.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> NegativePart<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return NegativePart(x, ref result);
    }

    /// <summary>min(x, 0), element by element: the derivative of lrelu(x, slope) in the slope, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> NegativePart<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, T.Zero, ref destination, RectifierKernel<T>.NegativePart, "NegativePart", nameof(x));

    /// <summary>g where x ≤ 0, else 0 (g ⊙ 𝟙[x ≤ 0]): the adjoint of x for y = min(x, 0), and the derivative of LeakyReluBackward(x, g, slope) in the slope.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> NegativePartBackward<T>(Matrix<T> x, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return NegativePartBackward(x, g, ref result);
    }

    /// <summary>g where x ≤ 0, else 0 (g ⊙ 𝟙[x ≤ 0]): the adjoint of x for y = min(x, 0), and the derivative of LeakyReluBackward(x, g, slope) in the slope, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> NegativePartBackward<T>(Matrix<T> x, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, RectifierKernel<T>.NegativePartBackward, new Operands("NegativePartBackward", nameof(x), nameof(g)));

    /// <summary>g where x ≤ 0, else 0 (g ⊙ 𝟙[x ≤ 0]): the adjoint of x for y = min(x, 0), and the derivative of LeakyReluBackward(x, g, slope) in the slope.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> NegativePartBackward<T>(Vector<T> x, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return NegativePartBackward(x, g, ref result);
    }

    /// <summary>g where x ≤ 0, else 0 (g ⊙ 𝟙[x ≤ 0]): the adjoint of x for y = min(x, 0), and the derivative of LeakyReluBackward(x, g, slope) in the slope, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> NegativePartBackward<T>(Vector<T> x, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, RectifierKernel<T>.NegativePartBackward, new Operands("NegativePartBackward", nameof(x), nameof(g)));


    /// <summary>The span loops of the piecewise-linear functions.</summary>
    private static class RectifierKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>x ↦ |x|.</summary>
        public static readonly SpanMap<T> Abs = static (x, _, d) => TensorPrimitives.Abs(x, d);

        /// <summary>(x, g) ↦ g sign(x), sign(0) = 0 (and 0 at NaN: the forward value is NaN already).</summary>
        public static readonly SpanZip<T> AbsBackward = static (x, g, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                T v = x[i];
                d[i] = v > T.Zero ? g[i] : v < T.Zero ? -g[i] : T.Zero;
            }
        };

        /// <summary>(x, s) ↦ x where x &gt; 0, else s x (NaN stays NaN).</summary>
        public static readonly SpanMap<T> LeakyRelu = static (x, slope, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                T v = x[i];
                d[i] = v > T.Zero ? v : slope * v;
            }
        };

        /// <summary>(x, g, s) ↦ g where x &gt; 0, else s g: f′(0) is taken as the slope.</summary>
        public static readonly SpanZipScalar<T> LeakyReluBackward = static (x, g, slope, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = x[i] > T.Zero ? g[i] : slope * g[i];
            }
        };

        /// <summary>x ↦ min(x, 0) (NaN stays NaN).</summary>
        public static readonly SpanMap<T> NegativePart = static (x, zero, d) => TensorPrimitives.Min(x, zero, d);

        /// <summary>(x, g) ↦ g where x ≤ 0, else 0: 𝟙[x ≤ 0] is the derivative of min(x, 0) taken at 0 too, matching LeakyReluBackward.</summary>
        public static readonly SpanZip<T> NegativePartBackward = static (x, g, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = x[i] > T.Zero ? T.Zero : g[i];
            }
        };
    }
}
