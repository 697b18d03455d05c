using System.Globalization;
using System.Numerics;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>Shapes every family is tested on: empty, 1×1, and odd sizes up to 67 (SIMD tails).</summary>
internal static class Shapes
{
    public static readonly (int Rows, int Cols)[] Matrices =
    [
        (0, 0), (0, 5), (5, 0), (1, 1), (1, 67), (67, 1), (2, 3), (3, 2), (7, 5), (13, 17), (31, 33), (66, 67), (67, 67),
    ];

    /// <summary>Every vector length 0..67, so each SIMD width's tail is hit.</summary>
    public static readonly int[] Lengths = Enumerable.Range(0, 68).ToArray();

    public static readonly int[] SquareSizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 67];

    /// <summary>(m, k, n) for op(A) m×k times op(B) k×n, including k = 0 and empty outputs.</summary>
    public static readonly (int M, int K, int N)[] Products =
    [
        (0, 0, 0), (0, 3, 2), (3, 0, 2), (3, 2, 0), (1, 1, 1), (1, 67, 1), (67, 1, 67), (2, 3, 4), (5, 7, 3),
        (13, 1, 17), (17, 31, 13), (33, 65, 31), (67, 67, 67), (64, 33, 65),
    ];
}

/// <summary>Deterministic random inputs, rounded to T once so that references see exactly the same values.</summary>
internal static class Inputs
{
    public static T[,] RandomMatrix<T>(int rows, int cols, int seed, double lo = -1, double hi = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var result = new T[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                result[i, j] = T.CreateChecked(lo + ((hi - lo) * random.NextDouble()));
            }
        }

        return result;
    }

    public static T[] RandomArray<T>(int length, int seed, double lo = -1, double hi = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var result = new T[length];
        for (int i = 0; i < length; i++)
        {
            result[i] = T.CreateChecked(lo + ((hi - lo) * random.NextDouble()));
        }

        return result;
    }

    public static T[,] FromDoubles<T>(double[,] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[values.GetLength(0), values.GetLength(1)];
        for (int i = 0; i < values.GetLength(0); i++)
        {
            for (int j = 0; j < values.GetLength(1); j++)
            {
                result[i, j] = T.CreateChecked(values[i, j]);
            }
        }

        return result;
    }
}

/// <summary>Independent naive references: plain loops, computed in double from the T inputs.</summary>
internal static class Naive
{
    public static double D<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => double.CreateChecked(x);

    public static double[,] ToDouble<T>(T[,] a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                result[i, j] = D(a[i, j]);
            }
        }

        return result;
    }

    public static double[] ToDouble<T>(T[] a)
        where T : unmanaged, IFloatingPointIeee754<T> => a.Select(D).ToArray();

    public static double[,] Map(double[,] a, Func<double, double> f)
    {
        var result = new double[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                result[i, j] = f(a[i, j]);
            }
        }

        return result;
    }

    public static double[,] Zip(double[,] a, double[,] b, Func<double, double, double> f)
    {
        var result = new double[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                result[i, j] = f(a[i, j], b[i, j]);
            }
        }

        return result;
    }

    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int m = a.GetLength(0), k = a.GetLength(1), n = b.GetLength(1);
        var c = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += a[i, p] * b[p, j];
                }

                c[i, j] = sum;
            }
        }

        return c;
    }

    public static double[,] Transpose(double[,] a)
    {
        var t = new double[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                t[j, i] = a[i, j];
            }
        }

        return t;
    }

    public static double[,] Column(double[] v)
    {
        var c = new double[v.Length, 1];
        for (int i = 0; i < v.Length; i++)
        {
            c[i, 0] = v[i];
        }

        return c;
    }

    public static double[] Flatten(double[,] column)
    {
        var v = new double[column.GetLength(0) * column.GetLength(1)];
        int index = 0;
        foreach (double x in column)
        {
            v[index++] = x;
        }

        return v;
    }

    public static double MaxAbs(double[,] a) => a.Length == 0 ? 0 : a.Cast<double>().Max(Math.Abs);

    /// <summary>Infinity norm: the largest absolute row sum.</summary>
    public static double NormInf(double[,] a)
    {
        double best = 0;
        for (int i = 0; i < a.GetLength(0); i++)
        {
            double sum = 0;
            for (int j = 0; j < a.GetLength(1); j++)
            {
                sum += Math.Abs(a[i, j]);
            }

            best = Math.Max(best, sum);
        }

        return best;
    }

    /// <summary>det by the Leibniz formula over all permutations (n ≤ 7).</summary>
    public static double LeibnizDet(double[,] a)
    {
        int n = a.GetLength(0);
        var perm = Enumerable.Range(0, n).ToArray();
        double det = 0;
        Permute(0);
        return det;

        void Permute(int start)
        {
            if (start == n)
            {
                double term = Sign(perm);
                for (int i = 0; i < n; i++)
                {
                    term *= a[i, perm[i]];
                }

                det += term;
                return;
            }

            for (int i = start; i < n; i++)
            {
                (perm[start], perm[i]) = (perm[i], perm[start]);
                Permute(start + 1);
                (perm[start], perm[i]) = (perm[i], perm[start]);
            }
        }
    }

    /// <summary>det by cofactor expansion along the first row (n ≤ 7).</summary>
    public static double CofactorDet(double[,] a)
    {
        int n = a.GetLength(0);
        if (n == 0)
        {
            return 1;
        }

        double det = 0;
        for (int j = 0; j < n; j++)
        {
            var minor = new double[n - 1, n - 1];
            for (int r = 1; r < n; r++)
            {
                for (int c = 0, mc = 0; c < n; c++)
                {
                    if (c != j)
                    {
                        minor[r - 1, mc++] = a[r, c];
                    }
                }
            }

            det += (j % 2 == 0 ? 1 : -1) * a[0, j] * CofactorDet(minor);
        }

        return det;
    }

    /// <summary>log |det A| by Gaussian elimination with partial pivoting in double (a reference for large n).</summary>
    public static double LogAbsDetByElimination(double[,] input, out int sign)
    {
        var a = (double[,])input.Clone();
        int n = a.GetLength(0);
        double logAbs = 0;
        sign = 1;
        for (int k = 0; k < n; k++)
        {
            int p = k;
            for (int i = k + 1; i < n; i++)
            {
                if (Math.Abs(a[i, k]) > Math.Abs(a[p, k]))
                {
                    p = i;
                }
            }

            if (a[p, k] == 0)
            {
                sign = 0;
                return double.NegativeInfinity;
            }

            if (p != k)
            {
                sign = -sign;
                for (int j = 0; j < n; j++)
                {
                    (a[k, j], a[p, j]) = (a[p, j], a[k, j]);
                }
            }

            sign *= Math.Sign(a[k, k]);
            logAbs += Math.Log(Math.Abs(a[k, k]));
            for (int i = k + 1; i < n; i++)
            {
                double f = a[i, k] / a[k, k];
                for (int j = k; j < n; j++)
                {
                    a[i, j] -= f * a[k, j];
                }
            }
        }

        return logAbs;
    }

    private static int Sign(int[] perm)
    {
        int inversions = 0;
        for (int i = 0; i < perm.Length; i++)
        {
            for (int j = i + 1; j < perm.Length; j++)
            {
                if (perm[i] > perm[j])
                {
                    inversions++;
                }
            }
        }

        return inversions % 2 == 0 ? 1 : -1;
    }
}

/// <summary>Tolerant comparisons with readable failure messages.</summary>
internal static class Near
{
    /// <summary>Machine epsilon of T.</summary>
    public static double Eps<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? 1.1920928955078125e-7 : 2.220446049250313e-16;

    /// <summary>Tolerance of <paramref name="ulps"/> machine epsilons.</summary>
    public static double Tol<T>(double ulps)
        where T : unmanaged, IFloatingPointIeee754<T> => ulps * Eps<T>();

    public static bool Close(double expected, double actual, double tol)
    {
        if (double.IsNaN(expected))
        {
            return double.IsNaN(actual);
        }

        if (double.IsInfinity(expected))
        {
            return expected == actual;
        }

        return Math.Abs(actual - expected) <= tol * (1 + Math.Abs(expected));
    }

    public static void ScalarEqual<T>(double expected, T actual, double tol, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a = double.CreateChecked(actual);
        if (!Close(expected, a, tol))
        {
            Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{context} ({typeof(T).Name}): expected {expected:R}, got {a:R} (tol {tol:G3})"));
        }
    }

    /// <summary>|actual − expected| ≤ absoluteTol (for reductions, whose error scales with Σ|terms|).</summary>
    public static void ScalarWithin<T>(double expected, T actual, double absoluteTol, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a = double.CreateChecked(actual);
        bool ok = double.IsNaN(expected) ? double.IsNaN(a) : Math.Abs(a - expected) <= absoluteTol;
        if (!ok)
        {
            Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{context} ({typeof(T).Name}): expected {expected:R}, got {a:R} (absolute tol {absoluteTol:G3})"));
        }
    }

    public static void MatrixEqual<T>(double[,] expected, Matrix<T> actual, double tol, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.True(
            expected.GetLength(0) == actual.Rows && expected.GetLength(1) == actual.Cols,
            $"{context}: expected shape {expected.GetLength(0)}×{expected.GetLength(1)}, got {actual.Rows}×{actual.Cols}");
        for (int i = 0; i < actual.Rows; i++)
        {
            for (int j = 0; j < actual.Cols; j++)
            {
                double a = double.CreateChecked(actual[i, j]);
                if (!Close(expected[i, j], a, tol))
                {
                    Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                        $"{context} ({typeof(T).Name}) at ({i}, {j}): expected {expected[i, j]:R}, got {a:R} (tol {tol:G3})"));
                }
            }
        }
    }

    public static void VectorEqual<T>(double[] expected, Vector<T> actual, double tol, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.True(expected.Length == actual.Length, $"{context}: expected length {expected.Length}, got {actual.Length}");
        for (int i = 0; i < actual.Length; i++)
        {
            double a = double.CreateChecked(actual[i]);
            if (!Close(expected[i], a, tol))
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"{context} ({typeof(T).Name}) at {i}: expected {expected[i]:R}, got {a:R} (tol {tol:G3})"));
            }
        }
    }
}
