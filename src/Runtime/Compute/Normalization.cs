using System;
using System.Numerics;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// Layer normalization (each column, one sample, normalized over its rows) and batch normalization (each row, one feature,
/// normalized over the columns, with the batch statistics), each followed by γ ⊙ · + β with γ and β one entry per row; and
/// the kernels of their derivatives: the tangent γ ⊙ J ∂X and the pullback J(γ ⊙ Ḡ) (J, the Jacobian of x̂, is symmetric,
/// so the two are each other's transpose), diag(v) x̂ and its transpose Σ_columns Ḡ ⊙ x̂ (the differential and the adjoint in
/// γ), and for second order the second derivative of x̂ (<c>…Curvature</c>) and the differential of Σ Ḡ ⊙ x̂ along ∂X
/// (<c>…ScaleCurvature</c>). These kernels recompute μ and σ from X; the overloads with saved statistics (this class's other
/// part) keep x̂ and 1/σ from the forward pass and compute X̄, γ̄ and β̄ from them in one pass. Allocating and
/// destination-passing forms; shapes are checked once (both shapes named), nothing written on failure.
/// </summary>
public static partial class Normalization
{
    /// <summary>γ ⊙ x̂ + β, x̂ = (X − μ)/√(var + ε) each column (one sample) over its rows.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Matrix<T> LayerNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LayerNorm(x, gamma, beta, eps, ref result);
    }

    /// <summary>γ ⊙ x̂ + β, x̂ = (X − μ)/√(var + ε) each column (one sample) over its rows, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Matrix<T> LayerNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(x, gamma, beta, eps, true, ref destination, "LayerNorm");

    /// <summary>γ ⊙ J ∂X, J the Jacobian of x̂ (symmetric, per normalized line): the differential of LayerNorm(X, γ, β) along ∂X.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="dx">∂X, of X's shape.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Matrix<T> LayerNormTangent<T>(Matrix<T> x, Matrix<T> dx, Vector<T> gamma, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LayerNormTangent(x, dx, gamma, eps, ref result);
    }

    /// <summary>γ ⊙ J ∂X, J the Jacobian of x̂ (symmetric, per normalized line): the differential of LayerNorm(X, γ, β) along ∂X, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="dx">∂X, of X's shape.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Matrix<T> LayerNormTangent<T>(Matrix<T> x, Matrix<T> dx, Vector<T> gamma, T eps, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Jacobian(x, dx, gamma, eps, true, true, ref destination, "LayerNormTangent", nameof(dx));

    /// <summary>J (γ ⊙ Ḡ) = (1/σ)(g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)) with g = γ ⊙ Ḡ, per normalized line: the adjoint of X for Y = LayerNorm(X, γ, β).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">Ḡ, the adjoint of Y, of X's shape.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Matrix<T> LayerNormBackward<T>(Matrix<T> x, Matrix<T> g, Vector<T> gamma, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LayerNormBackward(x, g, gamma, eps, ref result);
    }

    /// <summary>J (γ ⊙ Ḡ) = (1/σ)(g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)) with g = γ ⊙ Ḡ, per normalized line: the adjoint of X for Y = LayerNorm(X, γ, β), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">Ḡ, the adjoint of Y, of X's shape.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Matrix<T> LayerNormBackward<T>(Matrix<T> x, Matrix<T> g, Vector<T> gamma, T eps, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Jacobian(x, g, gamma, eps, true, false, ref destination, "LayerNormBackward", nameof(g));

    /// <summary>diag(v) x̂: LayerNorm(X, v, 0), linear in v (the differential of LayerNorm along ∂γ = v).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="v">The scales, one per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Matrix<T> LayerNormScale<T>(Matrix<T> x, Vector<T> v, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LayerNormScale(x, v, eps, ref result);
    }

    /// <summary>diag(v) x̂: LayerNorm(X, v, 0), linear in v (the differential of LayerNorm along ∂γ = v), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="v">The scales, one per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Matrix<T> LayerNormScale<T>(Matrix<T> x, Vector<T> v, T eps, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(x, v, null, eps, true, ref destination, "LayerNormScale");

    /// <summary>Σ over the columns of Ḡ ⊙ x̂: the adjoint of γ for Y = LayerNorm(X, γ, β).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">Ḡ, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new vector, one entry per row of X.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Vector<T> LayerNormScaleBackward<T>(Matrix<T> x, Matrix<T> g, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return LayerNormScaleBackward(x, g, eps, ref result);
    }

    /// <summary>Σ over the columns of Ḡ ⊙ x̂: the adjoint of γ for Y = LayerNorm(X, γ, β), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">Ḡ, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Vector<T> LayerNormScaleBackward<T>(Matrix<T> x, Matrix<T> g, T eps, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        RowSums(x, g, null, eps, true, ref destination, "LayerNormScaleBackward");

    /// <summary>D J(X)[H] G, the second derivative of x̂ along H and G (symmetric in them), per normalized line: the differential of LayerNormBackward along ∂X.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="h">H, of X's shape.</param>
    /// <param name="g">G, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Matrix<T> LayerNormCurvature<T>(Matrix<T> x, Matrix<T> h, Matrix<T> g, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LayerNormCurvature(x, h, g, eps, ref result);
    }

    /// <summary>D J(X)[H] G, the second derivative of x̂ along H and G (symmetric in them), per normalized line: the differential of LayerNormBackward along ∂X, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="h">H, of X's shape.</param>
    /// <param name="g">G, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Matrix<T> LayerNormCurvature<T>(Matrix<T> x, Matrix<T> h, Matrix<T> g, T eps, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Curvature(x, h, g, eps, true, ref destination, "LayerNormCurvature");

    /// <summary>Σ over the columns of G ⊙ J ∂X: the differential of LayerNormScaleBackward(X, G) along ∂X.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">G, of X's shape.</param>
    /// <param name="dx">∂X, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new vector, one entry per row of X.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Vector<T> LayerNormScaleCurvature<T>(Matrix<T> x, Matrix<T> g, Matrix<T> dx, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return LayerNormScaleCurvature(x, g, dx, eps, ref result);
    }

    /// <summary>Σ over the columns of G ⊙ J ∂X: the differential of LayerNormScaleBackward(X, G) along ∂X, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">G, of X's shape.</param>
    /// <param name="dx">∂X, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Vector<T> LayerNormScaleCurvature<T>(Matrix<T> x, Matrix<T> g, Matrix<T> dx, T eps, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        RowSums(x, g, dx, eps, true, ref destination, "LayerNormScaleCurvature");

    // ── batch normalization ──

    /// <summary>γ ⊙ x̂ + β, x̂ = (X − μ)/√(var + ε) each row (one feature) over the batch (the columns), with the batch statistics.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Matrix<T> BatchNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return BatchNorm(x, gamma, beta, eps, ref result);
    }

    /// <summary>γ ⊙ x̂ + β, x̂ = (X − μ)/√(var + ε) each row (one feature) over the batch (the columns), with the batch statistics, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Matrix<T> BatchNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(x, gamma, beta, eps, false, ref destination, "BatchNorm");

    /// <summary>γ ⊙ J ∂X, J the Jacobian of x̂ (symmetric, per normalized line): the differential of BatchNorm(X, γ, β) along ∂X.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="dx">∂X, of X's shape.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Matrix<T> BatchNormTangent<T>(Matrix<T> x, Matrix<T> dx, Vector<T> gamma, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return BatchNormTangent(x, dx, gamma, eps, ref result);
    }

    /// <summary>γ ⊙ J ∂X, J the Jacobian of x̂ (symmetric, per normalized line): the differential of BatchNorm(X, γ, β) along ∂X, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="dx">∂X, of X's shape.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Matrix<T> BatchNormTangent<T>(Matrix<T> x, Matrix<T> dx, Vector<T> gamma, T eps, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Jacobian(x, dx, gamma, eps, false, true, ref destination, "BatchNormTangent", nameof(dx));

    /// <summary>J (γ ⊙ Ḡ) = (1/σ)(g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)) with g = γ ⊙ Ḡ, per normalized line: the adjoint of X for Y = BatchNorm(X, γ, β).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">Ḡ, the adjoint of Y, of X's shape.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Matrix<T> BatchNormBackward<T>(Matrix<T> x, Matrix<T> g, Vector<T> gamma, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return BatchNormBackward(x, g, gamma, eps, ref result);
    }

    /// <summary>J (γ ⊙ Ḡ) = (1/σ)(g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)) with g = γ ⊙ Ḡ, per normalized line: the adjoint of X for Y = BatchNorm(X, γ, β), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">Ḡ, the adjoint of Y, of X's shape.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Matrix<T> BatchNormBackward<T>(Matrix<T> x, Matrix<T> g, Vector<T> gamma, T eps, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Jacobian(x, g, gamma, eps, false, false, ref destination, "BatchNormBackward", nameof(g));

    /// <summary>diag(v) x̂: BatchNorm(X, v, 0), linear in v (the differential of BatchNorm along ∂γ = v).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="v">The scales, one per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Matrix<T> BatchNormScale<T>(Matrix<T> x, Vector<T> v, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return BatchNormScale(x, v, eps, ref result);
    }

    /// <summary>diag(v) x̂: BatchNorm(X, v, 0), linear in v (the differential of BatchNorm along ∂γ = v), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="v">The scales, one per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Matrix<T> BatchNormScale<T>(Matrix<T> x, Vector<T> v, T eps, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(x, v, null, eps, false, ref destination, "BatchNormScale");

    /// <summary>Σ over the columns of Ḡ ⊙ x̂: the adjoint of γ for Y = BatchNorm(X, γ, β).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">Ḡ, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new vector, one entry per row of X.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Vector<T> BatchNormScaleBackward<T>(Matrix<T> x, Matrix<T> g, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return BatchNormScaleBackward(x, g, eps, ref result);
    }

    /// <summary>Σ over the columns of Ḡ ⊙ x̂: the adjoint of γ for Y = BatchNorm(X, γ, β), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">Ḡ, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Vector<T> BatchNormScaleBackward<T>(Matrix<T> x, Matrix<T> g, T eps, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        RowSums(x, g, null, eps, false, ref destination, "BatchNormScaleBackward");

    /// <summary>D J(X)[H] G, the second derivative of x̂ along H and G (symmetric in them), per normalized line: the differential of BatchNormBackward along ∂X.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="h">H, of X's shape.</param>
    /// <param name="g">G, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Matrix<T> BatchNormCurvature<T>(Matrix<T> x, Matrix<T> h, Matrix<T> g, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return BatchNormCurvature(x, h, g, eps, ref result);
    }

    /// <summary>D J(X)[H] G, the second derivative of x̂ along H and G (symmetric in them), per normalized line: the differential of BatchNormBackward along ∂X, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="h">H, of X's shape.</param>
    /// <param name="g">G, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Matrix<T> BatchNormCurvature<T>(Matrix<T> x, Matrix<T> h, Matrix<T> g, T eps, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Curvature(x, h, g, eps, false, ref destination, "BatchNormCurvature");

    /// <summary>Σ over the columns of G ⊙ J ∂X: the differential of BatchNormScaleBackward(X, G) along ∂X.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">G, of X's shape.</param>
    /// <param name="dx">∂X, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <returns>A new vector, one entry per row of X.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative.</exception>
    public static Vector<T> BatchNormScaleCurvature<T>(Matrix<T> x, Matrix<T> g, Matrix<T> dx, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return BatchNormScaleCurvature(x, g, dx, eps, ref result);
    }

    /// <summary>Σ over the columns of G ⊙ J ∂X: the differential of BatchNormScaleBackward(X, G) along ∂X, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="g">G, of X's shape.</param>
    /// <param name="dx">∂X, of X's shape.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">A shape differs from X's (the message names both), or ε is negative, or the destination is an operand.</exception>
    public static Vector<T> BatchNormScaleCurvature<T>(Matrix<T> x, Matrix<T> g, Matrix<T> dx, T eps, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        RowSums(x, g, dx, eps, false, ref destination, "BatchNormScaleCurvature");


    private static Matrix<T> Run<T>(Matrix<T> x, Vector<T> gamma, Vector<T>? beta, T eps, bool byColumns, ref Matrix<T>? destination, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        bool scaleOnly = operation.EndsWith("Scale", StringComparison.Ordinal);
        RequirePerRow(x, gamma, operation, scaleOnly ? "v" : nameof(gamma));
        if (!scaleOnly)
        {
            RequirePerRow(x, beta!, operation, nameof(beta));
        }
        var e = Epsilon<T>(eps);
        ThrowHelper.RequireNotAliased(destination, x, operation, nameof(x));
        var result = Ensure(ref destination, x.Rows, x.Cols);
        NormalizationKernels<T>.Forward(x.Data, gamma.Data, scaleOnly ? default : beta!.Data, e, Lines(x, byColumns), result.Data);
        return result;
    }

    private static Matrix<T> Jacobian<T>(Matrix<T> x, Matrix<T> d, Vector<T> gamma, T eps, bool byColumns, bool scaleOutput,
        ref Matrix<T>? destination, string operation, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSameShape(x, d, operation, name);
        RequirePerRow(x, gamma, operation, nameof(gamma));
        var e = Epsilon<T>(eps);
        RequireNotAliased(destination, x, d, new Operands(operation, nameof(x), name));
        var result = Ensure(ref destination, x.Rows, x.Cols);
        NormalizationKernels<T>.Jacobian(x.Data, d.Data, gamma.Data, e, Lines(x, byColumns), scaleOutput, result.Data);
        return result;
    }

    private static Vector<T> RowSums<T>(Matrix<T> x, Matrix<T> g, Matrix<T>? d, T eps, bool byColumns, ref Vector<T>? destination, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSameShape(x, g, operation, nameof(g));
        if (d is not null)
        {
            RequireSameShape(x, d, operation, "dx");
        }
        var e = Epsilon<T>(eps);
        var result = Ensure(ref destination, x.Rows);
        NormalizationKernels<T>.RowSumsWith(x.Data, g.Data, d is null ? default : d.Data, e, Lines(x, byColumns), result.Data);
        return result;
    }

    private static Matrix<T> Curvature<T>(Matrix<T> x, Matrix<T> h, Matrix<T> g, T eps, bool byColumns, ref Matrix<T>? destination, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSameShape(x, h, operation, nameof(h));
        RequireSameShape(x, g, operation, nameof(g));
        var e = Epsilon<T>(eps);
        RequireNotAliased(destination, x, h, new Operands(operation, nameof(x), nameof(h)));
        ThrowHelper.RequireNotAliased(destination, g, operation, nameof(g));
        var result = Ensure(ref destination, x.Rows, x.Cols);
        NormalizationKernels<T>.Curvature(x.Data, h.Data, g.Data, e, Lines(x, byColumns), result.Data);
        return result;
    }

    private static NormalizationLines Lines<T>(Matrix<T> x, bool byColumns)
        where T : unmanaged, IFloatingPointIeee754<T> => new(x.Rows, x.Cols, byColumns);

    private static void RequireSameShape<T>(Matrix<T> x, Matrix<T> other, string operation, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(other, name);
        ThrowHelper.RequireSameShape(x.Rows, x.Cols, other.Rows, other.Cols, operation, nameof(x), name);
    }

    /// <summary>A per-feature vector (γ, β, v) has one entry per row of X.</summary>
    internal static void RequirePerRow<T>(Matrix<T> x, Vector<T> v, string operation, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(v, name);
        if (v.Length != x.Rows)
        {
            ThrowHelper.ThrowShapeMismatch(operation, "x", ThrowHelper.Shape(x), name, ThrowHelper.Shape(v),
                name + " must have one entry per row of x", name);
        }
    }

    internal static T Epsilon<T>(T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(eps >= T.Zero) || !T.IsFinite(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "ε must be finite and ≥ 0.");
        }
        return eps;
    }
}
