using AutoGradGen;

namespace SeedExamples;

/// <summary>
/// A small, independent gradient checker: central finite differences of the user's own function
/// (not of the generated code), entry by entry.
/// </summary>
internal static class FiniteDifferences
{
    /// <summary>The step h of (f(θ + h eᵢ) − f(θ − h eᵢ)) / 2h: truncation error O(h²) ≈ 1e-12, rounding ≈ 1e-10·|f|.</summary>
    public const double Step = 1e-6;

    /// <summary>
    /// ∂f/∂θᵢ for every entry θᵢ of <paramref name="parameter"/>, by central differences.
    /// <paramref name="f"/> must read the same storage; every entry is restored afterwards.
    /// </summary>
    public static double[] Gradient(Func<double> f, Span<double> parameter)
    {
        var gradient = new double[parameter.Length];
        for (int i = 0; i < parameter.Length; i++)
        {
            double saved = parameter[i];
            parameter[i] = saved + Step;
            double plus = f();
            parameter[i] = saved - Step;
            double minus = f();
            parameter[i] = saved;
            gradient[i] = (plus - minus) / (2 * Step);
        }
        return gradient;
    }

    /// <summary>max|g − fd| / max(1, max|fd|): absolute for small gradients, relative for large ones.</summary>
    public static double RelativeError(ReadOnlySpan<double> gradient, ReadOnlySpan<double> fd)
    {
        if (gradient.Length != fd.Length)
        {
            throw new ArgumentException($"gradient has {gradient.Length} entries, finite differences {fd.Length}");
        }
        double worst = 0, scale = 1;
        for (int i = 0; i < fd.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(gradient[i] - fd[i]));
            scale = Math.Max(scale, Math.Abs(fd[i]));
        }
        return worst / scale;
    }

    /// <summary>Checks a gradient against finite differences of <paramref name="f"/> with respect to <paramref name="parameter"/>.</summary>
    public static double Check(Func<double> f, object parameter, object gradient)
        => RelativeError(Entries(gradient), Gradient(f, Entries(parameter)));

    /// <summary>The entries of a matrix (row-major) or vector, as the storage itself.</summary>
    public static Span<double> Entries(object value) => value switch
    {
        Matrix<double> m => m.AsSpan(),
        Vector<double> v => v.AsSpan(),
        _ => throw new ArgumentException("expected Matrix<double> or Vector<double>, got " + value.GetType().Name),
    };
}
