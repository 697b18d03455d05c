using System.Globalization;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The vectorized GELU kernel (<see cref="GeluVector"/>, behind <see cref="Elementwise.Gelu{T}(Matrix{T})"/> and
/// <see cref="Elementwise.GeluBackward{T}(Matrix{T}, Matrix{T})"/>) against gelu and gelu′ computed in 50-digit arithmetic
/// (Data/gelu-reference.txt: 2009 points, every 0.01 on [−8, 8], every 0.1 out to −37 and 12, a few ulps either side of
/// each polynomial's boundary |x| = √2·{1, 2, 3, 4.5, 7}), in double and float; its special values; and that an element's
/// bits depend on its value alone (not on its index, the span's length or the SIMD tail).
/// </summary>
public class GeluVectorTests
{
    /// <summary>
    /// Measured in double: 4 ulps (gelu, where ½ + ½ erf(x/√2) cancels for x ∈ [−√2, 0]) and 8 ulps of the condition scale
    /// (gelu′); float is computed in double and rounded once: 0.55 ulps.
    /// </summary>
    private const double DoubleGeluUlps = 5, DoubleDerivativeUlps = 10, SingleUlps = 0.6;

    private static readonly (double X, double Gelu, double Derivative)[] Reference = Load();

    private static (double, double, double)[] Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "gelu-reference.txt");
        return [.. File.ReadLines(path).Where(l => !l.StartsWith('#')).Select(l => l.Split(' '))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture), double.Parse(p[2], CultureInfo.InvariantCulture)))];
    }

    /// <summary>|actual − expected| in ulps of <paramref name="scale"/> (at least |expected|).</summary>
    private static double Ulps(double actual, double expected, double scale = 0)
    {
        double s = Math.Max(Math.Abs(expected), Math.Abs(scale));
        return Math.Abs(actual - expected) / (Math.BitIncrement(s) - s);
    }

    private static double Ulps(float actual, double expected, double scale = 0)
    {
        float s = (float)Math.Max(Math.Abs(expected), Math.Abs(scale));
        return Math.Abs(actual - expected) / (MathF.BitIncrement(s) - s);
    }

    /// <summary>
    /// gelu′ = Φ(x) + x φ(x) vanishes at x ≈ −0.7518, where the two terms cancel: its error is measured in ulps of the
    /// larger of gelu′ and Φ(x) = gelu(x)/x (the condition of that sum), elsewhere in ulps of gelu′ itself.
    /// </summary>
    private static double DerivativeScale((double X, double Gelu, double Derivative) r) => r.X == 0 ? 0.5 : r.Gelu / r.X;

    [Fact]
    public void DoubleMatchesTheHighPrecisionReference()
    {
        var x = new Matrix<double>(Reference.Length, 1);
        var ones = new Matrix<double>(Reference.Length, 1);
        for (int i = 0; i < Reference.Length; i++)
        {
            x[i, 0] = Reference[i].X;
            ones[i, 0] = 1;
        }
        var gelu = Elementwise.Gelu(x);
        var derivative = Elementwise.GeluBackward(x, ones);
        double worstGelu = 0, worstDerivative = 0;
        for (int i = 0; i < Reference.Length; i++)
        {
            worstGelu = Math.Max(worstGelu, Ulps(gelu[i, 0], Reference[i].Gelu));
            worstDerivative = Math.Max(worstDerivative, Ulps(derivative[i, 0], Reference[i].Derivative, DerivativeScale(Reference[i])));
        }
        Assert.True(worstGelu <= DoubleGeluUlps, $"gelu: {worstGelu} ulps");
        Assert.True(worstDerivative <= DoubleDerivativeUlps, $"gelu′: {worstDerivative} ulps");
    }

    [Fact]
    public void SingleMatchesTheHighPrecisionReference()
    {
        var points = Reference.Where(r => Math.Abs((float)r.Gelu) >= 1.1754944e-38 && Math.Abs((float)r.Derivative) >= 1.1754944e-38).ToArray();
        var x = new Vector<float>(points.Length);
        var ones = new Vector<float>(points.Length);
        for (int i = 0; i < points.Length; i++)
        {
            x[i] = (float)points[i].X;
            ones[i] = 1;
        }
        var gelu = Elementwise.Gelu(x);
        var derivative = Elementwise.GeluBackward(x, ones);
        double worstGelu = 0, worstDerivative = 0;
        for (int i = 0; i < points.Length; i++)
        {
            worstGelu = Math.Max(worstGelu, Ulps(gelu[i], points[i].Gelu));
            worstDerivative = Math.Max(worstDerivative, Ulps(derivative[i], points[i].Derivative, DerivativeScale(points[i])));
        }
        Assert.True(points.Length > 1700, $"{points.Length} points");
        Assert.True(worstGelu <= SingleUlps, $"gelu: {worstGelu} ulps");
        Assert.True(worstDerivative <= SingleUlps, $"gelu′: {worstDerivative} ulps");
    }

    [Fact]
    public void SpecialValues()
    {
        double[] x = [double.NaN, double.NegativeInfinity, double.PositiveInfinity, -40, -1e300, 1e300, 0, -0.0];
        var gelu = new double[x.Length];
        var derivative = new double[x.Length];
        var ones = Enumerable.Repeat(1.0, x.Length).ToArray();
        GeluVector.Gelu<double>(x, gelu);
        GeluVector.GeluBackward<double>(x, ones, derivative);
        Assert.True(double.IsNaN(gelu[0]) && double.IsNaN(derivative[0]));
        Assert.Equal([0, double.PositiveInfinity, 0, 0, 1e300, 0, 0], gelu[1..]);
        Assert.Equal([0, 1, 0, 0, 1, 0.5, 0.5], derivative[1..]);
    }

    [Fact]
    public void EachElementDependsOnItsValueAlone()
    {
        var random = new Random(5);
        double[] values = [.. Enumerable.Range(0, 80).Select(_ => (random.NextDouble() - 0.5) * 24)];
        float[] singles = [.. values.Select(v => (float)v)];
        var whole = new double[values.Length];
        var wholeSingle = new float[values.Length];
        GeluVector.GeluBackward<double>(values, values, whole);
        GeluVector.GeluBackward<float>(singles, singles, wholeSingle);
        for (int start = 0; start < 9; start++)
        {
            for (int length = 0; start + length <= values.Length; length += 7)
            {
                var part = new double[length];
                var partSingle = new float[length];
                GeluVector.GeluBackward<double>(values.AsSpan(start, length), values.AsSpan(start, length), part);
                GeluVector.GeluBackward<float>(singles.AsSpan(start, length), singles.AsSpan(start, length), partSingle);
                Assert.Equal(whole.AsSpan(start, length).ToArray(), part);
                Assert.Equal(wholeSingle.AsSpan(start, length).ToArray(), partSingle);
            }
        }
    }

    [Fact]
    public void InPlaceMatchesOutOfPlace()
    {
        double[] x = [.. Enumerable.Range(0, 37).Select(i => (i - 18) * 0.37)];
        var expected = new double[x.Length];
        GeluVector.Gelu<double>(x, expected);
        GeluVector.Gelu<double>(x, x);
        Assert.Equal(expected, x);
    }
}
