using System.Globalization;
using ScottPlot;

namespace SecondOrder;

/// <summary>Writes the convergence curves, log10 ‖∇f‖ per iteration, as one PNG with ScottPlot (two panels).</summary>
public static class ConvergencePlot
{
    private static readonly Color[] MethodColors = [Colors.C0, Colors.C1, Colors.C2];
    private static readonly MarkerShape[] MethodMarkers = [MarkerShape.FilledTriangleUp, MarkerShape.FilledCircle, MarkerShape.OpenSquare];

    /// <summary>
    /// Left: the first iterations of every method, with a marker per iterate, where Newton's and Newton–CG's
    /// quadratic convergence shows. Right: the whole runs on one iteration axis, where gradient descent's long
    /// linear tail shows. Both: ‖∇f‖ on a log scale, the tolerance as a dashed line.
    /// </summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="runs">The runs, in the order gradient descent, Newton, Newton–CG (colors follow the order).</param>
    /// <param name="tolerance">The tolerance on ‖∇f‖.</param>
    public static void Save(string path, IReadOnlyList<MethodRun> runs, double tolerance)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var norms = runs.SelectMany(r => r.GradientNorms).Append(tolerance).ToList();

        int secondOrderIterations = runs.Where(r => r.Name != "gradient descent + Armijo").Max(r => r.Iterations);
        int zoom = secondOrderIterations + 4;
        var first = multiplot.GetPlot(0);
        for (int m = 0; m < runs.Count; m++)
        {
            AddCurve(first, runs[m], m, zoom + 1, markers: true);
        }

        Decorate(first, $"First {zoom} iterations", tolerance, norms);
        first.Axes.SetLimitsX(-0.3, zoom + 0.3);

        var whole = multiplot.GetPlot(1);
        for (int m = 0; m < runs.Count; m++)
        {
            AddCurve(whole, runs[m], m, runs[m].GradientNorms.Count, markers: runs[m].Iterations <= 50);
        }

        int longest = runs.Max(r => r.Iterations);
        Decorate(whole, $"Whole runs ({longest} iterations of gradient descent)", tolerance, norms);
        whole.Axes.SetLimitsX(-0.01 * longest, 1.01 * longest);

        multiplot.SavePng(path, 1600, 600);
    }

    /// <summary>One method's log10 ‖∇f‖ for its first <paramref name="points"/> iterates (0, 1, …), or all it has.</summary>
    private static void AddCurve(Plot plot, MethodRun run, int index, int points, bool markers)
    {
        int count = Math.Min(run.GradientNorms.Count, points);
        double[] xs = Enumerable.Range(0, count).Select(k => (double)k).ToArray();
        double[] ys = run.GradientNorms.Take(count).Select(Math.Log10).ToArray();
        var curve = plot.Add.Scatter(xs, ys, MethodColors[index % MethodColors.Length]);
        curve.LegendText = $"{run.Name} ({run.Iterations} iterations{(run.Converged ? "" : ", not converged")})";
        curve.LineWidth = 2;
        curve.MarkerShape = MethodMarkers[index % MethodMarkers.Length];
        curve.MarkerSize = markers ? 8 : 0;
        curve.MarkerLineWidth = 1.5f;
    }

    private static void Decorate(Plot plot, string title, double tolerance, IReadOnlyList<double> norms)
    {
        var line = plot.Add.HorizontalLine(Math.Log10(tolerance));
        line.LinePattern = LinePattern.Dashed;
        line.LineWidth = 1.5f;
        line.Color = Colors.Black.WithAlpha(0.6);
        line.LegendText = $"tolerance ‖∇f‖ = {tolerance.ToString("0e+00", CultureInfo.InvariantCulture)}";
        plot.Title(title);
        plot.XLabel("iteration k");
        plot.YLabel("‖∇f(w_k)‖ (log scale)");
        UseLogScale(plot, norms);
        plot.ShowLegend(Alignment.UpperRight);
    }

    /// <summary>
    /// A log-10 y axis for data already plotted as log10(value): a labelled tick at every power of ten
    /// (1e-16 … 1), unlabelled minor ticks at 2…9 times each, and limits that cover <paramref name="values"/>.
    /// </summary>
    private static void UseLogScale(Plot plot, IEnumerable<double> values)
    {
        var positive = values.Where(v => v > 0).ToArray();
        double low = Math.Floor(Math.Log10(positive.Min())), high = Math.Ceiling(Math.Log10(positive.Max()));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int decade = (int)low; decade <= (int)high; decade++)
        {
            ticks.AddMajor(decade, decade == 0 ? "1" : "1e" + decade.ToString(CultureInfo.InvariantCulture));
            for (int multiple = 2; multiple <= 9 && decade < high; multiple++)
            {
                ticks.AddMinor(decade + Math.Log10(multiple));
            }
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Grid.MinorLineWidth = 1;
        plot.Grid.MinorLineColor = Colors.Black.WithAlpha(0.05);
        plot.Axes.SetLimitsY(low - 0.3, high + 0.3);
    }
}
