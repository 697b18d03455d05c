using System.Numerics;

namespace AutoGradGen.Benchmarks.Workloads;

/// <summary>
/// The <c>--check</c> reference for Hessian-vector products: central differences of a gradient along a direction,
/// in <typeparamref name="T"/> (double or float), and the tolerance an HVP must meet against them. Used by the
/// <c>GeneratedHvp</c> rows of W1–W6 and by W9/W10.
/// </summary>
internal static class FiniteDifferences<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// HVP against central differences of the gradient, both in <typeparamref name="T"/>: the difference's own error is
    /// about ε^(2/3) times the third derivative's scale (≈ 1e-11 in double, ≈ 1e-5 in float) plus the gradient's
    /// rounding over 2h. Seen with correct HVPs: ≤ 3e-9 (double), ≤ 2e-3 (float); a Gaussian HVP with one term
    /// dropped showed 7e-2, a transposed LogDet HVP 1.6.
    /// </summary>
    public static double Tolerance => typeof(T) == typeof(float) ? 1e-2 : 1e-6;

    /// <summary>
    /// ∂/∂h ∇f(θ + h v) at h = 0 by central differences, (∇f(θ + hv) − ∇f(θ − hv)) / 2h, with the parameters θ shifted
    /// in place and restored afterwards; h = ∛ε · max(1, ‖θ‖∞) / ‖v‖∞ (ε of <typeparamref name="T"/>), which balances the
    /// truncation error (h²) against the rounding of the gradient (ε/h). <paramref name="gradient"/> returns the
    /// gradient at the current θ, concatenated in parameter order.
    /// </summary>
    public static double[] GradientDifference(T[][] parameters, T[][] directions, Func<double[]> gradient)
    {
        double scale = Math.Max(1.0, parameters.SelectMany(p => p).Max(x => Math.Abs(double.CreateTruncating(x))));
        double vmax = directions.SelectMany(v => v).Max(x => Math.Abs(double.CreateTruncating(x)));
        double h = Math.Cbrt(Epsilon) * scale / vmax;
        var saved = parameters.Select(p => (T[])p.Clone()).ToArray();
        void Shift(double step)
        {
            for (int j = 0; j < parameters.Length; j++)
            {
                for (int i = 0; i < parameters[j].Length; i++)
                {
                    parameters[j][i] = saved[j][i] + (T.CreateTruncating(step) * directions[j][i]);
                }
            }
        }
        Shift(h);
        var plus = gradient();
        Shift(-h);
        var minus = gradient();
        for (int j = 0; j < parameters.Length; j++)
        {
            saved[j].CopyTo(parameters[j], 0);
        }
        return plus.Zip(minus, (a, b) => (a - b) / (2 * h)).ToArray();
    }

    /// <summary>
    /// ∂/∂h f(θ + h v) at h = 0 by central differences, (f(θ + hv) − f(θ − hv)) / 2h, with θ shifted in place and restored
    /// afterwards, h as in <see cref="GradientDifference"/>: the reference for ⟨∇f, v⟩ (a directional check of a whole gradient
    /// at the cost of two evaluations of f). <paramref name="loss"/> returns f at the current θ.
    /// </summary>
    public static double LossDifference(T[][] parameters, T[][] directions, Func<double> loss)
    {
        var difference = GradientDifference(parameters, directions, () => [loss()]);
        return difference[0];
    }

    /// <summary>Machine epsilon of <typeparamref name="T"/> (2⁻⁵² or 2⁻²³).</summary>
    private static double Epsilon => typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);
}
