using System.Globalization;
using System.Reflection;
using System.Text;

namespace AutoGradGen.GeneratorTests.Infrastructure;

/// <summary>Tolerances of one element type. Every bound is relative to a scale ≥ 1 (see <see cref="GradientAssert"/>).</summary>
/// <param name="Same">FWithGradient's value against F's value.</param>
/// <param name="ClosedForm">Generated results against the test's double-precision closed form.</param>
/// <param name="FiniteDifference">Generated gradients against central differences of F.</param>
/// <param name="Step">Relative finite-difference step h (times max(1, |x|)).</param>
public sealed record Tolerance(double Same, double ClosedForm, double FiniteDifference, double Step)
{
    /// <summary>double: h = 1e-6 (truncation ~1e-12, round-off ~1e-10·|f|), FD bound 1e-6.</summary>
    public static readonly Tolerance Double = new(1e-12, 1e-9, 1e-6, 1e-6);

    /// <summary>
    /// float: h = 3e-3 (truncation ~1e-5·f‴, round-off ~6e-8·|f|/6e-3 ≈ 1e-5·|f| per operation), FD bound 5e-3;
    /// closed form 3e-4 (float ε 6e-8 amplified by solves of condition ~10 and n-term sums).
    /// </summary>
    public static readonly Tolerance Float = new(1e-5, 3e-4, 5e-3, 3e-3);

    public static Tolerance For(Inputs inputs) => inputs.IsFloat ? Float : Double;
}

/// <summary>Conversions between the double test values and runtime values, and array comparison.</summary>
public static class Values
{
    /// <summary>A test value (double[,], double[], double, int, bool) as the method's argument.</summary>
    public static object ToRuntime(object value, bool isFloat) => value switch
    {
        double d => isFloat ? (object)(float)d : d,
        double[] v => isFloat ? Vector<float>.FromArray(v.Select(x => (float)x).ToArray()) : Vector<double>.FromArray(v),
        double[,] m => isFloat ? Matrix<float>.FromArray(ToFloat(m)) : Matrix<double>.FromArray(m),
        int or bool or int[] or string => value,
        _ => throw new ArgumentException("Unsupported value " + value.GetType()),
    };

    /// <summary>A runtime result (Matrix/Vector/scalar of float or double) as a double test value.</summary>
    public static object FromRuntime(object? value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), "The generated method returned null"),
        double d => d,
        float f => (double)f,
        Matrix<double> m => m.ToArray(),
        Matrix<float> m => ToDouble(m.ToArray()),
        Vector<double> v => v.ToArray(),
        Vector<float> v => v.ToArray().Select(x => (double)x).ToArray(),
        _ => throw new ArgumentException("Unsupported runtime value " + value.GetType()),
    };

    public static object?[] ToArgs(IEnumerable<KeyValuePair<string, object>> items, bool isFloat)
        => items.Select(p => (object?)ToRuntime(p.Value, isFloat)).ToArray();

    /// <summary>The entries of a double value in row-major order.</summary>
    public static double[] Flatten(object value) => value switch
    {
        double d => new[] { d },
        double[] v => (double[])v.Clone(),
        double[,] m => m.Cast<double>().ToArray(),
        _ => throw new ArgumentException("Not a differentiable value: " + value.GetType()),
    };

    /// <summary>A value of the same shape as <paramref name="like"/> holding <paramref name="flat"/>.</summary>
    public static object Unflatten(double[] flat, object like)
    {
        switch (like)
        {
            case double:
                return flat[0];
            case double[]:
                return (double[])flat.Clone();
            case double[,] m:
                var r = new double[m.GetLength(0), m.GetLength(1)];
                for (int k = 0; k < flat.Length; k++)
                {
                    r[k / m.GetLength(1), k % m.GetLength(1)] = flat[k];
                }
                return r;
            default:
                throw new ArgumentException("Not a differentiable value: " + like.GetType());
        }
    }

    /// <summary>"3×4 matrix", "vector of 3", "scalar".</summary>
    public static string Shape(object value) => value switch
    {
        double => "scalar",
        double[] v => "vector of " + v.Length,
        double[,] m => m.GetLength(0) + "×" + m.GetLength(1) + " matrix",
        _ => value.GetType().Name,
    };

    public static string Format(object value)
    {
        var s = new StringBuilder();
        switch (value)
        {
            case double d:
                s.Append(F(d));
                break;
            case double[] v:
                s.Append('[').Append(string.Join(", ", v.Select(F))).Append("]ᵀ");
                break;
            case double[,] m:
                for (int i = 0; i < m.GetLength(0); i++)
                {
                    s.Append("\n    [");
                    for (int j = 0; j < m.GetLength(1); j++)
                    {
                        s.Append(' ').Append(F(m[i, j]).PadLeft(13));
                    }
                    s.Append(" ]");
                }
                break;
        }
        return s.ToString();
    }

    /// <summary>max |a − b| over entries, and the row-major index where it occurs; NaN anywhere gives ∞.</summary>
    public static (double Error, int Index) MaxError(double[] a, double[] b)
    {
        double max = 0;
        int at = -1;
        for (int k = 0; k < a.Length; k++)
        {
            double e = Math.Abs(a[k] - b[k]);
            if (double.IsNaN(e))
            {
                e = double.PositiveInfinity;
            }
            if (e > max || at < 0)
            {
                max = e;
                at = k;
            }
        }
        return (max, at);
    }

    public static double MaxAbs(object value) => Flatten(value).Select(Math.Abs).DefaultIfEmpty(0).Max();

    public static bool SameShape(object a, object b) => (a, b) switch
    {
        (double, double) => true,
        (double[] x, double[] y) => x.Length == y.Length,
        (double[,] x, double[,] y) => x.GetLength(0) == y.GetLength(0) && x.GetLength(1) == y.GetLength(1),
        _ => false,
    };

    /// <summary>A parameter's readable signature, for messages.</summary>
    public static string Describe(ParameterInfo p)
        => (p.IsOut ? "out " : "") + TypeName(p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType) + " " + p.Name;

    public static string TypeName(Type t)
        => t.IsGenericType ? t.Name.Split('`')[0] + "<" + string.Join(", ", t.GetGenericArguments().Select(TypeName)) + ">" : t.Name;

    private static string F(double d) => d.ToString("G9", CultureInfo.InvariantCulture);

    private static float[,] ToFloat(double[,] m)
    {
        var r = new float[m.GetLength(0), m.GetLength(1)];
        for (int i = 0; i < m.GetLength(0); i++)
        {
            for (int j = 0; j < m.GetLength(1); j++)
            {
                r[i, j] = (float)m[i, j];
            }
        }
        return r;
    }

    private static double[,] ToDouble(float[,] m)
    {
        var r = new double[m.GetLength(0), m.GetLength(1)];
        for (int i = 0; i < m.GetLength(0); i++)
        {
            for (int j = 0; j < m.GetLength(1); j++)
            {
                r[i, j] = m[i, j];
            }
        }
        return r;
    }
}
