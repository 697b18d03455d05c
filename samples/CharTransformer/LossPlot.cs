using ScottPlot;

namespace CharTransformer;

/// <summary>Writes the training curve: bits per character against steps, with the bigram baseline and the target.</summary>
public static class LossPlot
{
    /// <summary>Training (mean of the last steps) and validation (probe) bits per character; the bigram model and the target as horizontal lines.</summary>
    public static void Save(string path, IReadOnlyList<ProgressPoint> history, double bigram, double target)
    {
        var plot = new Plot();
        double[] steps = history.Select(p => (double)p.Step).ToArray();
        var train = plot.Add.Scatter(steps, history.Select(p => p.TrainBits).ToArray(), Colors.C0);
        train.LegendText = "training (mean of the last 100 steps)";
        train.LineWidth = 2;
        train.MarkerSize = 4;
        var validation = plot.Add.Scatter(steps, history.Select(p => p.ValidationBits).ToArray(), Colors.C1);
        validation.LegendText = "validation (the first 96 held-out windows)";
        validation.LineWidth = 2;
        validation.LinePattern = LinePattern.Dashed;
        validation.MarkerSize = 6;
        validation.MarkerShape = MarkerShape.OpenSquare;
        var bigramLine = plot.Add.HorizontalLine(bigram, 1.5f, Colors.Gray, LinePattern.Dotted);
        bigramLine.LegendText = $"bigram model by counting ({bigram:F2})";
        var targetLine = plot.Add.HorizontalLine(target, 1.5f, Colors.C2, LinePattern.Dotted);
        targetLine.LegendText = $"target ({target})";
        plot.Title("Character-level transformer on the King James Bible");
        plot.XLabel("Adam step (16 sequences of 64 characters)");
        plot.YLabel("bits per character");
        double high = Math.Min(history.Max(p => Math.Max(p.TrainBits, p.ValidationBits)), 2 * bigram);
        plot.Axes.SetLimits(0, steps.Max() * 1.02, 1.0, Math.Max(high, bigram) + 0.2);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1100, 650);
    }
}
