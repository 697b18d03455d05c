using System;
using System.Globalization;
using System.Numerics;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// Token embedding, a gather of columns: <c>Embedding(E, ids)</c> = E_{:,ids} = [E_{:,ids[0]} … E_{:,ids[n−1]}] for a
/// d×V matrix E (one column per token) and n token ids, and its adjoint, which adds the columns of the gradient Ḡ
/// (d×n) into the columns ids of a d×V matrix (<c>ScatterEmbedding…</c>). A repeated id receives the sum of its columns.
/// </summary>
/// <remarks>
/// <para>
/// <c>ScatterEmbeddingAddTo(dE, Ḡ, ids)</c> touches only the columns ids of dE: O(d·n), whatever V is. With
/// <c>accumulate: false</c> it must leave dE = ∇E, which is zero in every column no id names, so it clears dE first
/// (O(d·V), the price of the overwrite semantics; summing a mini-batch into one buffer pays it once, not per call).
/// The allocating and <c>ref destination</c> forms build a whole d×V matrix, so they clear it too.
/// </para>
/// <para>
/// Every id is checked (0 ≤ id &lt; V) before anything is written: <see cref="ArgumentOutOfRangeException"/> naming the
/// position, the id and E's shape. A gradient whose shape is not d×n throws <see cref="ArgumentException"/> naming
/// both shapes. A destination must not be an input.
/// </para>
/// </remarks>
public static partial class Slicing
{
    private static void RequireIds(int[] ids, (int Rows, int Cols) shape, string operation)
    {
        ArgumentNullException.ThrowIfNull(ids);
        for (int k = 0; k < ids.Length; k++)
        {
            if ((uint)ids[k] >= (uint)shape.Cols)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), ids[k], string.Create(CultureInfo.InvariantCulture,
                    $"{operation}: ids[{k}] = {ids[k]} is outside a {ThrowHelper.Shape(shape.Rows, shape.Cols)} embedding matrix (valid: 0 ≤ id < {shape.Cols})."));
            }
        }
    }

    private static void RequireEmbeddingGradient<T>(Matrix<T> g, int[] ids, (int Rows, int Cols) shape, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g.Rows != shape.Rows || g.Cols != ids.Length)
        {
            ThrowHelper.ThrowShapeMismatch(operation, "the gradient", ThrowHelper.Shape(g), "the embedding matrix", Text(shape),
                string.Create(CultureInfo.InvariantCulture, $"with {ids.Length} ids the gradient must be {ThrowHelper.Shape(shape.Rows, ids.Length)}"), nameof(g));
        }
    }

    /// <summary>The columns ids of E, E_{:,ids}: column k of the result is column ids[k] of E.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="e">A d×V matrix, one column per token.</param>
    /// <param name="ids">n token ids, each 0 ≤ id &lt; V (repeats allowed).</param>
    /// <returns>A new d×n matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside E (the message names its position, its value and E's shape).</exception>
    public static Matrix<T> Embedding<T>(Matrix<T> e, int[] ids)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Embedding(e, ids, ref result);
    }

    /// <summary>The columns ids of E, E_{:,ids}, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="e">A d×V matrix, one column per token.</param>
    /// <param name="ids">n token ids, each 0 ≤ id &lt; V (repeats allowed).</param>
    /// <param name="destination">The result's slot, d×n (reused when its shape matches); not E.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside E; nothing is written.</exception>
    public static Matrix<T> Embedding<T>(Matrix<T> e, int[] ids, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(e);
        RequireIds(ids, Shape(e), "Embedding");
        ThrowHelper.RequireNotAliased(destination, e, "Embedding", nameof(e));
        var result = Ensure(ref destination, e.Rows, ids.Length);
        SliceKernels.GatherColumns<T>(e.Data, e.Cols, ids, result.Data, e.Rows);
        return result;
    }

    /// <summary>The adjoint of Embedding: a zero matrix shaped like <paramref name="like"/> with column k of Ḡ added into column ids[k].</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The embedding matrix E, d×V (only its shape is used).</param>
    /// <param name="g">The gradient of E_{:,ids}, d×n.</param>
    /// <param name="ids">The n token ids of the forward call.</param>
    /// <returns>A new d×V matrix.</returns>
    public static Matrix<T> ScatterEmbedding<T>(Matrix<T> like, Matrix<T> g, int[] ids)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ScatterEmbedding(like, g, ids, ref result);
    }

    /// <summary>The adjoint of Embedding into <paramref name="destination"/> (cleared, then the columns of Ḡ added at ids).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="like">The embedding matrix E, d×V (only its shape is used).</param>
    /// <param name="g">The gradient of E_{:,ids}, d×n.</param>
    /// <param name="ids">The n token ids of the forward call.</param>
    /// <param name="destination">The result's slot, d×V (reused when its shape matches); not Ḡ.</param>
    /// <returns>The destination.</returns>
    public static Matrix<T> ScatterEmbedding<T>(Matrix<T> like, Matrix<T> g, int[] ids, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(like);
        RequireIds(ids, Shape(like), "ScatterEmbedding");
        RequireEmbeddingGradient(g, ids, Shape(like), "ScatterEmbedding");
        ThrowHelper.RequireNotAliased(destination, g, "ScatterEmbedding", nameof(g));
        var result = Ensure(ref destination, like.Rows, like.Cols);
        result.Data.AsSpan().Clear();
        SliceKernels.ScatterAddColumns<T>(g.Data, ids, result.Data, result.Cols, result.Rows);
        return result;
    }

    /// <summary>
    /// target[:, ids[k]] += Ḡ[:, k] for every k, touching only the columns ids (a repeated id gets the sum of its columns).
    /// With <paramref name="accumulate"/> false the target becomes the adjoint itself: it is cleared first (zeros in the
    /// columns no id names).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="target">The gradient buffer of E, d×V.</param>
    /// <param name="g">The gradient of E_{:,ids}, d×n.</param>
    /// <param name="ids">The n token ids of the forward call.</param>
    /// <param name="accumulate">True: add into the columns ids only; false: overwrite the whole buffer.</param>
    public static void ScatterEmbeddingAddTo<T>(Matrix<T> target, Matrix<T> g, int[] ids, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(target);
        RequireIds(ids, Shape(target), "ScatterEmbedding");
        RequireEmbeddingGradient(g, ids, Shape(target), "ScatterEmbedding");
        ThrowHelper.RequireNotAliased(target, g, "ScatterEmbeddingAddTo", nameof(g));
        Prepare<T>(target.Data, !accumulate);
        SliceKernels.ScatterAddColumns<T>(g.Data, ids, target.Data, target.Cols, target.Rows);
    }
}
