using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rules;

/// <summary>
/// Softmax, LogSoftmax (vector; matrix column by column) and CrossEntropy (vector; matrix as the mean over
/// columns), and the unfused spelling −yᵀ log softmax(h). Layers are checked through their pullback against the
/// explicit Jacobians (diag(s) − s sᵀ, I − 𝟙 sᵀ) built in <see cref="DeepRef"/>; the losses against
/// ∇H = (softmax(H) − Y)/N and ∇Y = −log softmax(H)/N.
/// </summary>
public class ClassificationRulesTests
{
    private static string Src(string body) => GradientAssert.Source(body);

    [Theory, InlineData("double"), InlineData("float")]
    public void SoftmaxOfVector_Pullback(string t)
    {
        var src = Src("[Differentiable] public static Vector<double> F(Vector<double> h) => Softmax(h);");
        var p = new Inputs(t, 1101).Vector("h", 5, -2, 2);
        var seed = new Inputs(t, 1102).Vector("s", 5).V("s");
        var h = p.V("h");
        GradientAssert.Pullback(src, "F", p, seed, DeepRef.Softmax(h), ("h", Mul(T(DeepRef.SoftmaxJacobian(h)), seed)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SoftmaxOfMatrix_IsColumnwise_Pullback(string t)
    {
        var src = Src("[Differentiable] public static Matrix<double> F(Matrix<double> H) => Softmax(H);");
        var p = new Inputs(t, 1103).Matrix("H", 4, 5, -2, 2);
        var seed = new Inputs(t, 1104).Matrix("S", 4, 5).M("S");
        var H = p.M("H");
        GradientAssert.Pullback(src, "F", p, seed, DeepRef.Softmax(H), ("H", DeepRef.ColumnwiseVjp(H, seed, DeepRef.SoftmaxJacobian)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LogSoftmaxOfVector_Pullback(string t)
    {
        var src = Src("[Differentiable] public static Vector<double> F(Vector<double> h) => LogSoftmax(h);");
        var p = new Inputs(t, 1105).Vector("h", 6, -2, 2);
        var seed = new Inputs(t, 1106).Vector("s", 6).V("s");
        var h = p.V("h");
        GradientAssert.Pullback(src, "F", p, seed, DeepRef.LogSoftmax(h), ("h", Mul(T(DeepRef.LogSoftmaxJacobian(h)), seed)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LogSoftmaxOfMatrix_IsColumnwise_Pullback(string t)
    {
        var src = Src("[Differentiable] public static Matrix<double> F(Matrix<double> H) => LogSoftmax(H);");
        var p = new Inputs(t, 1107).Matrix("H", 3, 4, -2, 2);
        var seed = new Inputs(t, 1108).Matrix("S", 3, 4).M("S");
        var H = p.M("H");
        GradientAssert.Pullback(src, "F", p, seed, DeepRef.LogSoftmax(H), ("H", DeepRef.ColumnwiseVjp(H, seed, DeepRef.LogSoftmaxJacobian)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SoftmaxInsideScalarLoss(string t)
    {
        // f = ⟨A, softmax(H)⟩ + Sum(log softmax(H)): both column-wise Jacobians, transposed, applied per column
        var src = Src("[Differentiable] public static double F(Matrix<double> H, [NoGradient] Matrix<double> A) => Dot(A, Softmax(H)) + Sum(LogSoftmax(H));");
        var p = new Inputs(t, 1109).Matrix("H", 4, 3, -2, 2).Matrix("A", 4, 3);
        var (H, A) = (p.M("H"), p.M("A"));
        var dH = Add(DeepRef.ColumnwiseVjp(H, A, DeepRef.SoftmaxJacobian), DeepRef.ColumnwiseVjp(H, Fill(4, 3, 1), DeepRef.LogSoftmaxJacobian));
        GradientAssert.Gradient(src, p, Dot(A, DeepRef.Softmax(H)) + Sum(DeepRef.LogSoftmax(H)), ("H", dH));
    }

    [Theory]
    [InlineData("double", true)]
    [InlineData("float", true)]
    [InlineData("double", false)]
    [InlineData("float", false)]
    public void CrossEntropyOfMatrix_MeanOverColumns(string t, bool oneHot)
    {
        // CE(H, Y) = −(1/N) Σⱼ yⱼᵀ log softmax(hⱼ): ∇H = (softmax(H) − Y)/N, ∇Y = −log softmax(H)/N
        var src = Src("[Differentiable] public static double F(Matrix<double> H, Matrix<double> Y) => CrossEntropy(H, Y);");
        const int K = 4, N = 5;
        var p = new Inputs(t, 1110).Matrix("H", K, N, -3, 3).Add("Y", DeepRef.Distributions(K, N, oneHot, 1111));
        var (H, Y) = (p.M("H"), p.M("Y"));
        GradientAssert.Gradient(src, p, DeepRef.CrossEntropy(H, Y),
            ("H", Scale(1.0 / N, Sub(DeepRef.Softmax(H), Y))),
            ("Y", Scale(-1.0 / N, DeepRef.LogSoftmax(H))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void CrossEntropyOfMatrix_TargetsAsData(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> H, [NoGradient] Matrix<double> Y) => CrossEntropy(H, Y);");
        const int K = 3, N = 7;
        var p = new Inputs(t, 1112).Matrix("H", K, N, -3, 3).Add("Y", DeepRef.Distributions(K, N, oneHot: true, 1113));
        var (H, Y) = (p.M("H"), p.M("Y"));
        GradientAssert.Gradient(src, p, DeepRef.CrossEntropy(H, Y), ("H", Scale(1.0 / N, Sub(DeepRef.Softmax(H), Y))));
    }

    [Theory]
    [InlineData("double", true)]
    [InlineData("float", true)]
    [InlineData("double", false)]
    [InlineData("float", false)]
    public void CrossEntropyOfVector(string t, bool oneHot)
    {
        // CE(h, y) = −yᵀ log softmax(h): ∇h = softmax(h) − y, ∇y = −log softmax(h)
        var src = Src("[Differentiable] public static double F(Vector<double> h, Vector<double> y) => CrossEntropy(h, y);");
        var p = new Inputs(t, 1114).Vector("h", 6, -3, 3).Add("y", Col(DeepRef.Distributions(6, 1, oneHot, 1115), 0));
        var (h, y) = (p.V("h"), p.V("y"));
        GradientAssert.Gradient(src, p, DeepRef.CrossEntropy(h, y), ("h", Sub(DeepRef.Softmax(h), y)), ("y", Scale(-1, DeepRef.LogSoftmax(h))));
    }

    private const string Unfused = "[Differentiable] public static double F(Vector<double> h, [NoGradient] Vector<double> y) => -Dot(y, Log(Softmax(h)));";

    [Theory]
    [InlineData("double", true)]
    [InlineData("float", true)]
    [InlineData("double", false)]
    [InlineData("float", false)]
    public void UnfusedCrossEntropy_Gradient(string t, bool oneHot)
    {
        var p = new Inputs(t, 1116).Vector("h", 5, -3, 3).Add("y", Col(DeepRef.Distributions(5, 1, oneHot, 1117), 0));
        var (h, y) = (p.V("h"), p.V("y"));
        GradientAssert.Gradient(Src(Unfused), p, DeepRef.CrossEntropy(h, y), ("h", Sub(DeepRef.Softmax(h), y)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void UnfusedCrossEntropy_ClosedFormIsTheLecturesSimplification(string t)
    {
        // The lecture: ∇h = softmax(h) − y for a one-hot y, not diag(s)−ssᵀ applied to −y ⊘ s. For the unfused
        // spelling y can be anything (see the next test), so the exact simplification (𝟙ᵀy) softmax(h) − y is printed.
        var lines = GradientAssert.ClosedForms(Src(Unfused), t, "FWithGradient");
        Assert.Contains("∇h = (𝟙ᵀy) softmax(h) − y", lines);
        var gradientLines = lines.Where(l => l.StartsWith("∇", StringComparison.Ordinal)).ToArray();
        Assert.Single(gradientLines);
        foreach (var forbidden in new[] { "log", "⊘", "diag", "/softmax", "σ′" })
        {
            Assert.DoesNotContain(forbidden, gradientLines[0], StringComparison.Ordinal);
        }
        // The gradient's code (second order, further down the file, differentiates softmax and does use its Jacobian).
        var file = string.Join("\n", GeneratorHarness.Run(GradientAssert.For(Src(Unfused), t)).Generated.Values);
        var generated = file[..file.IndexOf("FDifferential(", StringComparison.Ordinal)];
        Assert.Contains("Softmax(h", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("SoftmaxBackward", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("Ops.Log(", generated, StringComparison.Ordinal);
    }

    /// <summary>
    /// The fused CrossEntropy(H, Y) for targets that are not distributions — votes of 3 annotators (a column
    /// summing to 3), a padded batch (an all-zero column), fractional weights: the gradient is
    /// (softmax(H) diag(𝟙ᵀY) − Y)/N, computed here column by column from the definition; Y's is −log softmax(H)/N.
    /// </summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void CrossEntropy_WithCountsZerosAndFractions_IsExact(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> H, Matrix<double> Y) => CrossEntropy(H, Y);");
        var p = new Inputs(t, 1119).Matrix("H", 4, 3, -2, 2).Add("Y", new double[,] { { 3, 0, 0.25 }, { 0, 0, 0.5 }, { 0, 0, 0 }, { 0, 0, 0.1 } });
        var (H, Y) = (p.M("H"), p.M("Y"));
        var S = DeepRef.Softmax(H);
        var L = DeepRef.LogSoftmax(H);
        int n = Cols(H);
        var dH = new double[4, n];
        var dY = new double[4, n];
        double value = 0;
        for (int j = 0; j < n; j++)
        {
            double total = 0;
            for (int i = 0; i < 4; i++)
            {
                total += Y[i, j];
                value -= Y[i, j] * L[i, j] / n;
            }
            for (int i = 0; i < 4; i++)
            {
                dH[i, j] = ((S[i, j] * total) - Y[i, j]) / n;
                dY[i, j] = -L[i, j] / n;
            }
        }
        GradientAssert.Gradient(src, p, value, ("H", dH), ("Y", dY));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void UnfusedCrossEntropy_WithCountsThatDoNotSumToOne(string t)
    {
        // −yᵀ log softmax(h) is a function of h for any y (e.g. class counts of a multinomial likelihood):
        // ∂(−yᵀ log softmax(h)) = −yᵀ(∂h − 𝟙 sᵀ∂h) ⇒ ∇h = s (𝟙ᵀy) − y. The lecture's softmax(h) − y is the special
        // case 𝟙ᵀy = 1; a rewrite to CrossEntropy may only use it when y is known to be a distribution.
        var p = new Inputs(t, 1118).Vector("h", 4, -2, 2).Add("y", new[] { 2.0, 0.0, 1.0, 3.0 });
        var (h, y) = (p.V("h"), p.V("y"));
        GradientAssert.Gradient(Src(Unfused), p, DeepRef.CrossEntropy(h, y), ("h", Sub(Scale(Sum(y), DeepRef.Softmax(h)), y)));
    }

    [Fact]
    public void CrossEntropy_ClosedFormAttribute()
    {
        var lines = GradientAssert.ClosedForms(Src("[Differentiable] public static double F(Matrix<double> H, Matrix<double> Y) => CrossEntropy(H, Y);"), "double", "FWithGradient");
        Assert.Contains("∇H = (softmax(H) diag(𝟙ᵀY) − Y)/N", lines);
        var dY = Assert.Single(lines, l => l.StartsWith("∇Y = ", StringComparison.Ordinal));
        Assert.Contains("log softmax(H)", dY, StringComparison.Ordinal);
        Assert.StartsWith("∇Y = −", dY);
    }

    // ── logits around ±1000: every gradient finite, equal to the (stable) closed form ───────────────

    private static readonly double[,] HugeLogits =
    {
        { 1000, -1000, 1000.5, -999 },
        { 999, -1001, -1000, -1000.25 },
        { 1001, -999.5, 1000, 998 },
    };

    [Theory, InlineData("double"), InlineData("float")]
    public void CrossEntropyOfMatrix_LogitsAroundPlusMinus1000(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> H, [NoGradient] Matrix<double> Y) => CrossEntropy(H, Y);");
        var p = new Inputs(t, 1119).Add("H", HugeLogits).Add("Y", DeepRef.Distributions(3, 4, oneHot: false, 1120));
        var (H, Y) = (p.M("H"), p.M("Y"));
        LargeLogits(src, p, "H", DeepRef.CrossEntropy(H, Y), Scale(0.25, Sub(DeepRef.Softmax(H), Y)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void UnfusedCrossEntropy_LogitsAround1000(string t)
    {
        // all logits near +1000: exp(h) overflows unless the maximum is subtracted; F itself is finite here
        var p = new Inputs(t, 1121).Add("h", new[] { 1000, 1001, 999.5 }).Add("y", new[] { 0.2, 0.5, 0.3 });
        var (h, y) = (p.V("h"), p.V("y"));
        LargeLogits(Src(Unfused), p, "h", DeepRef.CrossEntropy(h, y), Sub(DeepRef.Softmax(h), y));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void UnfusedCrossEntropy_LogitsSpreadOverPlusMinus1000(string t)
    {
        // softmax(h)₂ = e⁻²⁰⁰⁰ underflows to 0, so the user's own F = −yᵀ log softmax(h) is +∞ and has no finite
        // differences. Chained through Log(Softmax(h)) the gradient would be ⊘ 0; the rewrite to CE(h, y) gives
        // the finite value and the lecture's softmax(h) − y.
        var p = new Inputs(t, 1122).Add("h", new[] { 1000, -1000, 999.5 }).Add("y", new[] { 0.2, 0.5, 0.3 });
        var (h, y) = (p.V("h"), p.V("y"));
        LargeLogits(Src(Unfused), p, "h", DeepRef.CrossEntropy(h, y), Sub(DeepRef.Softmax(h), y), finiteDifferences: false);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void LogSoftmaxOfVector_LogitsAroundPlusMinus1000(string t)
    {
        // f = aᵀ log softmax(h): ∇h = a − softmax(h)(𝟙ᵀa)
        var src = Src("[Differentiable] public static double F(Vector<double> h, [NoGradient] Vector<double> a) => Dot(a, LogSoftmax(h));");
        var p = new Inputs(t, 1123).Add("h", Col(HugeLogits, 2)).Vector("a", 3);
        var (h, a) = (p.V("h"), p.V("a"));
        LargeLogits(src, p, "h", Dot(a, DeepRef.LogSoftmax(h)), Sub(a, Scale(Sum(a), DeepRef.Softmax(h))));
    }

    /// <summary>
    /// FWithGradient at logits of magnitude ~1000: value and gradient finite and equal to the closed form (the
    /// type's closed-form tolerance), and equal to central differences with an absolute step (1e-4 in double, 1e-2
    /// in float: the harness's relative step would be 3 in float at |x| = 1000, no longer a local derivative), unless
    /// <paramref name="finiteDifferences"/> is false because F itself is not finite there.
    /// </summary>
    private static void LargeLogits(string source, Inputs p, string name, double expectedValue, object expectedGradient, bool finiteDifferences = true)
    {
        var asm = GradientAssert.Compile(source, p.ElementType);
        var f = GeneratorHarness.Method(asm, GradientAssert.TypeName, "F");
        var g = GeneratorHarness.Method(asm, GradientAssert.TypeName, "FWithGradient");
        var args = Values.ToArgs(p.Items, p.IsFloat).Append(null).ToArray();
        double value = (double)Values.FromRuntime(g.Invoke(null, args));
        var grad = Values.Flatten(Values.FromRuntime(args[^1]));
        var tol = Tolerance.For(p);
        Assert.True(double.IsFinite(value) && grad.All(double.IsFinite), "value " + value + ", ∇" + name + " = [" + string.Join(", ", grad) + "]");
        Assert.True(Math.Abs(value - expectedValue) <= tol.ClosedForm * Math.Max(1, Math.Abs(expectedValue)), "value " + value + ", expected " + expectedValue);
        var want = Values.Flatten(expectedGradient);
        var (error, at) = Values.MaxError(want, grad);
        Assert.True(error <= tol.ClosedForm * Math.Max(1, want.Max(Math.Abs)),
            "∇" + name + " vs closed form: error " + error + " at " + at + "\n expected [" + string.Join(", ", want) + "]\n got      [" + string.Join(", ", grad) + "]");

        if (!finiteDifferences)
        {
            return;
        }
        double step = p.IsFloat ? 1e-2 : 1e-4;
        var x = p.Get(name);
        var flat = Values.Flatten(x);
        var fd = new double[flat.Length];
        for (int k = 0; k < flat.Length; k++)
        {
            var plus = (double[])flat.Clone();
            var minus = (double[])flat.Clone();
            plus[k] = p.Round(flat[k] + step);
            minus[k] = p.Round(flat[k] - step);
            double fp = (double)Values.FromRuntime(f.Invoke(null, Values.ToArgs(p.With(name, Values.Unflatten(plus, x)), p.IsFloat)));
            double fm = (double)Values.FromRuntime(f.Invoke(null, Values.ToArgs(p.With(name, Values.Unflatten(minus, x)), p.IsFloat)));
            fd[k] = (fp - fm) / (plus[k] - minus[k]);
        }
        var (fdError, fdAt) = Values.MaxError(fd, grad);
        Assert.True(fdError <= tol.FiniteDifference * Math.Max(1, Math.Max(Math.Abs(value), fd.Max(Math.Abs))),
            "∇" + name + " vs central differences: error " + fdError + " at " + fdAt + "\n fd  [" + string.Join(", ", fd) + "]\n got [" + string.Join(", ", grad) + "]");
    }

    /// <summary>
    /// BCE with logits, mean over the N = 4 columns: L = (1/N) Σ log(1 + e^z) − y z, written here with the plain
    /// (unstable, fine for |z| ≤ 3) formula; ∇Z = (σ(Z) − Y)/N and ∇Y = −Z/N, for targets outside [0, 1] too.
    /// The vector form has no mean.
    /// </summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void BinaryCrossEntropyWithLogits_GradientIsSigmoidMinusTargets(string t)
    {
        var src = Src("[Differentiable] public static double F(Matrix<double> Z, Matrix<double> Y, Vector<double> z, Vector<double> y) => "
            + "BinaryCrossEntropyWithLogits(Z, Y) + 3 * BinaryCrossEntropyWithLogits(z, y);");
        var p = new Inputs(t, 1190).Matrix("Z", 3, 4, -3, 3).Matrix("Y", 3, 4, -0.5, 1.5).Vector("z", 5, -3, 3).Vector("y", 5, 0, 1);
        var (Z, Y, z, y) = (p.M("Z"), p.M("Y"), p.V("z"), p.V("y"));
        double f = 0;
        var gZ = new double[3, 4];
        var gY = new double[3, 4];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                f += (Math.Log(1 + Math.Exp(Z[i, j])) - (Y[i, j] * Z[i, j])) / 4;
                gZ[i, j] = ((1 / (1 + Math.Exp(-Z[i, j]))) - Y[i, j]) / 4;
                gY[i, j] = -Z[i, j] / 4;
            }
        }
        f += 3 * z.Select((v, k) => Math.Log(1 + Math.Exp(v)) - (y[k] * v)).Sum();
        GradientAssert.Gradient(src, p, f, ("Z", gZ), ("Y", gY),
            ("z", z.Select((v, k) => 3 * ((1 / (1 + Math.Exp(-v))) - y[k])).ToArray()), ("y", z.Select(v => -3 * v).ToArray()));
    }
}
