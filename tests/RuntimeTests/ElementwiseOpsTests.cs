using System.Numerics;
using AutoGradGen.Compute;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// The element-wise functions of <see cref="Ops"/> (matrix, vector and scalar forms) against
/// System.Math in double, on every length 0..67 and odd matrix shapes, and at extreme inputs.
/// </summary>
public abstract class ElementwiseOpsTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The functions under test; <see cref="Spec"/> gives each one's reference, input range and tolerance in ε.</summary>
    public static TheoryData<string> Functions() => ["Exp", "Log", "Sigmoid", "Tanh", "Relu", "Softplus", "Gelu", "Abs", "Square", "Sqrt"];

    private static T V(double x) => T.CreateChecked(x);

    private static (Func<double, double> Reference, double Lo, double Hi, double Ulps) Spec(string name) => name switch
    {
        "Exp" => (Math.Exp, -20, 20, 8),
        "Log" => (Math.Log, 1e-3, 50, 8),
        "Sigmoid" => (x => 1 / (1 + Math.Exp(-x)), -30, 30, 8),
        "Tanh" => (Math.Tanh, -10, 10, 8),
        "Relu" => (x => Math.Max(x, 0), -1, 1, 0),
        "Softplus" => (x => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x)), -40, 40, 8),
        "Gelu" => (x => x * NormalReference.Cdf(x), -8, 8, 64),
        "Abs" => (Math.Abs, -10, 10, 0),
        "Square" => (x => x * x, -10, 10, 1),
        "Sqrt" => (Math.Sqrt, 0, 100, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static Matrix<T> Apply(string name, Matrix<T> a) => name switch
    {
        "Exp" => Exp(a),
        "Log" => Log(a),
        "Sigmoid" => Sigmoid(a),
        "Tanh" => Tanh(a),
        "Relu" => Relu(a),
        "Softplus" => Softplus(a),
        "Gelu" => Gelu(a),
        "Abs" => Abs(a),
        "Square" => Square(a),
        _ => Sqrt(a),
    };

    private static Vector<T> Apply(string name, Vector<T> x) => name switch
    {
        "Exp" => Exp(x),
        "Log" => Log(x),
        "Sigmoid" => Sigmoid(x),
        "Tanh" => Tanh(x),
        "Relu" => Relu(x),
        "Softplus" => Softplus(x),
        "Gelu" => Gelu(x),
        "Abs" => Abs(x),
        "Square" => Square(x),
        _ => Sqrt(x),
    };

    private static T Apply(string name, T x) => name switch
    {
        "Exp" => Exp(x),
        "Log" => Log(x),
        "Sigmoid" => Sigmoid(x),
        "Tanh" => Tanh(x),
        "Relu" => Relu(x),
        "Softplus" => Softplus(x),
        "Gelu" => Gelu(x),
        "Abs" => Abs(x),
        "Square" => Square(x),
        _ => Sqrt(x),
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void VectorFormMatchesReferenceOnEveryLength(string name)
    {
        var (reference, lo, hi, ulps) = Spec(name);
        foreach (int n in Shapes.Lengths)
        {
            var x = Inputs.RandomArray<T>(n, seed: n, lo, hi);
            var v = Vector<T>.FromArray(x);
            var expected = Naive.ToDouble(x).Select(reference).ToArray();
            Near.VectorEqual(expected, Apply(name, v), Near.Tol<T>(ulps), $"{name} length {n}");
            Assert.Equal(x, v.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void MatrixFormMatchesReference(string name)
    {
        var (reference, lo, hi, ulps) = Spec(name);
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var a = Inputs.RandomMatrix<T>(rows, cols, seed: rows + cols, lo, hi);
            var m = Matrix<T>.FromArray(a);
            Near.MatrixEqual(Naive.Map(Naive.ToDouble(a), reference), Apply(name, m), Near.Tol<T>(ulps), $"{name} {rows}×{cols}");
            Assert.Equal(a, m.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void ScalarFormMatchesReference(string name)
    {
        var (reference, lo, hi, ulps) = Spec(name);
        foreach (T x in Inputs.RandomArray<T>(200, seed: 5, lo, hi))
        {
            Near.ScalarEqual(reference(Naive.D(x)), Apply(name, x), Near.Tol<T>(Math.Max(ulps, 2)), $"{name}({x})");
        }
    }

    [Fact]
    public void ScalarFormsCompose()
    {
        // Log(Sum(Exp(x))) mixes the vector and scalar forms, as the API promises.
        var x = Vector<T>.FromArray([V(1), V(2), V(3)]);
        double expected = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        Near.ScalarEqual(expected, Log(Sum(Exp(x))), Near.Tol<T>(8), "log-sum-exp");
    }

    [Fact]
    public void SigmoidIsFiniteAndSaturatesAtLargeMagnitudes()
    {
        double[] extremes = [1000, -1000, 800, -800, 710, -710, 100, -100, 89, -89, 88.5, -88.5, 50, -50];
        foreach (int n in new[] { 1, 7, 8, 16, 17, 33, 67 })
        {
            var values = Enumerable.Range(0, n).Select(i => V(extremes[i % extremes.Length])).ToArray();
            var y = Sigmoid(Vector<T>.FromArray(values));
            var row = new T[1, n];
            for (int i = 0; i < n; i++)
            {
                row[0, i] = values[i];
            }

            var ym = Sigmoid(Matrix<T>.FromArray(row));
            for (int i = 0; i < n; i++)
            {
                Assert.True(T.IsFinite(y[i]), $"σ({values[i]}) = {y[i]}");
                Assert.Equal(y[i], ym[0, i]);
                double expected = Naive.D(values[i]) > 0 ? 1 : 0;
                Assert.True(Math.Abs(Naive.D(y[i]) - expected) < 1e-6, $"σ({values[i]}) = {y[i]}");
                Assert.True(T.IsFinite(Sigmoid(values[i])), $"scalar σ({values[i]})");
                Assert.True(Math.Abs(Naive.D(Sigmoid(values[i])) - expected) < 1e-6, $"scalar σ({values[i]})");
            }
        }

        var big = Matrix<T>.FromArray(new[,] { { V(1000), V(-1000) }, { V(-1e30), V(1e30) } });
        var s = Sigmoid(big);
        Assert.Equal(new[,] { { T.One, T.Zero }, { T.Zero, T.One } }, s.ToArray());
        Assert.Equal(T.One, Tanh(V(1000)));
        Assert.Equal(-T.One, Tanh(Vector<T>.FromArray([V(-1000)]))[0]);
    }

    [Fact]
    public void SpecialValues()
    {
        Assert.True(T.IsNaN(Sigmoid(T.NaN)));
        Assert.Equal(T.Zero, Relu(V(-0.0)));
        Assert.Equal(T.Zero, Relu(V(-5)));
        Assert.Equal(V(3), Relu(V(3)));
        Assert.Equal(T.NegativeInfinity, Log(T.Zero));
        Assert.True(T.IsNaN(Log(V(-1))));
        Assert.True(T.IsNaN(Sqrt(Vector<T>.FromArray([V(-1)]))[0]));
        Assert.Equal(T.PositiveInfinity, Exp(Vector<T>.FromArray([V(1000)]))[0]);
        Assert.Equal(T.Zero, Exp(Matrix<T>.FromArray(new[,] { { V(-1000) } }))[0, 0]);
    }

    [Fact]
    public void HadamardMultipliesElementwise()
    {
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var a = Inputs.RandomMatrix<T>(rows, cols, seed: rows);
            var b = Inputs.RandomMatrix<T>(rows, cols, seed: 50 + cols);
            var expected = Naive.Zip(Naive.ToDouble(a), Naive.ToDouble(b), (p, q) => p * q);
            Near.MatrixEqual(expected, Hadamard(Matrix<T>.FromArray(a), Matrix<T>.FromArray(b)), Near.Tol<T>(1), $"A⊙B {rows}×{cols}");
        }

        foreach (int n in Shapes.Lengths)
        {
            var x = Inputs.RandomArray<T>(n, seed: n);
            var y = Inputs.RandomArray<T>(n, seed: 99 + n);
            var expected = x.Zip(y, (p, q) => Naive.D(p) * Naive.D(q)).ToArray();
            Near.VectorEqual(expected, Hadamard(Vector<T>.FromArray(x), Vector<T>.FromArray(y)), Near.Tol<T>(1), $"x⊙y {n}");
        }
    }

    [Fact]
    public void MaximumMinimumAndTheirMasks_OnEveryLength_TiesToTheFirst()
    {
        foreach (int n in Shapes.Lengths)
        {
            var a = Inputs.RandomArray<T>(n, seed: n, -3, 3);
            var b = Inputs.RandomArray<T>(n, seed: n + 11, -3, 3);
            for (int k = 0; k < n; k += 3)
            {
                b[k] = a[k]; // a tie every third entry
            }
            var (x, y) = (Vector<T>.FromArray(a), Vector<T>.FromArray(b));
            var (da, db) = (Naive.ToDouble(a), Naive.ToDouble(b));
            Near.VectorEqual(da.Zip(db, Math.Max).ToArray(), Ops.Maximum(x, y), 0, $"Maximum length {n}");
            Near.VectorEqual(da.Zip(db, Math.Min).ToArray(), Ops.Minimum(x, y), 0, $"Minimum length {n}");
            Near.VectorEqual(da.Zip(db, (p, q) => p >= q ? 1.0 : 0.0).ToArray(), Elementwise.AtLeastMask(x, y), 0, $"AtLeastMask length {n}");
            Near.VectorEqual(da.Zip(db, (p, q) => p > q ? 1.0 : 0.0).ToArray(), Elementwise.AboveMask(x, y), 0, $"AboveMask length {n}");
            for (int k = 0; k < n; k += 3)
            {
                // at a tie the first operand takes the whole gradient: max's masks are 𝟙[a ≥ b] = 1 and 𝟙[b > a] = 0
                Assert.Equal(T.One, Elementwise.AtLeastMask(x, y)[k]);
                Assert.Equal(T.Zero, Elementwise.AboveMask(y, x)[k]);
            }
        }
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var a = Inputs.RandomMatrix<T>(rows, cols, seed: rows + cols, -3, 3);
            var b = Inputs.RandomMatrix<T>(rows, cols, seed: rows + cols + 5, -3, 3);
            Near.MatrixEqual(Naive.Zip(Naive.ToDouble(a), Naive.ToDouble(b), Math.Max), Ops.Maximum(Matrix<T>.FromArray(a), Matrix<T>.FromArray(b)), 0, $"Maximum {rows}×{cols}");
            Near.MatrixEqual(Naive.Zip(Naive.ToDouble(a), Naive.ToDouble(b), Math.Min), Ops.Minimum(Matrix<T>.FromArray(a), Matrix<T>.FromArray(b)), 0, $"Minimum {rows}×{cols}");
        }
    }

    [Fact]
    public void DivideIsElementwise_OnEveryLengthAndShape()
    {
        foreach (int n in Shapes.Lengths)
        {
            var a = Inputs.RandomArray<T>(n, seed: n, -10, 10);
            var b = Inputs.RandomArray<T>(n, seed: n + 7, 0.5, 4);
            var expected = Enumerable.Range(0, n).Select(k => Naive.D(a[k]) / Naive.D(b[k])).ToArray();
            Near.VectorEqual(expected, Ops.Divide(Vector<T>.FromArray(a), Vector<T>.FromArray(b)), Near.Tol<T>(1) * 20, $"Divide length {n}");
        }
        foreach (var (rows, cols) in Shapes.Matrices)
        {
            var a = Inputs.RandomMatrix<T>(rows, cols, seed: rows + cols, -10, 10);
            var b = Inputs.RandomMatrix<T>(rows, cols, seed: rows + cols + 3, -4, -0.5);
            Near.MatrixEqual(Naive.Zip(Naive.ToDouble(a), Naive.ToDouble(b), (p, q) => p / q),
                Ops.Divide(Matrix<T>.FromArray(a), Matrix<T>.FromArray(b)), Near.Tol<T>(1) * 20, $"Divide {rows}×{cols}");
        }
        Assert.Throws<ArgumentException>(() => Ops.Divide(new Matrix<T>(2, 3), new Matrix<T>(3, 2)));
    }
}

public sealed class ElementwiseOpsTestsFloat : ElementwiseOpsTests<float>
{
}

public sealed class ElementwiseOpsTestsDouble : ElementwiseOpsTests<double>
{
}
