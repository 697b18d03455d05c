using System;
using System.Numerics;
using AutoGradGen.Compute;

namespace AutoGradGen;

/// <content>Activations: logistic sigmoid, hyperbolic tangent, rectified linear unit, leaky ReLU, softplus, GELU, absolute value. Matrix, vector and scalar forms.</content>
public static partial class Ops
{
    /// <summary>The logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ), element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> Sigmoid<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Sigmoid(a);

    /// <summary>The logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ), element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> Sigmoid<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Sigmoid(x);

    /// <summary>σ(x) of a scalar, numerically stable for large |x| (never exp of a large positive number: σ(±1000) is 1 and 0, no NaN).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>The logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ) of <paramref name="x"/>.</returns>
    public static T Sigmoid<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        x >= T.Zero ? T.One / (T.One + T.Exp(-x)) : StableSigmoidOfNegative(x);

    /// <summary>The hyperbolic tangent tanh x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> Tanh<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Tanh(a);

    /// <summary>The hyperbolic tangent tanh x, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> Tanh<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Tanh(x);

    /// <summary>tanh x of a scalar.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>The hyperbolic tangent tanh x of <paramref name="x"/>.</returns>
    public static T Tanh<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Tanh(x);

    /// <summary>The rectifier max(x, 0), element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> Relu<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Relu(a);

    /// <summary>The rectifier max(x, 0), element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> Relu<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Relu(x);

    /// <summary>max(x, 0) of a scalar (NaN stays NaN).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>The rectifier max(x, 0) of <paramref name="x"/>.</returns>
    public static T Relu<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Max(x, T.Zero);

    /// <summary>
    /// The leaky rectifier lrelu(x, slope): x where x &gt; 0, slope · x elsewhere, element by element. Its derivative in x
    /// is 1 or the slope, taken as the slope at x = 0; its derivative in the slope is min(x, 0).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <param name="slope">The slope for x ≤ 0 (for example 0.01). In a <c>[Differentiable]</c> method it may depend on a
    /// differentiated parameter: it is differentiated too (a learnable slope, as in PReLU).</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> LeakyRelu<T>(Matrix<T> a, T slope)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.LeakyRelu(a, slope);

    /// <summary>The leaky rectifier lrelu(x, slope): x where x &gt; 0, slope · x elsewhere, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <param name="slope">The slope for x ≤ 0 (differentiated too when it depends on a differentiated parameter).</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> LeakyRelu<T>(Vector<T> x, T slope)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.LeakyRelu(x, slope);

    /// <summary>lrelu(x, slope) of a scalar: x when x &gt; 0, slope · x otherwise (NaN stays NaN).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <param name="slope">The slope for x ≤ 0 (differentiated too when it depends on a differentiated parameter).</param>
    /// <returns>The leaky rectifier of <paramref name="x"/>.</returns>
    public static T LeakyRelu<T>(T x, T slope)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        x > T.Zero ? x : slope * x;

    /// <summary>σ(x) = eˣ / (1 + eˣ) for x &lt; 0, where eˣ cannot overflow.</summary>
    private static T StableSigmoidOfNegative<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T e = T.Exp(x);
        return e / (T.One + e);
    }

    /// <summary>softplus(x) = log(1 + eˣ), element by element: a smooth ReLU whose derivative is σ(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> Softplus<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Softplus(a);

    /// <summary>softplus(x) = log(1 + eˣ), element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> Softplus<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Softplus(x);

    /// <summary>softplus(x) = log(1 + eˣ) of a scalar, computed as max(x, 0) + log(1 + e^−|x|) (no overflow).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>softplus(<paramref name="x"/>).</returns>
    public static T Softplus<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Max(x, T.Zero) + T.LogP1(T.Exp(-T.Abs(x)));

    /// <summary>gelu(x) = x Φ(x), Φ the standard normal CDF (the exact GELU, not its tanh approximation); its derivative is Φ(x) + x φ(x), element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> Gelu<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Gelu(a);

    /// <summary>gelu(x) = x Φ(x), Φ the standard normal CDF (the exact GELU, not its tanh approximation); its derivative is Φ(x) + x φ(x), element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> Gelu<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Gelu(x);

    /// <summary>gelu(x) = x Φ(x) of a scalar, Φ computed through erfc (accurate in the lower tail).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>gelu(<paramref name="x"/>).</returns>
    public static T Gelu<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Gelu(x);

    /// <summary>|x|; its derivative is sign(x), taken as 0 at x = 0, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">A matrix.</param>
    /// <returns>A new matrix of the same shape.</returns>
    public static Matrix<T> Abs<T>(Matrix<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Abs(a);

    /// <summary>|x|; its derivative is sign(x), taken as 0 at x = 0, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A vector.</param>
    /// <returns>A new vector of the same length.</returns>
    public static Vector<T> Abs<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise.Abs(x);

    /// <summary>|x| of a scalar; its derivative is sign(x), taken as 0 at x = 0.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">A scalar.</param>
    /// <returns>abs(<paramref name="x"/>).</returns>
    public static T Abs<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Abs(x);
}
