using System;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace AutoGradGen;

/// <summary>Readable <c>ToString</c> text for matrices and vectors (invariant culture, 6 significant digits).</summary>
internal static class TextFormat
{
    private const int MaxMatrixShown = 8;
    private const int MaxVectorShown = 16;

    internal static string FormatMatrix<T>(ReadOnlySpan<T> data, int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var text = new StringBuilder();
        text.Append("Matrix<").Append(TypeName<T>()).Append("> ").Append(ThrowHelper.Shape(rows, cols));
        int shownRows = Math.Min(rows, MaxMatrixShown);
        int shownCols = Math.Min(cols, MaxMatrixShown);
        var cells = new string[shownRows, shownCols];
        var widths = new int[shownCols];
        for (int i = 0; i < shownRows; i++)
        {
            for (int j = 0; j < shownCols; j++)
            {
                cells[i, j] = Format(data[(i * cols) + j]);
                widths[j] = Math.Max(widths[j], cells[i, j].Length);
            }
        }

        for (int i = 0; i < shownRows; i++)
        {
            text.AppendLine().Append('[');
            for (int j = 0; j < shownCols; j++)
            {
                text.Append(j == 0 ? " " : "  ").Append(cells[i, j].PadLeft(widths[j]));
            }

            text.Append(cols > shownCols ? "  … ]" : " ]");
        }

        if (rows > shownRows)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  ⋮ ({rows - shownRows} more rows)");
        }

        return text.ToString();
    }

    internal static string FormatVector<T>(ReadOnlySpan<T> data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var text = new StringBuilder();
        text.Append("Vector<").Append(TypeName<T>()).Append("> ")
            .Append(data.Length.ToString(CultureInfo.InvariantCulture)).Append(": [");
        int shown = Math.Min(data.Length, MaxVectorShown);
        for (int i = 0; i < shown; i++)
        {
            text.Append(i == 0 ? " " : ", ").Append(Format(data[i]));
        }

        text.Append(data.Length > shown ? ", … ]ᵀ" : " ]ᵀ");
        return text.ToString();
    }

    private static string Format<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        value.ToString("G6", CultureInfo.InvariantCulture);

    private static string TypeName<T>() =>
        typeof(T) == typeof(double) ? "double" : typeof(T) == typeof(float) ? "float" : typeof(T).Name;
}
