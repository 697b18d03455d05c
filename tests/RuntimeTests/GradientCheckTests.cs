using System.Numerics;
using Xunit;
using static AutoGradGen.Ops;

namespace AutoGradGen.RuntimeTests;

/// <summary>
/// GradientCheck: right gradients pass and wrong ones fail at the right entry, for matrix, vector
/// and scalar parameters in double and float; parameters are restored; the report reads well.
/// </summary>
public class GradientCheckTests
{
    [Fact]
    public void CorrectGradientsPass()
    {
        Model<double>.Build(out var run).EnsurePassed();
        Model<float>.Build(out _).EnsurePassed();
        Assert.True(run.Passed);
        Assert.Equal(["W", "b", "s"], run.Parameters.Select(p => p.Name));
        Assert.Equal(["3×4", "3×1", "scalar"], run.Parameters.Select(p => p.Shape));
        Assert.All(run.Parameters, p => Assert.True(p.MaxAbsoluteError < 1e-8, $"{p}"));
    }

    [Fact]
    public void ForwardDifferencesPassWithTheirLargerError()
    {
        var model = new Model<double>();
        var report = model.Check(new GradientCheckOptions { Central = false, Step = 1e-7, Tolerance = 1e-5 });
        Assert.True(report.Passed, report.ToString());
        Assert.False(report.Central);
        Assert.True(report.Parameters.Max(p => p.MaxAbsoluteError) > 1e-12, "forward differences are visibly less exact");
    }

    [Fact]
    public void AWrongEntryFailsAndIsLocated()
    {
        var model = new Model<double>();
        model.DW[1, 2] += 0.01;
        model.DS -= 0.5;
        var report = model.Check();
        Assert.False(report.Passed);
        var w = report.Parameters[0];
        Assert.False(w.Passed);
        Assert.Equal("(1, 2)", w.WorstEntry);
        Assert.Equal(0.01, w.MaxAbsoluteError, 1e-6);
        Assert.Equal(w.Analytic - 0.01, w.Numeric, 1e-6);
        Assert.True(report.Parameters[1].Passed);
        Assert.False(report.Parameters[2].Passed);
        string table = report.ToString();
        Assert.Contains("FAILED", table);
        Assert.Contains("(1, 2)", table);
        Assert.Equal(1 + 1 + 3, table.Split('\n').Length); // title, header, one row per parameter
        var ex = Assert.Throws<InvalidOperationException>(report.EnsurePassed);
        Assert.Contains("(1, 2)", ex.Message);
    }

    [Fact]
    public void AWrongVectorEntryInFloatIsLocated()
    {
        var model = new Model<float>();
        model.Db[2] *= -1;
        var report = model.Check();
        Assert.False(report.Parameters[1].Passed, report.ToString());
        Assert.Equal("[2]", report.Parameters[1].WorstEntry);
        Assert.True(report.Parameters[0].Passed, report.ToString());
    }

    [Fact]
    public void NaNGradientFails()
    {
        var model = new Model<double>();
        model.Db[0] = double.NaN;
        var report = model.Check();
        Assert.False(report.Parameters[1].Passed);
        Assert.Equal("[0]", report.Parameters[1].WorstEntry);
        Assert.True(double.IsNaN(report.Parameters[1].MaxAbsoluteError));
    }

    [Fact]
    public void ParametersAreRestoredBitForBit()
    {
        var model = new Model<double>();
        var w = model.W.AsSpan().ToArray();
        var b = model.B.ToArray();
        double s = model.S;
        model.Check();
        Assert.Equal(w, model.W.AsSpan().ToArray());
        Assert.Equal(b, model.B.ToArray());
        Assert.Equal(s, model.S);

        int calls = 0;
        Assert.Throws<InvalidOperationException>(() => GradientCheck.Run<double>(
            () => ++calls == 2 ? throw new InvalidOperationException("boom") : Sum(model.W),
            [GradientCheck.Parameter("W", model.W, model.DW)]));
        Assert.Equal(w, model.W.AsSpan().ToArray());
    }

    [Fact]
    public void MismatchedGradientThrowsNamingBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => GradientCheck.Parameter("W", new Matrix<double>(3, 4), new Matrix<double>(4, 3)));
        Assert.Contains("3×4", ex.Message);
        Assert.Contains("4×3", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => GradientCheck.Parameter("b", new Vector<double>(3), new Vector<double>(2)));
        Assert.Contains("3×1", ex.Message);
        Assert.Contains("2×1", ex.Message);
        Assert.Throws<ArgumentNullException>("function", () => GradientCheck.Run<double>(null!, []));
    }

    /// <summary>f(W, b, s) = s · Σ tanh(W X + b 1ᵀ), with its gradients by hand: G = s (1 − tanh²), ∇W = G Xᵀ, ∇b = G 1, ∇s = Σ tanh.</summary>
    private sealed class Model<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Model()
        {
            W = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(3, 4, 1));
            B = Vector<T>.FromArray(Inputs.RandomArray<T>(3, 2));
            X = Matrix<T>.FromArray(Inputs.RandomMatrix<T>(4, 5, 3));
            S = T.CreateChecked(1.5);
            var h = Tanh(W * X + B);
            var g = S * (Matrix<T>.FromArray(Naive2.Ones<T>(3, 5)) - Hadamard(h, h));
            DW = g * Transpose(X);
            Db = Compute.Linear.SumColumns(g);
            DS = Sum(h);
        }

        public Matrix<T> W { get; }

        public Vector<T> B { get; }

        public Matrix<T> X { get; }

        public T S { get; set; }

        public Matrix<T> DW { get; }

        public Vector<T> Db { get; }

        public T DS { get; set; }

        public static GradientCheckReport Build(out GradientCheckReport report)
        {
            report = new Model<T>().Check();
            return report;
        }

        public T F() => S * Sum(Tanh(W * X + B));

        public GradientCheckReport Check(GradientCheckOptions? options = null) => GradientCheck.Run(
            F,
            [GradientCheck.Parameter("W", W, DW), GradientCheck.Parameter("b", B, Db), GradientCheck.Parameter("s", () => S, v => S = v, DS)],
            options);
    }

    private static class Naive2
    {
        public static T[,] Ones<T>(int rows, int cols)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var result = new T[rows, cols];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    result[i, j] = T.One;
                }
            }

            return result;
        }
    }
}
