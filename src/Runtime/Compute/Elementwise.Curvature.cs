using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// The second-derivative kernels of the element-wise functions (see <see cref="Elementwise"/>), for Hessian-vector
/// products (forward mode over the reverse sweep): <c>XSecond(saved, h)</c> = h ⊙ f″(x), where <c>saved</c> is the
/// value the matching <c>XBackward(saved, g)</c> = g ⊙ f′(x) takes (the output y for eˣ, σ, tanh and √x, the input x
/// for ln, softplus and gelu), with f″ written in terms of it. The differential of <c>XBackward(saved, g)</c> is
/// <c>XBackward(saved, ∂g) + XSecond(saved, g ⊙ ∂x)</c>.
/// </summary>
public static partial class Elementwise
{
    /// <summary>h ⊙ y: h ⊙ f″(x) for y = eˣ, the ∂x part of the differential of ExpBackward(y, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output eˣ (what <c>ExpBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> ExpSecond<T>(Matrix<T> y, Matrix<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ExpSecond(y, h, ref result);
    }

    /// <summary>h ⊙ y: h ⊙ f″(x) for y = eˣ, the ∂x part of the differential of ExpBackward(y, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output eˣ (what <c>ExpBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> ExpSecond<T>(Matrix<T> y, Matrix<T> h, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, h, ref destination, CurvatureKernel<T>.ExpSecond, new Operands("ExpSecond", nameof(y), nameof(h)));

    /// <summary>h ⊙ y: h ⊙ f″(x) for y = eˣ, the ∂x part of the differential of ExpBackward(y, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output eˣ (what <c>ExpBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> ExpSecond<T>(Vector<T> y, Vector<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return ExpSecond(y, h, ref result);
    }

    /// <summary>h ⊙ y: h ⊙ f″(x) for y = eˣ, the ∂x part of the differential of ExpBackward(y, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output eˣ (what <c>ExpBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> ExpSecond<T>(Vector<T> y, Vector<T> h, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, h, ref destination, CurvatureKernel<T>.ExpSecond, new Operands("ExpSecond", nameof(y), nameof(h)));

    /// <summary>−h ⊘ x²: h ⊙ f″(x) for y = ln x, the ∂x part of the differential of LogBackward(x, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>LogBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> LogSecond<T>(Matrix<T> x, Matrix<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LogSecond(x, h, ref result);
    }

    /// <summary>−h ⊘ x²: h ⊙ f″(x) for y = ln x, the ∂x part of the differential of LogBackward(x, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>LogBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> LogSecond<T>(Matrix<T> x, Matrix<T> h, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, h, ref destination, CurvatureKernel<T>.LogSecond, new Operands("LogSecond", nameof(x), nameof(h)));

    /// <summary>−h ⊘ x²: h ⊙ f″(x) for y = ln x, the ∂x part of the differential of LogBackward(x, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>LogBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> LogSecond<T>(Vector<T> x, Vector<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return LogSecond(x, h, ref result);
    }

    /// <summary>−h ⊘ x²: h ⊙ f″(x) for y = ln x, the ∂x part of the differential of LogBackward(x, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>LogBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> LogSecond<T>(Vector<T> x, Vector<T> h, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, h, ref destination, CurvatureKernel<T>.LogSecond, new Operands("LogSecond", nameof(x), nameof(h)));

    /// <summary>h ⊙ y ⊙ (1 − y) ⊙ (1 − 2y): h ⊙ f″(x) for y = σ(x), the ∂x part of the differential of SigmoidBackward(y, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output σ(x) (what <c>SigmoidBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SigmoidSecond<T>(Matrix<T> y, Matrix<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SigmoidSecond(y, h, ref result);
    }

    /// <summary>h ⊙ y ⊙ (1 − y) ⊙ (1 − 2y): h ⊙ f″(x) for y = σ(x), the ∂x part of the differential of SigmoidBackward(y, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output σ(x) (what <c>SigmoidBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> SigmoidSecond<T>(Matrix<T> y, Matrix<T> h, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, h, ref destination, CurvatureKernel<T>.SigmoidSecond, new Operands("SigmoidSecond", nameof(y), nameof(h)));

    /// <summary>h ⊙ y ⊙ (1 − y) ⊙ (1 − 2y): h ⊙ f″(x) for y = σ(x), the ∂x part of the differential of SigmoidBackward(y, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output σ(x) (what <c>SigmoidBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> SigmoidSecond<T>(Vector<T> y, Vector<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SigmoidSecond(y, h, ref result);
    }

    /// <summary>h ⊙ y ⊙ (1 − y) ⊙ (1 − 2y): h ⊙ f″(x) for y = σ(x), the ∂x part of the differential of SigmoidBackward(y, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output σ(x) (what <c>SigmoidBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> SigmoidSecond<T>(Vector<T> y, Vector<T> h, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, h, ref destination, CurvatureKernel<T>.SigmoidSecond, new Operands("SigmoidSecond", nameof(y), nameof(h)));

    /// <summary>−2h ⊙ y ⊙ (1 − y²): h ⊙ f″(x) for y = tanh x, the ∂x part of the differential of TanhBackward(y, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output tanh x (what <c>TanhBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> TanhSecond<T>(Matrix<T> y, Matrix<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return TanhSecond(y, h, ref result);
    }

    /// <summary>−2h ⊙ y ⊙ (1 − y²): h ⊙ f″(x) for y = tanh x, the ∂x part of the differential of TanhBackward(y, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output tanh x (what <c>TanhBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> TanhSecond<T>(Matrix<T> y, Matrix<T> h, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, h, ref destination, CurvatureKernel<T>.TanhSecond, new Operands("TanhSecond", nameof(y), nameof(h)));

    /// <summary>−2h ⊙ y ⊙ (1 − y²): h ⊙ f″(x) for y = tanh x, the ∂x part of the differential of TanhBackward(y, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output tanh x (what <c>TanhBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> TanhSecond<T>(Vector<T> y, Vector<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return TanhSecond(y, h, ref result);
    }

    /// <summary>−2h ⊙ y ⊙ (1 − y²): h ⊙ f″(x) for y = tanh x, the ∂x part of the differential of TanhBackward(y, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output tanh x (what <c>TanhBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> TanhSecond<T>(Vector<T> y, Vector<T> h, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, h, ref destination, CurvatureKernel<T>.TanhSecond, new Operands("TanhSecond", nameof(y), nameof(h)));

    /// <summary>h ⊙ σ(x) ⊙ (1 − σ(x)): h ⊙ f″(x) for y = softplus(x), the ∂x part of the differential of SoftplusBackward(x, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>SoftplusBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SoftplusSecond<T>(Matrix<T> x, Matrix<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SoftplusSecond(x, h, ref result);
    }

    /// <summary>h ⊙ σ(x) ⊙ (1 − σ(x)): h ⊙ f″(x) for y = softplus(x), the ∂x part of the differential of SoftplusBackward(x, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>SoftplusBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> SoftplusSecond<T>(Matrix<T> x, Matrix<T> h, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, h, ref destination, CurvatureKernel<T>.SoftplusSecond, new Operands("SoftplusSecond", nameof(x), nameof(h)));

    /// <summary>h ⊙ σ(x) ⊙ (1 − σ(x)): h ⊙ f″(x) for y = softplus(x), the ∂x part of the differential of SoftplusBackward(x, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>SoftplusBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> SoftplusSecond<T>(Vector<T> x, Vector<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SoftplusSecond(x, h, ref result);
    }

    /// <summary>h ⊙ σ(x) ⊙ (1 − σ(x)): h ⊙ f″(x) for y = softplus(x), the ∂x part of the differential of SoftplusBackward(x, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>SoftplusBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> SoftplusSecond<T>(Vector<T> x, Vector<T> h, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, h, ref destination, CurvatureKernel<T>.SoftplusSecond, new Operands("SoftplusSecond", nameof(x), nameof(h)));

    /// <summary>h ⊙ φ(x) ⊙ (2 − x²): h ⊙ f″(x) for y = gelu(x), the ∂x part of the differential of GeluBackward(x, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>GeluBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> GeluSecond<T>(Matrix<T> x, Matrix<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return GeluSecond(x, h, ref result);
    }

    /// <summary>h ⊙ φ(x) ⊙ (2 − x²): h ⊙ f″(x) for y = gelu(x), the ∂x part of the differential of GeluBackward(x, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>GeluBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> GeluSecond<T>(Matrix<T> x, Matrix<T> h, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, h, ref destination, CurvatureKernel<T>.GeluSecond, new Operands("GeluSecond", nameof(x), nameof(h)));

    /// <summary>h ⊙ φ(x) ⊙ (2 − x²): h ⊙ f″(x) for y = gelu(x), the ∂x part of the differential of GeluBackward(x, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>GeluBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> GeluSecond<T>(Vector<T> x, Vector<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return GeluSecond(x, h, ref result);
    }

    /// <summary>h ⊙ φ(x) ⊙ (2 − x²): h ⊙ f″(x) for y = gelu(x), the ∂x part of the differential of GeluBackward(x, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>GeluBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> GeluSecond<T>(Vector<T> x, Vector<T> h, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, h, ref destination, CurvatureKernel<T>.GeluSecond, new Operands("GeluSecond", nameof(x), nameof(h)));

    /// <summary>−h ⊘ (4y³): h ⊙ f″(x) for y = √x, the ∂x part of the differential of SqrtBackward(y, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output √x (what <c>SqrtBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SqrtSecond<T>(Matrix<T> y, Matrix<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SqrtSecond(y, h, ref result);
    }

    /// <summary>−h ⊘ (4y³): h ⊙ f″(x) for y = √x, the ∂x part of the differential of SqrtBackward(y, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output √x (what <c>SqrtBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> SqrtSecond<T>(Matrix<T> y, Matrix<T> h, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, h, ref destination, CurvatureKernel<T>.SqrtSecond, new Operands("SqrtSecond", nameof(y), nameof(h)));

    /// <summary>−h ⊘ (4y³): h ⊙ f″(x) for y = √x, the ∂x part of the differential of SqrtBackward(y, g) when h = g ⊙ ∂x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output √x (what <c>SqrtBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> SqrtSecond<T>(Vector<T> y, Vector<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SqrtSecond(y, h, ref result);
    }

    /// <summary>−h ⊘ (4y³): h ⊙ f″(x) for y = √x, the ∂x part of the differential of SqrtBackward(y, g) when h = g ⊙ ∂x, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output √x (what <c>SqrtBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> SqrtSecond<T>(Vector<T> y, Vector<T> h, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(y, h, ref destination, CurvatureKernel<T>.SqrtSecond, new Operands("SqrtSecond", nameof(y), nameof(h)));

    /// <summary>The span loops of the second derivatives (TensorPrimitives has no fused form of any but eˣ's).</summary>
    private static class CurvatureKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>(y, h) ↦ h y.</summary>
        public static readonly SpanZip<T> ExpSecond = static (y, h, d) => TensorPrimitives.Multiply(h, y, d);

        /// <summary>(x, h) ↦ −(h / x) / x: no overflow or underflow of x² before the quotient.</summary>
        public static readonly SpanZip<T> LogSecond = static (x, h, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = -(h[i] / x[i]) / x[i];
            }
        };

        /// <summary>(y, h) ↦ h y (1 − y)(1 − 2y).</summary>
        public static readonly SpanZip<T> SigmoidSecond = static (y, h, d) =>
        {
            T two = T.One + T.One;
            for (int i = 0; i < y.Length; i++)
            {
                T v = y[i];
                d[i] = h[i] * v * (T.One - v) * (T.One - (two * v));
            }
        };

        /// <summary>(y, h) ↦ −2h y (1 − y)(1 + y): 1 − y² factored, exact near |y| = 1.</summary>
        public static readonly SpanZip<T> TanhSecond = static (y, h, d) =>
        {
            for (int i = 0; i < y.Length; i++)
            {
                T v = y[i];
                d[i] = -(h[i] + h[i]) * v * ((T.One - v) * (T.One + v));
            }
        };

        /// <summary>
        /// (x, h) ↦ h σ(x)(1 − σ(x)) = h t / (1 + t)², t = e^−|x| ∈ (0, 1]: no cancellation in 1 − σ and no overflow
        /// for either sign (0 at ±∞).
        /// </summary>
        public static readonly SpanZip<T> SoftplusSecond = static (x, h, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                T t = T.Exp(-T.Abs(x[i]));
                T s = T.One + t;
                d[i] = h[i] * (t / (s * s));
            }
        };

        /// <summary>(x, h) ↦ h φ(x)(2 − x²), the factor in double (0 where φ underflows, so also at ±∞).</summary>
        public static readonly SpanZip<T> GeluSecond = static (x, h, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = h[i] * T.CreateTruncating(GeluSecondFactor(double.CreateTruncating(x[i])));
            }
        };

        /// <summary>(y, h) ↦ −((h / y) / y) / (4y): no overflow or underflow of y³ before the quotient.</summary>
        public static readonly SpanZip<T> SqrtSecond = static (y, h, d) =>
        {
            T four = T.CreateTruncating(4);
            for (int i = 0; i < y.Length; i++)
            {
                T v = y[i];
                d[i] = -(h[i] / v / v) / (four * v);
            }
        };

        /// <summary>
        /// gelu″(x) = φ(x)(2 − x²), φ(x) = e^(−x²/2)/√(2π): x² and 2 − x² by FMAs (e^(−x²/2) corrected for the
        /// rounding of x², 2 − x² rounded once), 0 where x² overflows or φ underflows.
        /// </summary>
        private static double GeluSecondFactor(double x)
        {
            const double oneOverSqrtTwoPi = 0.39894228040143268;
            double x2 = x * x;
            if (double.IsInfinity(x2))
            {
                return 0;
            }

            double error = Math.FusedMultiplyAdd(x, x, -x2); // x² = x2 + error exactly
            double pdf = oneOverSqrtTwoPi * Math.Exp(-0.5 * x2) * (1 - (0.5 * error));
            return pdf == 0 ? 0 : pdf * Math.FusedMultiplyAdd(-x, x, 2);
        }
    }
}
