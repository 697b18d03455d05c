using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace AutoGradGen.Compute;

/// <summary>
/// The shape check that generated methods make once, on entry: each equality between parameter sizes
/// that the generator's shape inference relied on. A failure throws one <see cref="ArgumentException"/>
/// naming the operation as the user wrote it, the user's variables, their sizes and their symbols:
/// <c>W * X: W is 15×4 but X is 5×1 (W is h × d, X is d × n)</c>. The helpers are hidden from stack
/// traces, so the first frame is the generated method.
/// </summary>
public static class Shapes
{
    /// <summary>A matrix's size as "rows×cols" (a negative size, unknown on entry, prints as "?").</summary>
    public static string Size(int rows, int cols) => Size(rows) + "×" + Size(cols);

    /// <summary>A vector's length, or one dimension (a negative size, unknown on entry, prints as "?").</summary>
    public static string Size(int length) => length < 0 ? "?" : length.ToString(CultureInfo.InvariantCulture);

    /// <summary>Two operands of <paramref name="operation"/> whose sizes do not agree.</summary>
    [StackTraceHidden]
    [DoesNotReturn]
    public static void Mismatch(string operation, string a, string aSize, string aSymbols, string b, string bSize, string bSymbols)
        => throw new ArgumentException(operation + ": " + a + " is " + aSize + " but " + b + " is " + bSize
                                       + " (" + a + " is " + aSymbols + ", " + b + " is " + bSymbols + ")");

    /// <summary>One operand of <paramref name="operation"/> that is not what it must be (square, or a declared size).</summary>
    [StackTraceHidden]
    [DoesNotReturn]
    public static void Mismatch(string operation, string a, string aSize, string aSymbols, string requirement)
        => throw new ArgumentException(operation + ": " + a + " is " + aSize + " but must be " + requirement
                                       + " (" + a + " is " + aSymbols + ")");
}
