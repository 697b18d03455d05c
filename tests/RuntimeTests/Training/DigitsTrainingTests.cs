using System.Globalization;
using System.IO.Compression;
using TrainDigits;
using Xunit;
using Xunit.Abstractions;

namespace AutoGradGen.RuntimeTests.Training;

/// <summary>
/// Fixed-seed training of the TrainDigits sample's models (samples/TrainDigits/Models.cs, linked)
/// on the shipped UCI optical digits, with the generated gradients and the runtime's optimizers.
/// </summary>
public class DigitsTrainingTests(ITestOutputHelper output)
{
    private const int Seed = 2024;
    private const int TestCount = 360;
    private const int BatchSize = 32;

    private static readonly Lazy<(Digits Train, Digits Test)> Data = new(() => Split(Load(), TestCount, Seed));

    [Fact]
    public void TwoLayerNetworkLearnsTheDigits()
    {
        var (train, test) = Data.Value;
        var rng = new Random(Seed);
        var w1 = Glorot(32, 64, rng);
        var b1 = new Vector<double>(32);
        var w2 = Glorot(10, 32, rng);
        var b2 = new Vector<double>(10);
        const double lambda = 1e-4;
        var sgd = new Sgd<double>([w1, w2], [b1, b2], 0.5);

        double first = Models.NetworkLoss(w1, b1, w2, b2, train.X, train.Y, lambda);
        var losses = new List<double> { first };
        foreach (var _ in Epochs(train, 10, rng, batch =>
        {
            double loss = Models.NetworkLossWithGradient(w1, b1, w2, b2, batch.X, batch.Y, lambda,
                out var dW1, out var db1, out var dW2, out var db2);
            sgd.Step([dW1, dW2], [db1, db2]);
            return loss;
        }))
        {
            losses.Add(Models.NetworkLoss(w1, b1, w2, b2, train.X, train.Y, lambda));
        }

        double accuracy = Accuracy(Models.Network(w1, b1, w2, b2, test.X), test.Labels);
        output.WriteLine($"two-layer network, SGD: training loss per epoch {string.Join(" ", losses.Select(l => l.ToString("F3", CultureInfo.InvariantCulture)))}; held-out accuracy {accuracy:P1}");
        Assert.True(losses[^1] < 0.25 * first, $"The loss fell only from {first} to {losses[^1]}.");
        Assert.True(accuracy >= 0.90, $"Held-out accuracy {accuracy:P1} is below 90%.");
    }

    [Fact]
    public void SmallCnnLossFalls()
    {
        var (train, test) = Data.Value;
        var rng = new Random(Seed);
        const int channels = 8;
        var k = Normal(channels, 9, Math.Sqrt(2.0 / 9), rng);
        var w = Glorot(10, channels * 16, rng);
        var b = new Vector<double>(10);
        var adam = new Adam<double>([k, w], [b], 0.005);

        double first = Models.CnnLoss(k, w, b, train.X, train.Y);
        var losses = new List<double> { first };
        foreach (var _ in Epochs(train, 3, rng, batch =>
        {
            double loss = Models.CnnLossWithGradient(k, w, b, batch.X, batch.Y, out var dK, out var dW, out var db);
            adam.Step([dK, dW], [db]);
            return loss;
        }))
        {
            losses.Add(Models.CnnLoss(k, w, b, train.X, train.Y));
        }

        double accuracy = Accuracy(Models.Cnn(k, w, b, test.X), test.Labels);
        output.WriteLine($"CNN, Adam: training loss per epoch {string.Join(" ", losses.Select(l => l.ToString("F3", CultureInfo.InvariantCulture)))}; held-out accuracy {accuracy:P1}");
        Assert.True(losses[^1] < 0.25 * first, $"The loss fell only from {first} to {losses[^1]}.");
        Assert.True(accuracy > 0.5, $"Held-out accuracy {accuracy:P1} is barely above chance (10%).");
    }

    [Fact]
    public void ShippedDataHasTheDocumentedShape()
    {
        var (train, test) = Data.Value;
        Assert.Equal((64, 1437), (train.X.Rows, train.X.Cols));
        Assert.Equal((64, 360), (test.X.Rows, test.X.Cols));
        var counts = train.Labels.Concat(test.Labels).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 170, 190));
        Assert.All(train.X.AsSpan().ToArray(), v => Assert.InRange(v, 0.0, 1.0));
    }

    /// <summary>One sample per column: X is 64×N (pixels / 16), Y the 10×N one-hot labels.</summary>
    private sealed record Digits(Matrix<double> X, Matrix<double> Y, int[] Labels)
    {
        public Digits Take(ReadOnlySpan<int> indices)
        {
            var x = new Matrix<double>(X.Rows, indices.Length);
            var y = new Matrix<double>(Y.Rows, indices.Length);
            var labels = new int[indices.Length];
            for (int j = 0; j < indices.Length; j++)
            {
                for (int i = 0; i < X.Rows; i++)
                {
                    x[i, j] = X[i, indices[j]];
                }

                labels[j] = Labels[indices[j]];
                y[labels[j], j] = 1;
            }

            return new Digits(x, y, labels);
        }
    }

    /// <summary>Runs <paramref name="epochs"/> shuffled passes of minibatch steps, yielding after each.</summary>
    private static IEnumerable<int> Epochs(Digits train, int epochs, Random rng, Func<Digits, double> step)
    {
        int[] order = Enumerable.Range(0, train.Labels.Length).ToArray();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            rng.Shuffle(order);
            for (int start = 0; start < order.Length; start += BatchSize)
            {
                double loss = step(train.Take(order.AsSpan(start, Math.Min(BatchSize, order.Length - start))));
                Assert.True(double.IsFinite(loss), $"The batch loss is {loss} in epoch {epoch}.");
            }

            yield return epoch;
        }
    }

    private static Digits Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Training", "Data", "digits.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var rows = new List<double[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                rows.Add(line.Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray());
            }
        }

        var x = new Matrix<double>(64, rows.Count);
        var y = new Matrix<double>(10, rows.Count);
        var labels = new int[rows.Count];
        for (int j = 0; j < rows.Count; j++)
        {
            Assert.Equal(65, rows[j].Length);
            for (int i = 0; i < 64; i++)
            {
                x[i, j] = rows[j][i] / 16;
            }

            labels[j] = (int)rows[j][64];
            y[labels[j], j] = 1;
        }

        return new Digits(x, y, labels);
    }

    private static (Digits Train, Digits Test) Split(Digits all, int testCount, int seed)
    {
        int[] order = Enumerable.Range(0, all.Labels.Length).ToArray();
        new Random(seed).Shuffle(order);
        return (all.Take(order.AsSpan(testCount)), all.Take(order.AsSpan(0, testCount)));
    }

    private static Matrix<double> Normal(int rows, int cols, double sigma, Random rng)
    {
        var m = new Matrix<double>(rows, cols);
        Span<double> data = m.AsSpan();
        for (int i = 0; i < data.Length; i++)
        {
            double u = 1 - rng.NextDouble(), v = rng.NextDouble();
            data[i] = sigma * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
        }

        return m;
    }

    private static Matrix<double> Glorot(int rows, int cols, Random rng) => Normal(rows, cols, Math.Sqrt(2.0 / (rows + cols)), rng);

    private static double Accuracy(Matrix<double> logits, int[] labels)
    {
        int correct = 0;
        for (int j = 0; j < logits.Cols; j++)
        {
            int best = 0;
            for (int i = 1; i < logits.Rows; i++)
            {
                best = logits[i, j] > logits[best, j] ? i : best;
            }

            correct += best == labels[j] ? 1 : 0;
        }

        return (double)correct / logits.Cols;
    }
}
