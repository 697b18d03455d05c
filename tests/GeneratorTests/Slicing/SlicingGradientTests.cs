using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.Slicing;

/// <summary>
/// Element and slice reads and concatenation inside a [Differentiable] body: the generated gradients against
/// central differences (inside <see cref="GradientAssert.Gradient(string, Inputs, double, ValueTuple{string, object}[])"/>)
/// and against gradients written out here, entry by entry, from the definition of each read (a read of A at a
/// set of positions gives ∇A = the upstream gradient at those positions, 0 elsewhere). Double and float.
/// </summary>
public class SlicingGradientTests
{
    private static double Tanh(double x) => Math.Tanh(x);

    private static double TanhPrime(double x) => 1 - (Math.Tanh(x) * Math.Tanh(x));

    [Theory, InlineData("double"), InlineData("float")]
    public void ElementReads_GradientIsTheUpstreamValueAtTheIndex(string t)
    {
        // f = a v_i + a² with a = A[i, j], read twice; v read at i and at its last index.
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Vector<double> v, int i, int j) => A[i, j] * v[i] + A[i, j] * A[i, j] + v[v.Length - 1];");
        var p = new Inputs(t, 301).Matrix("A", 3, 4).Vector("v", 5).Int("i", 2).Int("j", 1);
        var a = p.M("A");
        var v = p.V("v");
        double x = a[2, 1];
        var ga = new double[3, 4];
        ga[2, 1] = v[2] + (2 * x);
        var gv = new double[5];
        gv[2] = x;
        gv[4] = 1;
        GradientAssert.Gradient(src, p, (x * v[2]) + (x * x) + v[4], ("A", ga), ("v", gv));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ColumnAndRow_ScatterIntoTheirLine(string t)
    {
        // f = ⟨w, tanh(A[:, j])⟩ + ⟨u, A[i + 1, :]²⟩
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, [NoGradient] Vector<double> w, [NoGradient] Vector<double> u, int i, int j) => Dot(w, Tanh(Column(A, j))) + Dot(u, Square(Row(A, i + 1)));");
        var p = new Inputs(t, 302).Matrix("A", 4, 3).Vector("w", 4).Vector("u", 3).Int("i", 0).Int("j", 2);
        var a = p.M("A");
        var w = p.V("w");
        var u = p.V("u");
        var ga = new double[4, 3];
        double f = 0;
        for (int r = 0; r < 4; r++)
        {
            f += w[r] * Tanh(a[r, 2]);
            ga[r, 2] += w[r] * TanhPrime(a[r, 2]);
        }
        for (int c = 0; c < 3; c++)
        {
            f += u[c] * a[1, c] * a[1, c];
            ga[1, c] += 2 * u[c] * a[1, c];
        }
        GradientAssert.Gradient(src, p, f, ("A", ga));
    }

    [Theory, InlineData("double", 3, 5), InlineData("float", 3, 5), InlineData("double", 5, 2), InlineData("float", 4, 4)]
    public void Diagonal_OfAnyShape_GradientLivesOnTheDiagonal(string t, int rows, int cols)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, [NoGradient] Vector<double> w) => Dot(w, Exp(Diagonal(A)));");
        int k = Math.Min(rows, cols);
        var p = new Inputs(t, 303).Matrix("A", rows, cols).Vector("w", k);
        var a = p.M("A");
        var w = p.V("w");
        var ga = new double[rows, cols];
        double f = 0;
        for (int d = 0; d < k; d++)
        {
            f += w[d] * Math.Exp(a[d, d]);
            ga[d, d] = w[d] * Math.Exp(a[d, d]);
        }
        GradientAssert.Gradient(src, p, f, ("A", ga));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void SliceRowsAndSliceColumns_GradientFillsTheBlock(string t)
    {
        // f = ⟨W, exp(A[s:s+n, :])⟩ + ⟨V, A[:, A.Cols − 2:]²⟩ + ⟨y, v[1:4]³⟩ (v's slice through Pow)
        var src = GradientAssert.Source("""
            [Differentiable] public static double F(Matrix<double> A, Vector<double> v, [NoGradient] Matrix<double> W, [NoGradient] Matrix<double> V, [NoGradient] Vector<double> y, int s, int n)
                => Dot(W, Exp(SliceRows(A, s, n))) + Dot(V, Square(SliceColumns(A, A.Cols - 2, 2))) + Dot(y, Pow(SliceRows(v, 1, 3), 3));
            """);
        var p = new Inputs(t, 304).Matrix("A", 5, 4).Vector("v", 6).Matrix("W", 2, 4).Matrix("V", 5, 2).Vector("y", 3).Int("s", 2).Int("n", 2);
        var a = p.M("A");
        var v = p.V("v");
        var wm = p.M("W");
        var vm = p.M("V");
        var y = p.V("y");
        var ga = new double[5, 4];
        var gv = new double[6];
        double f = 0;
        for (int r = 0; r < 2; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                f += wm[r, c] * Math.Exp(a[2 + r, c]);
                ga[2 + r, c] += wm[r, c] * Math.Exp(a[2 + r, c]);
            }
        }
        for (int r = 0; r < 5; r++)
        {
            for (int c = 0; c < 2; c++)
            {
                f += vm[r, c] * a[r, 2 + c] * a[r, 2 + c];
                ga[r, 2 + c] += 2 * vm[r, c] * a[r, 2 + c];
            }
        }
        for (int k = 0; k < 3; k++)
        {
            f += y[k] * Math.Pow(v[1 + k], 3);
            gv[1 + k] = 3 * y[k] * v[1 + k] * v[1 + k];
        }
        GradientAssert.Gradient(src, p, f, ("A", ga), ("v", gv));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ConcatRowsAndColumns_SplitTheGradientIntoTheBlocks(string t)
    {
        // f = ⟨W, tanh([A; B])⟩ + ⟨V, σ([A C])⟩ + ⟨y, [x; z]²⟩, B constant
        var src = GradientAssert.Source("""
            [Differentiable] public static double F(Matrix<double> A, [NoGradient] Matrix<double> B, Matrix<double> C, Vector<double> x, Vector<double> z,
                [NoGradient] Matrix<double> W, [NoGradient] Matrix<double> V, [NoGradient] Vector<double> y)
                => Dot(W, Tanh(ConcatRows(A, B))) + Dot(V, Sigmoid(ConcatColumns(A, C))) + Dot(y, Square(ConcatRows(x, z)));
            """);
        var p = new Inputs(t, 305).Matrix("A", 2, 3).Matrix("B", 3, 3).Matrix("C", 2, 2).Vector("x", 2).Vector("z", 3)
            .Matrix("W", 5, 3).Matrix("V", 2, 5).Vector("y", 5);
        var (a, b, c, w, vm) = (p.M("A"), p.M("B"), p.M("C"), p.M("W"), p.M("V"));
        var (x, z, y) = (p.V("x"), p.V("z"), p.V("y"));
        var ga = new double[2, 3];
        var gc = new double[2, 2];
        double f = 0;
        for (int r = 0; r < 5; r++)
        {
            for (int k = 0; k < 3; k++)
            {
                double e = r < 2 ? a[r, k] : b[r - 2, k];
                f += w[r, k] * Tanh(e);
                if (r < 2)
                {
                    ga[r, k] += w[r, k] * TanhPrime(e);
                }
            }
        }
        for (int r = 0; r < 2; r++)
        {
            for (int k = 0; k < 5; k++)
            {
                double e = k < 3 ? a[r, k] : c[r, k - 3];
                f += vm[r, k] * Ref.Sigmoid(e);
                if (k < 3)
                {
                    ga[r, k] += vm[r, k] * Ref.SigmoidPrime(e);
                }
                else
                {
                    gc[r, k - 3] += vm[r, k] * Ref.SigmoidPrime(e);
                }
            }
        }
        var gx = new double[2];
        var gz = new double[3];
        for (int k = 0; k < 5; k++)
        {
            double e = k < 2 ? x[k] : z[k - 2];
            f += y[k] * e * e;
            if (k < 2)
            {
                gx[k] = 2 * y[k] * e;
            }
            else
            {
                gz[k - 2] = 2 * y[k] * e;
            }
        }
        GradientAssert.Gradient(src, p, f, ("A", ga), ("C", gc), ("x", gx), ("z", gz));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ARebuiltMatrix_ReplacingOneRow_HasTheGradientOfTheKeptRowsOnly(string t)
    {
        // The AGG0024 advice: instead of A[1, :] = r, write ConcatRows(ConcatRows(SliceRows(A, 0, 1), RowMatrix), SliceRows(A, 2, …)).
        var src = GradientAssert.Source("""
            [Differentiable] public static double F(Matrix<double> A, Matrix<double> R)
                => SquaredNorm(ConcatRows(ConcatRows(SliceRows(A, 0, 1), R), SliceRows(A, 2, A.Rows - 2)));
            """);
        var p = new Inputs(t, 306).Matrix("A", 4, 3).Matrix("R", 1, 3);
        var a = p.M("A");
        var rm = p.M("R");
        var ga = Ref.Scale(2, a);
        for (int c = 0; c < 3; c++)
        {
            ga[1, c] = 0;
        }
        double f = Ref.Dot(a, a) - Enumerable.Range(0, 3).Sum(c => a[1, c] * a[1, c]) + Ref.Dot(rm, rm);
        GradientAssert.Gradient(src, p, f, ("A", ga), ("R", Ref.Scale(2, rm)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void ClosedForm_IsPrintedInSliceNotation(string t)
    {
        var src = GradientAssert.Source("[Differentiable] public static double F(Matrix<double> A, Vector<double> v, int j) => Dot(v, Column(A, j)) + A[0, j];");
        var forms = GradientAssert.ClosedForms(src, t, "FWithGradient");
        Assert.Contains(forms, l => l.StartsWith("f = ", StringComparison.Ordinal) && l.Contains("A_{:,j}") && l.Contains("A_{0,j}"));
        Assert.Contains(forms, l => l.StartsWith("∇v = A_{:,j}", StringComparison.Ordinal));
    }
}
