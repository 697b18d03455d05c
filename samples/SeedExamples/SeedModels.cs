using AutoGradGen;
using static AutoGradGen.Ops;

namespace SeedExamples;

/// <summary>
/// The examples of sections 1–3 of the lecture "Backpropagation – A Perspective of Matrix Calculus" (Yu Chen, TU Munich, 2023),
/// written as plain matrix code. The generator adds
/// <c>FWithGradient</c> for each method to this partial class at compile time.
/// </summary>
public static partial class SeedModels
{
    /// <summary>(1) f = xᵀAy: a bilinear form.</summary>
    [Differentiable]
    public static double Bilinear(Vector<double> x, Matrix<double> A, Vector<double> y)
        => Dot(x, A * y);

    /// <summary>(2) L = ‖Xw − y‖²: least squares; the data X, y are constants.</summary>
    [Differentiable]
    public static double LeastSquares(Vector<double> w, [NoGradient] Matrix<double> X, [NoGradient] Vector<double> y)
        => SquaredNorm(X * w - y);

    /// <summary>
    /// (3) L = N log|Σ| + Σᵢ (xᵢ − μ)ᵀ Σ⁻¹ (xᵢ − μ): the Gaussian negative log-likelihood (up to
    /// constants and a factor ½), with the N samples xᵢ in the columns of X.
    /// </summary>
    [Differentiable]
    public static double GaussianNll(Vector<double> mu, Matrix<double> Sigma, [NoGradient] Matrix<double> X)
    {
        int N = X.Cols;
        var C = X - mu;
        return N * LogDet(Sigma) + Sum(Hadamard(C, Solve(Sigma, C)));
    }

    /// <summary>(4) f = xᵀAσ(B⁻¹z + b): a sigmoid layer read out by a bilinear form.</summary>
    [Differentiable]
    public static double SigmoidForm([NoGradient] Vector<double> x, [NoGradient] Matrix<double> A,
                                     Matrix<double> B, Vector<double> z, Vector<double> b)
    {
        var h = Inverse(B) * z + b;
        return Dot(x, A * Sigmoid(h));
    }
}
