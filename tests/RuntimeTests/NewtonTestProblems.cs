using System.Numerics;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// L2-regularised logistic regression written out by hand in plain loops, independent of the runtime's
/// kernels: f(w) = (1/N) Σᵢ [log(1 + e^{zᵢ}) − yᵢ zᵢ] + (λ/2)‖w‖², z = X w, y ∈ {0, 1};
/// ∇f = Xᵀ(σ(z) − y)/N + λw; ∇²f = Xᵀ diag(σ(z)(1 − σ(z))) X / N + λI; ∇²f v = Xᵀ(s ⊙ X v)/N + λv.
/// All scratch is allocated by the constructor, so the callbacks allocate nothing.
/// </summary>
internal sealed class LogisticProblem<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[,] x;
    private readonly T[] y;
    private readonly T lambda;
    private readonly T[] z;
    private readonly T[] weight;

    public LogisticProblem(Matrix<double> features, Vector<double> labels, double lambda)
    {
        x = new T[features.Rows, features.Cols];
        for (int i = 0; i < features.Rows; i++)
        {
            for (int j = 0; j < features.Cols; j++)
            {
                x[i, j] = T.CreateChecked(features[i, j]);
            }
        }

        y = labels.ToArray().Select(T.CreateChecked).ToArray();
        this.lambda = T.CreateChecked(lambda);
        z = new T[features.Rows];
        weight = new T[features.Rows];
    }

    public int Samples => x.GetLength(0);

    public int Dimension => x.GetLength(1);

    /// <summary>f(w) and ∇f(w) into <paramref name="gradient"/>.</summary>
    public T ValueAndGradient(Vector<T> w, Vector<T> gradient)
    {
        T value = Forward(w);
        T n = T.CreateChecked(Samples);
        for (int j = 0; j < Dimension; j++)
        {
            T sum = T.Zero;
            for (int i = 0; i < Samples; i++)
            {
                sum += x[i, j] * (Sigmoid(z[i]) - y[i]);
            }

            gradient[j] = (sum / n) + (lambda * w[j]);
        }

        return value;
    }

    /// <summary>f(w), ∇f(w) and ∇²f(w).</summary>
    public T ValueGradientHessian(Vector<T> w, Vector<T> gradient, Matrix<T> hessian)
    {
        T value = ValueAndGradient(w, gradient);
        T n = T.CreateChecked(Samples);
        for (int i = 0; i < Samples; i++)
        {
            T s = Sigmoid(z[i]);
            weight[i] = s * (T.One - s);
        }

        for (int j = 0; j < Dimension; j++)
        {
            for (int k = 0; k <= j; k++)
            {
                T sum = T.Zero;
                for (int i = 0; i < Samples; i++)
                {
                    sum += x[i, j] * weight[i] * x[i, k];
                }

                T h = (sum / n) + (j == k ? lambda : T.Zero);
                hessian[j, k] = h;
                hessian[k, j] = h;
            }
        }

        return value;
    }

    /// <summary>∇²f(w) v into <paramref name="product"/>.</summary>
    public void HessianVector(Vector<T> w, Vector<T> v, Vector<T> product)
    {
        T n = T.CreateChecked(Samples);
        for (int i = 0; i < Samples; i++)
        {
            T zi = T.Zero, xv = T.Zero;
            for (int j = 0; j < Dimension; j++)
            {
                zi += x[i, j] * w[j];
                xv += x[i, j] * v[j];
            }

            T s = Sigmoid(zi);
            weight[i] = s * (T.One - s) * xv;
        }

        for (int j = 0; j < Dimension; j++)
        {
            T sum = T.Zero;
            for (int i = 0; i < Samples; i++)
            {
                sum += x[i, j] * weight[i];
            }

            product[j] = (sum / n) + (lambda * v[j]);
        }
    }

    private T Forward(Vector<T> w)
    {
        T loss = T.Zero;
        for (int i = 0; i < Samples; i++)
        {
            T zi = T.Zero;
            for (int j = 0; j < Dimension; j++)
            {
                zi += x[i, j] * w[j];
            }

            z[i] = zi;
            loss += Softplus(zi) - (y[i] * zi);
        }

        T squares = T.Zero;
        for (int j = 0; j < Dimension; j++)
        {
            squares += w[j] * w[j];
        }

        return (loss / T.CreateChecked(Samples)) + (lambda * squares / T.CreateChecked(2));
    }

    /// <summary>log(1 + eᶻ) without overflow.</summary>
    private static T Softplus(T z) => z > T.Zero ? z + T.Log(T.One + T.Exp(-z)) : T.Log(T.One + T.Exp(z));

    private static T Sigmoid(T z) => z >= T.Zero ? T.One / (T.One + T.Exp(-z)) : T.Exp(z) / (T.One + T.Exp(z));
}

/// <summary>Small closed-form test functions of two variables, with gradients and Hessians by hand.</summary>
internal static class TwoVariable<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T C(double v) => T.CreateChecked(v);

    /// <summary>
    /// Rosenbrock f = (1 − x)² + 100 (y − x²)²; ∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²));
    /// ∇²f = [[2 − 400(y − x²) + 800x², −400x], [−400x, 200]] (indefinite where y &gt; x² + 0.005).
    /// </summary>
    public static T Rosenbrock(Vector<T> t, Vector<T> g, Matrix<T>? h)
    {
        T x = t[0], y = t[1], r = y - (x * x);
        g[0] = (C(-2) * (T.One - x)) - (C(400) * x * r);
        g[1] = C(200) * r;
        if (h is not null)
        {
            h[0, 0] = C(2) - (C(400) * r) + (C(800) * x * x);
            h[0, 1] = C(-400) * x;
            h[1, 0] = C(-400) * x;
            h[1, 1] = C(200);
        }

        return ((T.One - x) * (T.One - x)) + (C(100) * r * r);
    }

    /// <summary>Rosenbrock's Hessian times v.</summary>
    public static void RosenbrockProduct(Vector<T> t, Vector<T> v, Vector<T> hv)
    {
        T x = t[0], y = t[1], r = y - (x * x);
        T h00 = C(2) - (C(400) * r) + (C(800) * x * x), h01 = C(-400) * x;
        hv[0] = (h00 * v[0]) + (h01 * v[1]);
        hv[1] = (h01 * v[0]) + (C(200) * v[1]);
    }

    /// <summary>
    /// The double well f = x⁴/4 − x²/2 + y²/2: minimizers (±1, 0) with f = −¼, a saddle at the origin;
    /// ∇f = (x³ − x, y); ∇²f = diag(3x² − 1, 1), indefinite for |x| &lt; 1/√3.
    /// </summary>
    public static T DoubleWell(Vector<T> t, Vector<T> g, Matrix<T>? h)
    {
        T x = t[0], y = t[1];
        g[0] = (x * x * x) - x;
        g[1] = y;
        if (h is not null)
        {
            h[0, 0] = (C(3) * x * x) - T.One;
            h[0, 1] = T.Zero;
            h[1, 0] = T.Zero;
            h[1, 1] = T.One;
        }

        return (x * x * x * x / C(4)) - (x * x / C(2)) + (y * y / C(2));
    }

    /// <summary>The double well's Hessian times v.</summary>
    public static void DoubleWellProduct(Vector<T> t, Vector<T> v, Vector<T> hv)
    {
        T x = t[0];
        hv[0] = ((C(3) * x * x) - T.One) * v[0];
        hv[1] = v[1];
    }
}
