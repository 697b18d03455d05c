using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// An independent Φ for the tests: for x ≤ 0, Φ(x) = φ(x) ∫₀^∞ e^(−|x|s − s²/2) ds (Φ(x) = 1 − Φ(−x) above); with
/// s = u/(1 + |x|) the integrand is smooth on the scale 1 and below e^(−30) past u = 60, integrated by composite Simpson
/// with 8 000 intervals and one Richardson step (O(h⁶)): relative error about 1e−14 up to |x| = 8 (checked against
/// 40-digit values while writing it), and nothing shared with the runtime's series and continued fraction.
/// </summary>
internal static class NormalReference
{
    public static double Cdf(double x)
    {
        if (x > 0)
        {
            return 1 - Cdf(-x);
        }
        const int n = 8_000;
        const double length = 60;
        double ax = -x;
        double scale = 1 + ax;
        double h = length / n;
        double fine = 0;
        double coarse = 0;
        for (int i = 0; i <= n; i++)
        {
            double u = i * h;
            double f = Math.Exp((-ax * u / scale) - (u * u / (2 * scale * scale)));
            bool end = i == 0 || i == n;
            fine += (end ? 1 : i % 2 == 1 ? 4 : 2) * f;
            if (i % 2 == 0)
            {
                coarse += (end ? 1 : (i / 2) % 2 == 1 ? 4 : 2) * f;
            }
        }
        double integral = ((16 * fine * h / 3) - (coarse * 2 * h / 3)) / 15;
        return Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI) * integral / scale;
    }
}

/// <summary>The runtime's erf, erfc and Φ against tabulated values (Abramowitz–Stegun, 20 digits) and the quadrature above.</summary>
public class SpecialFunctionsTests
{
    [Theory]
    [InlineData(0.1, 0.11246291601828489220)]
    [InlineData(0.5, 0.52049987781304653768)]
    [InlineData(1.0, 0.84270079294971486934)]
    [InlineData(2.0, 0.99532226501895273416)]
    [InlineData(2.5, 0.99959304798255504106)]
    [InlineData(-1.0, -0.84270079294971486934)]
    public void ErfMatchesTabulatedValues(double x, double expected)
    {
        double actual = SpecialFunctions.Erf(x);
        Assert.True(Math.Abs(actual - expected) <= 4e-16 * Math.Abs(expected), $"erf({x}) = {actual:R}, expected {expected:R}");
    }

    [Theory]
    [InlineData(3.0, 2.2090496998585441373e-05)]
    [InlineData(5.0, 1.5374597944280348502e-12)]
    [InlineData(10.0, 2.0884875837625447570e-45)]
    [InlineData(0.5, 0.47950012218695346232)]
    public void ErfcHasRelativeAccuracyInTheTail(double x, double expected)
    {
        double actual = SpecialFunctions.Erfc(x);
        Assert.True(Math.Abs(actual - expected) <= 2e-15 * expected, $"erfc({x}) = {actual:R}, expected {expected:R}");
    }

    [Theory]
    [InlineData(-8.0, 6.2209605742717841235e-16)]
    [InlineData(-5.0, 2.8665157187919391167e-07)]
    [InlineData(-1.0, 0.15865525393145705142)]
    [InlineData(1.0, 0.84134474606854294858)]
    public void NormalCdfMatchesTabulatedValues(double x, double expected)
    {
        double actual = SpecialFunctions.NormalCdf(x);
        Assert.True(Math.Abs(actual - expected) <= 4e-15 * expected, $"Φ({x}) = {actual:R}, expected {expected:R}");
    }

    [Fact]
    public void NormalCdfMatchesQuadrature_AndEdgeValues()
    {
        for (double x = -8; x <= 8; x += 0.37)
        {
            double expected = NormalReference.Cdf(x);
            double actual = SpecialFunctions.NormalCdf(x);
            Assert.True(Math.Abs(actual - expected) <= 3e-14 * expected, $"Φ({x}) = {actual:R}, expected {expected:R}");
        }
        Assert.Equal(0.5, SpecialFunctions.NormalCdf(0));
        Assert.Equal(1.0, SpecialFunctions.Erf(double.PositiveInfinity));
        Assert.Equal(0.0, SpecialFunctions.Erfc(double.PositiveInfinity));
        Assert.Equal(2.0, SpecialFunctions.Erfc(double.NegativeInfinity));
        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
        Assert.True(SpecialFunctions.Gelu(double.NegativeInfinity) == 0);
        Assert.True(SpecialFunctions.Gelu(-40) == 0); // Φ(−40) ≈ 4e−350 underflows (−0)
        Assert.Equal(1.0, SpecialFunctions.GeluDerivative(double.PositiveInfinity));
    }
}
