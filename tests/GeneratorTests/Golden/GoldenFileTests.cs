using System.Runtime.CompilerServices;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.Golden;

/// <summary>
/// The emitted source of the lecture's examples 1–4, of softmax regression (example 5, batched) and of the
/// single-image convolution (example 7), compared exactly (only line endings are
/// normalized) with the golden files next to this test in the source tree. Set
/// <c>AUTOGRADGEN_RECORD=1</c> to (re)write them; then review the diff like any code change. Examples that
/// generate more than one file (the two-layer network and its layer) are in <see cref="DeepGoldenFileTests"/>.
/// </summary>
public class GoldenFileTests
{
    private const string Header = """
        using AutoGradGen;
        using static AutoGradGen.Ops;

        namespace Seed;

        public static partial class Lecture
        {

        """;

    public static readonly Dictionary<string, string> Examples = new()
    {
        ["Bilinear"] = """
                [Differentiable]
                public static double Bilinear(Vector<double> x, Matrix<double> A, Vector<double> y) => Dot(x, A * y);
            """,
        ["LeastSquares"] = """
                [Differentiable]
                public static double LeastSquares([NoGradient] Matrix<double> X, Vector<double> w, [NoGradient] Vector<double> y) => SquaredNorm(X * w - y);
            """,
        ["GaussianNll"] = """
                [Differentiable]
                public static double GaussianNll(Matrix<double> Sigma, Vector<double> mu, [NoGradient] Matrix<double> X) { int N = X.Cols; var C = X - mu; return N * LogDet(Sigma) + Sum(Hadamard(C, Solve(Sigma, C))); }
            """,
        ["SigmoidForm"] = """
                [Differentiable]
                public static double SigmoidForm([NoGradient] Vector<double> x, [NoGradient] Matrix<double> A, Matrix<double> B, Vector<double> z, Vector<double> b) { var h = Inverse(B) * z + b; return Dot(x, A * Sigmoid(h)); }
            """,
        ["SoftmaxRegressionBatched"] = """
                [Differentiable]
                public static double SoftmaxRegressionBatched(Matrix<double> W, Vector<double> b, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y) => CrossEntropy(W * X + b, Y);
            """,
        ["Convolution"] = """
                [Differentiable]
                public static double Convolution(Matrix<double> X, Matrix<double> K, [NoGradient] Matrix<double> T, int stride, int padding) => SquaredNorm(Conv2D(X, K, stride, padding) - T);
            """,
        ["LogisticLoss"] = """
                [Differentiable]
                public static double LogisticLoss(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y, [NoGradient] Vector<double> yc)
                {
                    var z = X * w;
                    return -(Dot(y, Log(Sigmoid(z))) + Dot(yc, Log(Sigmoid(-z)))) / X.Rows;
                }
            """,
        ["Slicing"] = """
                [Differentiable]
                public static double Slicing(Matrix<double> W, [NoGradient] Matrix<double> X, int t)
                {
                    var h = Tanh(W * Column(X, t));
                    var Z = ConcatColumns(SliceRows(W, 0, 2), Outer(SliceRows(h, 0, 2), h));
                    return SquaredNorm(Z) + W[0, t];
                }
            """,
        ["ElmanRnn"] = """
                [Differentiable]
                public static double ElmanRnn(Matrix<double> W, Matrix<double> U, Vector<double> b, [NoGradient] Vector<double> x, Vector<double> h0, int T)
                {
                    var h = h0;
                    for (int t = 0; t < T; t++)
                    {
                        h = Tanh(W * h + U * x + b);
                    }
                    return Sum(Square(h));
                }
            """,
        ["SoftThresholdRegression"] = """
                [Pullback(nameof(SoftThresholdPullback))]
                [Differential(nameof(SoftThresholdDifferential))]
                public static Vector<double> SoftThreshold(Vector<double> x, double t)
                {
                    var y = new Vector<double>(x.Length);
                    for (int i = 0; i < x.Length; i++) { y[i] = x[i] > t ? x[i] - t : x[i] < -t ? x[i] + t : 0.0; }
                    return y;
                }

                public static void SoftThresholdPullback(Vector<double> x, double t, Vector<double> value, Vector<double> seed, Vector<double>? dx, ref double dt)
                {
                    for (int i = 0; i < x.Length; i++)
                    {
                        if (x[i] > t || x[i] < -t) { if (dx is not null) { dx[i] += seed[i]; } dt -= x[i] > 0.0 ? seed[i] : -seed[i]; }
                    }
                }

                public static Vector<double> SoftThresholdDifferential(Vector<double> x, double t, Vector<double> value, Vector<double> dx, double dt)
                {
                    var d = new Vector<double>(x.Length);
                    for (int i = 0; i < x.Length; i++) { d[i] = x[i] > t ? dx[i] - dt : x[i] < -t ? dx[i] + dt : 0.0; }
                    return d;
                }

                [Differentiable]
                public static double SoftThresholdRegression(Matrix<double> W, double t, [NoGradient] Vector<double> x, [NoGradient] Vector<double> y) => SquaredNorm(SoftThreshold(W * x, t) - y);
            """,
        ["HuberLoss"] = """
                [Differentiable]
                public static double HuberLoss(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y, double delta)
                {
                    double r = Sum(X * w - y) / X.Rows;
                    double loss = 0;
                    if (System.Math.Abs(r) <= delta)
                        loss = r * r / 2;
                    else
                        loss = delta * (System.Math.Abs(r) - delta / 2);
                    return loss;
                }
            """,
        ["SoftplusLogistic"] = """
                [Differentiable]
                public static double SoftplusLogistic(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y)
                {
                    var z = X * w;
                    return (Sum(Softplus(z)) - Dot(y, z)) / X.Rows;
                }
            """,
        ["SmoothedRidge"] = """
                [Differentiable]
                public static double SmoothedRidge(Matrix<double> W, double lambda, [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
                {
                    var I = Matrix<double>.Identity(W.Cols);
                    var scale = 1 / System.Math.Sqrt(X.Cols);
                    var r = W * X - Y;
                    return scale * Sum(Sqrt(Square(r) + 1e-6)) + System.Math.Exp(lambda) * SquaredNorm(W - I);
                }
            """,
    };

    public static TheoryData<string> Names => new(Examples.Keys);

    public static string SourceOf(string name) => Header + Examples[name] + "\n}\n";

    private static bool Recording => Environment.GetEnvironmentVariable("AUTOGRADGEN_RECORD") == "1";

    /// <summary>The Golden directory in the source tree (not the copy in bin/), so recording updates the repository.</summary>
    private static string GoldenDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;

    private static string GoldenPath(string name) => Path.Combine(GoldenDirectory(), name + ".g.cs");

    private static string Generate(string name)
    {
        var run = GeneratorHarness.Run(SourceOf(name));
        Assert.Empty(run.GeneratorDiagnostics);
        var file = Assert.Single(run.Generated);
        Assert.StartsWith("Seed.Lecture." + name + "_", file.Key);
        return file.Value;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").Replace("\r", "\n");

    [Theory]
    [MemberData(nameof(Names))]
    public void EmittedSource_MatchesGoldenFile(string name)
    {
        var actual = Normalize(Generate(name));
        var path = GoldenPath(name);
        if (Recording)
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), "no golden file " + path + "; run with AUTOGRADGEN_RECORD=1 to record it");
        var expected = Normalize(File.ReadAllText(path));
        if (expected != actual)
        {
            Assert.Fail("generated source of " + name + " differs from " + path +
                        " (re-record with AUTOGRADGEN_RECORD=1 if the change is intended):\n" + FirstDifference(expected, actual));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EmittedSource_IsDeterministic(string name)
    {
        Assert.Equal(Generate(name), Generate(name));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EmittedSource_CompilesWithoutWarnings(string name)
    {
        var run = GeneratorHarness.Run(SourceOf(name));
        Assert.True(!run.Problems.Any(), string.Join("\n", run.Problems) + "\n\n" + string.Join("\n", run.Generated.Values));
        Assert.NotNull(GeneratorHarness.CompileAndLoad(SourceOf(name)));
    }

    /// <summary>The first differing line, with two lines of context either side, as "  n: expected" / "  n: actual".</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        int line = 0;
        while (line < e.Length && line < a.Length && e[line] == a[line])
        {
            line++;
        }
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("first difference at line " + (line + 1) + " (expected " + e.Length + " lines, actual " + a.Length + "):");
        for (int i = Math.Max(0, line - 2); i < Math.Min(Math.Max(e.Length, a.Length), line + 3); i++)
        {
            var ex = i < e.Length ? e[i] : "<end of file>";
            var ac = i < a.Length ? a[i] : "<end of file>";
            sb.AppendLine((ex == ac ? "   " : " - ") + (i + 1) + ": " + ex);
            if (ex != ac)
            {
                sb.AppendLine(" + " + (i + 1) + ": " + ac);
            }
        }
        return sb.ToString();
    }
}
