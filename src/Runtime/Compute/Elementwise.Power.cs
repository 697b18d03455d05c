using System;
using System.Numerics;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// The power xᵖ with a scalar exponent p (see <see cref="Elementwise"/>), its backward step and its second-derivative
/// kernels: ∂(xᵖ) = p x^(p−1) ∂x + xᵖ ln x ∂p. The forward value is <see cref="Math.Pow(double, double)"/>'s, so the
/// domain is x &gt; 0 for a non-integer p (NaN otherwise) and any x for an integer p; a derivative in p goes through
/// ln x and needs x &gt; 0. Where p or p − 1 is 0 the factor p or p(p − 1) wins: the kernels write an exact 0 rather
/// than 0 · ∞ at x = 0.
/// </summary>
public static partial class Elementwise
{
    /// <summary>xᵖ, element by element, as <see cref="Math.Pow(double, double)"/> computes it (NaN for x &lt; 0 and a non-integer p, ∞ for x = 0 and p &lt; 0, 1 for p = 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="p">The exponent p.</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> Pow<T>(Matrix<T> a, T p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Pow(a, p, ref result);
    }

    /// <summary>xᵖ, element by element, as <see cref="Math.Pow(double, double)"/> computes it (NaN for x &lt; 0 and a non-integer p, ∞ for x = 0 and p &lt; 0, 1 for p = 0), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="p">The exponent p.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> Pow<T>(Matrix<T> a, T p, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(a, p, ref destination, PowerKernel<T>.Pow, "Pow", nameof(a));

    /// <summary>xᵖ, element by element, as <see cref="Math.Pow(double, double)"/> computes it (NaN for x &lt; 0 and a non-integer p, ∞ for x = 0 and p &lt; 0, 1 for p = 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="p">The exponent p.</param>
    /// <returns>A new vector.</returns>
    public static Vector<T> Pow<T>(Vector<T> x, T p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Pow(x, p, ref result);
    }

    /// <summary>xᵖ, element by element, as <see cref="Math.Pow(double, double)"/> computes it (NaN for x &lt; 0 and a non-integer p, ∞ for x = 0 and p &lt; 0, 1 for p = 0), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="p">The exponent p.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Vector<T> Pow<T>(Vector<T> x, T p, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, p, ref destination, PowerKernel<T>.Pow, "Pow", nameof(x));

    /// <summary>g ⊙ p x^(p−1): the adjoint of x for y = xᵖ (and its differential along g); exactly 0 when p = 0.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="p">The exponent the forward pass used.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> PowBackward<T>(Matrix<T> x, Matrix<T> g, T p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return PowBackward(x, g, p, ref result);
    }

    /// <summary>g ⊙ p x^(p−1): the adjoint of x for y = xᵖ (and its differential along g); exactly 0 when p = 0, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same shape.</param>
    /// <param name="p">The exponent the forward pass used.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> PowBackward<T>(Matrix<T> x, Matrix<T> g, T p, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, p, ref destination, PowerKernel<T>.PowBackward, new Operands("PowBackward", nameof(x), nameof(g)));

    /// <summary>g ⊙ p x^(p−1): the adjoint of x for y = xᵖ (and its differential along g); exactly 0 when p = 0.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="p">The exponent the forward pass used.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> PowBackward<T>(Vector<T> x, Vector<T> g, T p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return PowBackward(x, g, p, ref result);
    }

    /// <summary>g ⊙ p x^(p−1): the adjoint of x for y = xᵖ (and its differential along g); exactly 0 when p = 0, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="g">The incoming adjoint ∂L/∂y, of the same length.</param>
    /// <param name="p">The exponent the forward pass used.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> PowBackward<T>(Vector<T> x, Vector<T> g, T p, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, g, p, ref destination, PowerKernel<T>.PowBackward, new Operands("PowBackward", nameof(x), nameof(g)));

    /// <summary>h ⊙ p(p − 1) x^(p−2): h ⊙ f″(x) for y = xᵖ, the ∂x part of the differential of PowBackward(x, g, p) when h = g ⊙ ∂x; exactly 0 when p is 0 or 1.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>PowBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <param name="p">The exponent p.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> PowSecond<T>(Matrix<T> x, Matrix<T> h, T p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return PowSecond(x, h, p, ref result);
    }

    /// <summary>h ⊙ p(p − 1) x^(p−2): h ⊙ f″(x) for y = xᵖ, the ∂x part of the differential of PowBackward(x, g, p) when h = g ⊙ ∂x; exactly 0 when p is 0 or 1, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>PowBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same shape.</param>
    /// <param name="p">The exponent p.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> PowSecond<T>(Matrix<T> x, Matrix<T> h, T p, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, h, p, ref destination, PowerKernel<T>.PowSecond, new Operands("PowSecond", nameof(x), nameof(h)));

    /// <summary>h ⊙ p(p − 1) x^(p−2): h ⊙ f″(x) for y = xᵖ, the ∂x part of the differential of PowBackward(x, g, p) when h = g ⊙ ∂x; exactly 0 when p is 0 or 1.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>PowBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <param name="p">The exponent p.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> PowSecond<T>(Vector<T> x, Vector<T> h, T p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return PowSecond(x, h, p, ref result);
    }

    /// <summary>h ⊙ p(p − 1) x^(p−2): h ⊙ f″(x) for y = xᵖ, the ∂x part of the differential of PowBackward(x, g, p) when h = g ⊙ ∂x; exactly 0 when p is 0 or 1, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>PowBackward</c> takes).</param>
    /// <param name="h">The factor h (g ⊙ ∂x in a Hessian-vector product), of the same length.</param>
    /// <param name="p">The exponent p.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> PowSecond<T>(Vector<T> x, Vector<T> h, T p, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, h, p, ref destination, PowerKernel<T>.PowSecond, new Operands("PowSecond", nameof(x), nameof(h)));

    /// <summary>h ⊙ x^(p−1) ⊙ (1 + p ln x): h times the mixed derivative ∂²(xᵖ)/∂x∂p, the ∂p part of the differential of PowBackward(x, h, p) per unit ∂p; meaningful for x &gt; 0 only (it goes through ln x: NaN for x &lt; 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>PowBackward</c> takes).</param>
    /// <param name="h">The factor h (the adjoint g in a Hessian-vector product), of the same shape.</param>
    /// <param name="p">The exponent p.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> PowMixedSecond<T>(Matrix<T> x, Matrix<T> h, T p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return PowMixedSecond(x, h, p, ref result);
    }

    /// <summary>h ⊙ x^(p−1) ⊙ (1 + p ln x): h times the mixed derivative ∂²(xᵖ)/∂x∂p, the ∂p part of the differential of PowBackward(x, h, p) per unit ∂p; meaningful for x &gt; 0 only (it goes through ln x: NaN for x &lt; 0), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>PowBackward</c> takes).</param>
    /// <param name="h">The factor h (the adjoint g in a Hessian-vector product), of the same shape.</param>
    /// <param name="p">The exponent p.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> PowMixedSecond<T>(Matrix<T> x, Matrix<T> h, T p, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, h, p, ref destination, PowerKernel<T>.PowMixedSecond, new Operands("PowMixedSecond", nameof(x), nameof(h)));

    /// <summary>h ⊙ x^(p−1) ⊙ (1 + p ln x): h times the mixed derivative ∂²(xᵖ)/∂x∂p, the ∂p part of the differential of PowBackward(x, h, p) per unit ∂p; meaningful for x &gt; 0 only (it goes through ln x: NaN for x &lt; 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>PowBackward</c> takes).</param>
    /// <param name="h">The factor h (the adjoint g in a Hessian-vector product), of the same length.</param>
    /// <param name="p">The exponent p.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> PowMixedSecond<T>(Vector<T> x, Vector<T> h, T p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return PowMixedSecond(x, h, p, ref result);
    }

    /// <summary>h ⊙ x^(p−1) ⊙ (1 + p ln x): h times the mixed derivative ∂²(xᵖ)/∂x∂p, the ∂p part of the differential of PowBackward(x, h, p) per unit ∂p; meaningful for x &gt; 0 only (it goes through ln x: NaN for x &lt; 0), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The forward input (what <c>PowBackward</c> takes).</param>
    /// <param name="h">The factor h (the adjoint g in a Hessian-vector product), of the same length.</param>
    /// <param name="p">The exponent p.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> PowMixedSecond<T>(Vector<T> x, Vector<T> h, T p, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(x, h, p, ref destination, PowerKernel<T>.PowMixedSecond, new Operands("PowMixedSecond", nameof(x), nameof(h)));


    /// <summary>p x^(p−1), the derivative of xᵖ in x, of a scalar (exactly 0 when p = 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The base.</param>
    /// <param name="p">The exponent.</param>
    /// <returns>p x^(p−1).</returns>
    public static T PowDerivative<T>(T x, T p)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        p == T.Zero ? T.Zero : p * T.Pow(x, p - T.One);

    /// <summary>p(p − 1) x^(p−2), the second derivative of xᵖ in x, of a scalar (exactly 0 when p is 0 or 1).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The base.</param>
    /// <param name="p">The exponent.</param>
    /// <returns>p(p − 1) x^(p−2).</returns>
    public static T PowSecondDerivative<T>(T x, T p)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        p == T.Zero || p == T.One ? T.Zero : p * (p - T.One) * T.Pow(x, p - (T.One + T.One));

    /// <summary>x^(p−1) (1 + p ln x), the mixed derivative ∂²(xᵖ)/∂x∂p, of a scalar; meaningful for x &gt; 0 only (it goes through ln x: NaN for x &lt; 0, no limit taken at 0).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The base.</param>
    /// <param name="p">The exponent.</param>
    /// <returns>x^(p−1) (1 + p ln x).</returns>
    public static T PowMixedDerivative<T>(T x, T p)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Pow(x, p - T.One) * (T.One + (p * T.Log(x)));

    /// <summary>
    /// The span loops of the power, each through the scalar form (so a vector and a scalar agree bitwise). Not
    /// TensorPrimitives.Pow: its vector path may compute exp(p ln x), which is NaN for every negative base, even with an
    /// integer exponent, where Math.Pow gives (−2)³ = −8.
    /// </summary>
    private static class PowerKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>(x, p) ↦ xᵖ.</summary>
        public static readonly SpanMap<T> Pow = static (x, p, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = T.Pow(x[i], p);
            }
        };

        /// <summary>(x, g, p) ↦ g p x^(p−1).</summary>
        public static readonly SpanZipScalar<T> PowBackward = static (x, g, p, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = g[i] * PowDerivative(x[i], p);
            }
        };

        /// <summary>(x, h, p) ↦ h p(p − 1) x^(p−2).</summary>
        public static readonly SpanZipScalar<T> PowSecond = static (x, h, p, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = h[i] * PowSecondDerivative(x[i], p);
            }
        };

        /// <summary>(x, h, p) ↦ h x^(p−1) (1 + p ln x).</summary>
        public static readonly SpanZipScalar<T> PowMixedSecond = static (x, h, p, d) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = h[i] * PowMixedDerivative(x[i], p);
            }
        };
    }
}
