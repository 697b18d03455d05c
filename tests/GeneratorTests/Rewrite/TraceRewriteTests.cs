using System.Reflection;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Rewrite;

/// <summary>
/// The trace rewrite sum(C ⊙ A⁻¹C) = Tr(A⁻¹ CCᵀ) with the sum-of-columns pushdown in its backward plan: the generated
/// gradients against central differences (GradientAssert) and against the closed form written here,
/// ∇A = −A⁻ᵀ CCᵀ A⁻ᵀ, ∇C = (A⁻¹ + A⁻ᵀ) C, through C = X − μ𝟙ᵀ: ∇μ = −(A⁻¹ + A⁻ᵀ)(C𝟙), in double and float, on both
/// sides of the run-time choice (d &lt; n takes the trace form, d ≥ n the program as written), for FWithGradient and
/// for FBackward with a workspace.
/// </summary>
public class TraceRewriteTests
{
    private const string Nll = """
        [Differentiable]
        public static double F(Vector<double> mu, Matrix<double> A, [NoGradient] Matrix<double> X)
        {
            int N = X.Cols;
            var C = X - mu;
            return N * LogDet(A) + Sum(Hadamard(C, Solve(A, C)));
        }
        """;

    // The other spellings: Inverse(A) * C (becomes a solve first), the solve on the left of the Hadamard, and a plain C parameter.
    private const string InverseSpelling = """
        [Differentiable]
        public static double F(Vector<double> mu, Matrix<double> A, [NoGradient] Matrix<double> X)
        {
            var C = X - mu;
            return Sum(Hadamard(Inverse(A) * C, C)) / 2;
        }
        """;

    private const string PlainC = """
        [Differentiable]
        public static double F(Matrix<double> A, Matrix<double> C) => Sum(Hadamard(C, Solve(A, C))) + Sum(Square(C));
        """;

    public static TheoryData<string, int, int> Sizes() => new()
    {
        { "double", 3, 8 }, { "float", 3, 8 },   // d < n: the trace form
        { "double", 6, 2 }, { "float", 6, 2 },   // d > n: the program as written
        { "double", 4, 4 }, { "float", 4, 4 },   // d = n: as written
    };

    private static (double[,] InvA, double[,] C) Parts(Inputs p, bool fromMu)
    {
        var A = p.M("A");
        var C = fromMu ? SubCol(p.M("X"), p.V("mu")) : p.M("C");
        return (Inv(A), C);
    }

    [Theory, MemberData(nameof(Sizes))]
    public void GaussianNll(string t, int d, int n)
    {
        var src = GradientAssert.Source(Nll);
        var p = new Inputs(t, 4301 + d).Vector("mu", d).WellConditioned("A", d).Matrix("X", d, n);
        var (inv, C) = Parts(p, fromMu: true);
        var S = Mul(C, T(C));
        double value = n * Math.Log(Math.Abs(Det(p.M("A")))) + Trace(Mul(inv, S));
        var sym = Add(inv, T(inv));
        var dA = Sub(Scale(n, T(inv)), Mul(T(inv), S, T(inv)));
        var dmu = Scale(-1, Mul(sym, RowSums(C)));
        GradientAssert.Gradient(src, p, value, ("mu", dmu), ("A", dA));
        CheckBackward(src, p, ("mu", dmu), ("A", dA));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void InverseTimesC(string t, int d, int n)
    {
        var src = GradientAssert.Source(InverseSpelling);
        var p = new Inputs(t, 4311 + n).Vector("mu", d).WellConditioned("A", d).Matrix("X", d, n);
        var (inv, C) = Parts(p, fromMu: true);
        var S = Mul(C, T(C));
        var dA = Scale(-0.5, Mul(T(inv), S, T(inv)));
        var dmu = Scale(-0.5, Mul(Add(inv, T(inv)), RowSums(C)));
        GradientAssert.Gradient(src, p, 0.5 * Trace(Mul(inv, S)), ("mu", dmu), ("A", dA));
        CheckBackward(src, p, ("mu", dmu), ("A", dA));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void DifferentiatedC(string t, int d, int n)
    {
        // C is a parameter: its adjoint is a gradient, so it is formed: ∇C = (A⁻¹ + A⁻ᵀ) C + 2C.
        var src = GradientAssert.Source(PlainC);
        var p = new Inputs(t, 4321).WellConditioned("A", d).Matrix("C", d, n);
        var (inv, C) = Parts(p, fromMu: false);
        var S = Mul(C, T(C));
        var dA = Scale(-1, Mul(T(inv), S, T(inv)));
        var dC = Add(Mul(Add(inv, T(inv)), C), Scale(2, C));
        GradientAssert.Gradient(src, p, Trace(Mul(inv, S)) + Sum(Had(C, C)), ("A", dA), ("C", dC));
        CheckBackward(src, p, ("A", dA), ("C", dC));
    }

    /// <summary>FBackward with a workspace, called twice (the second call reuses the buffers), overwriting then accumulating.</summary>
    private static void CheckBackward(string source, Inputs p, params (string Name, object Gradient)[] expected)
    {
        var assembly = GradientAssert.Compile(source, p.ElementType);
        var type = assembly.GetType(GradientAssert.TypeName)!;
        var backward = type.GetMethod("FBackward", BindingFlags.Public | BindingFlags.Static)!;
        var workspace = System.Activator.CreateInstance(backward.GetParameters()[p.Items.Count].ParameterType)!;
        var inputs = Values.ToArgs(p.Items, p.IsFloat);
        var buffers = expected.Select(e => Values.ToRuntime(e.Gradient, p.IsFloat)).ToArray();
        var tolerance = p.IsFloat ? 2e-3 : 1e-9;
        for (int call = 0; call < 2; call++)
        {
            var args = inputs.Concat(new[] { workspace }).Concat(buffers).Concat(new object?[] { call == 1 }).ToArray();
            backward.Invoke(null, args);
            for (int k = 0; k < expected.Length; k++)
            {
                var got = Values.Flatten(Values.FromRuntime(buffers[k]));
                var want = Values.Flatten(expected[k].Gradient).Select(v => v * (call + 1)).ToArray();
                var (error, index) = Values.MaxError(got, want);
                Assert.True(error <= tolerance * Math.Max(1, want.Select(Math.Abs).Max()),
                    "FBackward ∇" + expected[k].Name + " call " + call + ": entry " + index + " is " + got[index] + ", expected " + want[index]);
            }
        }
    }

    [Fact]
    public void TheGeneratedCodeNamesTheIdentityAndChoosesBySize()
    {
        var run = GeneratorHarness.Run(GradientAssert.Source(Nll));
        var code = run.Generated.Single(g => g.Key.Contains(".F_", StringComparison.Ordinal)).Value;
        Assert.Contains("sum(C ⊙ A⁻¹C) = Tr(Cᵀ A⁻¹ C) = Tr(A⁻¹ CCᵀ) = ⟨A⁻ᵀ, CCᵀ⟩", code, StringComparison.Ordinal);
        Assert.Contains("if (A.Rows < X.Cols)", code, StringComparison.Ordinal);
        // The pushdown: ∇μ reads C𝟙 (matrix-vector products), never forms ∇C in the trace form.
        Assert.Contains("SumColumns(C)", code, StringComparison.Ordinal);
        // Second order and forward mode are still there (they use the program as written).
        Assert.Contains("FHessianVectorProduct(", code, StringComparison.Ordinal);
        Assert.Contains("FDifferential(", code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3", "n", true)]     // literal d against a symbol: still decided on entry
    [InlineData("3", "10", false)]   // literals decide: the trace form only, no comparison
    [InlineData("10", "3", false)]   // literals decide: as written, no rewrite
    [InlineData("d", "d", false)]    // square C: as written
    public void ShapesDecideAtCompileTime(string rows, string cols, bool runtime)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F([Shape(\"" + rows + "\", \"" + rows + "\")] Matrix<double> A, [Shape(\"" + rows + "\", \"" + cols + "\")] Matrix<double> C) => Sum(Hadamard(C, Solve(A, C)));");
        var code = GeneratorHarness.Run(src).Generated.Single(g => g.Key.Contains(".F_", StringComparison.Ordinal)).Value;
        bool trace = rows == "3";
        Assert.Equal(runtime, code.Contains("if (A.Rows < C.Cols)", StringComparison.Ordinal) || code.Contains("if (3 < C.Cols)", StringComparison.Ordinal));
        Assert.Equal(trace, code.Contains("⟨A⁻ᵀ, CCᵀ⟩", StringComparison.Ordinal));
        Assert.Equal(trace, code.Contains("MultiplyTransposeB(C, C", StringComparison.Ordinal));
    }
}
