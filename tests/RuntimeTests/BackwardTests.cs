using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// Every <see cref="Elementwise"/> backward helper against its formula written out in double, on
/// every vector length 0..67 (each SIMD width and tail) and odd matrix shapes.
/// </summary>
public abstract class BackwardTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static TheoryData<string> Helpers() =>
        ["SigmoidBackward", "TanhBackward", "ReluBackward", "SoftplusBackward", "GeluBackward", "AbsBackward", "ExpBackward", "LogBackward", "SqrtBackward", "SquareBackward", "Divide"];

    private static T V(double x) => T.CreateChecked(x);

    /// <summary>The formula (first, g) ↦ adjoint, the first argument's range, and the tolerance in ε.</summary>
    private static (Func<double, double, double> Formula, double Lo, double Hi, double Ulps) Spec(string name) => name switch
    {
        "SigmoidBackward" => ((y, g) => g * y * (1 - y), 0, 1, 4),
        "TanhBackward" => ((y, g) => g * (1 - (y * y)), -1, 1, 4),
        "ReluBackward" => ((x, g) => x > 0 ? g : 0, -1, 1, 0),
        "SoftplusBackward" => ((x, g) => g / (1 + Math.Exp(-x)), -30, 30, 4),
        "GeluBackward" => ((x, g) => g * (NormalReference.Cdf(x) + (x * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI))), -8, 8, 64),
        "AbsBackward" => ((x, g) => x > 0 ? g : x < 0 ? -g : 0, -1, 1, 0),
        "ExpBackward" => ((y, g) => g * y, 0, 20, 1),
        "LogBackward" => ((x, g) => g / x, 0.01, 10, 1),
        "SqrtBackward" => ((y, g) => g / (2 * y), 0.01, 10, 1),
        "SquareBackward" => ((x, g) => 2 * x * g, -10, 10, 1),
        "Divide" => ((a, b) => a / b, -10, 10, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static Matrix<T> Apply(string name, Matrix<T> first, Matrix<T> g) => name switch
    {
        "SigmoidBackward" => Elementwise.SigmoidBackward(first, g),
        "TanhBackward" => Elementwise.TanhBackward(first, g),
        "ReluBackward" => Elementwise.ReluBackward(first, g),
        "SoftplusBackward" => Elementwise.SoftplusBackward(first, g),
        "GeluBackward" => Elementwise.GeluBackward(first, g),
        "AbsBackward" => Elementwise.AbsBackward(first, g),
        "ExpBackward" => Elementwise.ExpBackward(first, g),
        "LogBackward" => Elementwise.LogBackward(first, g),
        "SqrtBackward" => Elementwise.SqrtBackward(first, g),
        "SquareBackward" => Elementwise.SquareBackward(first, g),
        _ => Elementwise.Divide(first, g),
    };

    private static Vector<T> Apply(string name, Vector<T> first, Vector<T> g) => name switch
    {
        "SigmoidBackward" => Elementwise.SigmoidBackward(first, g),
        "TanhBackward" => Elementwise.TanhBackward(first, g),
        "ReluBackward" => Elementwise.ReluBackward(first, g),
        "SoftplusBackward" => Elementwise.SoftplusBackward(first, g),
        "GeluBackward" => Elementwise.GeluBackward(first, g),
        "AbsBackward" => Elementwise.AbsBackward(first, g),
        "ExpBackward" => Elementwise.ExpBackward(first, g),
        "LogBackward" => Elementwise.LogBackward(first, g),
        "SqrtBackward" => Elementwise.SqrtBackward(first, g),
        "SquareBackward" => Elementwise.SquareBackward(first, g),
        _ => Elementwise.Divide(first, g),
    };

    [Theory]
    [MemberData(nameof(Helpers))]
    public void VectorFormMatchesFormulaOnEveryLength(string name)
    {
        var (formula, lo, hi, ulps) = Spec(name);
        foreach (int n in Shapes.Lengths)
        {
            var first = Inputs.RandomArray<T>(n, seed: n, lo, hi);
            var g = Inputs.RandomArray<T>(n, seed: 500 + n, -3, 3);
            var expected = first.Zip(g, (p, q) => formula(Naive.D(p), Naive.D(q))).ToArray();
            var vFirst = Vector<T>.FromArray(first);
            var vG = Vector<T>.FromArray(g);
            Near.VectorEqual(expected, Apply(name, vFirst, vG), Near.Tol<T>(ulps + 1), $"{name} length {n}");
            Assert.Equal(first, vFirst.ToArray());
            Assert.Equal(g, vG.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Helpers))]
    public void MatrixFormMatchesFormula(string name)
    {
        var (formula, lo, hi, ulps) = Spec(name);
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var first = Inputs.RandomMatrix<T>(rows, cols, seed: rows, lo, hi);
            var g = Inputs.RandomMatrix<T>(rows, cols, seed: 600 + cols, -3, 3);
            var expected = Naive.Zip(Naive.ToDouble(first), Naive.ToDouble(g), formula);
            Near.MatrixEqual(expected, Apply(name, Matrix<T>.FromArray(first), Matrix<T>.FromArray(g)), Near.Tol<T>(ulps + 1), $"{name} {rows}×{cols}");
        }
    }

    [Fact]
    public void BackwardHelpersAreTheDerivativesOfTheForwardFunctions()
    {
        // Central differences of the forward Ops confirm the formulas are the right derivatives.
        double[] points = [-1.3, -0.2, 0.4, 1.7];
        var x = Vector<double>.FromArray(points);
        var g = Vector<double>.FromArray([1.0, -2.0, 0.5, 3.0]);
        var positive = Vector<double>.FromArray(points.Select(Math.Abs).ToArray());
        CheckDerivative(Ops.Sigmoid, v => Elementwise.SigmoidBackward(Ops.Sigmoid(v), g), x, g);
        CheckDerivative(Ops.Tanh, v => Elementwise.TanhBackward(Ops.Tanh(v), g), x, g);
        CheckDerivative(Ops.Relu, v => Elementwise.ReluBackward(v, g), x, g);
        CheckDerivative(Ops.Softplus, v => Elementwise.SoftplusBackward(v, g), x, g);
        CheckDerivative(Ops.Gelu, v => Elementwise.GeluBackward(v, g), x, g);
        CheckDerivative(Ops.Exp, v => Elementwise.ExpBackward(Ops.Exp(v), g), x, g);
        CheckDerivative(Ops.Log, v => Elementwise.LogBackward(v, g), positive, g);
        CheckDerivative(Ops.Sqrt, v => Elementwise.SqrtBackward(Ops.Sqrt(v), g), positive, g);
        CheckDerivative(Ops.Square, v => Elementwise.SquareBackward(v, g), x, g);
    }

    [Fact]
    public void ReluBackwardIsZeroAtZeroAndForNegativeInputs()
    {
        // Exact zeros, −0 and NaN at every position of every SIMD width and tail.
        T[] pattern = [V(0), V(-0.0), V(-1), V(1e-30), T.NaN, V(2), V(-1e-30)];
        foreach (int n in Shapes.Lengths)
        {
            var x = Enumerable.Range(0, n).Select(i => pattern[i % pattern.Length]).ToArray();
            var g = Enumerable.Range(0, n).Select(i => V(i + 1)).ToArray();
            var expected = Enumerable.Range(0, n).Select(i => x[i] > T.Zero ? g[i] : T.Zero).ToArray();
            Assert.Equal(expected, Elementwise.ReluBackward(Vector<T>.FromArray(x), Vector<T>.FromArray(g)).ToArray());
            Assert.Equal(
                expected.Select(Naive.D).ToArray(),
                Naive.Flatten(Naive.ToDouble(Elementwise.ReluBackward(Column(x), Column(g)).ToArray())));
        }
    }

    private static Matrix<T> Column(T[] values)
    {
        var m = new Matrix<T>(values.Length, 1);
        values.CopyTo(m.AsSpan());
        return m;
    }

    private static void CheckDerivative(
        Func<Vector<double>, Vector<double>> forward, Func<Vector<double>, Vector<double>> backward,
        Vector<double> x, Vector<double> g)
    {
        const double h = 1e-6;
        var adjoint = backward(x);
        for (int i = 0; i < x.Length; i++)
        {
            var plus = x.Clone();
            var minus = x.Clone();
            plus[i] += h;
            minus[i] -= h;
            double slope = (forward(plus)[i] - forward(minus)[i]) / (2 * h);
            Assert.True(Math.Abs((g[i] * slope) - adjoint[i]) < 1e-6, $"component {i}: {g[i] * slope} vs {adjoint[i]}");
        }
    }
}

public sealed class BackwardTestsFloat : BackwardTests<float>
{
}

public sealed class BackwardTestsDouble : BackwardTests<double>
{
}
