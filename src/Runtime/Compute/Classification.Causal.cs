using System;
using System.Numerics;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>The causal softmax of attention scores and its backward step (see <see cref="CausalSoftmaxCore"/>).</summary>
public static partial class Classification
{
    /// <summary>
    /// Column-wise softmax of S (keys × queries) where query j sees keys i ≤ j only: Y[i, j] = exp(S[i, j] − mⱼ) /
    /// Σ_{k ≤ j} exp(S[k, j] − mⱼ) for i ≤ j (mⱼ the maximum over the visible keys), and exactly 0 for i &gt; j.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="s">The scores, keys × queries.</param>
    /// <returns>A new matrix, whose columns sum to 1 over their visible keys.</returns>
    public static Matrix<T> CausalSoftmax<T>(Matrix<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return CausalSoftmax(s, ref result);
    }

    /// <summary>The causal column-wise softmax of S, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="s">The scores, keys × queries.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not the operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The destination is the operand.</exception>
    public static Matrix<T> CausalSoftmax<T>(Matrix<T> s, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(s);
        ThrowHelper.RequireNotAliased(destination, s, "CausalSoftmax", nameof(s));
        var result = Ensure(ref destination, s.Rows, s.Cols);
        CausalSoftmaxCore.Forward<T>(s.Data, s.Rows, s.Cols, result.Data);
        return result;
    }

    /// <summary>Y ⊙ (G − 𝟙 (𝟙ᵀ(Y ⊙ G))) on the visible entries, 0 on the masked ones: the adjoint (and tangent) of S for Y = causal softmax(S).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output causal softmax(S).</param>
    /// <param name="g">The incoming adjoint (or the tangent ∂S), of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> CausalSoftmaxBackward<T>(Matrix<T> y, Matrix<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return CausalSoftmaxBackward(y, g, ref result);
    }

    /// <summary>The adjoint of S for Y = causal softmax(S), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output causal softmax(S).</param>
    /// <param name="g">The incoming adjoint (or the tangent ∂S), of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> CausalSoftmaxBackward<T>(Matrix<T> y, Matrix<T> g, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(g);
        ThrowHelper.RequireSameShape(y, g, "CausalSoftmaxBackward", nameof(y), nameof(g));
        RequireNotAliased(destination, y, g, new Operands("CausalSoftmaxBackward", nameof(y), nameof(g)));
        var result = Ensure(ref destination, y.Rows, y.Cols);
        CausalSoftmaxCore.Backward<T>(y.Data, g.Data, y.Rows, y.Cols, result.Data);
        return result;
    }
}
