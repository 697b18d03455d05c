namespace AutoGradGen.Benchmarks.Workloads;

/// <summary>Fixed-seed float inputs: the values of <see cref="Data"/> rounded to float (same seeds, same draws).</summary>
internal static class DataFloat
{
    public static Matrix<float> Matrix(Random r, int rows, int cols, double scale = 1.0) => ToFloat(Data.Matrix(r, rows, cols, scale));

    public static Vector<float> Vector(Random r, int n, double scale = 1.0) => ToFloat(Data.Vector(r, n, scale));

    public static Matrix<float> OneHot(Random r, int classes, int n) => ToFloat(Data.OneHot(r, classes, n));

    public static Matrix<float> Spd(Random r, int n) => ToFloat(Data.Spd(r, n));

    private static Matrix<float> ToFloat(Matrix<double> m)
    {
        var f = new Matrix<float>(m.Rows, m.Cols);
        Span<double> s = m.AsSpan();
        Span<float> d = f.AsSpan();
        for (int i = 0; i < s.Length; i++)
        {
            d[i] = (float)s[i];
        }
        return f;
    }

    private static Vector<float> ToFloat(Vector<double> v)
    {
        var f = new Vector<float>(v.Length);
        Span<double> s = v.AsSpan();
        Span<float> d = f.AsSpan();
        for (int i = 0; i < s.Length; i++)
        {
            d[i] = (float)s[i];
        }
        return f;
    }
}
