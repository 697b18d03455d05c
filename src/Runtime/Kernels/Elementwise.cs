using System;
using System.Numerics;
using System.Numerics.Tensors;

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
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameShape(y, g, "SigmoidBackward", "y", "g");
        var result = Matrix<T>.ZerosLike(y);
        BinaryDriver.Run<T, SigmoidBackwardOperator<T>>(y.Data, g.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameLength(y, g, "SigmoidBackward", "y", "g");
        var result = Vector<T>.ZerosLike(y);
        BinaryDriver.Run<T, SigmoidBackwardOperator<T>>(y.Data, g.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameShape(y, g, "TanhBackward", "y", "g");
        var result = Matrix<T>.ZerosLike(y);
        BinaryDriver.Run<T, TanhBackwardOperator<T>>(y.Data, g.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameLength(y, g, "TanhBackward", "y", "g");
        var result = Vector<T>.ZerosLike(y);
        BinaryDriver.Run<T, TanhBackwardOperator<T>>(y.Data, g.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameShape(x, g, "ReluBackward", "x", "g");
        var result = Matrix<T>.ZerosLike(x);
        BinaryDriver.Run<T, ReluBackwardOperator<T>>(x.Data, g.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameLength(x, g, "ReluBackward", "x", "g");
        var result = Vector<T>.ZerosLike(x);
        BinaryDriver.Run<T, ReluBackwardOperator<T>>(x.Data, g.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameShape(y, g, "ExpBackward", "y", "g");
        var result = Matrix<T>.ZerosLike(y);
        TensorPrimitives.Multiply<T>(g.Data, y.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameLength(y, g, "ExpBackward", "y", "g");
        var result = Vector<T>.ZerosLike(y);
        TensorPrimitives.Multiply<T>(g.Data, y.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameShape(x, g, "LogBackward", "x", "g");
        var result = Matrix<T>.ZerosLike(x);
        TensorPrimitives.Divide<T>(g.Data, x.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameLength(x, g, "LogBackward", "x", "g");
        var result = Vector<T>.ZerosLike(x);
        TensorPrimitives.Divide<T>(g.Data, x.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameShape(y, g, "SqrtBackward", "y", "g");
        var result = Matrix<T>.ZerosLike(y);
        BinaryDriver.Run<T, SqrtBackwardOperator<T>>(y.Data, g.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameLength(y, g, "SqrtBackward", "y", "g");
        var result = Vector<T>.ZerosLike(y);
        BinaryDriver.Run<T, SqrtBackwardOperator<T>>(y.Data, g.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameShape(x, g, "SquareBackward", "x", "g");
        var result = Matrix<T>.ZerosLike(x);
        TensorPrimitives.AddMultiply<T>(x.Data, x.Data, g.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameLength(x, g, "SquareBackward", "x", "g");
        var result = Vector<T>.ZerosLike(x);
        TensorPrimitives.AddMultiply<T>(x.Data, x.Data, g.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireSameShape(a, b, "Divide", "a", "b");
        var result = Matrix<T>.ZerosLike(a);
        TensorPrimitives.Divide<T>(a.Data, b.Data, result.Data);
        return result;
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
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ThrowHelper.RequireSameLength(a, b, "Divide", "a", "b");
        var result = Vector<T>.ZerosLike(a);
        TensorPrimitives.Divide<T>(a.Data, b.Data, result.Data);
        return result;
    }
}
