using System.Globalization;
using System.Numerics;
using AutoGradGen.Compute;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The element-wise functions with a scalar parameter — leaky ReLU with its slope s, the power with its exponent p — and
/// their derivative kernels (<c>LeakyReluBackward</c>, <c>NegativePart</c> = min(x, 0), <c>NegativePartBackward</c>,
/// <c>PowBackward</c>, <c>PowSecond</c>, <c>PowMixedSecond</c>): against the formulas written out in double on every
/// vector length 0..67 and odd matrix shapes, the vector form against the scalar form the generated code uses for
/// scalars (bitwise), each derivative kernel against central differences of the function it differentiates (in x, in
/// the slope, in the exponent), and at the points the docs promise something for (x = 0, negative bases, p = 0 or 1).
/// </summary>
public abstract class ParameterizedElementwiseTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly bool IsFloat = typeof(T) == typeof(float);

    private static T V(double x) => T.CreateChecked(x);

    /// <summary>
    /// One kernel: its formula on (x, g, s) in double, the magnitude its rounding error scales with, the x range, the
    /// scalar parameters tried, the tolerance in ε, and its vector, matrix and scalar forms.
    /// </summary>
    private sealed record Kernel(
        Func<double, double, double, double> Formula,
        Func<double, double, double, double> Magnitude,
        double Lo,
        double Hi,
        double[] Parameters,
        double Ulps,
        Func<Vector<T>, Vector<T>, T, Vector<T>> OnVector,
        Func<Matrix<T>, Matrix<T>, T, Matrix<T>> OnMatrix,
        Func<T, T, T, T> OnScalar);

    private static readonly double[] Slopes = [0.01, 0, -0.5, 1.5];

    private static readonly double[] Exponents = [3, 2, 1, 0, 0.5, -1.5, 2.25];

    private static double PowDerivative(double x, double p) => p == 0 ? 0 : p * Math.Pow(x, p - 1);

    private static double PowSecondDerivative(double x, double p) => p == 0 || p == 1 ? 0 : p * (p - 1) * Math.Pow(x, p - 2);

    private static Kernel Spec(string name) => name switch
    {
        "LeakyRelu" => new(
            (x, _, s) => x > 0 ? x : s * x, (x, _, s) => Math.Abs(x), -3, 3, Slopes, 1,
            (x, _, s) => Ops.LeakyRelu(x, s), (a, _, s) => Ops.LeakyRelu(a, s), (x, _, s) => Ops.LeakyRelu(x, s)),
        "LeakyReluBackward" => new(
            (x, g, s) => x > 0 ? g : s * g, (_, g, _) => Math.Abs(g), -3, 3, Slopes, 1,
            Elementwise.LeakyReluBackward, Elementwise.LeakyReluBackward, (x, g, s) => x > T.Zero ? g : s * g),
        "NegativePart" => new(
            (x, _, _) => Math.Min(x, 0), (x, _, _) => Math.Abs(x), -3, 3, [0], 0,
            (x, _, _) => Elementwise.NegativePart(x), (a, _, _) => Elementwise.NegativePart(a), (x, _, _) => x > T.Zero ? T.Zero : x),
        "NegativePartBackward" => new(
            (x, g, _) => x > 0 ? 0 : g, (_, g, _) => Math.Abs(g), -3, 3, [0], 0,
            (x, g, _) => Elementwise.NegativePartBackward(x, g), (a, g, _) => Elementwise.NegativePartBackward(a, g), (x, g, _) => x > T.Zero ? T.Zero : g),
        "Pow" => new(
            (x, _, p) => Math.Pow(x, p), (x, _, p) => Math.Pow(x, p), 0.05, 4, Exponents, 4,
            (x, _, p) => Ops.Pow(x, p), (a, _, p) => Ops.Pow(a, p), (x, _, p) => Ops.Pow(x, p)),
        "PowBackward" => new(
            (x, g, p) => g * PowDerivative(x, p), (x, g, p) => Math.Abs(g * PowDerivative(x, p)), 0.05, 4, Exponents, 8,
            Elementwise.PowBackward, Elementwise.PowBackward, (x, g, p) => g * Elementwise.PowDerivative(x, p)),
        "PowSecond" => new(
            (x, h, p) => h * PowSecondDerivative(x, p), (x, h, p) => Math.Abs(h * PowSecondDerivative(x, p)), 0.05, 4, Exponents, 8,
            Elementwise.PowSecond, Elementwise.PowSecond, (x, h, p) => h * Elementwise.PowSecondDerivative(x, p)),
        "PowMixedSecond" => new(
            (x, h, p) => h * Math.Pow(x, p - 1) * (1 + (p * Math.Log(x))),
            (x, h, p) => Math.Abs(h * Math.Pow(x, p - 1)) * (1 + Math.Abs(p * Math.Log(x))), 0.05, 4, Exponents, 8,
            Elementwise.PowMixedSecond, Elementwise.PowMixedSecond, (x, h, p) => h * Elementwise.PowMixedDerivative(x, p)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static TheoryData<string> Kernels() =>
        ["LeakyRelu", "LeakyReluBackward", "NegativePart", "NegativePartBackward", "Pow", "PowBackward", "PowSecond", "PowMixedSecond"];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void VectorFormMatchesTheFormulaOnEveryLength_AndTheScalarFormBitwise(string name)
    {
        var k = Spec(name);
        foreach (double parameter in k.Parameters)
        {
            T s = V(parameter);
            foreach (int n in Shapes.Lengths)
            {
                var x = Inputs.RandomArray<T>(n, seed: 100 + n, k.Lo, k.Hi);
                var g = Inputs.RandomArray<T>(n, seed: 200 + n, -3, 3);
                var (vx, vg) = (Vector<T>.FromArray(x), Vector<T>.FromArray(g));
                var actual = k.OnVector(vx, vg, s);
                for (int i = 0; i < n; i++)
                {
                    string at = string.Create(CultureInfo.InvariantCulture, $"{name} (s = {parameter}) length {n} at {i}");
                    Close(k, Naive.D(x[i]), Naive.D(g[i]), Naive.D(s), actual[i], at);
                    Assert.Equal(k.OnScalar(x[i], g[i], s), actual[i]);
                }
                Assert.Equal(x, vx.ToArray());
                Assert.Equal(g, vg.ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void MatrixFormMatchesTheFormula(string name)
    {
        var k = Spec(name);
        T s = V(k.Parameters[^1]);
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var a = Inputs.RandomMatrix<T>(rows, cols, seed: 300 + rows, k.Lo, k.Hi);
            var g = Inputs.RandomMatrix<T>(rows, cols, seed: 400 + cols, -3, 3);
            var actual = k.OnMatrix(Matrix<T>.FromArray(a), Matrix<T>.FromArray(g), s);
            Assert.Equal(rows, actual.Rows);
            Assert.Equal(cols, actual.Cols);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    Close(k, Naive.D(a[i, j]), Naive.D(g[i, j]), Naive.D(s), actual[i, j], $"{name} {rows}×{cols} at ({i}, {j})");
                }
            }
        }
    }

    /// <summary>(the derivative kernel, the function it differentiates, in which variable: x, or s for the slope or exponent).</summary>
    public static TheoryData<string, string, string> Derivatives() => new()
    {
        { "LeakyReluBackward", "LeakyRelu", "x" },
        { "NegativePart", "LeakyRelu", "s" },
        { "NegativePartBackward", "LeakyReluBackward", "s" },
        { "PowBackward", "Pow", "x" },
        { "PowSecond", "PowBackward", "x" },
        { "PowMixedSecond", "PowBackward", "s" },
    };

    [Theory]
    [MemberData(nameof(Derivatives))]
    public void DerivativeKernelMatchesCentralDifferences(string derivative, string function, string variable)
    {
        // d/dv [h f(x; s)] at x ± ε (or s ± ε), divided by the step actually taken in T; x stays 0.3 away from the kink at 0.
        var d = Spec(derivative);
        var f = Spec(function);
        double eps = IsFloat ? 1.0 / 128 : 1e-5;
        double tol = IsFloat ? 3e-3 : 1e-7;
        const int n = 67;
        var magnitude = Inputs.RandomArray<T>(n, seed: 51, 0.3, 3);
        var x = function.StartsWith("Pow", StringComparison.Ordinal)
            ? magnitude
            : magnitude.Select((m, i) => i % 2 == 0 ? m : -m).ToArray();
        var h = Vector<T>.FromArray(Inputs.RandomArray<T>(n, seed: 52, -2, 2));
        var ones = Vector<T>.FromArray(Enumerable.Repeat(T.One, n).ToArray());
        // A backward function carries the factor h itself; a forward one is evaluated as is and its difference scaled by
        // h, except for NegativePart, which is min(x, 0) alone.
        bool forward = function is "LeakyRelu" or "Pow";
        bool scaled = forward && derivative != "NegativePart";
        foreach (double parameter in d.Parameters)
        {
            T s = V(parameter);
            Vector<T> At(T[] xs, T sv) => f.OnVector(Vector<T>.FromArray(xs), forward ? ones : h, sv);
            Vector<T> up, down;
            double[] step;
            if (variable == "x")
            {
                var plus = x.Select(v => v + V(eps)).ToArray();
                var minus = x.Select(v => v - V(eps)).ToArray();
                (up, down) = (At(plus, s), At(minus, s));
                step = Enumerable.Range(0, n).Select(i => Naive.D(plus[i]) - Naive.D(minus[i])).ToArray();
            }
            else
            {
                (up, down) = (At(x, s + V(eps)), At(x, s - V(eps)));
                step = Enumerable.Repeat(Naive.D(s + V(eps)) - Naive.D(s - V(eps)), n).ToArray();
            }
            var kernel = d.OnVector(Vector<T>.FromArray(x), h, s);
            for (int i = 0; i < n; i++)
            {
                double numeric = (Naive.D(up[i]) - Naive.D(down[i])) / step[i] * (scaled ? Naive.D(h[i]) : 1);
                double got = Naive.D(kernel[i]);
                string at = string.Create(CultureInfo.InvariantCulture, $"{derivative} vs d{function}/d{variable} (s = {parameter}) at x = {Naive.D(x[i]):R}");
                Assert.True(Math.Abs(numeric - got) <= tol * (1 + Math.Abs(numeric)), $"{at}: differences give {numeric:R}, the kernel {got:R}");
            }
        }
    }

    [Fact]
    public void LeakyReluAtZeroTakesTheSlope_AndNaNStaysNaN()
    {
        var x = Vector<T>.FromArray([T.Zero, V(-2), V(2), T.NaN]);
        var g = Vector<T>.FromArray([V(3), V(3), V(3), V(3)]);
        T s = V(0.25);
        var y = Ops.LeakyRelu(x, s);
        Assert.Equal([T.Zero, V(-0.5), V(2)], y.ToArray()[..3]);
        Assert.True(T.IsNaN(y[3]));
        Assert.True(T.IsNaN(Ops.LeakyRelu(T.NaN, s)));
        Assert.Equal(V(0.75), Elementwise.LeakyReluBackward(x, g, s)[0]);          // f′(0) = s
        Assert.Equal(V(3), Elementwise.NegativePartBackward(x, g)[0]);             // min(x, 0)′ at 0 is 1, to match
        Assert.Equal([T.Zero, V(-2), T.Zero], Elementwise.NegativePart(x).ToArray()[..3]);
        Assert.True(T.IsNaN(Elementwise.NegativePart(x)[3]));
    }

    [Fact]
    public void PowOfNegativeBasesFollowsMathPow()
    {
        // An integer exponent takes any sign (no exp(p log x) shortcut); a non-integer one gives NaN, like Math.Pow.
        var x = Vector<T>.FromArray([V(-2), V(-0.5), V(-3)]);
        var ones = Vector<T>.FromArray([T.One, T.One, T.One]);
        Assert.Equal([V(-8), V(-0.125), V(-27)], Ops.Pow(x, V(3)).ToArray());
        Assert.Equal([V(12), V(0.75), V(27)], Elementwise.PowBackward(x, ones, V(3)).ToArray());
        Assert.Equal([V(-12), V(-3), V(-18)], Elementwise.PowSecond(x, ones, V(3)).ToArray());
        Assert.Equal([V(-0.5), V(-2), Ops.Pow(V(-3), V(-1))], Ops.Pow(x, V(-1)).ToArray());
        Assert.All(Ops.Pow(x, V(0.5)).ToArray(), v => Assert.True(T.IsNaN(v)));
        Assert.Equal(V(-8), Ops.Pow(V(-2), V(3)));
        Assert.True(T.IsNaN(Ops.Pow(V(-2), V(2.5))));
        // The derivative in p goes through ln x: NaN for a negative base, whatever p.
        Assert.True(T.IsNaN(Elementwise.PowMixedSecond(x, ones, V(3))[0]));
    }

    [Fact]
    public void PowAtZero_TheFactorPOrPMinusOneWins()
    {
        var zero = Vector<T>.FromArray([T.Zero]);
        var g = Vector<T>.FromArray([V(2)]);
        Assert.Equal(T.One, Ops.Pow(zero, T.Zero)[0]);                              // 0⁰ = 1
        Assert.Equal(T.PositiveInfinity, Ops.Pow(zero, V(-1))[0]);
        Assert.Equal(T.Zero, Elementwise.PowBackward(zero, g, T.Zero)[0]);          // 0 · 0⁻¹ would be NaN
        Assert.Equal(V(2), Elementwise.PowBackward(zero, g, T.One)[0]);             // 1 · 0⁰
        Assert.Equal(T.Zero, Elementwise.PowBackward(zero, g, V(2))[0]);
        Assert.Equal(T.PositiveInfinity, Elementwise.PowBackward(zero, g, V(0.5))[0]);
        Assert.Equal(T.Zero, Elementwise.PowSecond(zero, g, T.Zero)[0]);
        Assert.Equal(T.Zero, Elementwise.PowSecond(zero, g, T.One)[0]);             // 1 · 0 · 0⁻¹ would be NaN
        Assert.Equal(V(4), Elementwise.PowSecond(zero, g, V(2))[0]);
        Assert.Equal(T.Zero, Elementwise.PowDerivative(T.Zero, T.Zero));
        Assert.Equal(T.Zero, Elementwise.PowSecondDerivative(T.Zero, T.One));
        Assert.Equal(T.One / V(3), Elementwise.PowMixedDerivative(V(3), T.Zero));   // d/dp [p x^(p−1)] at p = 0 is 1/x
    }

    [Fact]
    public void ShapeMismatchesNameBothShapes()
    {
        var a = new Matrix<T>(2, 3);
        var b = new Matrix<T>(3, 2);
        var x = new Vector<T>(2);
        var y = new Vector<T>(3);
        foreach (var call in new Func<object>[]
        {
            () => Elementwise.LeakyReluBackward(a, b, T.One), () => Elementwise.LeakyReluBackward(x, y, T.One),
            () => Elementwise.NegativePartBackward(a, b), () => Elementwise.NegativePartBackward(x, y),
            () => Elementwise.PowBackward(a, b, T.One), () => Elementwise.PowBackward(x, y, T.One),
            () => Elementwise.PowSecond(a, b, T.One), () => Elementwise.PowSecond(x, y, T.One),
            () => Elementwise.PowMixedSecond(a, b, T.One), () => Elementwise.PowMixedSecond(x, y, T.One),
        })
        {
            var ex = Assert.Throws<ArgumentException>(call);
            Assert.Contains(ex.Message.Contains("2×3", StringComparison.Ordinal) ? "3×2" : "3×1", ex.Message, StringComparison.Ordinal);
            Assert.True(ex.Message.Contains("2×3", StringComparison.Ordinal) || ex.Message.Contains("2×1", StringComparison.Ordinal), ex.Message);
        }
        Matrix<T>? d = null;
        Assert.StartsWith("PowBackward: x is 2×3 and g is 3×2; the shapes must match.",
            Assert.Throws<ArgumentException>(() => Elementwise.PowBackward(a, b, T.One, ref d)).Message, StringComparison.Ordinal);
    }

    /// <summary>|actual − formula| ≤ ulps ε (1 + magnitude); NaN and ∞ where the formula gives them.</summary>
    private static void Close(Kernel k, double x, double g, double s, T actual, string context)
    {
        double expected = k.Formula(x, g, s);
        double a = Naive.D(actual);
        bool ok = double.IsNaN(expected) ? double.IsNaN(a)
            : double.IsInfinity(expected) ? expected == a
            : Math.Abs(a - expected) <= k.Ulps * Near.Eps<T>() * (1 + k.Magnitude(x, g, s));
        Assert.True(ok, string.Create(CultureInfo.InvariantCulture, $"{context} ({typeof(T).Name}): x = {x:R}, g = {g:R}: expected {expected:R}, got {a:R}"));
    }
}

public sealed class ParameterizedElementwiseTestsFloat : ParameterizedElementwiseTests<float>
{
}

public sealed class ParameterizedElementwiseTestsDouble : ParameterizedElementwiseTests<double>
{
}
