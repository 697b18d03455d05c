namespace AutoGradGen.GeneratorTests.Infrastructure;

/// <summary>Reading generated code in code-shape assertions.</summary>
public static class CodeText
{
    /// <summary>How many times <paramref name="part"/> occurs in <paramref name="text"/> (ordinal, overlapping).</summary>
    public static int Occurrences(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
