using System;
using System.Globalization;
using System.Numerics;

namespace AutoGradGen;

/// <summary>
/// A first-order optimizer that updates a fixed list of matrix and vector parameters in place.
/// The parameters are given once, at construction (their state buffers are allocated then);
/// each <see cref="Step"/> takes gradients of the same shapes in the same order and allocates nothing.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// With the generator: <c>var adam = new Adam&lt;double&gt;([W1, W2], [b1, b2], 1e-3);</c> then, per batch,
/// <c>LossWithGradient(W1, b1, W2, b2, X, Y, out var dW1, out var db1, out var dW2, out var db2);
/// adam.Step([dW1, dW2], [db1, db2]);</c> (the collection expressions become stack spans).
/// </remarks>
public abstract class Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T>[] _matrices;
    private readonly Vector<T>[] _vectors;
    private readonly string _stepName;

    /// <summary>Captures the parameters (references, not copies: they are updated in place).</summary>
    private protected Optimizer(ReadOnlySpan<Matrix<T>> matrices, ReadOnlySpan<Vector<T>> vectors, string name)
    {
        Name = name;
        _stepName = name + ".Step"; // built once: Step must not allocate
        _matrices = matrices.ToArray();
        _vectors = vectors.ToArray();
        for (int i = 0; i < _matrices.Length; i++)
        {
            RequireNotNull(_matrices[i], nameof(matrices), i);
        }

        for (int i = 0; i < _vectors.Length; i++)
        {
            RequireNotNull(_vectors[i], nameof(vectors), i);
        }
    }

    /// <summary>The number of steps taken so far.</summary>
    public int StepCount { get; private set; }

    /// <summary>The number of parameters (matrices, then vectors).</summary>
    public int ParameterCount => _matrices.Length + _vectors.Length;

    /// <summary>The optimizer's name, for messages.</summary>
    private protected string Name { get; }

    /// <summary>
    /// Updates every parameter in place from its gradient. All gradients are validated before
    /// any parameter is written.
    /// </summary>
    /// <param name="matrixGradients">One gradient per matrix parameter, same order and shapes.</param>
    /// <param name="vectorGradients">One gradient per vector parameter, same order and lengths (empty when there are none).</param>
    /// <exception cref="ArgumentException">A count or a shape does not match (the message names both shapes).</exception>
    /// <exception cref="ArgumentNullException">A gradient is null.</exception>
    public void Step(ReadOnlySpan<Matrix<T>> matrixGradients, ReadOnlySpan<Vector<T>> vectorGradients = default)
    {
        Validate(matrixGradients, vectorGradients);
        StepCount++;
        BeginStep(StepCount);
        for (int i = 0; i < _matrices.Length; i++)
        {
            Update(i, _matrices[i].Data, matrixGradients[i].Data);
        }

        for (int i = 0; i < _vectors.Length; i++)
        {
            Update(_matrices.Length + i, _vectors[i].Data, vectorGradients[i].Data);
        }
    }

    /// <summary>The number of elements of parameter <paramref name="index"/> (matrices first, then vectors).</summary>
    private protected int ParameterLength(int index) =>
        index < _matrices.Length ? _matrices[index].Data.Length : _vectors[index - _matrices.Length].Length;

    /// <summary>Called once per step, before the updates, with the 1-based step number.</summary>
    private protected virtual void BeginStep(int step)
    {
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from its gradient.</summary>
    private protected abstract void Update(int index, Span<T> parameter, ReadOnlySpan<T> gradient);

    /// <summary>A learning rate must be positive and finite.</summary>
    private protected static void RequireLearningRate(T learningRate, string paramName)
    {
        if (!(learningRate > T.Zero) || !T.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(paramName, learningRate, "The learning rate must be positive and finite.");
        }
    }

    /// <summary>A decay factor (momentum, β) must lie in [0, 1).</summary>
    private protected static void RequireDecay(T decay, string paramName)
    {
        if (!(decay >= T.Zero && decay < T.One))
        {
            throw new ArgumentOutOfRangeException(paramName, decay, "The factor must lie in [0, 1).");
        }
    }

    private static void RequireNotNull(object? value, string paramName, int index)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, string.Create(CultureInfo.InvariantCulture, $"Element {index} is null."));
        }
    }

    private void Validate(ReadOnlySpan<Matrix<T>> matrixGradients, ReadOnlySpan<Vector<T>> vectorGradients)
    {
        string operation = _stepName;
        if (matrixGradients.Length != _matrices.Length || vectorGradients.Length != _vectors.Length)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{operation}: {matrixGradients.Length} matrix and {vectorGradients.Length} vector gradients for {_matrices.Length} matrix and {_vectors.Length} vector parameters; the counts must match."));
        }

        for (int i = 0; i < _matrices.Length; i++)
        {
            RequireNotNull(matrixGradients[i], nameof(matrixGradients), i);
            if (matrixGradients[i].Rows != _matrices[i].Rows || matrixGradients[i].Cols != _matrices[i].Cols)
            {
                ThrowHelper.ThrowShapeMismatch(operation, Invariant($"matrix parameter {i}"), ThrowHelper.Shape(_matrices[i]),
                    Invariant($"its gradient"), ThrowHelper.Shape(matrixGradients[i]), "the shapes must match", nameof(matrixGradients));
            }
        }

        for (int i = 0; i < _vectors.Length; i++)
        {
            RequireNotNull(vectorGradients[i], nameof(vectorGradients), i);
            if (vectorGradients[i].Length != _vectors[i].Length)
            {
                ThrowHelper.ThrowShapeMismatch(operation, Invariant($"vector parameter {i}"), ThrowHelper.Shape(_vectors[i]),
                    "its gradient", ThrowHelper.Shape(vectorGradients[i]), "the shapes must match", nameof(vectorGradients));
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
