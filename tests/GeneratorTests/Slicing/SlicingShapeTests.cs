using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.Slicing;

/// <summary>The shape rules of the slicing ops: a provable disagreement is AGG0018 at the operation, in the user's symbols.</summary>
public class SlicingShapeTests
{
    private static string Method(string parameters, string body) => Usings + $$"""
        public static partial class M
        {
            [Differentiable]
            public static double F({{parameters}}) {{body}}
        }
        """;

    private static void AssertMismatch(string source, string operation, string message)
    {
        var run = AssertExactly(source, Error("AGG0018", source, operation, after: "F("));
        var d = Assert.Single(run.AnalyzerDiagnostics);
        Assert.Equal("Shapes do not agree: " + message, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void ConcatRows_TiesTheColumns()
        => AssertMismatch(Method("""[Shape("m", "d")] Matrix<double> A, [Shape("p", "e")] Matrix<double> B""", "=> Sum(ConcatRows(A, B));"),
            "ConcatRows(A, B)", "ConcatRows(A, B): A is m × d but B is p × e");

    [Fact]
    public void ConcatColumns_TiesTheRows()
        => AssertMismatch(Method("""[Shape("m", "d")] Matrix<double> A, [Shape("p", "e")] Matrix<double> B""", "=> Sum(ConcatColumns(A, B));"),
            "ConcatColumns(A, B)", "ConcatColumns(A, B): A is m × d but B is p × e");

    [Fact]
    public void Column_HasTheRowsOfItsMatrix()
        => AssertMismatch(Method("""[Shape("m", "d")] Matrix<double> A, [Shape("d")] Vector<double> x, int j""", "=> Dot(Column(A, j), x);"),
            "Dot(Column(A, j), x)", "Dot(Column(A, j), x): Column(A, j) is m but x is d");

    [Fact]
    public void Row_HasTheColumnsOfItsMatrix()
        => AssertMismatch(Method("""[Shape("m", "d")] Matrix<double> A, [Shape("m")] Vector<double> x, int i""", "=> Dot(Row(A, i), x);"),
            "Dot(Row(A, i), x)", "Dot(Row(A, i), x): Row(A, i) is d but x is m");

    [Fact]
    public void SliceRows_KeepsTheColumns()
        => AssertMismatch(Method("""[Shape("m", "d")] Matrix<double> A, [Shape("m")] Vector<double> x, int s, int n, int i""", "=> Dot(Row(SliceRows(A, s, n), i), x);"),
            "Dot(Row(SliceRows(A, s, n), i), x)", "Dot(Row(SliceRows(A, s, n), i), x): Row(SliceRows(A, s, n), i) is d but x is m");

    [Fact]
    public void SliceColumns_KeepsTheRows()
        => AssertMismatch(Method("""[Shape("m", "d")] Matrix<double> A, [Shape("d")] Vector<double> x, int s, int n, int j""", "=> Dot(Column(SliceColumns(A, s, n), j), x);"),
            "Dot(Column(SliceColumns(A, s, n), j), x)", "Dot(Column(SliceColumns(A, s, n), j), x): Column(SliceColumns(A, s, n), j) is m but x is d");

    [Fact]
    public void Embedding_HasTheRowsOfItsMatrix()
        => AssertMismatch(Method("""[Shape("d", "V")] Matrix<double> E, [Shape("V")] Vector<double> x, int[] ids""", "=> Dot(RowSums(Embedding(E, ids)), x);"),
            "Dot(RowSums(Embedding(E, ids)), x)", "Dot(RowSums(Embedding(E, ids)), x): RowSums(Embedding(E, ids)) is d but x is V");

    [Fact]
    public void ConsistentSlices_GenerateWithoutDiagnostics()
    {
        var source = Method("""[Shape("m", "d")] Matrix<double> A, [Shape("m")] Vector<double> x, int j""", "=> Dot(Column(A, j), x) + Sum(ConcatColumns(A, A));");
        var run = AssertExactly(source);
        Assert.NotEmpty(run.Generated);
    }
}
