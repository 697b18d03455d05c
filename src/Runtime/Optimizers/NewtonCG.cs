using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen;

/// <summary>
/// Truncated Newton (line-search Newton–CG, Nocedal and Wright, Algorithm 7.1): each step solves H p = −g
/// approximately by conjugate gradients on Hessian-vector products, never forming H, then takes an Armijo
/// step from α = 1 (<see cref="SecondOrderMinimizer{T}"/>). CG starts at p = 0 and stops when
/// <list type="bullet">
/// <item>the residual meets the forcing term ‖H p + g‖ ≤ η‖g‖, η = min(½, √‖g‖), so the steps become exact
/// Newton steps as ‖g‖ → 0 (superlinear convergence; <see cref="NewtonDirection.ConjugateGradient"/>);</item>
/// <item>a CG direction d has dᵀH d ≤ 0 (negative curvature, as in Steihaug's method): the iterate so far is
/// used (<see cref="NewtonDirection.NegativeCurvature"/>), or −g if it is the first
/// (<see cref="NewtonDirection.SteepestDescent"/>);</item>
/// <item>it has taken <see cref="MaxInnerIterations"/> iterations (<see cref="NewtonDirection.ConjugateGradientLimit"/>).</item>
/// </list>
/// Every CG iterate from p = 0 with positive curvature so far is a descent direction, so no damping is needed.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Memory: O(n) only — besides the base class's vectors, the CG residual, direction and product — allocated
/// by the constructor; steps allocate nothing beyond what the callbacks allocate. A step costs one
/// Hessian-vector product per CG iteration, plus the gradient evaluations of the line search.
/// </remarks>
public sealed class NewtonCG<T> : SecondOrderMinimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Half = T.CreateChecked(0.5);
    private readonly GradientEvaluator<T> valueAndGradient;
    private readonly HessianVectorEvaluator<T> hessianVector;
    private readonly T[] residual;
    private readonly Vector<T> cgDirection;
    private readonly Vector<T> product;
    private int maxInnerIterations;

    /// <summary>Newton–CG on two callbacks that write into the optimizer's buffers.</summary>
    /// <param name="dimension">n, the number of entries of θ.</param>
    /// <param name="valueAndGradient">θ ↦ f(θ), writing ∇f(θ) into the given buffer.</param>
    /// <param name="hessianVector">(θ, v) ↦ ∇²f(θ) v, written into the given buffer.</param>
    /// <param name="tolerance">Stop when ‖∇f‖ ≤ tolerance (≥ 0).</param>
    /// <param name="maxIterations">The most outer (Newton) steps per minimization (≥ 0).</param>
    /// <exception cref="ArgumentNullException">A callback is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or the tolerance is negative.</exception>
    public NewtonCG(int dimension, GradientEvaluator<T> valueAndGradient, HessianVectorEvaluator<T> hessianVector, T tolerance, int maxIterations = 100)
        : base(dimension, tolerance, maxIterations, "NewtonCG")
    {
        ArgumentNullException.ThrowIfNull(valueAndGradient);
        ArgumentNullException.ThrowIfNull(hessianVector);
        this.valueAndGradient = valueAndGradient;
        this.hessianVector = hessianVector;
        residual = new T[dimension];
        cgDirection = new Vector<T>(dimension);
        product = new Vector<T>(dimension);
        maxInnerIterations = Math.Max(1, 20 * dimension);
    }

    /// <summary>
    /// Newton–CG on one callback shaped like a generated <c>FHessianVectorProduct</c>
    /// (f, ∇f and ∇²f v as new objects). Gradients are taken from it with v = 0 and products with the
    /// gradient discarded; results are copied into the optimizer's buffers.
    /// </summary>
    /// <param name="dimension">n, the number of entries of θ.</param>
    /// <param name="evaluate">(θ, v) ↦ (f(θ), ∇f(θ), ∇²f(θ) v).</param>
    /// <param name="tolerance">Stop when ‖∇f‖ ≤ tolerance (≥ 0).</param>
    /// <param name="maxIterations">The most outer (Newton) steps per minimization (≥ 0).</param>
    /// <exception cref="ArgumentNullException"><paramref name="evaluate"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or the tolerance is negative.</exception>
    /// <remarks>A step throws <see cref="ArgumentException"/> if the callback returns a vector that is not n long.</remarks>
    public NewtonCG(int dimension, HessianVectorProductFunction<T> evaluate, T tolerance, int maxIterations = 100)
        : this(dimension, new Adapter(evaluate, dimension), tolerance, maxIterations)
    {
    }

    private NewtonCG(int dimension, Adapter adapter, T tolerance, int maxIterations)
        : this(dimension, adapter.ValueAndGradient, adapter.HessianVector, tolerance, maxIterations)
    {
    }

    /// <summary>The most CG iterations (Hessian-vector products) per step; default 20n, as SciPy's newton-cg.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxInnerIterations
    {
        get => maxInnerIterations;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            maxInnerIterations = value;
        }
    }

    /// <summary>Hessian-vector products since <see cref="SecondOrderMinimizer{T}.Start"/>.</summary>
    public int ProductCount => HessianVectorProducts;

    /// <inheritdoc/>
    private protected override T Evaluate(Vector<T> at, Vector<T> gradientBuffer, bool trial) =>
        valueAndGradient(at, gradientBuffer);

    /// <inheritdoc/>
    private protected override (NewtonDirection Direction, T Damping, int InnerIterations) ComputeDirection(Span<T> p)
    {
        ReadOnlySpan<T> g = CurrentGradient.Data;
        T gNorm = GradientNorm;
        T forcing = T.Min(Half, T.Sqrt(gNorm)) * gNorm; // η‖g‖
        Span<T> r = residual, d = cgDirection.Data, hd = product.Data;
        p.Clear();                                        // z₀ = 0
        g.CopyTo(r);                                      // r₀ = H z₀ + g = g
        TensorPrimitives.Negate(g, d);                    // d₀ = −r₀
        T rr = gNorm * gNorm;
        for (int j = 0; j < maxInnerIterations; j++)
        {
            hessianVector(CurrentPoint, cgDirection, product);
            HessianVectorProducts++;
            T curvature = TensorPrimitives.Dot<T>(d, hd);
            if (!(curvature > T.Zero))
            {
                return j == 0
                    ? (NewtonDirection.SteepestDescent, T.Zero, 1) // no positive curvature seen: p = −g
                    : (NewtonDirection.NegativeCurvature, T.Zero, j + 1);
            }

            T alpha = rr / curvature;
            TensorPrimitives.MultiplyAdd<T>(d, alpha, p, p);   // z += α d
            TensorPrimitives.MultiplyAdd<T>(hd, alpha, r, r);  // r += α H d
            T rrNext = TensorPrimitives.Dot<T>(r, r);
            if (T.Sqrt(rrNext) <= forcing)
            {
                return (NewtonDirection.ConjugateGradient, T.Zero, j + 1);
            }

            T beta = rrNext / rr;
            TensorPrimitives.Multiply<T>(d, beta, d);          // d = −r + β d
            TensorPrimitives.Subtract<T>(d, r, d);
            rr = rrNext;
        }

        return (NewtonDirection.ConjugateGradientLimit, T.Zero, maxInnerIterations);
    }

    /// <summary>Splits a generated-shape callback into the two buffer callbacks (created once, at construction).</summary>
    private sealed class Adapter
    {
        private readonly HessianVectorProductFunction<T> function;
        private readonly Vector<T> zero;
        private readonly int dimension;

        public Adapter(HessianVectorProductFunction<T> function, int dimension)
        {
            ArgumentNullException.ThrowIfNull(function, "evaluate");
            ArgumentOutOfRangeException.ThrowIfNegative(dimension);
            this.function = function;
            this.dimension = dimension;
            zero = new Vector<T>(dimension);
            ValueAndGradient = Gradient;
            HessianVector = Product;
        }

        public GradientEvaluator<T> ValueAndGradient { get; }

        public HessianVectorEvaluator<T> HessianVector { get; }

        private T Gradient(Vector<T> theta, Vector<T> gradient)
        {
            T value = function(theta, zero, out var g, out _);
            Copy(g, gradient, "the returned gradient");
            return value;
        }

        private void Product(Vector<T> theta, Vector<T> direction, Vector<T> result)
        {
            function(theta, direction, out _, out var hv);
            Copy(hv, result, "the returned product");
        }

        private void Copy(Vector<T>? source, Vector<T> destination, string name)
        {
            ArgumentNullException.ThrowIfNull(source, name);
            ThrowHelper.RequireSameShape(dimension, 1, source.Length, 1, "NewtonCG", "θ", name, "evaluate");
            source.Data.CopyTo(destination.Data, 0);
        }
    }
}
