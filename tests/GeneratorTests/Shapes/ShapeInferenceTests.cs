using Microsoft.CodeAnalysis;
using Xunit;
using static AutoGradGen.GeneratorTests.Diagnostics.DiagnosticAssert;

namespace AutoGradGen.GeneratorTests.Shapes;

/// <summary>
/// One test per shape rule: a program whose shapes provably disagree under that rule gets AGG0018 at the
/// operation, with both shapes in the user's symbols and the operation as the user wrote it.
/// </summary>
public class ShapeInferenceTests
{
    private static string Method(string parameters, string body, string returns = "double") => Usings + $$"""
        public static partial class M
        {
            [Differentiable]
            public static {{returns}} F({{parameters}}) {{body}}
        }
        """;

    /// <summary>Asserts exactly one AGG0018 at <paramref name="operation"/> with the message "Shapes do not agree: <paramref name="message"/>", and no generated method.</summary>
    private static void AssertMismatch(string source, string operation, string message)
    {
        var run = AssertExactly(source, Error("AGG0018", source, operation, after: "F("));
        var d = Assert.Single(run.AnalyzerDiagnostics);
        Assert.Equal("Shapes do not agree: " + message, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void Product_TiesTheInnerDimensions()
        => AssertMismatch(
            Method("""[Shape("h", "d")] Matrix<double> W, [Shape("n", "d")] Matrix<double> X""", "=> Sum(W * X);"),
            "W * X", "W * X: W is h × d but X is n × d");

    [Fact]
    public void ProductWithAVector_TiesColsToTheLength()
        => AssertMismatch(
            Method("""[Shape("h", "d")] Matrix<double> W, [Shape("n")] Vector<double> x""", "=> Sum(W * x);"),
            "W * x", "W * x: W is h × d but x is n");

    [Fact]
    public void ProductResult_CarriesRowsOfTheLeftAndColsOfTheRight()
        => AssertMismatch(
            Method("""[Shape("h", "d")] Matrix<double> W, [Shape("d", "n")] Matrix<double> X, [Shape("h", "m")] Matrix<double> Y""",
                "{ var Z = W * X; return Sum(Z + Y); }"),
            "Z + Y", "Z + Y: Z is h × n but Y is h × m");

    [Fact]
    public void DiagonalOfASquareMatrix_HasItsOrder()
        => AssertMismatch(
            Method("""[Shape("n")] Vector<double> v, [Shape("m")] Vector<double> w""", "=> Sum(Diagonal(Outer(v, v)) + w);"),
            "Diagonal(Outer(v, v)) + w", "Diagonal(Outer(v, v)) + w: Diagonal(Outer(v, v)) is n but w is m");

    [Fact]
    public void Addition_NeedsEqualShapes()
        => AssertMismatch(
            Method("""[Shape("h", "d")] Matrix<double> A, [Shape("h", "e")] Matrix<double> B""", "=> Sum(A + B);"),
            "A + B", "A + B: A is h × d but B is h × e");

    [Fact]
    public void Subtraction_NeedsEqualShapes()
        => AssertMismatch(
            Method("""[Shape("n")] Vector<double> a, [Shape("m")] Vector<double> b""", "=> Sum(a - b);"),
            "a - b", "a - b: a is n but b is m");

    [Fact]
    public void AddColumns_TiesRowsToTheVectorsLength()
        => AssertMismatch(
            Method("""[Shape("h", "n")] Matrix<double> A, [Shape("d")] Vector<double> b""", "=> Sum(A + b);"),
            "A + b", "A + b: A is h × n but b is d");

    [Fact]
    public void Transpose_SwapsTheDimensions()
        => AssertMismatch(
            Method("""[Shape("h", "d")] Matrix<double> A, [Shape("h", "d")] Matrix<double> B""", "=> Sum(Transpose(A) + B);"),
            "Transpose(A) + B", "Transpose(A) + B: Transpose(A) is d × h but B is h × d");

    [Theory]
    [InlineData("Trace")]
    [InlineData("Det")]
    [InlineData("LogDet")]
    public void ScalarFunctionsOfAMatrix_NeedASquareOperand(string function)
        => AssertMismatch(
            Method("""[Shape("h", "d")] Matrix<double> A""", "=> " + function + "(A);"),
            function + "(A)", function + "(A): A is h × d, not square");

    [Fact]
    public void Inverse_NeedsASquareOperand()
        => AssertMismatch(
            Method("""[Shape("h", "d")] Matrix<double> A""", "=> Sum(Inverse(A));"),
            "Inverse(A)", "Inverse(A): A is h × d, not square");

    [Fact]
    public void Solve_TiesTheRowsOfBothOperands()
        => AssertMismatch(
            Method("""[Shape("n", "n")] Matrix<double> A, [Shape("m", "k")] Matrix<double> B""", "=> Sum(Solve(A, B));"),
            "Solve(A, B)", "Solve(A, B): A is n × n but B is m × k");

    [Fact]
    public void Dot_NeedsEqualShapes()
        => AssertMismatch(
            Method("""[Shape("n")] Vector<double> a, [Shape("m")] Vector<double> b""", "=> Dot(a, b);"),
            "Dot(a, b)", "Dot(a, b): a is n but b is m");

    [Fact]
    public void Hadamard_NeedsEqualShapes()
        => AssertMismatch(
            Method("""[Shape("h", "d")] Matrix<double> A, [Shape("d", "h")] Matrix<double> B""", "=> Sum(Hadamard(A, B));"),
            "Hadamard(A, B)", "Hadamard(A, B): A is h × d but B is d × h");

    [Fact]
    public void Outer_IsTheFirstLengthByTheSecond()
        => AssertMismatch(
            Method("""[Shape("n")] Vector<double> u, [Shape("m")] Vector<double> v, [Shape("m", "n")] Matrix<double> A""", "=> Sum(Outer(u, v) + A);"),
            "Outer(u, v) + A", "Outer(u, v) + A: Outer(u, v) is n × m but A is m × n");

    [Fact]
    public void ElementwiseFunctions_KeepTheShape()
        => AssertMismatch(
            Method("""[Shape("n")] Vector<double> a, [Shape("m")] Vector<double> b""", "=> Dot(Sigmoid(a), b);"),
            "Dot(Sigmoid(a), b)", "Dot(Sigmoid(a), b): Sigmoid(a) is n but b is m");

    [Fact]
    public void CrossEntropy_NeedsEqualShapes()
        => AssertMismatch(
            Method("""[Shape("k", "n")] Matrix<double> H, [Shape("k", "m")] Matrix<double> Y""", "=> CrossEntropy(H, Y);"),
            "CrossEntropy(H, Y)", "CrossEntropy(H, Y): H is k × n but Y is k × m");

    [Fact]
    public void Softmax_KeepsTheShape()
        => AssertMismatch(
            Method("""[Shape("k")] Vector<double> h, [Shape("j")] Vector<double> y""", "=> Dot(y, Log(Softmax(h)));"),
            "Dot(y, Log(Softmax(h)))", "Dot(y, Log(Softmax(h))): y is j but Log(Softmax(h)) is k");

    [Fact]
    public void ScalarFactors_KeepTheOtherOperandsShape()
        => AssertMismatch(
            Method("""[Shape("n")] Vector<double> a, [Shape("m")] Vector<double> b, double s""", "=> Dot(s * a, b / s);"),
            "Dot(s * a, b / s)", "Dot(s * a, b / s): s * a is n but b / s is m");

    [Fact]
    public void IntegerLiterals_ThatDiffer_AreAMismatch()
        => AssertMismatch(
            Method("""[Shape("3", "4")] Matrix<double> W, [Shape("5")] Vector<double> x""", "=> Sum(W * x);"),
            "W * x", "W * x: W is 3 × 4 but x is 5");

    [Fact]
    public void ASymbolBoundToTwoLiterals_IsAMismatch()
        => AssertMismatch(
            Method("""[Shape("h", "3")] Matrix<double> W, [Shape("d")] Vector<double> x, [Shape("d")] Vector<double> z, [Shape("4")] Vector<double> y""",
                "=> Sum(W * x) + Dot(z, y);"),
            "Dot(z, y)", "Dot(z, y): z is d but y is 4");

    [Fact]
    public void ASymbolsMismatch_IsFoundThroughLocals()
        => AssertMismatch(
            Method("""[Shape("h", "d")] Matrix<double> W, [Shape("d")] Vector<double> x, [Shape("n")] Vector<double> b""",
                "{ var z = W * x; z += b; return Sum(z); }"),
            "z += b", "z += b: z is h but b is n");

    [Fact]
    public void FreshSymbols_UnifySilently_AndCorrectProgramsCompileWithoutWarnings()
    {
        var source = Method("""[Shape("h", "d")] Matrix<double> W, Matrix<double> X, [Shape("h")] Vector<double> b, Matrix<double> Y""",
            "=> CrossEntropy(Sigmoid(W * X + b), Y);");
        var run = AssertExactly(source);
        Assert.NotEmpty(run.Generated);
        Assert.Empty(run.Problems);
    }

    [Fact]
    public void EveryForwardOp_HasAShapeRule()
    {
        var missing = Generator.Model.Op.All.Where(o => o.Role == Generator.Model.OpRole.Forward && o.ShapeRule is null).Select(o => o.Name).ToList();
        Assert.True(missing.Count == 0, "forward ops without a shape rule: " + string.Join(", ", missing));
    }
}
