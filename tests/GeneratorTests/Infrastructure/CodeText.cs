using Xunit;

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

    /// <summary>The generated method whose header starts with <paramref name="header"/>, up to the next public static member.</summary>
    public static string Method(string code, string header)
    {
        int start = code.IndexOf(header, StringComparison.Ordinal);
        Assert.True(start >= 0, "no " + header + " in the generated code");
        int end = code.IndexOf("public static", start + 1, StringComparison.Ordinal);
        return end < 0 ? code[start..] : code[start..end];
    }
}
