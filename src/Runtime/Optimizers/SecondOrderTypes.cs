using System.Collections.Generic;
using System.Numerics;

namespace AutoGradGen;

/// <summary>
/// f, ∇f and ∇²f at θ into caller-owned buffers (the zero-allocation form <see cref="Newton{T}"/> calls):
/// write ∇f(θ) into <paramref name="gradient"/> and ∇²f(θ) into <paramref name="hessian"/>, return f(θ).
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="theta">θ, n entries (read only; owned by the optimizer, do not keep it).</param>
/// <param name="gradient">The n-entry buffer for ∇f(θ) (overwrite every entry).</param>
/// <param name="hessian">The n×n buffer for ∇²f(θ) (overwrite every entry).</param>
/// <returns>f(θ).</returns>
public delegate T HessianEvaluator<T>(Vector<T> theta, Vector<T> gradient, Matrix<T> hessian)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// f, ∇f and ∇²f at θ, returned as new objects: the shape of a generated
/// <c>T FHessian(…, out Vector&lt;T&gt; dθ, out Matrix&lt;T&gt; hessian)</c>, e.g.
/// <c>(Vector&lt;double&gt; w, out Vector&lt;double&gt; g, out Matrix&lt;double&gt; h) =&gt; Model.LossFHessian(w, X, y, out g, out h)</c>.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="theta">θ, n entries (read only).</param>
/// <param name="gradient">∇f(θ), n entries.</param>
/// <param name="hessian">∇²f(θ), n×n.</param>
/// <returns>f(θ).</returns>
public delegate T HessianFunction<T>(Vector<T> theta, out Vector<T> gradient, out Matrix<T> hessian)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>f and ∇f at θ into a caller-owned buffer: write ∇f(θ) into <paramref name="gradient"/>, return f(θ).</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="theta">θ, n entries (read only; owned by the optimizer, do not keep it).</param>
/// <param name="gradient">The n-entry buffer for ∇f(θ) (overwrite every entry).</param>
/// <returns>f(θ).</returns>
public delegate T GradientEvaluator<T>(Vector<T> theta, Vector<T> gradient)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>The Hessian-vector product ∇²f(θ) v into a caller-owned buffer.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="theta">θ, n entries (read only; owned by the optimizer, do not keep it).</param>
/// <param name="direction">v, n entries (read only).</param>
/// <param name="product">The n-entry buffer for ∇²f(θ) v (overwrite every entry).</param>
public delegate void HessianVectorEvaluator<T>(Vector<T> theta, Vector<T> direction, Vector<T> product)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// f, ∇f and ∇²f v at θ, returned as new objects: the shape of a generated
/// <c>T FHessianVectorProduct(…, Vector&lt;T&gt; vθ, out Vector&lt;T&gt; dθ, out Vector&lt;T&gt; hvθ)</c>.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="theta">θ, n entries (read only).</param>
/// <param name="direction">v, n entries (read only).</param>
/// <param name="gradient">∇f(θ), n entries.</param>
/// <param name="product">∇²f(θ) v, n entries.</param>
/// <returns>f(θ).</returns>
public delegate T HessianVectorProductFunction<T>(Vector<T> theta, Vector<T> direction, out Vector<T> gradient, out Vector<T> product)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>Where a second-order minimization stands or why it stopped.</summary>
public enum SecondOrderStatus
{
    /// <summary><see cref="SecondOrderMinimizer{T}.Start"/> has not been called.</summary>
    NotStarted,

    /// <summary>Started, and no stopping rule has fired yet.</summary>
    Running,

    /// <summary>‖∇f‖ ≤ tolerance.</summary>
    Converged,

    /// <summary>The iteration limit was reached first.</summary>
    IterationLimit,

    /// <summary>No trial step along a descent direction decreased f enough (usually: the tolerance is below what the precision allows).</summary>
    LineSearchFailed,

    /// <summary>f or ∇f was NaN or infinite at an accepted point (or at the start).</summary>
    NotFinite,

    /// <summary>
    /// A step changed f by no more than rounding (4ε|f|, ε the machine epsilon) and shrank ‖∇f‖ by less than 10%: the iterates sit at
    /// the precision's noise floor, above the tolerance (which is then too tight for this problem and type).
    /// </summary>
    Stalled,
}

/// <summary>How the search direction of one iteration was found.</summary>
public enum NewtonDirection
{
    /// <summary>No step (the starting row of the history).</summary>
    None,

    /// <summary>H p = −g solved by Cholesky: H was positive definite.</summary>
    Cholesky,

    /// <summary>H was not positive definite; H p = −g solved by LU gave a descent direction.</summary>
    Lu,

    /// <summary>(H + μI) p = −g by Cholesky, μ &gt; 0 grown until H + μI was positive definite (Levenberg–Marquardt).</summary>
    Damped,

    /// <summary>p = −g (nothing better was available: a Hessian with NaN or ∞, or negative curvature at CG's first step).</summary>
    SteepestDescent,

    /// <summary>Conjugate gradients met the forcing term ‖H p + g‖ ≤ η‖g‖.</summary>
    ConjugateGradient,

    /// <summary>Conjugate gradients met a direction d with dᵀH d ≤ 0 and stopped with the iterate so far.</summary>
    NegativeCurvature,

    /// <summary>Conjugate gradients hit its iteration limit; the iterate so far is used.</summary>
    ConjugateGradientLimit,
}

/// <summary>One row of a second-order minimization's history (row 0 is the start, before any step).</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="Iteration">k: the number of steps taken to reach this point.</param>
/// <param name="Value">f at the k-th iterate.</param>
/// <param name="GradientNorm">‖∇f‖ at the k-th iterate (Euclidean).</param>
/// <param name="StepLength">α of the step that led here (1 is the full Newton step; 0 in row 0).</param>
/// <param name="Damping">μ of that step (<see cref="NewtonDirection.Damped"/> only, else 0).</param>
/// <param name="Direction">How that step's direction was found.</param>
/// <param name="InnerIterations">Conjugate-gradient iterations (Hessian-vector products) of that step; 0 for dense Newton.</param>
public readonly record struct NewtonIteration<T>(
    int Iteration, T Value, T GradientNorm, T StepLength, T Damping, NewtonDirection Direction, int InnerIterations)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>The outcome of <see cref="SecondOrderMinimizer{T}.Minimize"/> (the minimizer itself is written into the caller's vector).</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="Status">Why it stopped.</param>
/// <param name="Iterations">The number of steps taken.</param>
/// <param name="Value">f at the last iterate.</param>
/// <param name="GradientNorm">‖∇f‖ at the last iterate.</param>
/// <param name="Evaluations">Calls of the function (value and gradient, and the Hessian for <see cref="Newton{T}"/>), line-search trials included.</param>
/// <param name="HessianVectorProducts">Hessian-vector products (<see cref="NewtonCG{T}"/>; 0 for <see cref="Newton{T}"/>).</param>
/// <param name="History">One row per iterate, the start first: value and ‖∇f‖ for a convergence plot, and each step's α, μ and direction.</param>
public sealed record SecondOrderResult<T>(
    SecondOrderStatus Status, int Iterations, T Value, T GradientNorm, int Evaluations, int HessianVectorProducts,
    IReadOnlyList<NewtonIteration<T>> History)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>True when ‖∇f‖ fell to the tolerance.</summary>
    public bool Converged => Status == SecondOrderStatus.Converged;
}
