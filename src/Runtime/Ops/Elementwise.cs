using System;
using System.Numerics;
using AutoGradGen.Compute;

namespace AutoGradGen;

/// <content>Element-wise functions: Hadamard product, exp, log, square, square root, power. Matrix, vector and scalar forms.</content>
public static partial class Ops
{
    /// <summary>The Hadamard (element-wise) product A ⊙ B.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="b">A matrix of the same shape.</param>
    /// <returns>A new matrix with element (i, j) = aᵢⱼ bᵢⱼ.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> Hadamard<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Hadamard(a, b);

    /// <summary>The Hadamard (element-wise) product x ⊙ y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="y">A vector of the same length.</param>
    /// <returns>A new vector with element i = xᵢ yᵢ.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> Hadamard<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Hadamard(x, y);

    /// <summary>eˣ, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> Exp<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Exp(a);

    /// <summary>eˣ, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> Exp<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Exp(x);

    /// <summary>eˣ of a scalar.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>eˣ of <paramref name="x"/>.</returns>
    public static T Exp<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Exp(x);

    /// <summary>The natural logarithm ln x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> Log<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Log(a);

    /// <summary>The natural logarithm ln x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> Log<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Log(x);

    /// <summary>ln x of a scalar (NaN for x &lt; 0, −∞ at 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>The natural logarithm ln x of <paramref name="x"/>.</returns>
    public static T Log<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Log(x);

    /// <summary>x², element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> Square<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Square(a);

    /// <summary>x², element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> Square<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Square(x);

    /// <summary>x² of a scalar.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>x² of <paramref name="x"/>.</returns>
    public static T Square<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        x * x;

    /// <summary>√x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> Sqrt<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Sqrt(a);

    /// <summary>√x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> Sqrt<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Sqrt(x);

    /// <summary>√x of a scalar (NaN for x &lt; 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>√x of <paramref name="x"/>.</returns>
    public static T Sqrt<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Sqrt(x);

    /// <summary>
    /// Aᵖ, the power of each entry, as <see cref="Math.Pow(double, double)"/> computes it: NaN for a negative entry and a
    /// non-integer p, ∞ for a zero entry and p &lt; 0, 1 for p = 0. Its derivative is ∂(Aᵖ) = p A^(p−1) ⊙ ∂A + (Aᵖ ⊙ ln A) ∂p.
    /// </summary>
    /// <remarks>
    /// In a <c>[Differentiable]</c> method the exponent may depend on a differentiated parameter and is then
    /// differentiated too; its derivative goes through ln A and so needs every entry positive (a zero or negative entry
    /// gives NaN there, even where the limit exists). A constant exponent (a literal, a <c>[NoGradient]</c> parameter)
    /// only needs A in the domain of the power itself.
    /// </remarks>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="p">The exponent.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> Pow<T>(Matrix<T> a, T p)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Pow(a, p);

    /// <summary>xᵖ, the power of each entry, as <see cref="Math.Pow(double, double)"/> computes it (see the matrix form for the domain).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="p">The exponent (differentiated too when it depends on a differentiated parameter; that needs x &gt; 0).</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> Pow<T>(Vector<T> x, T p)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Pow(x, p);

    /// <summary>xᵖ of a scalar, as <see cref="Math.Pow(double, double)"/> computes it (NaN for x &lt; 0 and a non-integer p).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The base.</param>
    /// <param name="p">The exponent (differentiated too when it depends on a differentiated parameter; that needs x &gt; 0).</param>
    /// <returns><paramref name="x"/> to the power <paramref name="p"/>.</returns>
    public static T Pow<T>(T x, T p)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Pow(x, p);

    /// <summary>A ⊘ B, element-wise division (<c>X / s</c> divides by a scalar); its derivative is ∂A ⊘ B − A ⊙ ∂B ⊘ B².</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The dividends.</param>
    /// <param name="b">The divisors, of the same shape (IEEE division: x/0 is ±∞ or NaN).</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> Divide<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Divide(a, b);

    /// <summary>x ⊘ y, element-wise division; its derivative is ∂x ⊘ y − x ⊙ ∂y ⊘ y².</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The dividends.</param>
    /// <param name="b">The divisors, of the same length (IEEE division: x/0 is ±∞ or NaN).</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> Divide<T>(Vector<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Divide(a, b);

    /// <summary>max(a, b), element by element; the gradient goes to the larger operand, to the first at a tie.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> Maximum<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Maximum(a, b);

    /// <summary>max(a, b), element by element; the gradient goes to the larger operand, to the first at a tie.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> Maximum<T>(Vector<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Maximum(a, b);

    /// <summary>min(a, b), element by element; the gradient goes to the smaller operand, to the first at a tie.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> Minimum<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Minimum(a, b);

    /// <summary>min(a, b), element by element; the gradient goes to the smaller operand, to the first at a tie.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> Minimum<T>(Vector<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Minimum(a, b);
}
