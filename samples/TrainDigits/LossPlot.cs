using ScottPlot;

namespace TrainDigits;

/// <summary>Writes the training curves as one PNG with ScottPlot (three panels side by side).</summary>
public static class LossPlot
{
    /// <summary>
    /// Left: training (solid) and held-out (dashed) loss per epoch of the minibatch runs. Middle:
    /// their held-out accuracy per epoch. Right: full-batch gradient descent with Armijo line
    /// search on softmax regression, loss per iteration.
    /// </summary>
    public static void Save(string path, IReadOnlyList<TrainingRun> runs, IReadOnlyList<(int Iteration, double Loss)> gradientDescent)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Color[] colors = [Colors.C0, Colors.C1, Colors.C2, Colors.C3];

        var loss = multiplot.GetPlot(0);
        var accuracy = multiplot.GetPlot(1);
        for (int r = 0; r < runs.Count; r++)
        {
            var color = colors[r % colors.Length];
            double[] epochs = runs[r].History.Select(h => (double)h.Epoch).ToArray();
            var train = loss.Add.Scatter(epochs, runs[r].History.Select(h => h.TrainLoss).ToArray(), color);
            train.LegendText = runs[r].ShortLabel + ": training";
            train.LineWidth = 2;
            train.MarkerSize = 4;
            var test = loss.Add.Scatter(epochs, runs[r].History.Select(h => h.TestLoss).ToArray(), color);
            test.LegendText = runs[r].ShortLabel + ": held-out";
            test.LinePattern = LinePattern.Dashed;
            test.LineWidth = 1.5f;
            test.MarkerSize = 0;

            var acc = accuracy.Add.Scatter(epochs, runs[r].History.Select(h => 100 * h.TestAccuracy).ToArray(), color);
            acc.LegendText = runs[r].ShortLabel;
            acc.LineWidth = 2;
            acc.MarkerSize = 4;
        }

        loss.Title("Loss per epoch (minibatches of 32)");
        loss.XLabel("epoch");
        loss.YLabel("cross-entropy loss");
        loss.ShowLegend(Alignment.UpperRight);
        loss.Axes.SetLimits(0, runs.Max(r => r.Final.Epoch), 0, runs.Max(r => r.History[0].TrainLoss) * 1.05);

        accuracy.Title("Held-out accuracy (360 images)");
        accuracy.XLabel("epoch");
        accuracy.YLabel("accuracy (%)");
        accuracy.ShowLegend(Alignment.LowerRight);
        accuracy.Axes.SetLimits(0, runs.Max(r => r.Final.Epoch), 85, 100);

        var gd = multiplot.GetPlot(2);
        var line = gd.Add.Scatter(
            gradientDescent.Select(p => (double)p.Iteration).ToArray(), gradientDescent.Select(p => p.Loss).ToArray(), Colors.C4);
        line.LegendText = "softmax regression: training";
        line.LineWidth = 2;
        line.MarkerSize = 5;
        gd.Title("Full-batch gradient descent + Armijo");
        gd.XLabel("iteration");
        gd.YLabel("cross-entropy loss");
        gd.ShowLegend(Alignment.UpperRight);
        gd.Axes.SetLimits(0, gradientDescent.Max(p => p.Iteration), 0, gradientDescent.Max(p => p.Loss) * 1.05);

        multiplot.SavePng(path, 1800, 560);
    }
}
