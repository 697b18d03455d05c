using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// The piecewise-linear functions |x|, leaky ReLU, and their backward steps (see <see cref="Elementwise"/>).
/// At a kink the derivative taken is the one documented with each op (sign(0) = 0).
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
    }
}
