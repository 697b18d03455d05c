using System;
using System.Numerics;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// GELU, x Φ(x) with Φ the standard normal CDF, and the error function it needs (see <see cref="Elementwise"/>).
/// Computed in double for both element types: erf to a few ulps, Φ in the lower tail through erfc
/// (no cancellation), so gelu(x) keeps its relative accuracy for very negative x. The matrix and vector forms run
/// the SIMD kernel <see cref="GeluVector"/>; the scalar forms the series and continued fractions of <see cref="SpecialFunctions"/>.
/// </summary>
public static partial class Elementwise
{
    /// <summary>gelu(x) = x Φ(x), Φ the standard normal CDF, element by element (the exact form, not the tanh approximation).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Gelu<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Gelu(a, ref result);
    }

    /// <summary>gelu(x) = x Φ(x), Φ the standard normal CDF, element by element (the exact form, not the tanh approximation), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Gelu<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, T.Zero, ref destination, GeluKernel<T>.Gelu, "Gelu", nameof(a));

    /// <summary>gelu(x) = x Φ(x), Φ the standard normal CDF, element by element (the exact form, not the tanh approximation).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Gelu<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Gelu(x, ref result);
    }

    /// <summary>gelu(x) = x Φ(x), Φ the standard normal CDF, element by element (the exact form, not the tanh approximation), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Gelu<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, T.Zero, ref destination, GeluKernel<T>.Gelu, "Gelu", nameof(x));

    /// <summary>g ⊙ (Φ(x) + x φ(x)): the adjoint of x for y = gelu(x) (and its differential along g).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> GeluBackward<T>(Matrix<T> x, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return GeluBackward(x, g, ref result);
    }

    /// <summary>g ⊙ (Φ(x) + x φ(x)): the adjoint of x for y = gelu(x) (and its differential along g), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> GeluBackward<T>(Matrix<T> x, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, GeluKernel<T>.GeluBackward, new Operands("GeluBackward", nameof(x), nameof(g)));

    /// <summary>g ⊙ (Φ(x) + x φ(x)): the adjoint of x for y = gelu(x) (and its differential along g).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> GeluBackward<T>(Vector<T> x, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return GeluBackward(x, g, ref result);
    }

    /// <summary>g ⊙ (Φ(x) + x φ(x)): the adjoint of x for y = gelu(x) (and its differential along g), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> GeluBackward<T>(Vector<T> x, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, GeluKernel<T>.GeluBackward, new Operands("GeluBackward", nameof(x), nameof(g)));

    /// <summary>The derivative of gelu: Φ(x) + x φ(x), φ(x) = e^(−x²/2)/√(2π).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>gelu′(<paramref name="x"/>).</returns>
    public static T GeluDerivative<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateTruncating(SpecialFunctions.GeluDerivative(double.CreateTruncating(x)));

    /// <summary>gelu(x) = x Φ(x) of a scalar.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>gelu(<paramref name="x"/>).</returns>
    public static T Gelu<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateTruncating(SpecialFunctions.Gelu(double.CreateTruncating(x)));

    /// <summary>The span loops of GELU: the vectorized kernel (<see cref="GeluVector"/>).</summary>
    private static class GeluKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>x ↦ x Φ(x).</summary>
        public static readonly SpanMap<T> Gelu = static (x, _, d) => GeluVector.Gelu(x, d);

        /// <summary>(x, g) ↦ g (Φ(x) + x φ(x)).</summary>
        public static readonly SpanZip<T> GeluBackward = static (x, g, d) => GeluVector.GeluBackward(x, g, d);
    }
}
