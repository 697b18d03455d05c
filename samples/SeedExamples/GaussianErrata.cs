using AutoGradGen;
using static AutoGradGen.Ops;

namespace SeedExamples;

/// <summary>The Gaussian example's inputs and the generated ∇Σ, kept for the errata check.</summary>
internal sealed record GaussianData(Vector<double> Mu, Matrix<double> Sigma, Matrix<double> X, Matrix<double> GeneratedGradSigma);

/// <summary>
/// The slides of the lecture "Backpropagation – A Perspective of Matrix Calculus" (Yu Chen, TU Munich, 2023)
/// print two errors in the Gaussian example:
/// ∂|D| = (1/N)·Tr(D*∂D) (D* the adjugate) instead of Jacobi's formula ∂|D| = |D|·Tr(D⁻¹∂D), and
/// a final ∇Σ with (N/|Σ|)·Σ⁻ᵀ instead of N·Σ⁻ᵀ. Both are checked here against finite differences
/// with <see cref="GradientCheck"/>.
/// </summary>
internal static class GaussianErrata
{
    /// <summary>Prints both comparisons. Only the generated gradient decides the exit code, and it is checked in the example itself.</summary>
    public static void Print(GaussianData d, Inputs rng)
    {
        var Sigma = d.Sigma;
        int N = d.X.Cols;
        double det = Det(Sigma);
        var inverse = Inverse(Sigma);
        var inverseT = Transpose(inverse);

        Console.WriteLine($"    The slides' errata, checked numerically (Σ is not symmetric, |Σ| = {Report.Number(det)}, N = {N}):");
        Console.WriteLine();

        // ∂|Σ| along a random direction E: d/dt |Σ + tE| at t = 0, checked as the derivative in the scalar t.
        var E = rng.Matrix(Sigma.Rows, Sigma.Cols);
        double t = 0;
        double jacobi = det * Trace(inverse * E);
        double slideDet = Trace(det * inverse * E) / N;          // (1/N) Tr(Σ* E), Σ* = |Σ| Σ⁻¹ the adjugate
        var directional = GradientCheck.Run(() => Det(Sigma + (t * E)), [
            GradientCheck.Parameter("Jacobi", () => t, v => t = v, jacobi),
            GradientCheck.Parameter("slides", () => t, v => t = v, slideDet),
        ], Report.Check);
        Report.Table("∂|Σ| along a random direction E", "value", [
            ("finite differences", Report.Number(directional.Parameters[0].Numeric), null),
            ("Jacobi:  |Σ| Tr(Σ⁻¹E)", Report.Number(jacobi), directional.Parameters[0]),
            ("slides:  (1/N) Tr(Σ*E)", Report.Number(slideDet), directional.Parameters[1]),
        ]);
        Console.WriteLine();

        // ∇Σ: ours (generated) against the slides' printed result.
        var C = d.X - d.Mu;
        var S = C * Transpose(C);                                 // S = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ
        var slide = (N / det) * inverseT - inverseT * S * inverseT;
        var gradients = GradientCheck.Run(() => SeedModels.GaussianNll(d.Mu, d.Sigma, d.X), [
            GradientCheck.Parameter("generated", Sigma, d.GeneratedGradSigma),
            GradientCheck.Parameter("slides", Sigma, slide),
        ], Report.Check);
        Report.Table("∇Σ", "", [
            ("generated:  NΣ⁻ᵀ − Σ⁻ᵀSΣ⁻ᵀ", "", gradients.Parameters[0]),
            ("slides:     (N/|Σ|)Σ⁻ᵀ − Σ⁻ᵀSΣ⁻ᵀ", "", gradients.Parameters[1]),
        ]);
        Console.WriteLine("    (S = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ = CCᵀ; the slides' result is right only when |Σ| = 1.)");
    }
}
