namespace AutoGradGen.GeneratorTests.Fuzz;

/// <summary>
/// Seed bodies for the fuzzer: valid differentiable bodies, and every C# statement and expression kind
/// the generator must reject gracefully. All use the parameters of <see cref="BodyFuzzer.Signature"/>.
/// </summary>
public static class BodyCorpus
{
    public static readonly string[] Valid =
    {
        "return Dot(x, A * y);",
        "return SquaredNorm(A * y - x);",
        "var h = Inverse(S) * x + x; return Dot(x, Sigmoid(h));",
        "var C = A - x; return LogDet(S) * 2 + Sum(Hadamard(C, C));",
        "var t = Tanh(A); t += A; return Sum(t) * s;",
        "return Trace(S * S) + Det(S) + Mean(Exp(x)) - Log(s) + Sqrt(s);",
        "var u = Solve(S, x); var v = Outer(u, x); return Sum(Relu(v)) / (1.0 + Square(s));",
        "var k = A.Rows; return k * s + Dot(A, A) + Sum(Transpose(A) * A);",
        "return -Sum(Softmax(x)) + s * s;",
        "return Helper(A, x) + Helper(S, x);",
    };

    public static readonly string[] Statements =
    {
        "if (s > 0) { return s; } return Sum(x);",
        "for (int i = 0; i < 3; i++) { s += 1; } return s;",
        "foreach (var v in new[] { 1.0 }) { s += v; } return s;",
        "while (s < 10) { s *= 2; } return s;",
        "do { s += 1; } while (s < 3); return s;",
        "switch (A.Rows) { case 1: return s; default: return Sum(x); }",
        "try { return Sum(x); } catch { return 0; }",
        "try { return Sum(x); } finally { }",
        "using (var d = new System.IO.MemoryStream()) { return s; }",
        "lock (A) { return Sum(A); }",
        "throw new System.InvalidOperationException();",
        "goto end; end: return s;",
        "double Local(double q) => q * 2; return Local(s);",
        "checked { return s + 1; }",
        "unchecked { return s + 1; }",
        "{ return s; }",
        ";return s;",
        "var (a, b) = (s, s); return a + b;",
        "const double c = 2.0; return c * s;",
        "System.Console.WriteLine(s); return s;",
        "s++; return s;",
        "return;",
        "yield return s;",
        "var w = x; w = null!; return Sum(w);",
        "double q; q = s; return q;",
        "return s; return s;",
    };

    public static readonly string[] Expressions =
    {
        "s > 0 ? s : -s",
        "((System.Func<double, double>)(q => q * 2))(s)",
        "A[0, 0] * s",
        "x[1]",
        "new Matrix<double>(2, 2)[0, 0] + s",
        "Sum(new Vector<double>(3))",
        "s is double d ? d : 0",
        "(s as object) is null ? 0 : s",
        "typeof(double).Name.Length * s",
        "sizeof(double) * s",
        "default(double) + s",
        "System.Math.Sin(s)",
        "System.Math.Max(s, 1.0)",
        "s % 2",
        "(double)(int)s",
        "(float)s",
        "2f * s",
        "s switch { > 0 => s, _ => 0 }",
        "nameof(s).Length + s",
        "$\"{s}\".Length * s",
        "(s, s).Item1",
        "s == 1 ? 1 : 0",
        "Sum(x) ?? 0",
        "checked(s * 2)",
        "~A.Rows * s",
        "!(s > 0) ? 1 : 0",
        "A.Rows << 1",
        "Field * s",
        "Property * s",
        "Other(s)",
        "Unknown(s)",
        "F(A, S, x, y, s)",
        "Sum(A, A)",
        "x.Length / 2 * s",
        "Transpose(x)",
        "A.ToArray().Length * s",
        "A.AsSpan()[0]",
        "Sum(A.Clone())",
        "s * 2 + (s = 3)",
        "stackalloc double[2][0]",
        "throw new System.Exception()",
        "await System.Threading.Tasks.Task.FromResult(s)",
        "(new[] { s })[0]",
        "A with { }",
        "s..",
        "default",
        "null",
    };

    /// <summary>Tokens the mutator inserts: punctuation, keywords, op names and operands.</summary>
    public static readonly string[] Tokens =
    {
        "(", ")", "{", "}", "[", "]", ";", ",", ".", "+", "-", "*", "/", "=", "+=", "=>", "?", ":", "!", "<", ">",
        "var", "return", "if (s > 0)", "for (;;)", "new", "null", "default", "ref", "out", "static", "int", "double",
        "Sum(", "Dot(", "Inverse(", "Solve(", "Sigmoid(", "Log(", "Transpose(", "Hadamard(", "Softmax(",
        "A", "S", "x", "y", "s", "1.0", "2", "0", "1e308", "-1", "A.Rows", "x.Length", "\"text\"", "'c'", "@", "#", "$",
        "/*", "*/", "//", "\n",
    };
}
