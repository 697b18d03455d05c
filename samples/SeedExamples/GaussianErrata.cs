using AutoGradGen;
using static AutoGradGen.Ops;

namespace SeedExamples;

/// <summary>The Gaussian example's inputs and the generated ∇Σ, kept for the errata check.</summary>
internal sealed record GaussianData(Vector<double> Mu, Matrix<double> Sigma, Matrix<double> X, Matrix<double> GeneratedGradSigma);

/// <summary>
/// The lecture slides print two errors in the Gaussian example:
/// ∂|D| = (1/N)·Tr(D*∂D) (D* the adjugate) instead of Jacobi's formula ∂|D| = |D|·Tr(D⁻¹∂D), and
/// a final ∇Σ with (N/|Σ|)·Σ⁻ᵀ instead of N·Σ⁻ᵀ. Both are checked here against finite differences.
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

        // ∂|Σ| along a random direction E: d/dt |Σ + tE| at t = 0.
        var E = rng.Matrix(Sigma.Rows, Sigma.Cols);
        double fd = DirectionalDerivative(Sigma, E);
        double jacobi = det * Trace(inverse * E);
        double slideDet = Trace(det * inverse * E) / N;          // (1/N) Tr(Σ* E), Σ* = |Σ| Σ⁻¹ the adjugate
        Report.Table("∂|Σ| along a random direction E", "value", [
            ("finite differences", Report.Number(fd), null),
            ("Jacobi:  |Σ| Tr(Σ⁻¹E)", Report.Number(jacobi), Error(jacobi, fd)),
            ("slides:  (1/N) Tr(Σ*E)", Report.Number(slideDet), Error(slideDet, fd)),
        ]);
        Console.WriteLine();

        // ∇Σ: ours (generated) against the slides' printed result.
        var C = d.X - d.Mu;
        var S = C * Transpose(C);                                 // S = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ
        var slide = (N / det) * inverseT - inverseT * S * inverseT;
        var fdSigma = FiniteDifferences.Gradient(() => SeedModels.GaussianNll(d.Mu, d.Sigma, d.X), Sigma.AsSpan());
        Report.Table("∇Σ", "", [
            ("generated:  NΣ⁻ᵀ − Σ⁻ᵀSΣ⁻ᵀ", "", FiniteDifferences.RelativeError(d.GeneratedGradSigma.AsSpan(), fdSigma)),
            ("slides:     (N/|Σ|)Σ⁻ᵀ − Σ⁻ᵀSΣ⁻ᵀ", "", FiniteDifferences.RelativeError(slide.AsSpan(), fdSigma)),
        ]);
        Console.WriteLine("    (S = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ = CCᵀ; the slides' result is right only when |Σ| = 1.)");
    }

    private static double DirectionalDerivative(Matrix<double> sigma, Matrix<double> e)
    {
        double h = FiniteDifferences.Step;
        return (Det(sigma + (h * e)) - Det(sigma - (h * e))) / (2 * h);
    }

    private static double Error(double value, double fd) => Math.Abs(value - fd) / Math.Max(1, Math.Abs(fd));
}
