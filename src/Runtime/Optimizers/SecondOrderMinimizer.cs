using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen;

/// <summary>
/// The loop shared by <see cref="Newton{T}"/> and <see cref="NewtonCG{T}"/>: from the current θ, a subclass
/// finds a search direction p; if gᵀp is not negative, p = −g instead; then a backtracking Armijo search
/// (<see cref="LineSearch.Armijo{T}(Func{T, T}, T, T, T, T, T, int)"/>: α₀ = 1, ρ = ½, c = 10⁻⁴, at most 60 trials)
/// accepts θ + αp with f(θ + αp) ≤ f(θ) + cα gᵀp, so f never increases. It stops when ‖∇f‖ ≤ tolerance,
/// at the iteration limit, when the line search finds no decrease, or at a NaN/∞.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Every buffer (θ, the trial θ, both gradients, the direction, the history of
/// <see cref="MaxIterations"/> + 1 rows, and the subclass's own) is allocated by the constructor;
/// <see cref="Start"/> and <see cref="Step"/> allocate nothing. Line-search trials are full evaluations
/// into a second set of buffers that are swapped in when the trial is accepted, so the usual accepted
/// full step costs one evaluation per iteration. <see cref="Minimize"/> allocates only its result.
/// An instance is not thread-safe; reuse it for any number of minimizations of the same size.
/// </remarks>
public abstract class SecondOrderMinimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Shrink = T.CreateChecked(0.5);
    private static readonly T SufficientDecrease = T.CreateChecked(1e-4);
    private static readonly T NoiseFactor = T.CreateChecked(4);
    private static readonly T MachineEpsilon = T.BitIncrement(T.One) - T.One; // not T.Epsilon, the smallest subnormal
    private static readonly T Progress = T.CreateChecked(0.9);
    private readonly NewtonIteration<T>[] history;
    private readonly Func<T, T> trialValue; // created once: the line search must not allocate per step
    private Vector<T> point;
    private Vector<T> trialPoint;
    private Vector<T> gradient;
    private Vector<T> trialGradient;

    /// <summary>Allocates the shared buffers.</summary>
    private protected SecondOrderMinimizer(int dimension, T tolerance, int maxIterations, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIterations);
        if (!(tolerance >= T.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be non-negative.");
        }

        Name = name;
        Dimension = dimension;
        Tolerance = tolerance;
        MaxIterations = maxIterations;
        point = new Vector<T>(dimension);
        trialPoint = new Vector<T>(dimension);
        gradient = new Vector<T>(dimension);
        trialGradient = new Vector<T>(dimension);
        SearchDirection = new T[dimension];
        history = new NewtonIteration<T>[maxIterations + 1];
        trialValue = TrialValue;
    }

    /// <summary>n, the number of entries of θ.</summary>
    public int Dimension { get; }

    /// <summary>Stop when ‖∇f‖ ≤ this.</summary>
    public T Tolerance { get; }

    /// <summary>The most steps one minimization takes.</summary>
    public int MaxIterations { get; }

    /// <summary>Where the current minimization stands.</summary>
    public SecondOrderStatus Status { get; private set; }

    /// <summary>The number of steps taken since <see cref="Start"/>.</summary>
    public int Iterations { get; private set; }

    /// <summary>f at the current iterate.</summary>
    public T Value { get; private set; }

    /// <summary>‖∇f‖ at the current iterate.</summary>
    public T GradientNorm { get; private set; }

    /// <summary>Function evaluations since <see cref="Start"/> (line-search trials included).</summary>
    public int Evaluations { get; private set; }

    /// <summary>The current iterate θ (a view of the optimizer's buffer: copy it to keep it).</summary>
    public ReadOnlySpan<T> Point => point.Data;

    /// <summary>∇f at the current iterate (a view of the optimizer's buffer).</summary>
    public ReadOnlySpan<T> Gradient => gradient.Data;

    /// <summary>The iterates so far, the start first (a view: it changes with the next step).</summary>
    public ReadOnlySpan<NewtonIteration<T>> History => history.AsSpan(0, Status == SecondOrderStatus.NotStarted ? 0 : Iterations + 1);

    /// <summary>Hessian-vector products since <see cref="Start"/> (<see cref="NewtonCG{T}"/>).</summary>
    private protected int HessianVectorProducts { get; set; }

    /// <summary>The direction p of the current step (n entries).</summary>
    private protected T[] SearchDirection { get; }

    /// <summary>The optimizer's name, for messages.</summary>
    private protected string Name { get; }

    /// <summary>Starts a minimization at <paramref name="theta"/> (copied; not modified) and evaluates f there.</summary>
    /// <param name="theta">The starting point, n entries.</param>
    /// <exception cref="ArgumentException"><paramref name="theta"/> does not have n entries.</exception>
    public void Start(Vector<T> theta)
    {
        RequireLength(theta, nameof(theta));
        theta.Data.CopyTo(point.Data, 0);
        Iterations = 0;
        Evaluations = 0;
        HessianVectorProducts = 0;
        Status = SecondOrderStatus.Running;
        Value = Evaluate(point, gradient, trial: false);
        Evaluations++;
        GradientNorm = TensorPrimitives.Norm<T>(gradient.Data);
        history[0] = new NewtonIteration<T>(0, Value, GradientNorm, T.Zero, T.Zero, NewtonDirection.None, 0);
        UpdateStatus();
    }

    /// <summary>Takes one step, unless a stopping rule has fired (see <see cref="Status"/>).</summary>
    /// <returns>True when a step was taken and the minimization may go on; false when it has stopped.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Start"/> has not been called.</exception>
    public bool Step()
    {
        if (Status == SecondOrderStatus.NotStarted)
        {
            throw new InvalidOperationException($"{Name}: call Start before Step.");
        }

        if (Status != SecondOrderStatus.Running)
        {
            return false;
        }

        Span<T> p = SearchDirection;
        (NewtonDirection direction, T damping, int inner) = ComputeDirection(p);
        T slope = TensorPrimitives.Dot<T>(gradient.Data, p);
        if (direction == NewtonDirection.SteepestDescent || !(slope < T.Zero) || !T.IsFinite(slope))
        {
            TensorPrimitives.Negate<T>(gradient.Data, p); // not a descent direction: fall back to −g
            slope = -(GradientNorm * GradientNorm);
            (direction, damping) = (NewtonDirection.SteepestDescent, T.Zero);
        }

        T alpha = slope < T.Zero
            ? LineSearch.Armijo(trialValue, Value, slope, T.One, Shrink, SufficientDecrease)
            : T.Zero; // g underflowed to zero length: nothing to descend along
        if (alpha == T.Zero)
        {
            Status = SecondOrderStatus.LineSearchFailed;
            return false;
        }

        // The last trial evaluated was the accepted one: swap its buffers in.
        (point, trialPoint) = (trialPoint, point);
        (gradient, trialGradient) = (trialGradient, gradient);
        AcceptTrial();
        (T previousValue, T previousNorm) = (Value, GradientNorm);
        Value = LastTrialValue;
        GradientNorm = TensorPrimitives.Norm<T>(gradient.Data);
        Iterations++;
        history[Iterations] = new NewtonIteration<T>(Iterations, Value, GradientNorm, alpha, damping, direction, inner);
        UpdateStatus();
        if (Status == SecondOrderStatus.Running && IsStalled(previousValue, previousNorm))
        {
            Status = SecondOrderStatus.Stalled;
        }

        return Status == SecondOrderStatus.Running;
    }

    /// <summary>
    /// Minimizes from <paramref name="theta"/> and writes the last iterate back into it:
    /// <see cref="Start"/>, then <see cref="Step"/> until a stopping rule fires.
    /// </summary>
    /// <param name="theta">In: the starting point. Out: the last iterate (the minimizer when converged).</param>
    /// <returns>Why it stopped, the counts, the final value and gradient norm, and the history.</returns>
    /// <exception cref="ArgumentException"><paramref name="theta"/> does not have n entries.</exception>
    public SecondOrderResult<T> Minimize(Vector<T> theta)
    {
        Start(theta);
        while (Step())
        {
        }

        point.Data.CopyTo(theta.Data, 0);
        return new SecondOrderResult<T>(Status, Iterations, Value, GradientNorm, Evaluations, HessianVectorProducts, History.ToArray());
    }

    /// <summary>The current iterate θ as a vector (owned by the optimizer; for subclasses' callbacks).</summary>
    private protected Vector<T> CurrentPoint => point;

    /// <summary>∇f at the current iterate as a vector (owned by the optimizer).</summary>
    private protected Vector<T> CurrentGradient => gradient;

    /// <summary>f at the last line-search trial.</summary>
    private T LastTrialValue { get; set; }

    /// <summary>Evaluates f and ∇f (and whatever else the method needs) at <paramref name="at"/>; <paramref name="trial"/> selects the trial buffers.</summary>
    private protected abstract T Evaluate(Vector<T> at, Vector<T> gradientBuffer, bool trial);

    /// <summary>The trial point was accepted: swap the subclass's trial buffers in (the gradient and θ are swapped already).</summary>
    private protected virtual void AcceptTrial()
    {
    }

    /// <summary>
    /// Writes a search direction into <paramref name="p"/> from the current iterate and reports how it was found;
    /// <see cref="NewtonDirection.SteepestDescent"/> asks for p = −g (p need not be written then).
    /// </summary>
    private protected abstract (NewtonDirection Direction, T Damping, int InnerIterations) ComputeDirection(Span<T> p);

    /// <summary>The vector must have n entries.</summary>
    private protected void RequireLength(Vector<T> v, string paramName)
    {
        ArgumentNullException.ThrowIfNull(v, paramName);
        if (v.Length != Dimension)
        {
            ThrowHelper.ThrowShapeMismatch(Name, "the minimizer", ThrowHelper.Shape(Dimension, 1), paramName,
                ThrowHelper.Shape(v), "the lengths must match", paramName);
        }
    }

    /// <summary>φ(α) = f(θ + α p), evaluated into the trial buffers.</summary>
    private T TrialValue(T alpha)
    {
        TensorPrimitives.MultiplyAdd<T>(SearchDirection, alpha, point.Data, trialPoint.Data);
        LastTrialValue = Evaluate(trialPoint, trialGradient, trial: true);
        Evaluations++;
        return LastTrialValue;
    }

    /// <summary>
    /// f moved by rounding only and ‖∇f‖ by less than 10%: Armijo's test degenerates to f(θ + αp) ≤ f(θ) at
    /// the noise floor and would accept such steps until the iteration limit.
    /// </summary>
    private bool IsStalled(T previousValue, T previousNorm) =>
        previousValue - Value <= NoiseFactor * MachineEpsilon * T.Abs(previousValue)
        && GradientNorm >= Progress * previousNorm;

    private void UpdateStatus()
    {
        if (!T.IsFinite(Value) || !T.IsFinite(GradientNorm))
        {
            Status = SecondOrderStatus.NotFinite;
        }
        else if (GradientNorm <= Tolerance)
        {
            Status = SecondOrderStatus.Converged;
        }
        else if (Iterations >= MaxIterations)
        {
            Status = SecondOrderStatus.IterationLimit;
        }
    }
}
