using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// Element-wise functions and their fused backward steps, each in its allocating and its destination-passing
/// form, on matrices and vectors alike: A ⊙ B, A ⊘ B, eˣ, ln x, x², √x, and every
/// <c>…Backward(forward value, g)</c>, which returns the adjoint of the input in one pass. The activations
/// (σ, tanh, ReLU, softplus) are in Elementwise.Activations.cs.
/// </summary>
/// <remarks>The element-wise <see cref="Ops"/> functions are these methods.</remarks>
public static partial class Elementwise
{
    /// <summary>The Hadamard (element-wise) product A ⊙ B.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="b">A matrix of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> Hadamard<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Hadamard(a, b, ref result);
    }

    /// <summary>The Hadamard (element-wise) product A ⊙ B, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="b">A matrix of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> Hadamard<T>(Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(a, b, ref destination, Kernel<T>.Hadamard,
            new Operands("Hadamard", nameof(a), nameof(b), Named: false));

    /// <summary>The Hadamard (element-wise) product x ⊙ y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="y">A vector of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> Hadamard<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Hadamard(x, y, ref result);
    }

    /// <summary>The Hadamard (element-wise) product x ⊙ y, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="y">A vector of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> Hadamard<T>(Vector<T> x, Vector<T> y, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, y, ref destination, Kernel<T>.Hadamard,
            new Operands("Hadamard", nameof(x), nameof(y), Named: false));

    /// <summary>a ⊘ b, element-wise division.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> Divide<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Divide(a, b, ref result);
    }

    /// <summary>a ⊘ b, element-wise division, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> Divide<T>(Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(a, b, ref destination, Kernel<T>.Divide,
            new Operands("Divide", nameof(a), nameof(b)));

    /// <summary>a ⊘ b, element-wise division.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> Divide<T>(Vector<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Divide(a, b, ref result);
    }

    /// <summary>a ⊘ b, element-wise division, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Vector<T> Divide<T>(Vector<T> a, Vector<T> b, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(a, b, ref destination, Kernel<T>.Divide,
            new Operands("Divide", nameof(a), nameof(b)));

    /// <summary>eˣ, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Exp<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Exp(a, ref result);
    }

    /// <summary>eˣ, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Exp<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, T.Zero, ref destination, Kernel<T>.Exp, "Exp", nameof(a));

    /// <summary>eˣ, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Exp<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Exp(x, ref result);
    }

    /// <summary>eˣ, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Exp<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, T.Zero, ref destination, Kernel<T>.Exp, "Exp", nameof(x));

    /// <summary>ln x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Log<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Log(a, ref result);
    }

    /// <summary>ln x, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Log<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, T.Zero, ref destination, Kernel<T>.Log, "Log", nameof(a));

    /// <summary>ln x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Log<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Log(x, ref result);
    }

    /// <summary>ln x, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Log<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, T.Zero, ref destination, Kernel<T>.Log, "Log", nameof(x));

    /// <summary>x², element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Square<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Square(a, ref result);
    }

    /// <summary>x², element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Square<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, T.Zero, ref destination, Kernel<T>.Square, "Square", nameof(a));

    /// <summary>x², element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Square<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Square(x, ref result);
    }

    /// <summary>x², element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Square<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, T.Zero, ref destination, Kernel<T>.Square, "Square", nameof(x));

    /// <summary>√x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Sqrt<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Sqrt(a, ref result);
    }

    /// <summary>√x, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Sqrt<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, T.Zero, ref destination, Kernel<T>.Sqrt, "Sqrt", nameof(a));

    /// <summary>√x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Sqrt<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Sqrt(x, ref result);
    }

    /// <summary>√x, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Sqrt<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, T.Zero, ref destination, Kernel<T>.Sqrt, "Sqrt", nameof(x));

    /// <summary>g ⊙ y: the adjoint of x for y = eˣ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output eˣ.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> ExpBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ExpBackward(y, g, ref result);
    }

    /// <summary>g ⊙ y: the adjoint of x for y = eˣ, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output eˣ.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> ExpBackward<T>(Matrix<T> y, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, g, ref destination, Kernel<T>.ExpBackward,
            new Operands("ExpBackward", nameof(y), nameof(g)));

    /// <summary>g ⊙ y: the adjoint of x for y = eˣ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output eˣ.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> ExpBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return ExpBackward(y, g, ref result);
    }

    /// <summary>g ⊙ y: the adjoint of x for y = eˣ, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output eˣ.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Vector<T> ExpBackward<T>(Vector<T> y, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, g, ref destination, Kernel<T>.ExpBackward,
            new Operands("ExpBackward", nameof(y), nameof(g)));

    /// <summary>g ⊘ x: the adjoint of x for y = ln x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> LogBackward<T>(Matrix<T> x, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LogBackward(x, g, ref result);
    }

    /// <summary>g ⊘ x: the adjoint of x for y = ln x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> LogBackward<T>(Matrix<T> x, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, Kernel<T>.LogBackward,
            new Operands("LogBackward", nameof(x), nameof(g)));

    /// <summary>g ⊘ x: the adjoint of x for y = ln x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> LogBackward<T>(Vector<T> x, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return LogBackward(x, g, ref result);
    }

    /// <summary>g ⊘ x: the adjoint of x for y = ln x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Vector<T> LogBackward<T>(Vector<T> x, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, Kernel<T>.LogBackward,
            new Operands("LogBackward", nameof(x), nameof(g)));

    /// <summary>g ⊘ (2y): the adjoint of x for y = √x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output √x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SqrtBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SqrtBackward(y, g, ref result);
    }

    /// <summary>g ⊘ (2y): the adjoint of x for y = √x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output √x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> SqrtBackward<T>(Matrix<T> y, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, g, ref destination, Kernel<T>.SqrtBackward,
            new Operands("SqrtBackward", nameof(y), nameof(g)));

    /// <summary>g ⊘ (2y): the adjoint of x for y = √x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output √x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> SqrtBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SqrtBackward(y, g, ref result);
    }

    /// <summary>g ⊘ (2y): the adjoint of x for y = √x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output √x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Vector<T> SqrtBackward<T>(Vector<T> y, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, g, ref destination, Kernel<T>.SqrtBackward,
            new Operands("SqrtBackward", nameof(y), nameof(g)));

    /// <summary>2x ⊙ g: the adjoint of x for y = x².</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SquareBackward<T>(Matrix<T> x, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SquareBackward(x, g, ref result);
    }

    /// <summary>2x ⊙ g: the adjoint of x for y = x², into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> SquareBackward<T>(Matrix<T> x, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, Kernel<T>.SquareBackward,
            new Operands("SquareBackward", nameof(x), nameof(g)));

    /// <summary>2x ⊙ g: the adjoint of x for y = x².</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> SquareBackward<T>(Vector<T> x, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SquareBackward(x, g, ref result);
    }

    /// <summary>2x ⊙ g: the adjoint of x for y = x², into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Vector<T> SquareBackward<T>(Vector<T> x, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, Kernel<T>.SquareBackward,
            new Operands("SquareBackward", nameof(x), nameof(g)));
}
