namespace AutoGradGen.GeneratorTests.Infrastructure;

/// <summary>
/// Plain-loop double reference linear algebra for writing closed-form expectations by hand.
/// Independent of the runtime and the generator: no <c>Matrix&lt;T&gt;</c>, no <c>Ops</c>.
/// Matrices are <c>double[,]</c>, vectors <c>double[]</c> (columns).
/// </summary>
public static class Ref
{
    public static int Rows(double[,] a) => a.GetLength(0);

    public static int Cols(double[,] a) => a.GetLength(1);

    public static double[,] Zeros(int rows, int cols) => new double[rows, cols];

    public static double[,] Identity(int n)
    {
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            r[i, i] = 1;
        }
        return r;
    }

    /// <summary>C = A B.</summary>
    public static double[,] Mul(double[,] a, double[,] b)
    {
        if (Cols(a) != Rows(b))
        {
            throw new ArgumentException("Ref.Mul shapes");
        }
        var c = new double[Rows(a), Cols(b)];
        for (int i = 0; i < Rows(a); i++)
        {
            for (int j = 0; j < Cols(b); j++)
            {
                double s = 0;
                for (int k = 0; k < Cols(a); k++)
                {
                    s += a[i, k] * b[k, j];
                }
                c[i, j] = s;
            }
        }
        return c;
    }

    /// <summary>A B C …, left to right.</summary>
    public static double[,] Mul(double[,] a, double[,] b, params double[][,] rest)
    {
        var r = Mul(a, b);
        foreach (var m in rest)
        {
            r = Mul(r, m);
        }
        return r;
    }

    /// <summary>y = A x.</summary>
    public static double[] Mul(double[,] a, double[] x)
    {
        if (Cols(a) != x.Length)
        {
            throw new ArgumentException("Ref.Mul shapes");
        }
        var y = new double[Rows(a)];
        for (int i = 0; i < Rows(a); i++)
        {
            for (int k = 0; k < Cols(a); k++)
            {
                y[i] += a[i, k] * x[k];
            }
        }
        return y;
    }

    public static double[,] T(double[,] a)
    {
        var r = new double[Cols(a), Rows(a)];
        for (int i = 0; i < Rows(a); i++)
        {
            for (int j = 0; j < Cols(a); j++)
            {
                r[j, i] = a[i, j];
            }
        }
        return r;
    }

    public static double[,] Map(double[,] a, Func<double, double> f)
    {
        var r = new double[Rows(a), Cols(a)];
        for (int i = 0; i < Rows(a); i++)
        {
            for (int j = 0; j < Cols(a); j++)
            {
                r[i, j] = f(a[i, j]);
            }
        }
        return r;
    }

    public static double[] Map(double[] a, Func<double, double> f) => a.Select(f).ToArray();

    public static double[,] Zip(double[,] a, double[,] b, Func<double, double, double> f)
    {
        if (Rows(a) != Rows(b) || Cols(a) != Cols(b))
        {
            throw new ArgumentException("Ref.Zip shapes");
        }
        var r = new double[Rows(a), Cols(a)];
        for (int i = 0; i < Rows(a); i++)
        {
            for (int j = 0; j < Cols(a); j++)
            {
                r[i, j] = f(a[i, j], b[i, j]);
            }
        }
        return r;
    }

    public static double[] Zip(double[] a, double[] b, Func<double, double, double> f)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("Ref.Zip lengths");
        }
        return a.Select((v, i) => f(v, b[i])).ToArray();
    }

    public static double[,] Add(double[,] a, double[,] b) => Zip(a, b, (x, y) => x + y);

    public static double[,] Sub(double[,] a, double[,] b) => Zip(a, b, (x, y) => x - y);

    public static double[,] Had(double[,] a, double[,] b) => Zip(a, b, (x, y) => x * y);

    public static double[] Add(double[] a, double[] b) => Zip(a, b, (x, y) => x + y);

    public static double[] Sub(double[] a, double[] b) => Zip(a, b, (x, y) => x - y);

    public static double[] Had(double[] a, double[] b) => Zip(a, b, (x, y) => x * y);

    public static double[,] Scale(double s, double[,] a) => Map(a, v => s * v);

    public static double[] Scale(double s, double[] a) => Map(a, v => s * v);

    public static double[,] Neg(double[,] a) => Scale(-1, a);

    /// <summary>x yᵀ.</summary>
    public static double[,] Outer(double[] x, double[] y)
    {
        var r = new double[x.Length, y.Length];
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j < y.Length; j++)
            {
                r[i, j] = x[i] * y[j];
            }
        }
        return r;
    }

    public static double Dot(double[] x, double[] y) => x.Select((v, i) => v * y[i]).Sum();

    /// <summary>Frobenius inner product Σ aᵢⱼ bᵢⱼ.</summary>
    public static double Dot(double[,] a, double[,] b) => Sum(Had(a, b));

    public static double Sum(double[,] a) => a.Cast<double>().Sum();

    public static double Sum(double[] a) => a.Sum();

    public static double Trace(double[,] a)
    {
        double s = 0;
        for (int i = 0; i < Math.Min(Rows(a), Cols(a)); i++)
        {
            s += a[i, i];
        }
        return s;
    }

    public static double[,] Fill(int rows, int cols, double v) => Map(new double[rows, cols], _ => v);

    public static double[] Fill(int n, double v) => Enumerable.Repeat(v, n).ToArray();

    /// <summary>Column j of A.</summary>
    public static double[] Col(double[,] a, int j) => Enumerable.Range(0, Rows(a)).Select(i => a[i, j]).ToArray();

    /// <summary>Σⱼ A[:, j] (row sums: A 1).</summary>
    public static double[] RowSums(double[,] a) => Enumerable.Range(0, Rows(a)).Select(i => Enumerable.Range(0, Cols(a)).Sum(j => a[i, j])).ToArray();

    /// <summary>A − v 1ᵀ.</summary>
    public static double[,] SubCol(double[,] a, double[] v)
    {
        var r = (double[,])a.Clone();
        for (int i = 0; i < Rows(a); i++)
        {
            for (int j = 0; j < Cols(a); j++)
            {
                r[i, j] -= v[i];
            }
        }
        return r;
    }

    /// <summary>A + v 1ᵀ.</summary>
    public static double[,] AddCol(double[,] a, double[] v) => SubCol(a, Scale(-1, v));

    /// <summary>A⁻¹ by Gauss–Jordan elimination with partial pivoting.</summary>
    public static double[,] Inv(double[,] a)
    {
        int n = Rows(a);
        var m = (double[,])a.Clone();
        var inv = Identity(n);
        for (int c = 0; c < n; c++)
        {
            int p = c;
            for (int r = c + 1; r < n; r++)
            {
                if (Math.Abs(m[r, c]) > Math.Abs(m[p, c]))
                {
                    p = r;
                }
            }
            SwapRows(m, c, p);
            SwapRows(inv, c, p);
            double d = m[c, c];
            for (int j = 0; j < n; j++)
            {
                m[c, j] /= d;
                inv[c, j] /= d;
            }
            for (int r = 0; r < n; r++)
            {
                if (r == c)
                {
                    continue;
                }
                double f = m[r, c];
                for (int j = 0; j < n; j++)
                {
                    m[r, j] -= f * m[c, j];
                    inv[r, j] -= f * inv[c, j];
                }
            }
        }
        return inv;
    }

    /// <summary>det A by Gaussian elimination with partial pivoting.</summary>
    public static double Det(double[,] a)
    {
        int n = Rows(a);
        var m = (double[,])a.Clone();
        double det = 1;
        for (int c = 0; c < n; c++)
        {
            int p = c;
            for (int r = c + 1; r < n; r++)
            {
                if (Math.Abs(m[r, c]) > Math.Abs(m[p, c]))
                {
                    p = r;
                }
            }
            if (p != c)
            {
                SwapRows(m, c, p);
                det = -det;
            }
            det *= m[c, c];
            for (int r = c + 1; r < n; r++)
            {
                double f = m[r, c] / m[c, c];
                for (int j = c; j < n; j++)
                {
                    m[r, j] -= f * m[c, j];
                }
            }
        }
        return det;
    }

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static double SigmoidPrime(double x) => Sigmoid(x) * (1 - Sigmoid(x));

    private static void SwapRows(double[,] m, int a, int b)
    {
        if (a == b)
        {
            return;
        }
        for (int j = 0; j < Cols(m); j++)
        {
            (m[a, j], m[b, j]) = (m[b, j], m[a, j]);
        }
    }
}
