using AutoGradGen;

namespace SeedExamples;

/// <summary>Reproducible random inputs (fixed seed) and their shapes in the notation of the lecture "Backpropagation – A Perspective of Matrix Calculus" (Yu Chen, TU Munich, 2023).</summary>
internal sealed class Inputs(int seed)
{
    private readonly Random _random = new(seed);

    public int Seed { get; } = seed;

    /// <summary>Entries uniform in [−1, 1).</summary>
    public Matrix<double> Matrix(int rows, int cols)
    {
        var m = new Matrix<double>(rows, cols);
        Fill(m.AsSpan());
        return m;
    }

    /// <summary>Entries uniform in [−1, 1).</summary>
    public Vector<double> Vector(int length)
    {
        var v = new Vector<double>(length);
        Fill(v.AsSpan());
        return v;
    }

    /// <summary>A random n×n matrix plus n·I: well conditioned, not symmetric, determinant far from 1.</summary>
    public Matrix<double> ShiftedSquare(int n) => Matrix(n, n) + n * Matrix<double>.Identity(n);

    private void Fill(Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (2 * _random.NextDouble()) - 1;
        }
    }

    /// <summary>"ℝ⁴" for a vector, "ℝ⁴ˣ³" for a matrix.</summary>
    public static string Shape(object value) => value switch
    {
        Matrix<double> m => "ℝ" + Superscript(m.Rows) + "ˣ" + Superscript(m.Cols),
        Vector<double> v => "ℝ" + Superscript(v.Length),
        _ => "ℝ",
    };

    private static string Superscript(int n)
        => string.Concat(n.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => "⁰¹²³⁴⁵⁶⁷⁸⁹"[c - '0']));
}
