using System.Globalization;
using System.Reflection;
using AutoGradGen;

namespace SeedExamples;

/// <summary>Prints an example: what was written, the generated closed form (read from [ClosedForm]) and the checks.</summary>
internal static class Report
{
    /// <summary>
    /// The check, <see cref="GradientCheck"/> with its defaults for double spelled out: central
    /// differences with step h (relative for entries above 1 in magnitude); an entry passes when
    /// |g − fd| ≤ tolerance · (1 + |fd|).
    /// </summary>
    public static readonly GradientCheckOptions Check = new() { Step = 1e-6, Tolerance = 1e-6, Central = true };

    private const string Indent = "    ";
    private const int RuleWidth = 100;

    /// <summary>Prints one example; returns the gradient check's result for each generated gradient.</summary>
    public static IReadOnlyList<GradientCheckResult> Print(Example e)
    {
        var lines = ClosedFormLines(e.GeneratedMethod);
        Heading(e.Title);
        Field("you write", e.Source);
        Field("inputs", string.Join(",  ", e.Inputs.Select(i => i.Name + " ∈ " + Inputs.Shape(i.Value))));
        Field("function", lines.First(l => l.StartsWith("f = ", StringComparison.Ordinal)));
        Field("value", "f = " + Number(e.Value) + "   (from " + e.GeneratedMethod + ")");
        Console.WriteLine();

        // Central finite differences of the user's own method (not of the generated code), entry by entry.
        var report = GradientCheck.Run(e.Function, e.Gradients.Select(g => Parameter(g.Symbol, g.Parameter, g.Gradient)).ToArray(), Check);
        var rows = new List<(string, string, GradientCheckResult?)>();
        foreach (var (g, result) in e.Gradients.Zip(report.Parameters))
        {
            var line = lines.FirstOrDefault(l => l.StartsWith("∇" + g.Symbol + " = ", StringComparison.Ordinal))
                       ?? "∇" + g.Symbol + " = (no [ClosedForm] line found)";
            rows.Add((line, "", result));
        }
        Table("generated closed-form gradient", "", rows);
        foreach (var line in lines.Where(l => l.StartsWith("where ", StringComparison.Ordinal)))
        {
            Console.WriteLine(Indent + line);
        }
        return report.Parameters;
    }

    /// <summary>A <see cref="GradientCheck"/> parameter for a matrix or vector and its gradient.</summary>
    public static GradientCheckParameter<double> Parameter(string name, object value, object gradient) => (value, gradient) switch
    {
        (Matrix<double> m, Matrix<double> g) => GradientCheck.Parameter(name, m, g),
        (Vector<double> v, Vector<double> g) => GradientCheck.Parameter(name, v, g),
        _ => throw new ArgumentException($"{name}: expected a Matrix<double> or Vector<double> and a gradient of the same kind, got {value.GetType().Name} and {gradient.GetType().Name}"),
    };

    /// <summary>The [ClosedForm] lines of a generated method, read by reflection.</summary>
    public static List<string> ClosedFormLines(string generatedMethod)
    {
        var method = typeof(SeedModels).GetMethod(generatedMethod, BindingFlags.Public | BindingFlags.Static)
                     ?? throw new InvalidOperationException(generatedMethod + " was not generated");
        return method.GetCustomAttributes<ClosedFormAttribute>().Select(a => a.Formula).ToList();
    }

    /// <summary>Rows of label, value and (optionally) a gradient check's max relative error and verdict, in aligned columns.</summary>
    public static void Table(string title, string valueHeader, IReadOnlyList<(string Label, string Value, GradientCheckResult? Check)> rows)
    {
        int labelWidth = Math.Max(Width(title), rows.Max(r => Width(r.Label))) + 4;
        int valueWidth = valueHeader.Length == 0 ? 0 : Math.Max(Width(valueHeader), rows.Max(r => Width(r.Value))) + 4;
        Console.WriteLine(Indent + Pad(title, labelWidth) + Pad(valueHeader, valueWidth) + "max rel. error vs finite differences");
        foreach (var (label, value, result) in rows)
        {
            var check = result is null ? "" : result.MaxRelativeError.ToString("0.0e+00", CultureInfo.InvariantCulture) + (result.Passed ? "  ✓" : "  ✗");
            Console.WriteLine((Indent + Pad(label, labelWidth) + Pad(value, valueWidth) + check).TrimEnd());
        }
    }

    public static void Heading(string title)
    {
        Console.WriteLine();
        Console.WriteLine(title + " " + new string('─', Math.Max(3, RuleWidth - Width(title) - 1)));
    }

    public static void Field(string name, string text) => Console.WriteLine(Indent + Pad(name, 12) + text);

    public static string Number(double value) => value.ToString("0.000000000", CultureInfo.InvariantCulture);

    /// <summary>Pads by displayed characters (runes), so that 𝟙 and other astral symbols do not break alignment.</summary>
    private static string Pad(string text, int width) => text + new string(' ', Math.Max(0, width - Width(text)));

    private static int Width(string text) => text.EnumerateRunes().Count();
}
