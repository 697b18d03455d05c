using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen;

/// <summary>
/// Adam (Kingma and Ba, 2015) with bias correction: m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g⊙g,
/// θ ← θ − η m̂ ⊘ (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ) at step t = 1, 2, ….
/// The moment buffers and one scratch buffer are allocated at construction; steps allocate nothing.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Adam<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _m;
    private readonly T[][] _v;
    private readonly T[] _scratch;
    private T _learningRate;
    private T _stepScale;     // η / (1 − β₁ᵗ)
    private T _varianceScale; // 1 / √(1 − β₂ᵗ)

    /// <summary>Adam with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8.</summary>
    /// <param name="matrices">The matrix parameters, updated in place.</param>
    /// <param name="vectors">The vector parameters, updated in place.</param>
    /// <param name="learningRate">η &gt; 0 (1e-3 is the usual choice).</param>
    /// <exception cref="ArgumentOutOfRangeException">η is not positive and finite.</exception>
    /// <exception cref="ArgumentNullException">A parameter is null.</exception>
    public Adam(ReadOnlySpan<Matrix<T>> matrices, ReadOnlySpan<Vector<T>> vectors, T learningRate)
        : this(matrices, vectors, learningRate, T.CreateChecked(0.9), T.CreateChecked(0.999), T.CreateChecked(1e-8))
    {
    }

    /// <summary>Adam with explicit hyperparameters.</summary>
    /// <param name="matrices">The matrix parameters, updated in place.</param>
    /// <param name="vectors">The vector parameters, updated in place.</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="beta1">β₁ in [0, 1), the decay of the first moment.</param>
    /// <param name="beta2">β₂ in [0, 1), the decay of the second moment.</param>
    /// <param name="epsilon">ε ≥ 0, added to √v̂.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentNullException">A parameter is null.</exception>
    public Adam(ReadOnlySpan<Matrix<T>> matrices, ReadOnlySpan<Vector<T>> vectors, T learningRate, T beta1, T beta2, T epsilon)
        : base(matrices, vectors, "Adam")
    {
        RequireLearningRate(learningRate, nameof(learningRate));
        RequireDecay(beta1, nameof(beta1));
        RequireDecay(beta2, nameof(beta2));
        if (!(epsilon >= T.Zero) || !T.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be non-negative and finite.");
        }

        _learningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _m = new T[ParameterCount][];
        _v = new T[ParameterCount][];
        int largest = 0;
        for (int i = 0; i < ParameterCount; i++)
        {
            int length = ParameterLength(i);
            _m[i] = new T[length];
            _v[i] = new T[length];
            largest = Math.Max(largest, length);
        }

        _scratch = new T[largest];
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

    /// <summary>β₁, the decay of the first-moment estimate.</summary>
    public T Beta1 { get; }

    /// <summary>β₂, the decay of the second-moment estimate.</summary>
    public T Beta2 { get; }

    /// <summary>ε, added to √v̂ in the denominator.</summary>
    public T Epsilon { get; }

    private protected override void BeginStep(int step)
    {
        T t = T.CreateChecked(step);
        _stepScale = _learningRate / (T.One - T.Pow(Beta1, t));
        _varianceScale = T.One / T.Sqrt(T.One - T.Pow(Beta2, t));
    }

    private protected override void Update(int index, Span<T> parameter, ReadOnlySpan<T> gradient)
    {
        Span<T> m = _m[index], v = _v[index], scratch = _scratch.AsSpan(0, parameter.Length);

        // m ← β₁ m + (1 − β₁) g
        TensorPrimitives.Multiply<T>(m, Beta1, m);
        TensorPrimitives.MultiplyAdd<T>(gradient, T.One - Beta1, m, m);

        // v ← β₂ v + (1 − β₂) g⊙g
        TensorPrimitives.Multiply<T>(gradient, gradient, scratch);
        TensorPrimitives.Multiply<T>(v, Beta2, v);
        TensorPrimitives.MultiplyAdd<T>(scratch, T.One - Beta2, v, v);

        // θ ← θ − η/(1 − β₁ᵗ) · m ⊘ (√v / √(1 − β₂ᵗ) + ε)
        TensorPrimitives.Sqrt<T>(v, scratch);
        TensorPrimitives.Multiply<T>(scratch, _varianceScale, scratch);
        TensorPrimitives.Add<T>(scratch, Epsilon, scratch);
        TensorPrimitives.Divide<T>(m, scratch, scratch);
        TensorPrimitives.MultiplyAdd<T>(scratch, -_stepScale, parameter, parameter);
    }
}
