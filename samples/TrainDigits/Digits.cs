using System.Globalization;
using System.IO.Compression;
using AutoGradGen;

namespace TrainDigits;

/// <summary>
/// A set of digit images as matrices with one sample per column: X is 64×N (pixels scaled from
/// 0–16 to 0–1, row by row, which is also the one-channel layout Conv2D reads), Y is the 10×N
/// one-hot label matrix, and <see cref="Labels"/> holds the digits.
/// </summary>
/// <param name="X">The pixels, 64×N.</param>
/// <param name="Y">The one-hot labels, 10×N.</param>
/// <param name="Labels">The digits 0–9, N of them.</param>
public sealed record DigitSet(Matrix<double> X, Matrix<double> Y, int[] Labels)
{
    /// <summary>The number of samples N.</summary>
    public int Count => Labels.Length;

    /// <summary>The samples at <paramref name="indices"/> (in that order), as a new set.</summary>
    public DigitSet Take(ReadOnlySpan<int> indices)
    {
        var x = new Matrix<double>(X.Rows, indices.Length);
        var y = new Matrix<double>(Y.Rows, indices.Length);
        var labels = new int[indices.Length];
        ReadOnlySpan<double> src = X.AsSpan();
        Span<double> dst = x.AsSpan();
        for (int r = 0; r < X.Rows; r++)
        {
            ReadOnlySpan<double> row = src.Slice(r * X.Cols, X.Cols);
            Span<double> outRow = dst.Slice(r * indices.Length, indices.Length);
            for (int j = 0; j < indices.Length; j++)
            {
                outRow[j] = row[indices[j]];
            }
        }

        for (int j = 0; j < indices.Length; j++)
        {
            labels[j] = Labels[indices[j]];
            y[labels[j], j] = 1;
        }

        return new DigitSet(x, y, labels);
    }
}

/// <summary>Loads the UCI optical digits (Data/digits.csv.gz, CC BY 4.0; see Data/ATTRIBUTION.md).</summary>
public static class Digits
{
    /// <summary>The pixels per image (8×8).</summary>
    public const int Pixels = 64;

    /// <summary>The largest pixel value in the file (a count of on pixels in a 4×4 block).</summary>
    public const double MaxPixel = 16;

    /// <summary>The data file next to the executable (copied there by the build).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Data", "digits.csv.gz");

    /// <summary>
    /// Reads the gzip-compressed CSV: one sample per line, 64 pixel values 0–16 then the label 0–9.
    /// </summary>
    /// <param name="path">The .csv.gz file.</param>
    /// <returns>All samples, in file order, pixels scaled to [0, 1].</returns>
    /// <exception cref="InvalidDataException">A line does not have 65 values in range.</exception>
    public static DigitSet Load(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var pixels = new List<double[]>();
        var labels = new List<int>();
        string? line;
        int lineNumber = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] fields = line.Split(',');
            if (fields.Length != Pixels + 1)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: {fields.Length} values; expected {Pixels} pixels and a label.");
            }

            var image = new double[Pixels];
            for (int i = 0; i < Pixels; i++)
            {
                double v = double.Parse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture);
                if (v < 0 || v > MaxPixel)
                {
                    throw new InvalidDataException($"{path}, line {lineNumber}: pixel {i} is {v}; expected 0–16.");
                }

                image[i] = v / MaxPixel;
            }

            int label = (int)double.Parse(fields[Pixels], NumberStyles.Float, CultureInfo.InvariantCulture);
            if (label is < 0 or >= Models.Classes)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: label {fields[Pixels]}; expected 0–9.");
            }

            pixels.Add(image);
            labels.Add(label);
        }

        int n = labels.Count;
        var x = new Matrix<double>(Pixels, n);
        var y = new Matrix<double>(Models.Classes, n);
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < Pixels; i++)
            {
                x[i, j] = pixels[j][i];
            }

            y[labels[j], j] = 1;
        }

        return new DigitSet(x, y, [.. labels]);
    }

    /// <summary>A fixed-seed random split: <paramref name="testCount"/> held-out samples, the rest for training.</summary>
    public static (DigitSet Train, DigitSet Test) Split(DigitSet all, int testCount, int seed)
    {
        int[] order = Enumerable.Range(0, all.Count).ToArray();
        new Random(seed).Shuffle(order);
        return (all.Take(order.AsSpan(testCount)), all.Take(order.AsSpan(0, testCount)));
    }
}
