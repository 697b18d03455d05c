using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>The activations σ, tanh and ReLU with their fused backward steps (see <see cref="Elementwise"/>).</summary>
public static partial class Elementwise
{
    /// <summary>σ(x) = 1 / (1 + e⁻ˣ), element by element (stable at large |x|).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Sigmoid<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Sigmoid(a, ref result);
    }

    /// <summary>σ(x) = 1 / (1 + e⁻ˣ), element by element (stable at large |x|), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Sigmoid<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, T.Zero, ref destination, Kernel<T>.Sigmoid, "Sigmoid", nameof(a));

    /// <summary>σ(x) = 1 / (1 + e⁻ˣ), element by element (stable at large |x|).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Sigmoid<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Sigmoid(x, ref result);
    }

    /// <summary>σ(x) = 1 / (1 + e⁻ˣ), element by element (stable at large |x|), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Sigmoid<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, T.Zero, ref destination, Kernel<T>.Sigmoid, "Sigmoid", nameof(x));

    /// <summary>tanh x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Tanh<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Tanh(a, ref result);
    }

    /// <summary>tanh x, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Tanh<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, T.Zero, ref destination, Kernel<T>.Tanh, "Tanh", nameof(a));

    /// <summary>tanh x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Tanh<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Tanh(x, ref result);
    }

    /// <summary>tanh x, element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Tanh<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, T.Zero, ref destination, Kernel<T>.Tanh, "Tanh", nameof(x));

    /// <summary>max(x, 0), element by element (NaN stays NaN).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Relu<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Relu(a, ref result);
    }

    /// <summary>max(x, 0), element by element (NaN stays NaN), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Relu<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, T.Zero, ref destination, Kernel<T>.Relu, "Relu", nameof(a));

    /// <summary>max(x, 0), element by element (NaN stays NaN).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Relu<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Relu(x, ref result);
    }

    /// <summary>max(x, 0), element by element (NaN stays NaN), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Relu<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, T.Zero, ref destination, Kernel<T>.Relu, "Relu", nameof(x));

    /// <summary>g ⊙ y ⊙ (1 − y): the adjoint of x for y = σ(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output σ(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SigmoidBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SigmoidBackward(y, g, ref result);
    }

    /// <summary>g ⊙ y ⊙ (1 − y): the adjoint of x for y = σ(x), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output σ(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> SigmoidBackward<T>(Matrix<T> y, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, g, ref destination, Kernel<T>.SigmoidBackward,
            new Operands("SigmoidBackward", nameof(y), nameof(g)));

    /// <summary>g ⊙ y ⊙ (1 − y): the adjoint of x for y = σ(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output σ(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> SigmoidBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SigmoidBackward(y, g, ref result);
    }

    /// <summary>g ⊙ y ⊙ (1 − y): the adjoint of x for y = σ(x), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output σ(x).</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Vector<T> SigmoidBackward<T>(Vector<T> y, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, g, ref destination, Kernel<T>.SigmoidBackward,
            new Operands("SigmoidBackward", nameof(y), nameof(g)));

    /// <summary>g ⊙ (1 − y ⊙ y): the adjoint of x for y = tanh x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output tanh x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> TanhBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return TanhBackward(y, g, ref result);
    }

    /// <summary>g ⊙ (1 − y ⊙ y): the adjoint of x for y = tanh x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output tanh x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> TanhBackward<T>(Matrix<T> y, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, g, ref destination, Kernel<T>.TanhBackward,
            new Operands("TanhBackward", nameof(y), nameof(g)));

    /// <summary>g ⊙ (1 − y ⊙ y): the adjoint of x for y = tanh x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output tanh x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> TanhBackward<T>(Vector<T> y, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return TanhBackward(y, g, ref result);
    }

    /// <summary>g ⊙ (1 − y ⊙ y): the adjoint of x for y = tanh x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output tanh x.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Vector<T> TanhBackward<T>(Vector<T> y, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, g, ref destination, Kernel<T>.TanhBackward,
            new Operands("TanhBackward", nameof(y), nameof(g)));

    /// <summary>g where x &gt; 0, else 0: the adjoint of x for y = max(x, 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> ReluBackward<T>(Matrix<T> x, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ReluBackward(x, g, ref result);
    }

    /// <summary>g where x &gt; 0, else 0: the adjoint of x for y = max(x, 0), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> ReluBackward<T>(Matrix<T> x, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, Kernel<T>.ReluBackward,
            new Operands("ReluBackward", nameof(x), nameof(g)));

    /// <summary>g where x &gt; 0, else 0: the adjoint of x for y = max(x, 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Vector<T> ReluBackward<T>(Vector<T> x, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return ReluBackward(x, g, ref result);
    }

    /// <summary>g where x &gt; 0, else 0: the adjoint of x for y = max(x, 0), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Vector<T> ReluBackward<T>(Vector<T> x, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, Kernel<T>.ReluBackward,
            new Operands("ReluBackward", nameof(x), nameof(g)));

    /// <summary>softplus(x) = log(1 + eˣ), element by element (a smooth ReLU; exact for large |x| of either sign).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Softplus<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Softplus(a, ref result);
    }

    /// <summary>softplus(x) = log(1 + eˣ), element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Softplus<T>(Matrix<T> a, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, T.Zero, ref destination, SmoothKernel<T>.Softplus, "Softplus", nameof(a));

    /// <summary>softplus(x) = log(1 + eˣ), element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Softplus<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Softplus(x, ref result);
    }

    /// <summary>softplus(x) = log(1 + eˣ), element by element, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Softplus<T>(Vector<T> x, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, T.Zero, ref destination, SmoothKernel<T>.Softplus, "Softplus", nameof(x));

    /// <summary>g ⊙ σ(x): the adjoint of x for y = softplus(x) (and its differential along g).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SoftplusBackward<T>(Matrix<T> x, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SoftplusBackward(x, g, ref result);
    }

    /// <summary>g ⊙ σ(x): the adjoint of x for y = softplus(x), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> SoftplusBackward<T>(Matrix<T> x, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, SmoothKernel<T>.SoftplusBackward, new Operands("SoftplusBackward", nameof(x), nameof(g)));

    /// <summary>g ⊙ σ(x): the adjoint of x for y = softplus(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> SoftplusBackward<T>(Vector<T> x, Vector<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SoftplusBackward(x, g, ref result);
    }

    /// <summary>g ⊙ σ(x): the adjoint of x for y = softplus(x), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> SoftplusBackward<T>(Vector<T> x, Vector<T> g, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, ref destination, SmoothKernel<T>.SoftplusBackward, new Operands("SoftplusBackward", nameof(x), nameof(g)));

    /// <summary>The span loops of softplus: scalar, since TensorPrimitives has no softplus.</summary>
    private static class SmoothKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>max(x, 0) + log(1 + e^−|x|): no overflow for large x, no loss for very negative x.</summary>
        public static readonly SpanMap<T> Softplus = static (x, _, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                T v = x[i];
                d[i] = T.Max(v, T.Zero) + T.LogP1(T.Exp(-T.Abs(v)));
            }
        };

        /// <summary>(x, g) ↦ g σ(x), σ(x) = 1/(1 + e⁻ˣ) (e⁻ˣ overflowing to ∞ gives exactly 0).</summary>
        public static readonly SpanZip<T> SoftplusBackward = static (x, g, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = g[i] / (T.One + T.Exp(-x[i]));
            }
        };
    }
}
