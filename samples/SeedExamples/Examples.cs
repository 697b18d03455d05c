namespace SeedExamples;

/// <summary>Builds the four examples of the lecture "Backpropagation – A Perspective of Matrix Calculus" (Yu Chen, TU Munich, 2023) at fixed-seed random inputs and calls the generated methods.</summary>
internal static class Examples
{
    public const int Seed = 2024;

    public static Example Bilinear(Inputs rng)
    {
        var x = rng.Vector(4);
        var A = rng.Matrix(4, 3);
        var y = rng.Vector(3);
        double f = SeedModels.BilinearWithGradient(x, A, y, out var dx, out var dA, out var dy);
        return new Example(
            "(1) Bilinear form",
            "Dot(x, A * y)",
            nameof(SeedModels.BilinearWithGradient),
            [("x", x), ("A", A), ("y", y)],
            f,
            () => SeedModels.Bilinear(x, A, y),
            [new("x", x, dx), new("A", A, dA), new("y", y, dy)]);
    }

    public static Example LeastSquares(Inputs rng)
    {
        var w = rng.Vector(3);
        var X = rng.Matrix(6, 3);
        var y = rng.Vector(6);
        double f = SeedModels.LeastSquaresWithGradient(w, X, y, out var dw);
        return new Example(
            "(2) Least squares",
            "SquaredNorm(X * w - y)",
            nameof(SeedModels.LeastSquaresWithGradient),
            [("w", w), ("X", X), ("y", y)],
            f,
            () => SeedModels.LeastSquares(w, X, y),
            [new("w", w, dw)]);
    }

    /// <summary>Σ is deliberately not symmetric and |Σ| ≠ 1, so that the errata of Chen's slides show.</summary>
    public static Example Gaussian(Inputs rng, out GaussianData data)
    {
        var mu = rng.Vector(3);
        var Sigma = rng.ShiftedSquare(3);
        var X = rng.Matrix(3, 20);
        double f = SeedModels.GaussianNllWithGradient(mu, Sigma, X, out var dmu, out var dSigma);
        data = new GaussianData(mu, Sigma, X, dSigma);
        return new Example(
            "(3) Gaussian maximum likelihood",
            "int N = X.Cols; var C = X - mu; return N * LogDet(Sigma) + Sum(Hadamard(C, Solve(Sigma, C)));",
            nameof(SeedModels.GaussianNllWithGradient),
            [("mu", mu), ("Sigma", Sigma), ("X", X)],
            f,
            () => SeedModels.GaussianNll(mu, Sigma, X),
            [new("μ", mu, dmu), new("Σ", Sigma, dSigma)]);
    }

    public static Example SigmoidForm(Inputs rng)
    {
        var x = rng.Vector(4);
        var A = rng.Matrix(4, 3);
        var B = rng.ShiftedSquare(3);
        var z = rng.Vector(3);
        var b = rng.Vector(3);
        double f = SeedModels.SigmoidFormWithGradient(x, A, B, z, b, out var dB, out var dz, out var db);
        return new Example(
            "(4) Sigmoid of a solve",
            "var h = Inverse(B) * z + b; return Dot(x, A * Sigmoid(h));",
            nameof(SeedModels.SigmoidFormWithGradient),
            [("x", x), ("A", A), ("B", B), ("z", z), ("b", b)],
            f,
            () => SeedModels.SigmoidForm(x, A, B, z, b),
            [new("B", B, dB), new("z", z, dz), new("b", b, db)]);
    }
}
