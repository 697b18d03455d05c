using AutoGradGen.GeneratorTests.Infrastructure;
using AutoGradGen.GeneratorTests.SecondOrder;
using Xunit;

namespace AutoGradGen.GeneratorTests.Slicing;

/// <summary>
/// Second order through element and slice reads: FHessianVectorProduct against central differences of the
/// gradient and for symmetry (inside <see cref="GradientAssert.HessianVectorProduct"/>), and against Hessians
/// written out here; the zero-allocation FBackward of a method made of slices against FWithGradient.
/// </summary>
public class SlicingSecondOrderTests
{
    /// <summary>The direction <see cref="GradientAssert.HessianVectorProduct"/> draws with <paramref name="seed"/>, for matrices of these shapes.</summary>
    private static double[][,] Directions(Inputs inputs, int seed, params (int Rows, int Cols)[] shapes)
    {
        var rng = new Random(seed);
        return shapes.Select(s =>
        {
            var v = new double[s.Rows, s.Cols];
            for (int i = 0; i < s.Rows; i++)
            {
                for (int j = 0; j < s.Cols; j++)
                {
                    v[i, j] = inputs.Round((rng.NextDouble() * 2) - 1);
                }
            }
            return v;
        }).ToArray();
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ElementsAndDiagonal_HessianVectorProduct_IsTheHandWrittenOne(string t)
    {
        // f = a² b + Σ_d A_dd⁴ with a = A[0, 2], b = A[2, 1]: H v = (2b v_a + 2a v_b) at (0, 2), 2a v_a at (2, 1), 12 A_dd² v_dd on the diagonal.
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, int i, int j) => A[i, j] * A[i, j] * A[2, 1] + Sum(Pow(Diagonal(A), 4));");
        var inputs = new Inputs(t, 61).Matrix("A", 3, 4).Int("i", 0).Int("j", 2);
        var hv = (double[,])GradientAssert.HessianVectorProduct(src, "F", inputs, seed: 5)[0];
        var a = inputs.M("A");
        var v = Directions(inputs, 5, (3, 4))[0];
        var expected = new double[3, 4];
        expected[0, 2] = (2 * a[2, 1] * v[0, 2]) + (2 * a[0, 2] * v[2, 1]);
        expected[2, 1] = 2 * a[0, 2] * v[0, 2];
        for (int d = 0; d < 3; d++)
        {
            expected[d, d] = 12 * a[d, d] * a[d, d] * v[d, d];
        }
        HessianVectorProductTests.AssertClose(expected, hv, t == "double" ? 1e-10 : 2e-4);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ConcatColumnsAndColumn_HessianVectorProduct_IsTheHandWrittenOne(string t)
    {
        // f = ½‖[A B] x‖² + ½‖B_{:,1}‖²: r = A x₁ + B x₂, H(vA, vB) = ((vA x₁ + vB x₂) x₁ᵀ, (vA x₁ + vB x₂) x₂ᵀ + vB_{:,1} e₁ᵀ).
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Matrix<double> B, [NoGradient] Vector<double> x) => SquaredNorm(ConcatColumns(A, B) * x) / 2 + SquaredNorm(Column(B, 1)) / 2;");
        var inputs = new Inputs(t, 62).Matrix("A", 3, 2).Matrix("B", 3, 3).Vector("x", 5);
        var hv = GradientAssert.HessianVectorProduct(src, "F", inputs, seed: 7);
        var d = Directions(inputs, 7, (3, 2), (3, 3));
        var x = inputs.V("x");
        var dr = new double[3];
        for (int r = 0; r < 3; r++)
        {
            dr[r] = Enumerable.Range(0, 2).Sum(k => d[0][r, k] * x[k]) + Enumerable.Range(0, 3).Sum(k => d[1][r, k] * x[2 + k]);
        }
        var ha = new double[3, 2];
        var hb = new double[3, 3];
        for (int r = 0; r < 3; r++)
        {
            for (int k = 0; k < 2; k++)
            {
                ha[r, k] = dr[r] * x[k];
            }
            for (int k = 0; k < 3; k++)
            {
                hb[r, k] = (dr[r] * x[2 + k]) + (k == 1 ? d[1][r, 1] : 0);
            }
        }
        double tol = t == "double" ? 1e-10 : 2e-4;
        HessianVectorProductTests.AssertClose(ha, (double[,])hv[0], tol);
        HessianVectorProductTests.AssertClose(hb, (double[,])hv[1], tol);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SlicesInARecurrence_HessianVectorProduct_MatchesFiniteDifferences(string t)
    {
        // Two steps of h = tanh(W h + U x_t) over the columns of X, read with Column, then the last entry of h.
        var src = GradientAssert.Source("""
            [Differentiable] public static double F(Matrix<double> W, Matrix<double> U, [NoGradient] Matrix<double> X, Vector<double> h0)
            {
                var h = Tanh(W * h0 + U * Column(X, 0));
                h = Tanh(W * h + U * Column(X, 1));
                return h[h.Length - 1] + Sum(SliceRows(h, 0, 2));
            }
            """);
        var inputs = new Inputs(t, 63).Matrix("W", 3, 3, -0.6, 0.6).Matrix("U", 3, 2).Matrix("X", 2, 2).Vector("h0", 3);
        GradientAssert.HessianVectorProduct(src, "F", inputs);
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Workspace_BackwardMatchesWithGradient_AndAllocatesNothingWarm(string t)
    {
        var src = GradientAssert.Source("""
            [Differentiable] public static double F(Matrix<double> A, Vector<double> v, [NoGradient] Matrix<double> B, int j)
                => A[1, j] * v[0] + Dot(v, Column(A, j)) + SquaredNorm(ConcatColumns(SliceRows(A, 0, 2), SliceColumns(B, 1, 2))) + Sum(Diagonal(A)) + Dot(Row(A, 2), Row(A, 0));
            """);
        var inputs = new Inputs(t, 64).Matrix("A", 3, 4).Vector("v", 3).Matrix("B", 2, 3).Int("j", 3);
        if (t == "double")
        {
            // Its third call adds several terms onto the second call's sums: exact only up to the element type's rounding (the 1e-10 check is for double).
            GradientAssert.Workspace(src, "F", inputs, "A", "v");
        }
        GradientAssert.NoSteadyStateAllocation(src, "F", inputs, 2);
    }
}
