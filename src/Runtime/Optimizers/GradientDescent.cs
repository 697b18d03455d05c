using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen;

/// <summary>The outcome of <see cref="GradientDescent.Minimize{T}(Func{Vector{T}, ValueTuple{T, Vector{T}}}, Vector{T}, T, int)"/>.</summary>
/// <typeparam name="TParameter">The parameter type: <see cref="Vector{T}"/> or <see cref="Matrix{T}"/>.</typeparam>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="Minimizer">The last iterate (a new object; the start is not modified).</param>
/// <param name="Value">f at <paramref name="Minimizer"/>.</param>
/// <param name="GradientNorm">‖∇f‖ at <paramref name="Minimizer"/> (Euclidean / Frobenius).</param>
/// <param name="Iterations">The number of steps taken.</param>
/// <param name="Converged">True when ‖∇f‖ fell to the tolerance; false when the iteration limit was hit or the line search stalled.</param>
public sealed record GradientDescentResult<TParameter, T>(TParameter Minimizer, T Value, T GradientNorm, int Iterations, bool Converged)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// Steepest descent with a backtracking (Armijo) line search: x ← x − α ∇f(x), α from
/// <see cref="LineSearch.Armijo{T}(Func{T, T}, T, T, T, T, T, int)"/> with ρ = ½ and c = ¼, starting
/// at twice the previous step, until ‖∇f(x)‖ ≤ tolerance. (c = ¼ rejects the long steps near 2/L that
/// a tiny c accepts and that make steepest descent zigzag without progress.) The function returns its value and gradient together, as a
/// generated <c>…WithGradient</c> method does: <c>x =&gt; (F.LossWithGradient(x, out var g), g)</c>.
/// </summary>
public static class GradientDescent
{
    /// <summary>Minimizes f over a vector.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="valueAndGradient">x ↦ (f(x), ∇f(x)); the gradient must have x's length.</param>
    /// <param name="start">The starting point (not modified).</param>
    /// <param name="tolerance">Stop when ‖∇f‖ ≤ tolerance.</param>
    /// <param name="maxIterations">The most steps to take (0 or more).</param>
    /// <returns>The last iterate, its value and gradient norm, the step count, and whether it converged.</returns>
    /// <exception cref="ArgumentException">The gradient's length differs from the parameter's.</exception>
    public static GradientDescentResult<Vector<T>, T> Minimize<T>(
        Func<Vector<T>, (T Value, Vector<T> Gradient)> valueAndGradient, Vector<T> start, T tolerance, int maxIterations = 1000)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(valueAndGradient);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIterations);
        var x = start.Clone();
        var trial = start.Clone();
        (T value, T norm, int steps, bool converged) = Run(
            () => Checked(valueAndGradient(x), x),
            a => Checked(valueAndGradient(a), a).Value,
            x.Data, trial, trial.Data, tolerance, maxIterations);
        return new(x, value, norm, steps, converged);
    }

    /// <summary>Minimizes f over a matrix.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="valueAndGradient">X ↦ (f(X), ∇f(X)); the gradient must have X's shape.</param>
    /// <param name="start">The starting point (not modified).</param>
    /// <param name="tolerance">Stop when ‖∇f‖_F ≤ tolerance.</param>
    /// <param name="maxIterations">The most steps to take (0 or more).</param>
    /// <returns>The last iterate, its value and gradient norm, the step count, and whether it converged.</returns>
    /// <exception cref="ArgumentException">The gradient's shape differs from the parameter's.</exception>
    public static GradientDescentResult<Matrix<T>, T> Minimize<T>(
        Func<Matrix<T>, (T Value, Matrix<T> Gradient)> valueAndGradient, Matrix<T> start, T tolerance, int maxIterations = 1000)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(valueAndGradient);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIterations);
        var x = start.Clone();
        var trial = start.Clone();
        (T value, T norm, int steps, bool converged) = Run(
            () => Checked(valueAndGradient(x), x),
            a => Checked(valueAndGradient(a), a).Value,
            x.Data, trial, trial.Data, tolerance, maxIterations);
        return new(x, value, norm, steps, converged);
    }

    /// <summary>The iteration on flat storage: <paramref name="x"/> is updated in place; <paramref name="trialData"/> holds line-search points.</summary>
    private static (T Value, T Norm, int Steps, bool Converged) Run<T, TParameter>(
        Func<(T Value, T[] Gradient)> evaluate, Func<TParameter, T> valueAt, T[] x, TParameter trial, T[] trialData,
        T tolerance, int maxIterations)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T step = T.One;
        var direction = new T[x.Length]; // a copy: the function may reuse its gradient's storage
        (T value, T[] gradient) = evaluate();
        T norm = TensorPrimitives.Norm<T>(gradient);
        for (int k = 0; k < maxIterations; k++)
        {
            if (norm <= tolerance)
            {
                return (value, norm, k, true);
            }

            gradient.CopyTo(direction, 0);
            step = LineSearch.Armijo(
                alpha =>
                {
                    TensorPrimitives.MultiplyAdd<T>(direction, -alpha, x, trialData); // x − α ∇f
                    return valueAt(trial);
                },
                value, -(norm * norm), step + step, T.CreateChecked(0.5), T.CreateChecked(0.25));
            if (step == T.Zero)
            {
                return (value, norm, k, false); // the line search stalled at this precision
            }

            TensorPrimitives.MultiplyAdd<T>(direction, -step, x, x);
            (value, gradient) = evaluate();
            norm = TensorPrimitives.Norm<T>(gradient);
        }

        return (value, norm, maxIterations, norm <= tolerance);
    }

    private static (T Value, T[] Gradient) Checked<T>((T Value, Vector<T> Gradient) result, Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(result.Gradient, "valueAndGradient");
        ThrowHelper.RequireSameLength(x, result.Gradient, "GradientDescent", "the parameter", "its gradient");
        return (result.Value, result.Gradient.Data);
    }

    private static (T Value, T[] Gradient) Checked<T>((T Value, Matrix<T> Gradient) result, Matrix<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(result.Gradient, "valueAndGradient");
        ThrowHelper.RequireSameShape(x, result.Gradient, "GradientDescent", "the parameter", "its gradient");
        return (result.Value, result.Gradient.Data);
    }
}
