using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;

namespace AutoGradGen;

/// <content>
/// Normalization layers, one sample per column and one feature per row: <see cref="LayerNorm{T}(Matrix{T}, Vector{T}, Vector{T}, T)"/> normalizes each
/// sample over its features, <see cref="BatchNorm{T}(Matrix{T}, Vector{T}, Vector{T}, T)"/> each feature over the batch (training statistics); both then
/// scale by γ and shift by β, one entry per feature. <see cref="BatchNormInference{T}"/> uses running statistics instead
/// (kept by <see cref="BatchNormStatistics{T}"/>); it is not differentiated through the statistics.
/// </content>
public static partial class Ops
{
    /// <summary>
    /// Layer normalization: each column x of X (one sample) becomes γ ⊙ (x − μ)/√(var + ε) + β, with μ and var the mean
    /// and the biased variance of that column.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">X, one sample per column, one feature per row.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="eps">ε, added to each variance (finite, ≥ 0). A constant: it is not differentiated.</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">γ or β does not have one entry per row of X (the message names both shapes).</exception>
    public static Matrix<T> LayerNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Normalization.LayerNorm(x, gamma, beta, eps);

    /// <summary><see cref="LayerNorm{T}(Matrix{T}, Vector{T}, Vector{T}, T)"/> with ε = 10⁻⁵.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">X, one sample per column, one feature per row.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">γ or β does not have one entry per row of X (the message names both shapes).</exception>
    public static Matrix<T> LayerNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Normalization.LayerNorm(x, gamma, beta, DefaultEpsilon<T>());

    /// <summary>
    /// Batch normalization with the batch's statistics (training): each row of X (one feature over the batch) becomes
    /// γᵢ (xᵢ − μᵢ)/√(varᵢ + ε) + βᵢ, with μᵢ and varᵢ the mean and the biased variance of that row.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">X, one sample per column, one feature per row.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="eps">ε, added to each variance (finite, ≥ 0). A constant: it is not differentiated.</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">γ or β does not have one entry per row of X (the message names both shapes).</exception>
    public static Matrix<T> BatchNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Normalization.BatchNorm(x, gamma, beta, eps);

    /// <summary><see cref="BatchNorm{T}(Matrix{T}, Vector{T}, Vector{T}, T)"/> with ε = 10⁻⁵.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">X, one sample per column, one feature per row.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">γ or β does not have one entry per row of X (the message names both shapes).</exception>
    public static Matrix<T> BatchNorm<T>(Matrix<T> x, Vector<T> gamma, Vector<T> beta)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Normalization.BatchNorm(x, gamma, beta, DefaultEpsilon<T>());

    /// <summary>
    /// Batch normalization for inference: each row i of X becomes γᵢ (xᵢ − mᵢ)/√(vᵢ + ε) + βᵢ with the running mean m and
    /// running variance v (see <see cref="BatchNormStatistics{T}"/>): an affine map of X, the same for every sample.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">X, one sample per column, one feature per row.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="runningMean">m, one entry per row.</param>
    /// <param name="runningVariance">v, one entry per row (≥ 0).</param>
    /// <param name="eps">ε, added to each variance (finite, ≥ 0).</param>
    /// <returns>A new matrix of X's shape.</returns>
    /// <exception cref="ArgumentException">A vector does not have one entry per row of X (the message names both shapes).</exception>
    public static Matrix<T> BatchNormInference<T>(
        Matrix<T> x, Vector<T> gamma, Vector<T> beta, Vector<T> runningMean, Vector<T> runningVariance, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        Normalization.RequirePerRow(x, gamma, "BatchNormInference", nameof(gamma));
        Normalization.RequirePerRow(x, beta, "BatchNormInference", nameof(beta));
        Normalization.RequirePerRow(x, runningMean, "BatchNormInference", nameof(runningMean));
        Normalization.RequirePerRow(x, runningVariance, "BatchNormInference", nameof(runningVariance));
        T e = Normalization.Epsilon(eps);
        var result = new Matrix<T>(x.Rows, x.Cols);
        for (int i = 0; i < x.Rows; i++)
        {
            T scale = gamma[i] / T.Sqrt(runningVariance[i] + e), shift = beta[i] - (scale * runningMean[i]);
            var target = result.Row(i);
            TensorPrimitives.Multiply(x.Row(i), scale, target);
            TensorPrimitives.Add(target, shift, target);
        }
        return result;
    }

    /// <summary>ε = 10⁻⁵, the default of the normalization layers.</summary>
    private static T DefaultEpsilon<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateChecked(1e-5);
}

/// <summary>
/// The running statistics of a batch normalization layer, for inference: per feature (row) an exponential moving average
/// of the batch means and of the batch variances. Training calls <see cref="Ops.BatchNorm{T}(Matrix{T}, Vector{T}, Vector{T}, T)"/> (differentiated, batch
/// statistics) and then <see cref="Update"/> with the same batch; inference calls <see cref="Normalize"/>. The variance
/// kept is the unbiased one (n/(n − 1) times the batch's biased variance), as PyTorch does; a batch of one sample updates the
/// mean only.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BatchNormStatistics<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Statistics for <paramref name="features"/> features: mean 0, variance 1.</summary>
    /// <param name="features">The number of features (rows of X).</param>
    /// <param name="momentum">The weight of a new batch, in [0, 1]: m ← (1 − momentum) m + momentum μ_batch.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative count, or a momentum outside [0, 1].</exception>
    public BatchNormStatistics(int features, double momentum = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(features);
        if (!(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1].");
        }
        Momentum = momentum;
        Mean = new Vector<T>(features);
        Variance = new Vector<T>(features);
        Variance.AsSpan().Fill(T.One);
    }

    /// <summary>The weight of a new batch in the moving averages.</summary>
    public double Momentum { get; }

    /// <summary>The running mean, one entry per feature.</summary>
    public Vector<T> Mean { get; }

    /// <summary>The running (unbiased) variance, one entry per feature.</summary>
    public Vector<T> Variance { get; }

    /// <summary>Folds the batch <paramref name="x"/> (one sample per column) into the running mean and variance.</summary>
    /// <param name="x">The batch, one feature per row.</param>
    /// <exception cref="ArgumentException">X does not have one row per feature.</exception>
    public void Update(Matrix<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Normalization.RequirePerRow(x, Mean, "BatchNormStatistics.Update", "mean");
        if (x.Cols == 0)
        {
            return;
        }
        T momentum = T.CreateChecked(Momentum), keep = T.One - momentum, n = T.CreateChecked(x.Cols);
        T[] scratch = ArrayPool<T>.Shared.Rent(x.Cols);
        try
        {
            for (int i = 0; i < x.Rows; i++)
            {
                var (mean, squares) = NormalizationKernels<T>.MeanAndSquares(x.Row(i), scratch.AsSpan(0, x.Cols));
                Mean[i] = (keep * Mean[i]) + (momentum * mean);
                if (x.Cols > 1)
                {
                    Variance[i] = (keep * Variance[i]) + (momentum * squares / (n - T.One));
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>Batch normalization with these running statistics (inference): <see cref="Ops.BatchNormInference{T}"/>.</summary>
    /// <param name="x">X, one sample per column, one feature per row.</param>
    /// <param name="gamma">γ, one scale per row.</param>
    /// <param name="beta">β, one shift per row.</param>
    /// <param name="eps">ε, added to each variance.</param>
    /// <returns>A new matrix of X's shape.</returns>
    public Matrix<T> Normalize(Matrix<T> x, Vector<T> gamma, Vector<T> beta, T eps)
        => Ops.BatchNormInference(x, gamma, beta, Mean, Variance, eps);
}
