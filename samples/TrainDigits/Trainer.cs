using System.Diagnostics;
using System.Globalization;
using AutoGradGen;

namespace TrainDigits;

/// <summary>One epoch's measurements: losses on the whole training set, accuracies, and time.</summary>
/// <param name="Epoch">0 before training, then 1, 2, ….</param>
/// <param name="TrainLoss">The training loss on the whole training set after the epoch.</param>
/// <param name="TestLoss">The same loss on the held-out set.</param>
/// <param name="TrainAccuracy">The fraction of training samples classified correctly.</param>
/// <param name="TestAccuracy">The fraction of held-out samples classified correctly.</param>
/// <param name="TrainingSeconds">The time spent in gradient steps so far (evaluation excluded).</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TestLoss, double TrainAccuracy, double TestAccuracy, double TrainingSeconds);

/// <summary>A finished training run.</summary>
/// <param name="Label">What was trained, and how.</param>
/// <param name="ShortLabel">A short name for plot legends.</param>
/// <param name="History">Epoch 0 (the initialization) and one record per epoch.</param>
public sealed record TrainingRun(string Label, string ShortLabel, IReadOnlyList<EpochRecord> History)
{
    /// <summary>The last epoch's record.</summary>
    public EpochRecord Final => History[^1];
}

/// <summary>Minibatch training with shuffling from a fixed seed.</summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> for <paramref name="epochs"/> passes over shuffled minibatches,
    /// evaluating on both sets after every epoch and printing every <paramref name="printEvery"/>-th.
    /// With <paramref name="cosineDecay"/> (Adam only) the learning rate falls from its initial value to 0
    /// along a half cosine over the epochs, η_e = η₀ (1 + cos(π (e − 1)/epochs))/2 in epoch e.
    /// </summary>
    public static TrainingRun Train(
        string label, string shortLabel, IClassifier model, Optimizer<double> optimizer, DigitSet train, DigitSet test,
        int epochs, int batchSize, int seed, int printEvery, TextWriter log, bool cosineDecay = false)
    {
        var adam = cosineDecay ? optimizer as Adam<double> ?? throw new ArgumentException("Cosine decay needs Adam.", nameof(optimizer)) : null;
        double initialRate = adam?.LearningRate ?? 0;
        var rng = new Random(seed);
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        var history = new List<EpochRecord>(epochs + 1);
        var training = new Stopwatch();
        var wall = Stopwatch.StartNew();
        log.WriteLine($"── {label} ──");
        log.WriteLine("  epoch   train loss   held-out loss   train acc   held-out acc   train time   elapsed");
        history.Add(Evaluate(model, train, test, 0, 0));
        Print(log, history[^1], wall.Elapsed.TotalSeconds);
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            rng.Shuffle(order);
            if (adam is not null)
            {
                adam.LearningRate = initialRate * (1 + Math.Cos(Math.PI * (epoch - 1) / epochs)) / 2;
            }

            training.Start();
            for (int start = 0; start < order.Length; start += batchSize)
            {
                var batch = train.Take(order.AsSpan(start, Math.Min(batchSize, order.Length - start)));
                double loss = model.Step(batch, optimizer);
                if (!double.IsFinite(loss))
                {
                    throw new InvalidOperationException($"{label}: the loss diverged ({loss}) in epoch {epoch}.");
                }
            }

            training.Stop();
            history.Add(Evaluate(model, train, test, epoch, training.Elapsed.TotalSeconds));
            if (epoch % printEvery == 0 || epoch == epochs)
            {
                Print(log, history[^1], wall.Elapsed.TotalSeconds);
            }
        }

        return new TrainingRun(label, shortLabel, history);
    }

    private static EpochRecord Evaluate(IClassifier model, DigitSet train, DigitSet test, int epoch, double seconds) => new(
        epoch, model.Loss(train), model.Loss(test),
        Metrics.Accuracy(model.Logits(train.X), train.Labels), Metrics.Accuracy(model.Logits(test.X), test.Labels), seconds);

    private static void Print(TextWriter log, EpochRecord r, double elapsed) => log.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"  {r.Epoch,5}   {r.TrainLoss,10:F4}   {r.TestLoss,13:F4}   {r.TrainAccuracy,9:P1}   {r.TestAccuracy,12:P1}   {r.TrainingSeconds,9:F2}s   {elapsed,6:F2}s"));
}
