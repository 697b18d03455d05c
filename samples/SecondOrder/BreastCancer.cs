using System.Globalization;
using System.IO.Compression;
using AutoGradGen;

namespace SecondOrder;

/// <summary>
/// Breast-cancer samples for logistic regression: <see cref="X"/> is N×d with one sample per row (the layout
/// of the closed form H = Xᵀ diag(σ′(Xw)) X + λI), <see cref="Y"/> the N labels, 1 = benign, 0 = malignant.
/// </summary>
/// <param name="X">The features, N×d (standardised; with a last column of ones when an intercept was asked for).</param>
/// <param name="Y">The labels 0 or 1, N of them.</param>
public sealed record BreastCancerSet(Matrix<double> X, Vector<double> Y)
{
    /// <summary>The number of samples N.</summary>
    public int Count => X.Rows;

    /// <summary>The number of columns d of <see cref="X"/> (30 features, plus 1 with an intercept).</summary>
    public int Columns => X.Cols;

    /// <summary>The fraction of samples whose label is predicted right by σ(Xw) ≥ ½.</summary>
    /// <param name="weights">w, of length <see cref="Columns"/>.</param>
    /// <returns>The accuracy in [0, 1].</returns>
    public double Accuracy(Vector<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != Columns)
        {
            throw new ArgumentException($"The weights have length {weights.Length}; expected {Columns}.", nameof(weights));
        }

        int right = 0;
        for (int i = 0; i < Count; i++)
        {
            double score = 0;
            for (int j = 0; j < Columns; j++)
            {
                score += X[i, j] * weights[j];
            }

            right += (score >= 0) == (Y[i] == 1) ? 1 : 0;
        }

        return Count == 0 ? 0 : (double)right / Count;
    }
}

/// <summary>
/// Loads the Wisconsin diagnostic breast-cancer table (data/breast_cancer.csv.gz: UCI, CC BY 4.0, via
/// scikit-learn, BSD-3-Clause; see data/README.md) and makes a fixed-seed train/test split with
/// standardised features.
/// </summary>
public static class BreastCancer
{
    /// <summary>The number of samples in the file.</summary>
    public const int Samples = 569;

    /// <summary>The number of features per sample.</summary>
    public const int Features = 30;

    /// <summary>The data file next to the executable (the sample's project copies data/ there).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv.gz");

    /// <summary>
    /// Reads the file, shuffles the samples with <paramref name="seed"/>, holds out
    /// round(<paramref name="testFraction"/>·569) of them, and standardises every feature with the
    /// training part's mean and (population) standard deviation, applied to both parts.
    /// </summary>
    /// <param name="path">The .csv.gz file; null for <see cref="DefaultPath"/>.</param>
    /// <param name="testFraction">The held-out share in [0, 1) (0.2: 114 test and 455 training samples).</param>
    /// <param name="seed">The shuffle's seed (same seed, same split).</param>
    /// <param name="intercept">Append a column of ones (not standardised) so the last weight is the bias.</param>
    /// <returns>The training and test sets.</returns>
    /// <exception cref="InvalidDataException">The file is not the expected 569 × (30 + label) table.</exception>
    public static (BreastCancerSet Train, BreastCancerSet Test) LoadSplit(
        string? path = null, double testFraction = 0.2, int seed = 2026, bool intercept = true)
    {
        if (!(testFraction >= 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie in [0, 1).");
        }

        (double[][] features, double[] labels) = Read(path ?? DefaultPath);
        int[] order = Enumerable.Range(0, features.Length).ToArray();
        new Random(seed).Shuffle(order);
        int testCount = (int)Math.Round(testFraction * features.Length);
        int[] test = order[..testCount], train = order[testCount..];
        (double[] mean, double[] deviation) = Moments(features, train);
        return (Build(features, labels, train, mean, deviation, intercept), Build(features, labels, test, mean, deviation, intercept));
    }

    /// <summary>Reads every sample of the file, unscaled, in file order.</summary>
    /// <param name="path">The .csv.gz file.</param>
    /// <returns>569 rows of 30 features, and the 569 labels (1 = benign, 0 = malignant).</returns>
    /// <exception cref="InvalidDataException">The file is not the expected table.</exception>
    public static (double[][] Features, double[] Labels) Read(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        string header = reader.ReadLine() ?? throw new InvalidDataException($"{path}: empty file.");
        if (!header.StartsWith($"{Samples},{Features},", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: header '{header}'; expected '{Samples},{Features},malignant,benign'.");
        }

        var features = new List<double[]>(Samples);
        var labels = new List<double>(Samples);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length > 0)
            {
                (double[] row, double label) = ParseLine(line, path, features.Count + 2);
                features.Add(row);
                labels.Add(label);
            }
        }

        if (features.Count != Samples)
        {
            throw new InvalidDataException($"{path}: {features.Count} samples; expected {Samples}.");
        }

        return ([.. features], [.. labels]);
    }

    private static (double[] Row, double Label) ParseLine(string line, string path, int lineNumber)
    {
        string[] fields = line.Split(',');
        if (fields.Length != Features + 1)
        {
            throw new InvalidDataException($"{path}, line {lineNumber}: {fields.Length} values; expected {Features} features and a label.");
        }

        var row = new double[Features];
        for (int j = 0; j < Features; j++)
        {
            row[j] = double.Parse(fields[j], NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(row[j]))
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: feature {j} is {fields[j]}.");
            }
        }

        return fields[Features] switch
        {
            "0" => (row, 0.0),
            "1" => (row, 1.0),
            _ => throw new InvalidDataException($"{path}, line {lineNumber}: label '{fields[Features]}'; expected 0 or 1."),
        };
    }

    /// <summary>Per-feature mean and population standard deviation over <paramref name="rows"/> (1 where a feature is constant).</summary>
    private static (double[] Mean, double[] Deviation) Moments(double[][] features, int[] rows)
    {
        var mean = new double[Features];
        var deviation = new double[Features];
        for (int j = 0; j < Features; j++)
        {
            double sum = 0;
            foreach (int i in rows)
            {
                sum += features[i][j];
            }

            mean[j] = rows.Length == 0 ? 0 : sum / rows.Length;
            double squares = 0;
            foreach (int i in rows)
            {
                double d = features[i][j] - mean[j];
                squares += d * d;
            }

            double sd = rows.Length == 0 ? 0 : Math.Sqrt(squares / rows.Length);
            deviation[j] = sd > 0 ? sd : 1;
        }

        return (mean, deviation);
    }

    private static BreastCancerSet Build(
        double[][] features, double[] labels, int[] rows, double[] mean, double[] deviation, bool intercept)
    {
        int columns = Features + (intercept ? 1 : 0);
        var x = new Matrix<double>(rows.Length, columns);
        var y = new Vector<double>(rows.Length);
        for (int r = 0; r < rows.Length; r++)
        {
            double[] sample = features[rows[r]];
            for (int j = 0; j < Features; j++)
            {
                x[r, j] = (sample[j] - mean[j]) / deviation[j];
            }

            if (intercept)
            {
                x[r, Features] = 1;
            }

            y[r] = labels[rows[r]];
        }

        return new BreastCancerSet(x, y);
    }
}
