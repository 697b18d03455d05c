using System;
using System.Numerics;

namespace AutoGradGen.Kernels;

/// <summary>
/// Fused backward steps of the element-wise functions, for generated code (not meant to be
/// called by hand). Each takes the forward value it needs (the output y or the input x) and the
/// incoming adjoint g of the same shape, and returns the adjoint of the input in one pass.
/// Shapes are validated like the public API: a mismatch throws <see cref="ArgumentException"/>
/// naming both shapes, before anything is allocated.
/// </summary>
public static class Elementwise
{
    /// <summary>g ⊙ y ⊙ (1 − y): the adjoint of x for y = σ(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output σ(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SigmoidBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.SigmoidBackward(y, g, ref result);
    }

    /// <summary>g ⊙ y ⊙ (1 − y): the adjoint of x for y = σ(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output σ(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> SigmoidBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Into.SigmoidBackward(y, g, ref result);
    }

    /// <summary>g ⊙ (1 − y ⊙ y): the adjoint of x for y = tanh x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output tanh x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> TanhBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.TanhBackward(y, g, ref result);
    }

    /// <summary>g ⊙ (1 − y ⊙ y): the adjoint of x for y = tanh x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output tanh x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> TanhBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Into.TanhBackward(y, g, ref result);
    }

    /// <summary>g where x &gt; 0, else 0: the adjoint of x for y = max(x, 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> ReluBackward<T>(Matrix<T> x, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.ReluBackward(x, g, ref result);
    }

    /// <summary>g where x &gt; 0, else 0: the adjoint of x for y = max(x, 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> ReluBackward<T>(Vector<T> x, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Into.ReluBackward(x, g, ref result);
    }

    /// <summary>g ⊙ y: the adjoint of x for y = eˣ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output eˣ.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> ExpBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.ExpBackward(y, g, ref result);
    }

    /// <summary>g ⊙ y: the adjoint of x for y = eˣ.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output eˣ.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> ExpBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Into.ExpBackward(y, g, ref result);
    }

    /// <summary>g ⊘ x: the adjoint of x for y = ln x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> LogBackward<T>(Matrix<T> x, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.LogBackward(x, g, ref result);
    }

    /// <summary>g ⊘ x: the adjoint of x for y = ln x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> LogBackward<T>(Vector<T> x, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Into.LogBackward(x, g, ref result);
    }

    /// <summary>g ⊘ (2y): the adjoint of x for y = √x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output √x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SqrtBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.SqrtBackward(y, g, ref result);
    }

    /// <summary>g ⊘ (2y): the adjoint of x for y = √x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output √x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> SqrtBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Into.SqrtBackward(y, g, ref result);
    }

    /// <summary>2x ⊙ g: the adjoint of x for y = x².</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SquareBackward<T>(Matrix<T> x, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.SquareBackward(x, g, ref result);
    }

    /// <summary>2x ⊙ g: the adjoint of x for y = x².</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> SquareBackward<T>(Vector<T> x, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Into.SquareBackward(x, g, ref result);
    }

    /// <summary>a ⊘ b, element-wise division.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor, of the same shape.</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> Divide<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Into.Divide(a, b, ref result);
    }

    /// <summary>a ⊘ b, element-wise division.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor, of the same length.</param>
    /// <returns>A new vector of the same length.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> Divide<T>(Vector<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Into.Divide(a, b, ref result);
    }
}
