using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.Cookbook;

/// <summary>
/// Trace derivatives from The Matrix Cookbook (Petersen &amp; Pedersen, version of 15 Nov 2012), section 2.5.
/// Equation numbers refer to that edition. Only X is differentiated; the other factors are [NoGradient],
/// so the generated signature must have exactly one out (dX). Non-square shapes catch transpositions.
/// </summary>
public class CookbookTraceTests
{
    private static string Src(string parameters, string body)
        => GradientAssert.Source($"[Differentiable] public static double F({parameters}) => {body};");

    private const string NoGrad = "[NoGradient] Matrix<double> ";

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq100_TraceXA(string t)
    {
        // (100) ∂Tr(XA)/∂X = Aᵀ
        var p = new Inputs(t, 701).Matrix("X", 3, 4).Matrix("A", 4, 3);
        var (X, A) = (p.M("X"), p.M("A"));
        GradientAssert.Gradient(Src("Matrix<double> X, " + NoGrad + "A", "Trace(X * A)"), p, Trace(Mul(X, A)), ("X", T(A)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq101_TraceAXB(string t)
    {
        // (101) ∂Tr(AXB)/∂X = AᵀBᵀ
        var p = new Inputs(t, 702).Matrix("A", 2, 3).Matrix("X", 3, 4).Matrix("B", 4, 2);
        var (A, X, B) = (p.M("A"), p.M("X"), p.M("B"));
        GradientAssert.Gradient(Src(NoGrad + "A, Matrix<double> X, " + NoGrad + "B", "Trace(A * X * B)"), p,
            Trace(Mul(A, X, B)), ("X", Mul(T(A), T(B))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq102_TraceAXtB(string t)
    {
        // (102) ∂Tr(AXᵀB)/∂X = BA
        var p = new Inputs(t, 703).Matrix("A", 2, 4).Matrix("X", 3, 4).Matrix("B", 3, 2);
        var (A, X, B) = (p.M("A"), p.M("X"), p.M("B"));
        GradientAssert.Gradient(Src(NoGrad + "A, Matrix<double> X, " + NoGrad + "B", "Trace(A * Transpose(X) * B)"), p,
            Trace(Mul(A, T(X), B)), ("X", Mul(B, A)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq106_TraceXSquared(string t)
    {
        // (106) ∂Tr(X²)/∂X = 2Xᵀ
        var p = new Inputs(t, 704).Matrix("X", 4, 4);
        var X = p.M("X");
        GradientAssert.Gradient(Src("Matrix<double> X", "Trace(X * X)"), p, Trace(Mul(X, X)), ("X", Scale(2, T(X))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq107_TraceXSquaredB(string t)
    {
        // (107) ∂Tr(X²B)/∂X = (XB + BX)ᵀ
        var p = new Inputs(t, 705).Matrix("X", 3, 3).Matrix("B", 3, 3);
        var (X, B) = (p.M("X"), p.M("B"));
        GradientAssert.Gradient(Src("Matrix<double> X, " + NoGrad + "B", "Trace(X * X * B)"), p,
            Trace(Mul(X, X, B)), ("X", T(Add(Mul(X, B), Mul(B, X)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq108_TraceXtBX(string t)
    {
        // (108) ∂Tr(XᵀBX)/∂X = BX + BᵀX
        var p = new Inputs(t, 706).Matrix("X", 3, 2).Matrix("B", 3, 3);
        var (X, B) = (p.M("X"), p.M("B"));
        GradientAssert.Gradient(Src("Matrix<double> X, " + NoGrad + "B", "Trace(Transpose(X) * B * X)"), p,
            Trace(Mul(T(X), B, X)), ("X", Add(Mul(B, X), Mul(T(B), X))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq111_TraceXBXt(string t)
    {
        // (111) ∂Tr(XBXᵀ)/∂X = XBᵀ + XB
        var p = new Inputs(t, 707).Matrix("X", 2, 3).Matrix("B", 3, 3);
        var (X, B) = (p.M("X"), p.M("B"));
        GradientAssert.Gradient(Src("Matrix<double> X, " + NoGrad + "B", "Trace(X * B * Transpose(X))"), p,
            Trace(Mul(X, B, T(X))), ("X", Add(Mul(X, T(B)), Mul(X, B))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq114_TraceAXBX(string t)
    {
        // (114) ∂Tr(AXBX)/∂X = AᵀXᵀBᵀ + BᵀXᵀAᵀ
        var p = new Inputs(t, 708).Matrix("A", 2, 3).Matrix("X", 3, 2).Matrix("B", 2, 3);
        var (A, X, B) = (p.M("A"), p.M("X"), p.M("B"));
        GradientAssert.Gradient(Src(NoGrad + "A, Matrix<double> X, " + NoGrad + "B", "Trace(A * X * B * X)"), p,
            Trace(Mul(A, X, B, X)), ("X", Add(Mul(T(A), T(X), T(B)), Mul(T(B), T(X), T(A)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq115_TraceXtX(string t)
    {
        // (115) ∂Tr(XᵀX)/∂X = 2X
        var p = new Inputs(t, 709).Matrix("X", 3, 4);
        var X = p.M("X");
        GradientAssert.Gradient(Src("Matrix<double> X", "Trace(Transpose(X) * X)"), p, Trace(Mul(T(X), X)), ("X", Scale(2, X)));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq116_TraceBtXtCXB(string t)
    {
        // (116) ∂Tr(BᵀXᵀCXB)/∂X = CᵀXBBᵀ + CXBBᵀ
        var p = new Inputs(t, 710).Matrix("B", 2, 3).Matrix("X", 3, 2).Matrix("C", 3, 3);
        var (B, X, C) = (p.M("B"), p.M("X"), p.M("C"));
        var XBBt = Mul(X, B, T(B));
        GradientAssert.Gradient(Src(NoGrad + "B, Matrix<double> X, " + NoGrad + "C", "Trace(Transpose(B) * Transpose(X) * C * X * B)"), p,
            Trace(Mul(T(B), T(X), C, X, B)), ("X", Add(Mul(T(C), XBBt), Mul(C, XBBt))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq118_TraceAXBXtC(string t)
    {
        // (118) ∂Tr(AXBXᵀC)/∂X = AᵀCᵀXBᵀ + CAXB
        var p = new Inputs(t, 711).Matrix("A", 4, 3).Matrix("X", 3, 2).Matrix("B", 2, 2).Matrix("C", 3, 4);
        var (A, X, B, C) = (p.M("A"), p.M("X"), p.M("B"), p.M("C"));
        GradientAssert.Gradient(Src(NoGrad + "A, Matrix<double> X, " + NoGrad + "B, " + NoGrad + "C", "Trace(A * X * B * Transpose(X) * C)"), p,
            Trace(Mul(A, X, B, T(X), C)), ("X", Add(Mul(T(A), T(C), X, T(B)), Mul(C, A, X, B))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq119_TraceOfGramOfAffine(string t)
    {
        // (119) ∂Tr[(AXB + C)(AXB + C)ᵀ]/∂X = 2Aᵀ(AXB + C)Bᵀ
        var src = GradientAssert.Source("""
            [Differentiable]
            public static double F([NoGradient] Matrix<double> A, Matrix<double> X, [NoGradient] Matrix<double> B, [NoGradient] Matrix<double> C)
            {
                var Y = A * X * B + C;
                return Trace(Y * Transpose(Y));
            }
            """);
        var p = new Inputs(t, 712).Matrix("A", 2, 3).Matrix("X", 3, 4).Matrix("B", 4, 2).Matrix("C", 2, 2);
        var (A, X, B, C) = (p.M("A"), p.M("X"), p.M("B"), p.M("C"));
        var Y = Add(Mul(A, X, B), C);
        GradientAssert.Gradient(src, p, Trace(Mul(Y, T(Y))), ("X", Scale(2, Mul(T(A), Y, T(B)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq63_TraceAXinvB(string t)
    {
        // (63) ∂Tr(AX⁻¹B)/∂X = −(X⁻¹BAX⁻¹)ᵀ = −X⁻ᵀAᵀBᵀX⁻ᵀ
        var p = new Inputs(t, 713).Matrix("A", 2, 3).WellConditioned("X", 3).Matrix("B", 3, 2);
        var (A, B) = (p.M("A"), p.M("B"));
        var inv = Inv(p.M("X"));
        GradientAssert.Gradient(Src(NoGrad + "A, Matrix<double> X, " + NoGrad + "B", "Trace(A * Inverse(X) * B)"), p,
            Trace(Mul(A, inv, B)), ("X", Neg(T(Mul(inv, B, A, inv)))));
    }

    [Theory, InlineData("double"), InlineData("float")]
    public void Eq63_TraceXinvA_ViaSolve(string t)
    {
        // (63) with A = I: ∂Tr(X⁻¹A)/∂X = −X⁻ᵀAᵀX⁻ᵀ, spelled Tr(Solve(X, A))
        var p = new Inputs(t, 714).WellConditioned("X", 4).Matrix("A", 4, 4);
        var A = p.M("A");
        var invT = T(Inv(p.M("X")));
        GradientAssert.Gradient(Src("Matrix<double> X, " + NoGrad + "A", "Trace(Solve(X, A))"), p,
            Trace(Mul(Inv(p.M("X")), A)), ("X", Neg(Mul(invT, T(A), invT))));
    }
}
