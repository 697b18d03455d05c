using System.Globalization;
using System.Numerics;
using AutoGradGen.Compute;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Every <see cref="Elementwise"/> second-derivative kernel <c>XSecond(saved, h)</c> = h ⊙ f″(x): against f″ written
/// out in double from the same inputs (every vector length 0..67 and odd matrix shapes), against central differences
/// of the matching first-derivative kernel <c>XBackward(saved, h)</c> = h ⊙ f′(x) in x, and in the tails where a
/// careless σ(1 − σ) or e^(−x²/2)(2 − x²) loses everything.
/// </summary>
public abstract class ElementwiseCurvatureTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static TheoryData<string> Kernels() =>
        ["ExpSecond", "LogSecond", "SigmoidSecond", "TanhSecond", "SoftplusSecond", "GeluSecond", "SqrtSecond"];

    private static readonly bool IsFloat = typeof(T) == typeof(float);

    /// <summary>h ⊙ f″ in terms of the saved value, the saved value's range, and the tolerance in ε.</summary>
    private static (Func<double, double, double> Formula, double Lo, double Hi, double Ulps) Spec(string name) => name switch
    {
        "ExpSecond" => ((y, h) => h * y, 0, 20, 1),
        "LogSecond" => ((x, h) => -h / (x * x), 0.01, 10, 3),
        "SigmoidSecond" => ((y, h) => h * y * (1 - y) * (1 - (2 * y)), 0, 1, 8),
        "TanhSecond" => ((y, h) => -2 * h * y * (1 - (y * y)), -1, 1, 8),
        "SoftplusSecond" => ((x, h) => h / ((1 + Math.Exp(-x)) * (1 + Math.Exp(x))), -30, 30, 8),
        "GeluSecond" => ((x, h) => h * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI) * (2 - (x * x)), -8, 8, 16),
        "SqrtSecond" => ((y, h) => -h / (4 * y * y * y), 0.01, 10, 4),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The forward function, whether the kernels take its output (else its input), and an x range for differences.</summary>
    private static (Func<double, double> F, bool SavesOutput, double Lo, double Hi) Forward(string name) => name switch
    {
        "ExpSecond" => (Math.Exp, true, -2, 2),
        "LogSecond" => (Math.Log, false, 0.5, 3),
        "SigmoidSecond" => (x => 1 / (1 + Math.Exp(-x)), true, -3, 3),
        "TanhSecond" => (Math.Tanh, true, -3, 3),
        "SoftplusSecond" => (x => Math.Log(1 + Math.Exp(x)), false, -3, 3),
        "GeluSecond" => (x => x, false, -3, 3), // the input is saved: the forward value is never needed
        "SqrtSecond" => (Math.Sqrt, true, 0.5, 3),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static Matrix<T> Second(string name, Matrix<T> saved, Matrix<T> h) => name switch
    {
        "ExpSecond" => Elementwise.ExpSecond(saved, h),
        "LogSecond" => Elementwise.LogSecond(saved, h),
        "SigmoidSecond" => Elementwise.SigmoidSecond(saved, h),
        "TanhSecond" => Elementwise.TanhSecond(saved, h),
        "SoftplusSecond" => Elementwise.SoftplusSecond(saved, h),
        "GeluSecond" => Elementwise.GeluSecond(saved, h),
        _ => Elementwise.SqrtSecond(saved, h),
    };

    private static Vector<T> Second(string name, Vector<T> saved, Vector<T> h) => name switch
    {
        "ExpSecond" => Elementwise.ExpSecond(saved, h),
        "LogSecond" => Elementwise.LogSecond(saved, h),
        "SigmoidSecond" => Elementwise.SigmoidSecond(saved, h),
        "TanhSecond" => Elementwise.TanhSecond(saved, h),
        "SoftplusSecond" => Elementwise.SoftplusSecond(saved, h),
        "GeluSecond" => Elementwise.GeluSecond(saved, h),
        _ => Elementwise.SqrtSecond(saved, h),
    };

    /// <summary>The matching first-derivative kernel, h ⊙ f′(x), on the same saved value.</summary>
    private static Vector<T> Backward(string name, Vector<T> saved, Vector<T> h) => name switch
    {
        "ExpSecond" => Elementwise.ExpBackward(saved, h),
        "LogSecond" => Elementwise.LogBackward(saved, h),
        "SigmoidSecond" => Elementwise.SigmoidBackward(saved, h),
        "TanhSecond" => Elementwise.TanhBackward(saved, h),
        "SoftplusSecond" => Elementwise.SoftplusBackward(saved, h),
        "GeluSecond" => Elementwise.GeluBackward(saved, h),
        _ => Elementwise.SqrtBackward(saved, h),
    };

    /// <summary>The value the kernels take for the input x: x itself, or the forward output computed by the runtime.</summary>
    private static Vector<T> Saved(string name, Vector<T> x) => name switch
    {
        "ExpSecond" => Elementwise.Exp(x),
        "SigmoidSecond" => Elementwise.Sigmoid(x),
        "TanhSecond" => Elementwise.Tanh(x),
        "SqrtSecond" => Elementwise.Sqrt(x),
        _ => x.Clone(),
    };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void VectorFormMatchesFormulaOnEveryLength(string name)
    {
        var (formula, lo, hi, ulps) = Spec(name);
        foreach (int n in Shapes.Lengths)
        {
            var saved = Inputs.RandomArray<T>(n, seed: 700 + n, lo, hi);
            var h = Inputs.RandomArray<T>(n, seed: 800 + n, -3, 3);
            var expected = saved.Zip(h, (s, q) => formula(Naive.D(s), Naive.D(q))).ToArray();
            var vSaved = Vector<T>.FromArray(saved);
            var vH = Vector<T>.FromArray(h);
            Near.VectorEqual(expected, Second(name, vSaved, vH), Near.Tol<T>(ulps + 1), $"{name} length {n}");
            Assert.Equal(saved, vSaved.ToArray());
            Assert.Equal(h, vH.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void MatrixFormMatchesFormula(string name)
    {
        var (formula, lo, hi, ulps) = Spec(name);
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var saved = Inputs.RandomMatrix<T>(rows, cols, seed: 900 + rows, lo, hi);
            var h = Inputs.RandomMatrix<T>(rows, cols, seed: 1000 + cols, -3, 3);
            var expected = Naive.Zip(Naive.ToDouble(saved), Naive.ToDouble(h), formula);
            var actual = Second(name, Matrix<T>.FromArray(saved), Matrix<T>.FromArray(h));
            Near.MatrixEqual(expected, actual, Near.Tol<T>(ulps + 1), $"{name} {rows}×{cols}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void MatchesCentralDifferencesOfTheBackwardKernel(string name)
    {
        // d/dx [h f′(x)] = h f″(x): the first-derivative kernel at x ± ε, divided by the step actually taken in T.
        var (_, _, lo, hi) = Forward(name);
        double eps = IsFloat ? 1.0 / 128 : 1e-5;
        double tol = IsFloat ? 3e-3 : 1e-7;
        const int n = 67;
        var x = Inputs.RandomArray<T>(n, seed: 31, lo, hi);
        var h = Vector<T>.FromArray(Inputs.RandomArray<T>(n, seed: 32));
        var plus = Vector<T>.FromArray(x.Select(v => v + T.CreateChecked(eps)).ToArray());
        var minus = Vector<T>.FromArray(x.Select(v => v - T.CreateChecked(eps)).ToArray());
        var up = Backward(name, Saved(name, plus), h);
        var down = Backward(name, Saved(name, minus), h);
        var second = Second(name, Saved(name, Vector<T>.FromArray(x)), h);
        var asMatrix = Second(name, Column(Saved(name, Vector<T>.FromArray(x))), Column(h));
        for (int i = 0; i < n; i++)
        {
            double step = Naive.D(plus[i]) - Naive.D(minus[i]);
            double numeric = (Naive.D(up[i]) - Naive.D(down[i])) / step;
            string at = string.Create(CultureInfo.InvariantCulture, $"{name} ({typeof(T).Name}) at x = {Naive.D(x[i]):R}");
            Assert.True(Math.Abs(numeric - Naive.D(second[i])) <= tol * (1 + Math.Abs(numeric)),
                $"{at}: differences give {numeric:R}, the kernel {Naive.D(second[i]):R}");
            Assert.Equal(second[i], asMatrix[i, 0]);
        }
    }

    [Fact]
    public void ForwardFunctionsAgreeWithTheRuntime()
    {
        // The saved values the difference test feeds in are the runtime's; the formulas above read them as f(x).
        var x = Vector<T>.FromArray(Inputs.RandomArray<T>(11, seed: 33, 0.5, 3));
        foreach (string name in new[] { "ExpSecond", "SigmoidSecond", "TanhSecond", "SqrtSecond" })
        {
            var saved = Saved(name, x);
            for (int i = 0; i < x.Length; i++)
            {
                Near.ScalarEqual(Forward(name).F(Naive.D(x[i])), saved[i], Near.Tol<T>(8), name);
            }
        }
    }

    [Fact]
    public void SoftplusSecondKeepsItsRelativeAccuracyInBothTails()
    {
        // σ(x)(1 − σ(x)) = 1 / ((1 + e⁻ˣ)(1 + eˣ)), no difference in it: 1 − σ(40) is 0 in double, the kernel must not be.
        double[] points = IsFloat ? [-80, -40, -20, -5, 5, 20, 40, 80] : [-700, -200, -40, -20, 20, 40, 200, 700];
        var x = Vector<T>.FromArray(points.Select(T.CreateChecked).ToArray());
        var h = Vector<T>.FromArray(points.Select(_ => T.CreateChecked(-1.5)).ToArray());
        var actual = Elementwise.SoftplusSecond(x, h);
        for (int i = 0; i < points.Length; i++)
        {
            double p = points[i];
            RelativelyClose(-1.5 / ((1 + Math.Exp(-p)) * (1 + Math.Exp(p))), Naive.D(actual[i]), 8, $"SoftplusSecond at {p}");
        }
    }

    [Fact]
    public void GeluSecondKeepsItsRelativeAccuracyInBothTailsAndNearItsZeros()
    {
        // φ(x)(2 − x²): tiny in the tails, and 2 − x² must not be the difference of two rounded numbers near ±√2.
        double root = Naive.D(T.CreateChecked(Math.Sqrt(2)));
        double[] points = [-12, -9, -root, -1, 0, 0.5, root, 6, 12];
        var x = Vector<T>.FromArray(points.Select(T.CreateChecked).ToArray());
        var h = Vector<T>.FromArray(points.Select(_ => T.CreateChecked(2)).ToArray());
        var actual = Elementwise.GeluSecond(x, h);
        for (int i = 0; i < points.Length; i++)
        {
            double p = points[i];
            double twoMinusSquare = Math.FusedMultiplyAdd(-p, p, 2); // 2 − p² rounded once (exact for a float p)
            double expected = 2 * Math.Exp(-p * p / 2) / Math.Sqrt(2 * Math.PI) * twoMinusSquare;
            RelativelyClose(expected, Naive.D(actual[i]), 8, $"GeluSecond at {p:R}");
        }
    }

    [Fact]
    public void SoftplusAndGeluSecondAreZeroAtInfinityAndNaNForNaN()
    {
        var x = Vector<T>.FromArray([T.PositiveInfinity, T.NegativeInfinity, T.NaN]);
        var h = Vector<T>.FromArray([T.One, T.One, T.One]);
        foreach (var result in new[] { Elementwise.SoftplusSecond(x, h), Elementwise.GeluSecond(x, h) })
        {
            Assert.Equal(T.Zero, result[0]);
            Assert.Equal(T.Zero, result[1]);
            Assert.True(T.IsNaN(result[2]));
        }
    }

    private static void RelativelyClose(double expected, double actual, double ulps, string context)
    {
        double tol = ulps * Near.Eps<T>() * Math.Abs(expected);
        Assert.True(Math.Abs(actual - expected) <= tol,
            string.Create(CultureInfo.InvariantCulture, $"{context} ({typeof(T).Name}): expected {expected:R}, got {actual:R}"));
    }

    private static Matrix<T> Column(Vector<T> v)
    {
        var m = new Matrix<T>(v.Length, 1);
        v.AsSpan().CopyTo(m.AsSpan());
        return m;
    }
}

public sealed class ElementwiseCurvatureTestsFloat : ElementwiseCurvatureTests<float>
{
}

public sealed class ElementwiseCurvatureTestsDouble : ElementwiseCurvatureTests<double>
{
}
