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
        "var h = x; for (int t = 0; t < A.Rows; t++) { h = Tanh(S * h + Column(A, t % A.Cols)); } return Sum(h);",
        "var H = A; for (int i = 0; i < 3; i++) { for (int j = i; j >= 0; j--) { H = Tanh(S * H + A[i % A.Rows, j % A.Cols]); } } return SquaredNorm(H);",
        "var e = s; var h = y; for (int t = 1; t <= x.Length; t += 2) { var z = Row(A, t % A.Rows); if (t % 2 == 0) { h = 0.5 * h + z; } e = e + Dot(h, h); } return e;",
        "var e = s; if (s > 0.5) { e = 0.5 * e + Dot(x, y); } else if (x.Length > 2) { e = Tanh(e); } else { e = e * Sigmoid(s); } return e;",
        "var w = Sum(Outer(x, y)) > 0 ? Gelu(x) : y; return LogSumExp(w) + (s > 0 ? s : 0.5 * s);",
        "return Sum(LayerNorm(A, x, y)) + Sum(BatchNorm(A, x, y)) + LogSumExp(Softplus(A)) + Sum(Abs(A)) + Sum(LeakyRelu(A, 0.1));",
        "return Sum(Maximum(A, S)) + Sum(Minimum(A, S)) + Sum(Divide(A, Square(S) + 1.5)) + Sum(Pow(Square(A) + 1.0, s));",
        "return Dot(RowSums(A), RowMeans(S)) + Dot(ColumnSums(A), ColumnMeans(S)) + Sum(CausalSoftmax(S)) + BinaryCrossEntropyWithLogits(A, S);",
        "return Sum(SliceRows(ConcatRows(A, S), 1, 2)) + Sum(SliceColumns(ConcatColumns(A, S), 0, 1)) + Dot(Diagonal(S), Row(S, 0)) + x[0] + A[1, 0];",
        "return Sum(Conv2D(A, S, x, 1, A.Rows, 1, S.Cols, 1, 1, 1));",
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
        "var h = x; for (int t = 0; t < 3; t++) { h = Tanh(S * h); if (Sum(h) > 0) { h = h + y; } } return Sum(h);",
        "var h = x; for (int t = 0; t < 3; t++) { h = Tanh(Inverse(S) * h); } return Sum(h);",
        "var e = s; for (int t = 0; t < 3; t++) { e = e + Helper(A, x); } return e;",
        "var h = x; h = s > 0 ? Tanh(h) : Sigmoid(h); return Sum(h);",
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
        "for (int t = 0; t < 3; t++)", "else", "? s :", "[0, 1]", "[t]", "Column(", "SliceRows(", "LayerNorm(", "Gelu(", "Maximum(",
        "A", "S", "x", "y", "s", "1.0", "2", "0", "1e308", "-1", "A.Rows", "x.Length", "\"text\"", "'c'", "@", "#", "$",
        "/*", "*/", "//", "\n",
    };
}
