using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen;

/// <summary>
/// Stochastic gradient descent, optionally with (heavy-ball) momentum:
/// v ← μ v + g, θ ← θ − η v; without momentum (μ = 0), θ ← θ − η g.
/// The velocity buffers are allocated at construction (only when μ &gt; 0).
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sgd<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _velocity;
    private T _learningRate;

    /// <summary>Plain gradient descent θ ← θ − η g on the given parameters.</summary>
    /// <param name="matrices">The matrix parameters, updated in place.</param>
    /// <param name="vectors">The vector parameters, updated in place.</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">η is not positive and finite.</exception>
    /// <exception cref="ArgumentNullException">A parameter is null.</exception>
    public Sgd(ReadOnlySpan<Matrix<T>> matrices, ReadOnlySpan<Vector<T>> vectors, T learningRate)
        : this(matrices, vectors, learningRate, T.Zero)
    {
    }

    /// <summary>Gradient descent with momentum μ: v ← μ v + g, θ ← θ − η v (v starts at 0).</summary>
    /// <param name="matrices">The matrix parameters, updated in place.</param>
    /// <param name="vectors">The vector parameters, updated in place.</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="momentum">μ in [0, 1); 0 is plain gradient descent.</param>
    /// <exception cref="ArgumentOutOfRangeException">η is not positive and finite, or μ is outside [0, 1).</exception>
    /// <exception cref="ArgumentNullException">A parameter is null.</exception>
    public Sgd(ReadOnlySpan<Matrix<T>> matrices, ReadOnlySpan<Vector<T>> vectors, T learningRate, T momentum)
        : base(matrices, vectors, "Sgd")
    {
        RequireLearningRate(learningRate, nameof(learningRate));
        RequireDecay(momentum, nameof(momentum));
        _learningRate = learningRate;
        Momentum = momentum;
        _velocity = new T[ParameterCount][];
        for (int i = 0; i < _velocity.Length; i++)
        {
            _velocity[i] = momentum == T.Zero ? [] : new T[ParameterLength(i)];
        }
    }

    /// <summary>The learning rate η (may be changed between steps, e.g. by a schedule).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public T LearningRate
    {
        get => _learningRate;
        set
        {
            RequireLearningRate(value, nameof(value));
            _learningRate = value;
        }
    }

    /// <summary>The momentum μ.</summary>
    public T Momentum { get; }

    private protected override void Update(int index, Span<T> parameter, ReadOnlySpan<T> gradient)
    {
        if (Momentum == T.Zero)
        {
            TensorPrimitives.MultiplyAdd<T>(gradient, -_learningRate, parameter, parameter);
            return;
        }

        Span<T> velocity = _velocity[index];
        TensorPrimitives.MultiplyAdd<T>(velocity, Momentum, gradient, velocity);
        TensorPrimitives.MultiplyAdd<T>(velocity, -_learningRate, parameter, parameter);
    }
}
