using ScottPlot;

namespace TrainDigits;

/// <summary>Writes the training curves as one PNG with ScottPlot (three panels side by side).</summary>
public static class LossPlot
{
    /// <summary>
    /// Left: training loss (solid, filled circles) and held-out loss (dashed, open squares, darker
    /// shade) per epoch of the minibatch runs, on a log scale so that the curves stay apart as the
    /// loss falls by orders of magnitude. Middle: held-out accuracy per epoch, on an axis that
    /// covers every value. Right: full-batch gradient descent with Armijo line search on softmax
    /// regression, loss per iteration, also on a log scale.
    /// </summary>
    public static void Save(string path, IReadOnlyList<TrainingRun> runs, IReadOnlyList<(int Iteration, double Loss)> gradientDescent)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        int lastEpoch = runs.Max(r => r.Final.Epoch);

        var loss = multiplot.GetPlot(0);
        AddLossCurves(loss, runs);
        loss.Title("Loss per epoch (minibatches of 32)");
        loss.XLabel("epoch");
        loss.YLabel("cross-entropy loss (log scale)");
        UseLogScale(loss, runs.SelectMany(r => r.History.SelectMany(h => new[] { h.TrainLoss, h.TestLoss })));
        loss.Axes.SetLimitsX(0, lastEpoch + 0.5);
        loss.ShowLegend(Alignment.UpperRight);

        var accuracy = multiplot.GetPlot(1);
        AddAccuracyCurves(accuracy, runs);
        accuracy.Title("Held-out accuracy (360 images)");
        accuracy.XLabel("epoch");
        accuracy.YLabel("accuracy (%)");
        double lowest = runs.Min(r => r.History.Min(h => 100 * h.TestAccuracy));
        accuracy.Axes.SetLimits(0, lastEpoch + 0.5, Math.Floor(lowest / 5) * 5 - 2, 101);
        accuracy.ShowLegend(Alignment.LowerRight);

        var gd = multiplot.GetPlot(2);
        var line = gd.Add.Scatter(
            gradientDescent.Select(p => (double)p.Iteration).ToArray(), gradientDescent.Select(p => Math.Log10(p.Loss)).ToArray(), Colors.C4);
        line.LegendText = "softmax regression: training";
        line.LineWidth = 2;
        line.MarkerSize = 5;
        gd.Title("Full-batch gradient descent + Armijo");
        gd.XLabel("iteration");
        gd.YLabel("cross-entropy loss (log scale)");
        UseLogScale(gd, gradientDescent.Select(p => p.Loss));
        gd.Axes.SetLimitsX(0, gradientDescent.Max(p => p.Iteration) + 0.5);
        gd.ShowLegend(Alignment.UpperRight);

        multiplot.SavePng(path, 1800, 560);
    }

    private static readonly Color[] RunColors = [Colors.C0, Colors.C1, Colors.C2, Colors.C3, Colors.C5, Colors.C6];

    /// <summary>Per run: training loss solid with filled circles, held-out loss dashed with open squares.</summary>
    private static void AddLossCurves(Plot plot, IReadOnlyList<TrainingRun> runs)
    {
        for (int r = 0; r < runs.Count; r++)
        {
            var color = RunColors[r % RunColors.Length];
            double[] epochs = runs[r].History.Select(h => (double)h.Epoch).ToArray();
            var train = plot.Add.Scatter(epochs, runs[r].History.Select(h => Math.Log10(h.TrainLoss)).ToArray(), color);
            train.LegendText = runs[r].ShortLabel + ": training";
            train.LineWidth = 2;
            train.MarkerSize = 5;
            train.MarkerShape = MarkerShape.FilledCircle;

            var heldOut = plot.Add.Scatter(epochs, runs[r].History.Select(h => Math.Log10(h.TestLoss)).ToArray(), color.Darken(0.35));
            heldOut.LegendText = runs[r].ShortLabel + ": held-out";
            heldOut.LinePattern = LinePattern.Dashed;
            heldOut.LineWidth = 2;
            heldOut.MarkerSize = 7;
            heldOut.MarkerShape = MarkerShape.OpenSquare;
            heldOut.MarkerLineWidth = 1.5f;
        }
    }

    private static void AddAccuracyCurves(Plot plot, IReadOnlyList<TrainingRun> runs)
    {
        for (int r = 0; r < runs.Count; r++)
        {
            double[] epochs = runs[r].History.Select(h => (double)h.Epoch).ToArray();
            var acc = plot.Add.Scatter(epochs, runs[r].History.Select(h => 100 * h.TestAccuracy).ToArray(), RunColors[r % RunColors.Length].Darken(0.35));
            acc.LegendText = runs[r].ShortLabel + ": held-out";
            acc.LineWidth = 2;
            acc.LinePattern = LinePattern.Dashed;
            acc.MarkerSize = 7;
            acc.MarkerShape = MarkerShape.OpenSquare;
            acc.MarkerLineWidth = 1.5f;
        }
    }

    /// <summary>
    /// A log-10 y axis for data already plotted as log10(value): labelled ticks at 1, 2 and 5 times
    /// each power of ten (…, 0.1, 0.2, 0.5, 1, 2, …), unlabelled minor ticks and grid lines at the
    /// other integer multiples, and limits that cover <paramref name="values"/> with a margin.
    /// </summary>
    private static void UseLogScale(Plot plot, IEnumerable<double> values)
    {
        var positive = values.Where(v => v > 0).ToArray();
        double low = Math.Log10(positive.Min()), high = Math.Log10(positive.Max());
        double margin = Math.Max(0.04, 0.04 * (high - low));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int decade = (int)Math.Floor(low - margin); decade <= (int)Math.Ceiling(high + margin); decade++)
        {
            for (int multiple = 1; multiple <= 9; multiple++)
            {
                double value = multiple * Math.Pow(10, decade);
                if (multiple is 1 or 2 or 5)
                    ticks.AddMajor(Math.Log10(value), value.ToString("G3", System.Globalization.CultureInfo.InvariantCulture));
                else
                    ticks.AddMinor(Math.Log10(value));
            }
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Grid.MinorLineWidth = 1;
        plot.Grid.MinorLineColor = Colors.Black.WithAlpha(0.05);
        plot.Axes.SetLimitsY(low - margin, high + margin);
    }
}
