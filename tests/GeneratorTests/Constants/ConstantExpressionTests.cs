using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Constants;

/// <summary>
/// Expressions that depend on no differentiated value are constants, whatever they call: evaluated once by the forward
/// pass, never differentiated. Each test writes the gradient out by hand (a constant C contributes nothing of its own:
/// ∇‖A − C‖² = 2 (A − C)) and checks it against central differences too.
/// </summary>
public class ConstantExpressionTests
{
    private static double[,] Identity(int n)
    {
        var i = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            i[k, k] = 1;
        }
        return i;
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void IdentityOfAShape_AndMathOfAShape_AreConstants(string t)
    {
        // f = ‖A − I‖² / √rows: ∇A = 2 (A − I) / √rows.
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A) { var I = Matrix<double>.Identity(A.Cols); return SquaredNorm(A - I) / (double)System.Math.Sqrt(A.Rows); }");
        var p = new Inputs(t, 2301).Matrix("A", 3, 3);
        var A = p.M("A");
        var d = Sub(A, Identity(3));
        GradientAssert.Gradient(src, p, Dot(d, d) / Math.Sqrt(3), ("A", Scale(2 / Math.Sqrt(3), d)));
        GradientAssert.Tangent(src, "F", p);
        GradientAssert.HessianVectorProduct(src, "F", p);
    }

    private const string Helper = """
        public static Matrix<double> Centered(Matrix<double> X)
        {
            var result = new Matrix<double>(X.Rows, X.Cols);
            for (int i = 0; i < X.Rows; i++)
            {
                double mean = 0;
                for (int j = 0; j < X.Cols; j++) mean += X[i, j];
                mean /= X.Cols;
                for (int j = 0; j < X.Cols; j++) result[i, j] = X[i, j] - mean;
            }
            return result;
        }
        """;

    [Theory, InlineData("double"), InlineData("float")]
    public void UserHelper_OnNoGradientData_IsAConstant(string t)
    {
        // f = ⟨W, C(X)⟩ with C(X) = X centred by rows: ∇W = C(X).
        var src = GradientAssert.Source(Helper + "\n[Differentiable] public static double F(Matrix<double> W, [NoGradient] Matrix<double> X) => Dot(W, Centered(X));");
        var p = new Inputs(t, 2302).Matrix("W", 2, 4).Matrix("X", 2, 4);
        var (W, X) = (p.M("W"), p.M("X"));
        var c = new double[2, 4];
        for (int i = 0; i < 2; i++)
        {
            double mean = (X[i, 0] + X[i, 1] + X[i, 2] + X[i, 3]) / 4;
            for (int j = 0; j < 4; j++)
            {
                c[i, j] = X[i, j] - mean;
            }
        }
        GradientAssert.Gradient(src, p, Dot(W, c), ("W", c));
        GradientAssert.HessianVectorProduct(src, "F", p);
        if (t == "double")   // FBackward is checked to 1e-10 relative: double only
        {
            GradientAssert.Workspace(src, "F", p, "W");
        }
    }

    /// <summary>f = xᵀ C x with C = C(X) a constant matrix of [NoGradient] data: ∇x = (C + Cᵀ) x and H = C + Cᵀ.</summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void Hessian_ThroughAConstantMatrix_IsCPlusCTransposed(string t)
    {
        var src = GradientAssert.Source(Helper + "\n[Differentiable] public static double F(Vector<double> x, [NoGradient] Matrix<double> X) => Dot(x, Centered(X) * x);");
        var p = new Inputs(t, 2305).Vector("x", 3).Matrix("X", 3, 3);
        var (x, X) = (p.V("x"), p.M("X"));
        var c = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            double mean = (X[i, 0] + X[i, 1] + X[i, 2]) / 3;
            for (int j = 0; j < 3; j++)
            {
                c[i, j] = X[i, j] - mean;
            }
        }
        var sym = Add(c, T(c));
        GradientAssert.Gradient(src, p, Dot(x, Mul(c, x)), ("x", Mul(sym, x)));
        var h = GradientAssert.Hessian(src, "F", p);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(sym[i, j], h[i, j], t == "double" ? 1e-9 : 1e-4);
            }
        }
        if (t == "double")   // FBackward is checked to 1e-10 relative: double only
        {
            GradientAssert.Workspace(src, "F", p, "x");
        }
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void NewMatrix_AndStaticFields_AreConstants(string t)
    {
        // f = Σ (A + 𝟙𝟙ᵀ·scale) ⊙ A with a filled constant: ∇A = 2A + scale 𝟙𝟙ᵀ.
        var src = GradientAssert.Source("""
            private static readonly double Scale = 0.5f;
            public static Matrix<double> Ones(int r, int c) { var m = new Matrix<double>(r, c); for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) m[i, j] = 1; return m; }
            [Differentiable] public static double F(Matrix<double> A) { var B = Scale * Ones(A.Rows, A.Cols); return Sum(Hadamard(A + B, A)); }
            """);
        var p = new Inputs(t, 2303).Matrix("A", 2, 3);
        var A = p.M("A");
        GradientAssert.Gradient(src, p, Dot(A, A) + 0.5 * Sum(A), ("A", Add(Scale(2, A), Fill(2, 3, 0.5))));
        if (t == "double")   // FBackward is checked to 1e-10 relative: double only
        {
            GradientAssert.Workspace(src, "F", p, "A");
        }
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ParametersOfOtherTypes_ArePassedThrough_WithoutGradients(string t)
    {
        // f = scale · Σᵢ x[ids[i]]² (+ 1 when the flag is set); ids, flag and name are constants.
        var src = GradientAssert.Source("""
            public static Vector<double> Pick(Vector<double> x, int[] ids) { var r = new Vector<double>(ids.Length); for (int i = 0; i < ids.Length; i++) r[i] = x[ids[i]]; return r; }
            public static Vector<double> Mask(int n, int[] ids) { var r = new Vector<double>(n); foreach (var i in ids) r[i] += 1; return r; }
            [Differentiable] public static double F(Vector<double> x, int[] ids, bool flag, string name)
            {
                var m = Mask(x.Length, ids);
                var extra = flag ? 1 : 0;
                return (double)name.Length * Dot(m, Square(x)) + extra;
            }
            """);
        var p = new Inputs(t, 2304).Vector("x", 5).Add("ids", new[] { 0, 3, 3 }).Bool("flag", true).Add("name", "abc");
        var x = p.V("x");
        var grad = new double[5];
        grad[0] = 3 * 2 * x[0];
        grad[3] = 3 * 2 * 2 * x[3];
        GradientAssert.Gradient(src, p, 3 * (x[0] * x[0] + 2 * x[3] * x[3]) + 1, ("x", grad));
        GradientAssert.HessianVectorProduct(src, "F", p);
        if (t == "double")   // FBackward is checked to 1e-10 relative: double only
        {
            GradientAssert.Workspace(src, "F", p, "x");
        }
        GradientAssert.Hessian(src, "F", p);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void RecordOfSettings_IsAConstant(string t)
    {
        // f = λ ‖w‖² with λ read from a record parameter: ∇w = 2 λ w.
        var src = GradientAssert.Source("""
            public sealed record Settings(double Lambda);
            [Differentiable] public static double F(Vector<double> w, Settings settings) => settings.Lambda * SquaredNorm(w);
            """);
        var assembly = GradientAssert.Compile(src, t);
        var g = GeneratorHarness.Method(assembly, GradientAssert.TypeName, "FWithGradient");
        var settingsType = assembly.GetType("M+Settings")!;
        object settings = Activator.CreateInstance(settingsType, t == "double" ? 0.75 : (object)0.75f)!;
        var w = new[] { 0.5, -1.0, 2.0 };
        object vector = t == "double" ? AutoGradGen.Vector<double>.FromArray(w) : AutoGradGen.Vector<float>.FromArray(w.Select(v => (float)v).ToArray());
        object?[] args = [vector, settings, null];
        double value = Convert.ToDouble(g.Invoke(null, args));
        Assert.Equal(0.75 * Dot(w, w), value, 5);
        var dw = Values.FromRuntime(args[2]);
        Assert.Equal(Scale(1.5, w), (double[])dw, new Tolerant(1e-5));
    }

    /// <summary>An int constant read by the backward pass (∇x = 2 n x with n = ids.Length): the workspace saves it.</summary>
    [Theory, InlineData("double"), InlineData("float")]
    public void IntConstant_ReadByTheBackwardPass(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Vector<double> x, int[] ids) => ids.Length * SquaredNorm(x) + System.Linq.Enumerable.Sum(ids) * Sum(x);");
        var p = new Inputs(t, 2306).Vector("x", 4).Add("ids", new[] { 1, 2, 4 });
        var x = p.V("x");
        GradientAssert.Gradient(src, p, 3 * Dot(x, x) + 7 * Sum(x), ("x", Map(x, v => (6 * v) + 7)));
        GradientAssert.HessianVectorProduct(src, "F", p);
        GradientAssert.Tangent(src, "F", p);
        if (t == "double")   // FBackward is checked to 1e-10 relative: double only
        {
            GradientAssert.Workspace(src, "F", p, "x");
        }
    }

    private sealed class Tolerant(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
