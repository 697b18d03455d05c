using System.Globalization;
using System.Reflection;
using AutoGradGen;

namespace SeedExamples;

/// <summary>Prints an example: what was written, the generated closed form (read from [ClosedForm]) and the checks.</summary>
internal static class Report
{
    /// <summary>A generated gradient passes when its max relative error against finite differences is at most this.</summary>
    public const double Tolerance = 1e-6;

    private const string Indent = "    ";
    private const int RuleWidth = 100;

    /// <summary>Prints one example; returns the max relative error of each generated gradient.</summary>
    public static List<double> Print(Example e)
    {
        var lines = ClosedFormLines(e.GeneratedMethod);
        Heading(e.Title);
        Field("you write", e.Source);
        Field("inputs", string.Join(",  ", e.Inputs.Select(i => i.Name + " ∈ " + Inputs.Shape(i.Value))));
        Field("function", lines.First(l => l.StartsWith("f = ", StringComparison.Ordinal)));
        Field("value", "f = " + Number(e.Value) + "   (from " + e.GeneratedMethod + ")");
        Console.WriteLine();

        var errors = new List<double>();
        var rows = new List<(string, string, double?)>();
        foreach (var g in e.Gradients)
        {
            double error = FiniteDifferences.Check(e.Function, g.Parameter, g.Gradient);
            errors.Add(error);
            var line = lines.FirstOrDefault(l => l.StartsWith("∇" + g.Symbol + " = ", StringComparison.Ordinal))
                       ?? "∇" + g.Symbol + " = (no [ClosedForm] line found)";
            rows.Add((line, "", error));
        }
        Table("generated closed-form gradient", "", rows);
        foreach (var line in lines.Where(l => l.StartsWith("where ", StringComparison.Ordinal)))
        {
            Console.WriteLine(Indent + line);
        }
        return errors;
    }

    /// <summary>The [ClosedForm] lines of a generated method, read by reflection.</summary>
    public static List<string> ClosedFormLines(string generatedMethod)
    {
        var method = typeof(SeedModels).GetMethod(generatedMethod, BindingFlags.Public | BindingFlags.Static)
                     ?? throw new InvalidOperationException(generatedMethod + " was not generated");
        return method.GetCustomAttributes<ClosedFormAttribute>().Select(a => a.Formula).ToList();
    }

    /// <summary>Rows of label, value and (optionally) an error against finite differences, in aligned columns.</summary>
    public static void Table(string title, string valueHeader, IReadOnlyList<(string Label, string Value, double? Error)> rows)
    {
        int labelWidth = Math.Max(Width(title), rows.Max(r => Width(r.Label))) + 4;
        int valueWidth = valueHeader.Length == 0 ? 0 : Math.Max(Width(valueHeader), rows.Max(r => Width(r.Value))) + 4;
        Console.WriteLine(Indent + Pad(title, labelWidth) + Pad(valueHeader, valueWidth) + "max rel. error vs finite differences");
        foreach (var (label, value, error) in rows)
        {
            var check = error is double x ? x.ToString("0.0e+00", CultureInfo.InvariantCulture) + (x <= Tolerance ? "  ✓" : "  ✗") : "";
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
