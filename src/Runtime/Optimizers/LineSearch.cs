using System;
using System.Numerics;

namespace AutoGradGen;

/// <summary>Step-size selection along a search direction.</summary>
public static class LineSearch
{
    /// <summary>
    /// Backtracking line search with the Armijo (sufficient decrease) condition: the first
    /// α = α₀, ρα₀, ρ²α₀, … with φ(α) ≤ φ(0) + c α φ′(0), where φ(α) = f(x + α d) and φ′(0) = ∇f(x)ᵀd &lt; 0.
    /// For steepest descent, d = −∇f(x) and φ′(0) = −‖∇f(x)‖².
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="phi">φ(α), the objective at x + α d.</param>
    /// <param name="value">φ(0) = f(x).</param>
    /// <param name="slope">φ′(0) = ∇f(x)ᵀd; must be negative (a descent direction).</param>
    /// <param name="initialStep">α₀ &gt; 0.</param>
    /// <param name="shrink">ρ in (0, 1), the backtracking factor (½ is usual).</param>
    /// <param name="sufficientDecrease">c in (0, 1) (10⁻⁴ is usual).</param>
    /// <param name="maxIterations">The number of trial steps before giving up (1 or more).</param>
    /// <returns>The accepted step α, or 0 when no trial satisfied the condition (no progress is possible at this precision).</returns>
    /// <exception cref="ArgumentException"><paramref name="slope"/> is not negative: d is not a descent direction.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A factor is out of range.</exception>
    public static T Armijo<T>(
        Func<T, T> phi, T value, T slope, T initialStep, T shrink, T sufficientDecrease, int maxIterations = 60)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(phi);
        if (!(slope < T.Zero))
        {
            throw new ArgumentException($"Armijo: the slope φ′(0) = {slope} must be negative (a descent direction).", nameof(slope));
        }

        RequireOpenUnit(shrink, nameof(shrink));
        RequireOpenUnit(sufficientDecrease, nameof(sufficientDecrease));
        if (!(initialStep > T.Zero) || !T.IsFinite(initialStep))
        {
            throw new ArgumentOutOfRangeException(nameof(initialStep), initialStep, "The initial step must be positive and finite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        T alpha = initialStep;
        for (int k = 0; k < maxIterations; k++)
        {
            T trial = phi(alpha);
            if (trial <= value + (sufficientDecrease * alpha * slope))
            {
                return alpha; // NaN trials (overflow far away) compare false and shrink further
            }

            alpha *= shrink;
        }

        return T.Zero;
    }

    /// <summary>
    /// <see cref="Armijo{T}(Func{T, T}, T, T, T, T, T, int)"/> with ρ = ½ and c = 10⁻⁴.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="phi">φ(α), the objective at x + α d.</param>
    /// <param name="value">φ(0) = f(x).</param>
    /// <param name="slope">φ′(0) = ∇f(x)ᵀd; must be negative.</param>
    /// <param name="initialStep">α₀ &gt; 0.</param>
    /// <returns>The accepted step α, or 0 when no trial among 60 satisfied the condition.</returns>
    /// <exception cref="ArgumentException"><paramref name="slope"/> is not negative.</exception>
    public static T Armijo<T>(Func<T, T> phi, T value, T slope, T initialStep)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Armijo(phi, value, slope, initialStep, T.CreateChecked(0.5), T.CreateChecked(1e-4));

    private static void RequireOpenUnit<T>(T factor, string paramName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(factor > T.Zero && factor < T.One))
        {
            throw new ArgumentOutOfRangeException(paramName, factor, "The factor must lie in (0, 1).");
        }
    }
}
