using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoGradGen;

/// <summary>Settings of <see cref="GradientCheck.Run{T}"/>; every property is optional.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>
    /// The finite-difference step h, relative for entries larger than 1 in magnitude (h·max(1, |x|)).
    /// Default: 1e-6 for double, 1e-2 for float.
    /// </summary>
    public double? Step { get; init; }

    /// <summary>An entry passes when |analytic − numeric| ≤ tolerance · (1 + |numeric|). Default: 1e-6 for double, 2e-2 for float.</summary>
    public double? Tolerance { get; init; }

    /// <summary>Central differences (error O(h²), two evaluations per entry) when true, the default; forward differences (O(h), one) when false.</summary>
    public bool Central { get; init; } = true;
}

/// <summary>The outcome for one parameter of a <see cref="GradientCheck"/>.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Shape">"rows×cols", "n×1" or "scalar".</param>
/// <param name="MaxAbsoluteError">The largest |analytic − numeric| over the entries (NaN if any entry is NaN).</param>
/// <param name="MaxRelativeError">The largest |analytic − numeric| / max(|analytic|, |numeric|) (0 where both are 0).</param>
/// <param name="WorstEntry">The entry furthest outside the tolerance: "(i, j)", "[i]", or "" for a scalar or an empty parameter.</param>
/// <param name="Analytic">The analytic gradient at <paramref name="WorstEntry"/>.</param>
/// <param name="Numeric">The finite difference at <paramref name="WorstEntry"/>.</param>
/// <param name="Passed">Whether every entry is within the tolerance.</param>
public sealed record GradientCheckResult(
    string Name, string Shape, double MaxAbsoluteError, double MaxRelativeError, string WorstEntry,
    double Analytic, double Numeric, bool Passed);

/// <summary>The report of <see cref="GradientCheck.Run{T}"/>: one <see cref="GradientCheckResult"/> per parameter.</summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<GradientCheckResult> parameters, double tolerance, double step, bool central)
    {
        Parameters = parameters;
        Tolerance = tolerance;
        Step = step;
        Central = central;
    }

    /// <summary>The per-parameter results, in the order given.</summary>
    public IReadOnlyList<GradientCheckResult> Parameters { get; }

    /// <summary>Whether every parameter passed.</summary>
    public bool Passed => Parameters.All(p => p.Passed);

    /// <summary>The tolerance used.</summary>
    public double Tolerance { get; }

    /// <summary>The finite-difference step used.</summary>
    public double Step { get; }

    /// <summary>Whether central (true) or forward (false) differences were used.</summary>
    public bool Central { get; }

    /// <summary>Throws when a parameter failed, with this report's table as the message.</summary>
    /// <exception cref="InvalidOperationException">Some entry is outside the tolerance.</exception>
    public void EnsurePassed()
    {
        if (!Passed)
        {
            throw new InvalidOperationException("Gradient check failed." + Environment.NewLine + ToString());
        }
    }

    /// <summary>A table with one row per parameter: shape, max absolute and relative error, worst entry with both values, and the verdict.</summary>
    /// <returns>A multi-line, invariant-culture table, headed by the scheme, step and tolerance.</returns>
    public override string ToString()
    {
        string[] header = ["parameter", "shape", "max abs err", "max rel err", "worst entry", "analytic", "numeric", "result"];
        var rows = Parameters.Select(p => new[]
        {
            p.Name, p.Shape, Number(p.MaxAbsoluteError), Number(p.MaxRelativeError), p.WorstEntry,
            Number(p.Analytic), Number(p.Numeric), p.Passed ? "ok" : "FAIL",
        }).ToList();
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Gradient check ({(Central ? "central" : "forward")} differences, h = {Step:G3}, tolerance {Tolerance:G3}): {(Passed ? "passed" : "FAILED")}");
        text.AppendLine();
        AppendRow(text, header, widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }

        return text.ToString().TrimEnd();
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        var row = new StringBuilder();
        for (int c = 0; c < cells.Length; c++)
        {
            row.Append(c == 0 ? "" : "  ").Append(cells[c].PadRight(widths[c]));
        }

        text.Append(row.ToString().TrimEnd()).AppendLine();
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
