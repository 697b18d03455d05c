using System;
using System.Numerics;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// Normalization with saved statistics: the forward overloads write x̂ = (X − μ)/σ and 1/σ (one per normalized line: a
/// column of X for LN, a row for BN) into caller-owned buffers beside Y = diag(γ) x̂ + β𝟙ᵀ, and one backward call per op
/// reads them back and writes all three adjoints in one pass, where the recomputing kernels take three calls and compute
/// μ and σ twice. With Ḡ = s G (a scalar factor s of the cotangent, applied inside instead of in a pass of its own) and
/// J = (1/σ)(I − 𝟙𝟙ᵀ/n − x̂x̂ᵀ/n) per line (symmetric):
/// <code>
/// X̄ = J diag(γ) Ḡ = (γ/σ)(Ḡ − mean(Ḡ) − x̂ ⊙ mean(Ḡ ⊙ x̂)),   γ̄ = (Ḡ ⊙ x̂)𝟙,   β̄ = Ḡ𝟙
/// </code>
/// (for LN, γ varies along the line: Ḡ is read as diag(γ) Ḡ inside the means). Each output may be null (skipped with
/// the work only it needs) and is overwritten or added to (<c>accumulate</c>, as <see cref="Linear.AddTo{T}(Matrix{T}, Matrix{T}, bool)"/>).
/// Shapes and aliasing are checked once, before anything is written; the messages name both shapes.
/// </summary>
public static partial class Normalization
{
    /// <summary>
    /// γ ⊙ x̂ + β with x̂ = (X − μ)/√(var + ε) each column (one sample) over its rows, keeping x̂ and 1/σ for
    /// <see cref="LayerNormBackward{T}(Matrix{T}, Vector{T}, Vector{T}, T, Matrix{T}, Matrix{T}?, Vector{T}?, Vector{T}?, bool)"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="normalized">Receives x̂, a new matrix of X's shape.</param>
    /// <param name="inverseStd">Receives 1/σ = 1/√(var + ε) of each column, a new vector of length cols(X).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">γ or β has not one entry per row of X (the message names both shapes), or ε is negative.</exception>
    public static Matrix<T> LayerNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps, out Matrix<T> normalized, out Vector<T> inverseStd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        (normalized, inverseStd) = (new Matrix<T>(x.Rows, x.Cols), new Vector<T>(x.Cols));
        Matrix<T>? result = null;
        return Saved(x, gamma, beta, eps, normalized, inverseStd, true, ref result, "LayerNorm");
    }

    /// <summary>
    /// γ ⊙ x̂ + β with x̂ = (X − μ)/√(var + ε) each column (one sample) over its rows, into <paramref name="destination"/>,
    /// writing x̂ and 1/σ into caller-owned buffers for
    /// <see cref="LayerNormBackward{T}(Matrix{T}, Vector{T}, Vector{T}, T, Matrix{T}, Matrix{T}?, Vector{T}?, Vector{T}?, bool)"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="normalized">Receives x̂: X's shape, not X.</param>
    /// <param name="inverseStd">Receives 1/σ = 1/√(var + ε) of each column: length cols(X), neither γ nor β.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">
    /// A shape does not fit X's (the message names both), ε is negative, or a buffer is an operand or another buffer.
    /// </exception>
    public static Matrix<T> LayerNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps, Matrix<T> normalized, Vector<T> inverseStd,
        ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Saved(x, gamma, beta, eps, normalized, inverseStd, true, ref destination, "LayerNorm");

    /// <summary>
    /// The pullback of Y = LayerNorm(X, γ, β) at Ḡ = s G from the saved x̂ and 1/σ, in one pass: per column,
    /// X̄ = (1/σ)(u − mean(u) − x̂ ⊙ mean(u ⊙ x̂)) with u = γ ⊙ Ḡ (means over the rows); γ̄ = (Ḡ ⊙ x̂)𝟙 and β̄ = Ḡ𝟙.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="normalized">x̂, as the saving forward wrote it.</param>
    /// <param name="inverseStd">1/σ of each column, as the saving forward wrote it.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="scale">s, the factor of the cotangent (1 when G is Ḡ itself).</param>
    /// <param name="g">G, of x̂'s shape.</param>
    /// <param name="dx">Receives X̄ (x̂'s shape), or null.</param>
    /// <param name="dgamma">Receives γ̄ (one entry per row), or null.</param>
    /// <param name="dbeta">Receives β̄ (one entry per row), or null.</param>
    /// <param name="accumulate">True (the default): add to the outputs; false: overwrite them.</param>
    /// <exception cref="ArgumentException">A shape does not fit x̂'s (the message names both), or an output is an input or another output.</exception>
    public static void LayerNormBackward<T>(Matrix<T> normalized, Vector<T> inverseStd, Vector<T> gamma, T scale, Matrix<T> g,
        Matrix<T>? dx, Vector<T>? dgamma, Vector<T>? dbeta, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        SavedBackward(normalized, inverseStd, gamma, scale, g, dx, dgamma, dbeta, (accumulate, accumulate, accumulate), true, "LayerNormBackward");

    /// <summary>
    /// <see cref="LayerNormBackward{T}(Matrix{T}, Vector{T}, Vector{T}, T, Matrix{T}, Matrix{T}?, Vector{T}?, Vector{T}?, bool)"/>
    /// with one <c>accumulate</c> flag per output (a buffer another term has already written is added to, a fresh one overwritten).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="normalized">x̂, as the saving forward wrote it.</param>
    /// <param name="inverseStd">1/σ of each column, as the saving forward wrote it.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="scale">s, the factor of the cotangent (1 when G is Ḡ itself).</param>
    /// <param name="g">G, of x̂'s shape.</param>
    /// <param name="dx">Receives X̄ (x̂'s shape), or null.</param>
    /// <param name="dgamma">Receives γ̄ (one entry per row), or null.</param>
    /// <param name="dbeta">Receives β̄ (one entry per row), or null.</param>
    /// <param name="accumulateX">True: add X̄ to <paramref name="dx"/>; false: overwrite it.</param>
    /// <param name="accumulateGamma">True: add γ̄ to <paramref name="dgamma"/>; false: overwrite it.</param>
    /// <param name="accumulateBeta">True: add β̄ to <paramref name="dbeta"/>; false: overwrite it.</param>
    /// <exception cref="ArgumentException">A shape does not fit x̂'s (the message names both), or an output is an input or another output.</exception>
    public static void LayerNormBackward<T>(Matrix<T> normalized, Vector<T> inverseStd, Vector<T> gamma, T scale, Matrix<T> g,
        Matrix<T>? dx, Vector<T>? dgamma, Vector<T>? dbeta, bool accumulateX, bool accumulateGamma, bool accumulateBeta)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        SavedBackward(normalized, inverseStd, gamma, scale, g, dx, dgamma, dbeta, (accumulateX, accumulateGamma, accumulateBeta), true, "LayerNormBackward");

    /// <summary>
    /// γ ⊙ x̂ + β with x̂ = (X − μ)/√(var + ε) each row (one feature) over the batch (the columns), keeping x̂ and 1/σ for
    /// <see cref="BatchNormBackward{T}(Matrix{T}, Vector{T}, Vector{T}, T, Matrix{T}, Matrix{T}?, Vector{T}?, Vector{T}?, bool)"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="normalized">Receives x̂, a new matrix of X's shape.</param>
    /// <param name="inverseStd">Receives 1/σ = 1/√(var + ε) of each row, a new vector of length rows(X).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">γ or β has not one entry per row of X (the message names both shapes), or ε is negative.</exception>
    public static Matrix<T> BatchNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps, out Matrix<T> normalized, out Vector<T> inverseStd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        (normalized, inverseStd) = (new Matrix<T>(x.Rows, x.Cols), new Vector<T>(x.Rows));
        Matrix<T>? result = null;
        return Saved(x, gamma, beta, eps, normalized, inverseStd, false, ref result, "BatchNorm");
    }

    /// <summary>
    /// γ ⊙ x̂ + β with x̂ = (X − μ)/√(var + ε) each row (one feature) over the batch (the columns), into
    /// <paramref name="destination"/>, writing x̂ and 1/σ into caller-owned buffers for
    /// <see cref="BatchNormBackward{T}(Matrix{T}, Vector{T}, Vector{T}, T, Matrix{T}, Matrix{T}?, Vector{T}?, Vector{T}?, bool)"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The input X, one sample per column.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="eps">ε, added to each variance (≥ 0).</param>
    /// <param name="normalized">Receives x̂: X's shape, not X.</param>
    /// <param name="inverseStd">Receives 1/σ = 1/√(var + ε) of each row: length rows(X), neither γ nor β.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">
    /// A shape does not fit X's (the message names both), ε is negative, or a buffer is an operand or another buffer.
    /// </exception>
    public static Matrix<T> BatchNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps, Matrix<T> normalized, Vector<T> inverseStd,
        ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Saved(x, gamma, beta, eps, normalized, inverseStd, false, ref destination, "BatchNorm");

    /// <summary>
    /// The pullback of Y = BatchNorm(X, γ, β) at Ḡ = s G from the saved x̂ and 1/σ, in one pass: per row,
    /// X̄ = (γ/σ)(Ḡ − mean(Ḡ) − x̂ ⊙ mean(Ḡ ⊙ x̂)) (means over the columns), γ̄ = ⟨Ḡ, x̂⟩ and β̄ = Σ Ḡ.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="normalized">x̂, as the saving forward wrote it.</param>
    /// <param name="inverseStd">1/σ of each row, as the saving forward wrote it.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="scale">s, the factor of the cotangent (1 when G is Ḡ itself).</param>
    /// <param name="g">G, of x̂'s shape.</param>
    /// <param name="dx">Receives X̄ (x̂'s shape), or null.</param>
    /// <param name="dgamma">Receives γ̄ (one entry per row), or null.</param>
    /// <param name="dbeta">Receives β̄ (one entry per row), or null.</param>
    /// <param name="accumulate">True (the default): add to the outputs; false: overwrite them.</param>
    /// <exception cref="ArgumentException">A shape does not fit x̂'s (the message names both), or an output is an input or another output.</exception>
    public static void BatchNormBackward<T>(Matrix<T> normalized, Vector<T> inverseStd, Vector<T> gamma, T scale, Matrix<T> g,
        Matrix<T>? dx, Vector<T>? dgamma, Vector<T>? dbeta, bool accumulate = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        SavedBackward(normalized, inverseStd, gamma, scale, g, dx, dgamma, dbeta, (accumulate, accumulate, accumulate), false, "BatchNormBackward");

    /// <summary>
    /// <see cref="BatchNormBackward{T}(Matrix{T}, Vector{T}, Vector{T}, T, Matrix{T}, Matrix{T}?, Vector{T}?, Vector{T}?, bool)"/>
    /// with one <c>accumulate</c> flag per output (a buffer another term has already written is added to, a fresh one overwritten).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="normalized">x̂, as the saving forward wrote it.</param>
    /// <param name="inverseStd">1/σ of each row, as the saving forward wrote it.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="scale">s, the factor of the cotangent (1 when G is Ḡ itself).</param>
    /// <param name="g">G, of x̂'s shape.</param>
    /// <param name="dx">Receives X̄ (x̂'s shape), or null.</param>
    /// <param name="dgamma">Receives γ̄ (one entry per row), or null.</param>
    /// <param name="dbeta">Receives β̄ (one entry per row), or null.</param>
    /// <param name="accumulateX">True: add X̄ to <paramref name="dx"/>; false: overwrite it.</param>
    /// <param name="accumulateGamma">True: add γ̄ to <paramref name="dgamma"/>; false: overwrite it.</param>
    /// <param name="accumulateBeta">True: add β̄ to <paramref name="dbeta"/>; false: overwrite it.</param>
    /// <exception cref="ArgumentException">A shape does not fit x̂'s (the message names both), or an output is an input or another output.</exception>
    public static void BatchNormBackward<T>(Matrix<T> normalized, Vector<T> inverseStd, Vector<T> gamma, T scale, Matrix<T> g,
        Matrix<T>? dx, Vector<T>? dgamma, Vector<T>? dbeta, bool accumulateX, bool accumulateGamma, bool accumulateBeta)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        SavedBackward(normalized, inverseStd, gamma, scale, g, dx, dgamma, dbeta, (accumulateX, accumulateGamma, accumulateBeta), false, "BatchNormBackward");

    private static Matrix<T> Saved<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps, Matrix<T> normalized, Vector<T> inverseStd,
        bool byColumns, ref Matrix<T>? destination, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSameShape(x, normalized, operation, nameof(normalized));
        RequirePerRow(x, gamma, operation, nameof(gamma));
        RequirePerRow(x, beta, operation, nameof(beta));
        RequirePerLine(x.Rows, x.Cols, inverseStd, byColumns, operation, "x");
        var e = Epsilon<T>(eps);
        RequireDistinct(operation, nameof(normalized), normalized, x, nameof(x));
        RequireDistinct(operation, nameof(inverseStd), inverseStd, gamma, nameof(gamma), beta, nameof(beta));
        RequireNotAliased(destination, x, normalized, new Operands(operation, nameof(x), nameof(normalized)));
        var result = Ensure(ref destination, x.Rows, x.Cols);
        SavedNormalization<T>.Forward(x.Data, gamma.Data, beta.Data, e, Lines(x, byColumns), normalized.Data, inverseStd.Data, result.Data);
        return result;
    }

    private static void SavedBackward<T>(Matrix<T> normalized, Vector<T> inverseStd, Vector<T> gamma, T scale, Matrix<T> g,
        Matrix<T>? dx, Vector<T>? dgamma, Vector<T>? dbeta, (bool X, bool Gamma, bool Beta) accumulate, bool byColumns, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireSameShape(normalized, g, operation, nameof(g));
        RequirePerLine(normalized.Rows, normalized.Cols, inverseStd, byColumns, operation, nameof(normalized));
        RequirePerRow(normalized, gamma, operation, nameof(gamma));
        if (dx is not null)
        {
            ThrowHelper.RequireSameShape(normalized.Rows, normalized.Cols, dx.Rows, dx.Cols, operation, nameof(normalized), nameof(dx));
            RequireDistinct(operation, nameof(dx), dx, normalized, nameof(normalized), g, nameof(g));
        }
        if (dgamma is not null)
        {
            RequirePerRow(normalized, dgamma, operation, nameof(dgamma));
            RequireDistinct(operation, nameof(dgamma), dgamma, gamma, nameof(gamma), inverseStd, nameof(inverseStd), dbeta, nameof(dbeta));
        }
        if (dbeta is not null)
        {
            RequirePerRow(normalized, dbeta, operation, nameof(dbeta));
            RequireDistinct(operation, nameof(dbeta), dbeta, gamma, nameof(gamma), inverseStd, nameof(inverseStd));
        }
        var outputs = new SavedNormalization<T>.Outputs(dx is null ? default : dx.Data, dgamma is null ? default : dgamma.Data,
            dbeta is null ? default : dbeta.Data, accumulate.X, accumulate.Gamma, accumulate.Beta);
        SavedNormalization<T>.Backward(normalized.Data, inverseStd.Data, gamma.Data, scale, g.Data, Lines(normalized, byColumns), outputs);
    }

    /// <summary>1/σ has one entry per normalized line: per column of X for LN, per row for BN.</summary>
    private static void RequirePerLine<T>(int rows, int cols, Vector<T> inverseStd, bool byColumns, string operation, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(inverseStd);
        if (inverseStd.Length != (byColumns ? cols : rows))
        {
            ThrowHelper.ThrowShapeMismatch(operation, name, ThrowHelper.Shape(rows, cols), nameof(inverseStd), ThrowHelper.Shape(inverseStd),
                "inverseStd must have one entry per " + (byColumns ? "column" : "row") + " of " + name, nameof(inverseStd));
        }
    }

    /// <summary>A buffer the operation writes is none of the given operands (null operands are skipped); no params array: nothing allocated.</summary>
    private static void RequireDistinct(string operation, string name, object buffer, object? a, string aName, object? b = null, string bName = "",
        object? c = null, string cName = "")
    {
        var other = ReferenceEquals(buffer, a) ? aName : ReferenceEquals(buffer, b) ? bName : ReferenceEquals(buffer, c) ? cName : null;
        if (other is not null)
        {
            throw new ArgumentException($"{operation}: {name} is the same object as {other}; a buffer the operation writes must not alias another argument.", name);
        }
    }
}
