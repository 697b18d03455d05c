using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;

namespace AutoGradGen;

/// <summary>
/// Newton's method with a dense Hessian, globalized by damping and a backtracking line search. Each step
/// solves H p = −g (H symmetrized as (H + Hᵀ)/2):
/// <list type="number">
/// <item>by Cholesky when H is positive definite (<see cref="NewtonDirection.Cholesky"/>);</item>
/// <item>otherwise, when <see cref="LuFallback"/> is on, by LU with partial pivoting, kept only if p is a
/// descent direction (gᵀp ≤ −10⁻⁸‖g‖‖p‖; <see cref="NewtonDirection.Lu"/>);</item>
/// <item>otherwise by Cholesky of H + μI (Levenberg–Marquardt), μ starting at β − min hᵢᵢ (or β when the
/// diagonal is positive), β = 10⁻³ max|hᵢⱼ|, and growing 4× until H + μI is positive definite, which
/// makes p a descent direction (<see cref="NewtonDirection.Damped"/>; Nocedal and Wright, Algorithm 3.3).</item>
/// </list>
/// Then the Armijo search of <see cref="SecondOrderMinimizer{T}"/> starts from the full step α = 1, so
/// near a minimizer with a positive definite Hessian the iteration is Newton's and converges quadratically.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// <para>
/// Memory: three n×n buffers besides the Cholesky and LU storage (two Hessians, for the current point and a
/// line-search trial, and the symmetrized copy), all allocated by the constructor; steps allocate nothing
/// beyond what the callback allocates (the <see cref="HessianEvaluator{T}"/> form lets it write in place).
/// A step costs one Hessian evaluation and one Cholesky (n³/3 multiply-adds); an indefinite H adds an LU
/// (2n³/3) and a Cholesky per damping attempt. Each line-search trial evaluates the Hessian too (it becomes
/// the next iterate's when accepted).
/// </para>
/// <para>
/// The LU step on an indefinite H goes to the stationary point of the quadratic model, which is a saddle
/// of the model: it can be a descent direction and still lead the iteration to a saddle point of f, where
/// ‖∇f‖ = 0 and the run reports convergence. Set <see cref="LuFallback"/> to false on non-convex problems
/// to go straight to damping, whose steps are always taken from a positive definite model.
/// </para>
/// </remarks>
public sealed class Newton<T> : SecondOrderMinimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Half = T.CreateChecked(0.5);
    private static readonly T DampingScale = T.CreateChecked(1e-3);
    private static readonly T DampingGrowth = T.CreateChecked(4);
    private static readonly T DescentAngle = T.CreateChecked(1e-8);
    private const int MaxDampingAttempts = 80;
    private readonly HessianEvaluator<T> evaluate;
    private readonly Matrix<T> symmetric;
    private readonly CholeskyFactorization<T> cholesky;
    private readonly T[] lu;
    private readonly int[] permutation;
    private readonly int[] pivots;
    private Matrix<T> hessian;
    private Matrix<T> trialHessian;

    /// <summary>Newton's method on a callback that writes the gradient and Hessian into the optimizer's buffers.</summary>
    /// <param name="dimension">n, the number of entries of θ.</param>
    /// <param name="evaluate">θ ↦ f(θ), writing ∇f(θ) and ∇²f(θ) into the given buffers.</param>
    /// <param name="tolerance">Stop when ‖∇f‖ ≤ tolerance (≥ 0).</param>
    /// <param name="maxIterations">The most steps per minimization (≥ 0).</param>
    /// <exception cref="ArgumentNullException"><paramref name="evaluate"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or the tolerance is negative.</exception>
    public Newton(int dimension, HessianEvaluator<T> evaluate, T tolerance, int maxIterations = 100)
        : base(dimension, tolerance, maxIterations, "Newton")
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        this.evaluate = evaluate;
        hessian = new Matrix<T>(dimension, dimension);
        trialHessian = new Matrix<T>(dimension, dimension);
        symmetric = new Matrix<T>(dimension, dimension);
        cholesky = new CholeskyFactorization<T>(dimension);
        lu = new T[dimension * dimension];
        permutation = new int[dimension];
        pivots = new int[dimension];
    }

    /// <summary>
    /// Newton's method on a callback shaped like a generated <c>FHessian</c>, returning new gradient and
    /// Hessian objects (copied into the optimizer's buffers; the copies allocate nothing, the callback may).
    /// </summary>
    /// <param name="dimension">n, the number of entries of θ.</param>
    /// <param name="evaluate">θ ↦ (f(θ), ∇f(θ), ∇²f(θ)).</param>
    /// <param name="tolerance">Stop when ‖∇f‖ ≤ tolerance (≥ 0).</param>
    /// <param name="maxIterations">The most steps per minimization (≥ 0).</param>
    /// <exception cref="ArgumentNullException"><paramref name="evaluate"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or the tolerance is negative.</exception>
    /// <remarks>A step throws <see cref="ArgumentException"/> if the callback returns a gradient that is not n long or a Hessian that is not n×n.</remarks>
    public Newton(int dimension, HessianFunction<T> evaluate, T tolerance, int maxIterations = 100)
        : this(dimension, Copying(evaluate, dimension), tolerance, maxIterations)
    {
    }

    /// <summary>Try LU when Cholesky fails, before damping (default true; see the remarks on saddle points).</summary>
    public bool LuFallback { get; set; } = true;

    /// <summary>∇²f at the current iterate (a view of the optimizer's buffer, as the callback wrote it).</summary>
    public ReadOnlySpan<T> Hessian => hessian.Data;

    /// <summary>
    /// Whether ∇²f at the current iterate is positive definite (one Cholesky factorization): after a run that
    /// reports convergence, true means a strict local minimizer, false a saddle point or a singular Hessian.
    /// </summary>
    /// <returns>True when the symmetrized Hessian factors by Cholesky.</returns>
    public bool IsHessianPositiveDefinite()
    {
        Symmetrize();
        return cholesky.Factor(symmetric.Data, T.Zero);
    }

    /// <inheritdoc/>
    private protected override T Evaluate(Vector<T> at, Vector<T> gradientBuffer, bool trial) =>
        evaluate(at, gradientBuffer, trial ? trialHessian : hessian);

    /// <inheritdoc/>
    private protected override void AcceptTrial() => (hessian, trialHessian) = (trialHessian, hessian);

    /// <inheritdoc/>
    private protected override (NewtonDirection Direction, T Damping, int InnerIterations) ComputeDirection(Span<T> p)
    {
        T largest = Symmetrize();
        if (!T.IsFinite(largest))
        {
            return (NewtonDirection.SteepestDescent, T.Zero, 0); // the base class replaces p by −g
        }

        ReadOnlySpan<T> g = CurrentGradient.Data;
        if (cholesky.Factor(symmetric.Data, T.Zero))
        {
            SolveNegated(g, p);
            return (NewtonDirection.Cholesky, T.Zero, 0);
        }

        if (LuFallback && TryLu(g, p))
        {
            return (NewtonDirection.Lu, T.Zero, 0);
        }

        T mu = InitialDamping(largest);
        for (int attempt = 0; attempt < MaxDampingAttempts && T.IsFinite(mu); attempt++)
        {
            if (cholesky.Factor(symmetric.Data, mu))
            {
                SolveNegated(g, p);
                return (NewtonDirection.Damped, mu, 0);
            }

            mu *= DampingGrowth;
        }

        return (NewtonDirection.SteepestDescent, T.Zero, 0);
    }

    /// <summary>symmetric = (H + Hᵀ)/2; returns max |hᵢⱼ| (NaN or ∞ when H has one).</summary>
    private T Symmetrize()
    {
        int n = Dimension;
        Span<T> s = symmetric.Data;
        ReadOnlySpan<T> h = hessian.Data;
        for (int i = 0; i < n; i++)
        {
            s[(i * n) + i] = h[(i * n) + i];
            for (int j = i + 1; j < n; j++)
            {
                T average = (h[(i * n) + j] + h[(j * n) + i]) * Half;
                s[(i * n) + j] = average;
                s[(j * n) + i] = average;
            }
        }

        return n == 0 ? T.Zero : TensorPrimitives.MaxMagnitude<T>(s);
    }

    /// <summary>p = −A⁻¹g with the Cholesky factor just computed.</summary>
    private void SolveNegated(ReadOnlySpan<T> g, Span<T> p)
    {
        cholesky.Solve(g, p);
        TensorPrimitives.Negate<T>(p, p);
    }

    /// <summary>p = −H⁻¹g by LU; true when H is nonsingular and p is a (non-degenerate) descent direction.</summary>
    private bool TryLu(ReadOnlySpan<T> g, Span<T> p)
    {
        int n = Dimension;
        symmetric.Data.CopyTo(lu, 0);
        (_, int zeroPivot) = Lu.Decompose<T>(lu, permutation, pivots, n);
        if (zeroPivot >= 0)
        {
            return false;
        }

        for (int i = 0; i < n; i++)
        {
            p[i] = -g[permutation[i]]; // P(−g)
        }

        TriangularSolve.LowerUnitVector<T>(lu, p, n);
        TriangularSolve.UpperVector<T>(lu, p, n);
        T slope = TensorPrimitives.Dot<T>(g, p);
        T bound = -DescentAngle * TensorPrimitives.Norm(g) * TensorPrimitives.Norm<T>(p);
        return T.IsFinite(slope) && slope < bound;
    }

    /// <summary>μ₀ = β − min hᵢᵢ when some hᵢᵢ ≤ 0, else β; β = 10⁻³ max|hᵢⱼ| (1 for a zero Hessian).</summary>
    private T InitialDamping(T largest)
    {
        T beta = largest > T.Zero ? DampingScale * largest : T.One;
        int n = Dimension;
        if (n == 0)
        {
            return beta;
        }

        T smallest = symmetric.Data[0];
        for (int k = 1; k < n; k++)
        {
            smallest = T.Min(smallest, symmetric.Data[(k * n) + k]);
        }

        return smallest > T.Zero ? beta : beta - smallest;
    }

    private static HessianEvaluator<T> Copying(HessianFunction<T> function, int dimension)
    {
        ArgumentNullException.ThrowIfNull(function, "evaluate");
        return (theta, gradient, hessian) =>
        {
            T value = function(theta, out var g, out var h);
            ArgumentNullException.ThrowIfNull(g, "gradient");
            ArgumentNullException.ThrowIfNull(h, "hessian");
            ThrowHelper.RequireSameShape(dimension, 1, g.Length, 1, "Newton", "θ", "the returned gradient", "evaluate");
            ThrowHelper.RequireSameShape(dimension, dimension, h.Rows, h.Cols, "Newton", "θθᵀ", "the returned Hessian", "evaluate");
            g.Data.CopyTo(gradient.Data, 0);
            h.Data.CopyTo(hessian.Data, 0);
            return value;
        };
    }
}
