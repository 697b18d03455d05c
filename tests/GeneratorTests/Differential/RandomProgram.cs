using System.Globalization;
using System.Text;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>
/// Reads a program's random choices from an int array (a choice sequence, as in Hypothesis): when
/// the array runs out every choice is 0, the simplest option. CsCheck shrinks the array (shorter,
/// smaller numbers), which shrinks the program.
/// </summary>
public sealed class Choices(int[] values)
{
    private int _next;

    /// <summary>How many choices have been read (those past the end included).</summary>
    public int Read { get; private set; }

    public int Next(int count)
    {
        Read += count <= 1 ? 0 : 1;
        return count <= 1 || _next >= values.Length ? 0 : (int)((uint)values[_next++] % (uint)count);
    }

    public bool Chance(int percent) => Next(100) < percent;

    /// <summary>True with the given percentage, and false when the choices have run out (an optional addition).</summary>
    public bool Sometimes(int percent) => Next(100) >= 100 - percent;
}

/// <summary>
/// Builds a random, well-typed [Differentiable] program over the whole op grammar: random shapes,
/// nesting up to <see cref="MaxDepth"/>, locals shared by later expressions, reused parameters,
/// compound assignment, and calls to a scalar helper and a layer method. Any of A, u, s may be [NoGradient]
/// (X always is), and a quarter of the programs differentiate no matrix at all (F then has FHessian).
/// The choices after the first <see cref="FirstGrammarLength"/> draw the second grammar (RandomProgram.Extension.cs):
/// loops, branches, slices, element reads and the deep-learning ops, with an int parameter n and a bool parameter flag.
/// </summary>
public sealed partial class RandomProgram
{
    public const int MaxDepth = 6;

    /// <summary>
    /// The first grammar reads the first <see cref="FirstGrammarLength"/> choices, the second (<see cref="Extend"/>) those after
    /// them: a sequence of that length or shorter (every one drawn before the second grammar existed) keeps its program,
    /// and zeros pad a shorter first part without changing it (a 0 is the choice an exhausted sequence makes).
    /// </summary>
    public const int FirstGrammarLength = 96;

    private Choices _c;
    private readonly int[] _second;
    private readonly List<(string Name, string Type, int Rows, int Cols)> _locals = new();
    private readonly int _p, _q;
    private readonly HashSet<string> _noGradient = new();

    public RandomProgram(int[] choices)
    {
        _c = new Choices(choices.Take(FirstGrammarLength).ToArray());
        _second = choices.Skip(FirstGrammarLength).ToArray();
        _p = 2 + _c.Next(3);
        _q = 2 + _c.Next(3);
        foreach (var name in new[] { "A", "u", "s" })
        {
            if (_c.Chance(20))
            {
                _noGradient.Add(name);
            }
        }
        Body = BuildBody();
        FirstGrammarChoices = _c.Read;
        // Drawn after the body, so that a choice sequence keeps the program it had before this draw existed
        // (0, the simplest, keeps the matrices differentiated): a quarter of the programs hold every matrix
        // constant, so that F differentiates only vectors and scalars and has a dense FHessian.
        if (_c.Next(4) == 3)
        {
            _noGradient.UnionWith(new[] { "A", "B", "S" });
        }
        _c = new Choices(_second);
        Body = Extend(Body);
    }

    /// <summary>How many choices the first grammar read (for the statistics of a run).</summary>
    public int FirstGrammarChoices { get; }

    public int P => _p;

    public int Q => _q;

    public string Body { get; private set; }

    /// <summary>Parameters: name, kind ("M", "V", "S"), rows, cols, whether it is [NoGradient], and how to fill it.</summary>
    public IReadOnlyList<(string Name, string Kind, int Rows, int Cols, bool NoGradient, string Fill)> Parameters => Matrices.Concat(Extras).ToArray();

    private (string Name, string Kind, int Rows, int Cols, bool NoGradient, string Fill)[] Matrices => new[]
    {
        ("A", "M", _p, _q, _noGradient.Contains("A"), "uniform"),
        ("B", "M", _q, _p, _noGradient.Contains("B"), "uniform"),
        ("S", "M", _p, _p, _noGradient.Contains("S"), "wellconditioned"),
        ("X", "M", _q, _p, true, "uniform"),
        ("u", "V", _p, 1, _noGradient.Contains("u"), "uniform"),
        ("v", "V", _q, 1, false, "uniform"),
        ("s", "S", 1, 1, _noGradient.Contains("s"), "positive"),
    };

    public string Source(string className) => $$"""
        using AutoGradGen;
        using static AutoGradGen.Ops;

        public static partial class {{className}}
        {
            [Differentiable]
            public static double Helper(Matrix<double> M, Vector<double> w) => Sum(Tanh(M)) * Dot(w, w) + Mean(w);

            [Differentiable]
            public static Matrix<double> Layer(Matrix<double> W, Matrix<double> Z) => Tanh(W * Z);

            [Differentiable]
            public static double F({{string.Join(", ", Parameters.Select(p => (p.NoGradient && p.Kind is "M" or "V" or "S" ? "[NoGradient] " : "") + TypeOf(p.Kind) + " " + p.Name))}})
            {
        {{Body}}
            }

            /// <summary>Bytes allocated by a second FBackward on a warmed-up workspace (the zero-allocation contract).</summary>
            public static long SteadyStateAllocation({{PlainParameters}})
            {
                var workspace = new FWorkspace();
        {{string.Join("\n", Differentiated.Select(p => "        var d" + p.Name + " = " + Zero(p) + ";"))}}
                FBackward({{BackwardArguments}});
                long before = System.GC.GetAllocatedBytesForCurrentThread();
                FBackward({{BackwardArguments}});
                return System.GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
        """;

    /// <summary>F's parameter list without attributes, for methods that take F's arguments.</summary>
    public string PlainParameters => string.Join(", ", Parameters.Select(p => TypeOf(p.Kind) + " " + p.Name));

    private IEnumerable<(string Name, string Kind, int Rows, int Cols, bool NoGradient, string Fill)> Differentiated => Parameters.Where(p => !p.NoGradient);

    private string BackwardArguments => string.Join(", ", Parameters.Select(p => p.Name).Concat(new[] { "workspace" })
        .Concat(Differentiated.Select(p => (p.Kind == "S" ? "ref d" : "d") + p.Name)));

    private static string Zero((string Name, string Kind, int Rows, int Cols, bool NoGradient, string Fill) p) => p.Kind switch
    {
        "M" => $"new Matrix<double>({p.Name}.Rows, {p.Name}.Cols)",
        "V" => $"new Vector<double>({p.Name}.Length)",
        _ => "0.0",
    };

    private static string TypeOf(string kind) => kind switch { "M" => "Matrix<double>", "V" => "Vector<double>", "I" => "int", "IA" => "int[]", "B" => "bool", _ => "double" };

    private string BuildBody()
    {
        var sb = new StringBuilder();
        int statements = _c.Next(5);
        for (int i = 0; i < statements; i++)
        {
            var name = "t" + i.ToString(CultureInfo.InvariantCulture);
            var (type, rows, cols) = RandomType();
            sb.Append("        var ").Append(name).Append(" = ").Append(Expr(type, rows, cols, _c.Next(MaxDepth) + 1)).AppendLine(";");
            if (_c.Chance(15))
            {
                sb.Append("        ").Append(name).Append(_c.Chance(50) ? " += " : " -= ").Append(Expr(type, rows, cols, 2)).AppendLine(";");
            }
            _locals.Add((name, type, rows, cols));
        }
        sb.Append("        return ").Append(Expr("S", 1, 1, MaxDepth)).Append(';');
        return sb.ToString();
    }

    private (string Type, int Rows, int Cols) RandomType() => _c.Next(3) switch
    {
        0 => ("S", 1, 1),
        1 => ("V", Dim(), 1),
        _ => ("M", Dim(), Dim()),
    };

    private int Dim() => _c.Next(2) == 0 ? _p : _q;

    private string Expr(string type, int rows, int cols, int depth) => type switch
    {
        "M" => Matrix(rows, cols, depth),
        "V" => Vector(rows, depth),
        _ => Scalar(depth),
    };

    private string? Leaf(string type, int rows, int cols)
    {
        var candidates = Parameters.Where(p => p.Kind == type && p.Rows == rows && (type != "M" || p.Cols == cols)).Select(p => p.Name)
            .Concat(_locals.Where(l => l.Type == type && l.Rows == rows && l.Cols == cols).Select(l => l.Name)).ToList();
        return candidates.Count == 0 ? null : candidates[_c.Next(candidates.Count)];
    }

    private string Matrix(int r, int c, int depth)
    {
        var leaf = Leaf("M", r, c);
        if (depth <= 1 || _c.Chance(20))
        {
            return leaf ?? $"Outer({Vector(r, 1)}, {Vector(c, 1)})";
        }
        int k = Dim();
        int d = depth - 1;
        return _c.Next(17) switch
        {
            0 => $"{Matrix(r, c, d)} + {Matrix(r, c, d)}",
            1 => $"({Matrix(r, c, d)} - {Matrix(r, c, d)})",
            2 => $"-{Paren(Matrix(r, c, d))}",
            3 => $"{Paren(Scalar(d))} * {Paren(Matrix(r, c, d))}",
            4 => $"{Paren(Matrix(r, c, d))} / (1.5 + Square({Scalar(d)}))",
            5 => $"{Paren(Matrix(r, k, d))} * {Paren(Matrix(k, c, d))}",
            6 => $"Transpose({Matrix(c, r, d)})",
            7 => $"Hadamard({Matrix(r, c, d)}, {Matrix(r, c, d)})",
            8 => $"Sigmoid({Matrix(r, c, d)})",
            9 => $"Tanh({Matrix(r, c, d)})",
            10 => $"Square({Matrix(r, c, d)})",
            11 => $"Exp(Tanh({Matrix(r, c, d)}))",
            12 => $"Log(Sigmoid({Matrix(r, c, d)}))",
            13 => $"Sqrt(Exp({Matrix(r, c, d)}))",
            14 => r == _p ? $"Solve(S, {Matrix(r, c, d)})" : $"{Paren(Matrix(r, c, d))} + {Paren(Vector(r, d))}",
            15 => r == _p && c == _p ? $"Inverse(S) * {Paren(Matrix(r, c, d))}" : $"{Paren(Matrix(r, c, d))} - {Paren(Vector(r, d))}",
            _ => $"Layer({Matrix(r, k, d)}, {Matrix(k, c, d)})",
        };
    }

    private string Vector(int r, int depth)
    {
        var leaf = Leaf("V", r, 1);
        if (depth <= 1 || _c.Chance(20))
        {
            return leaf ?? $"{Paren(Matrix(r, r == _p ? _q : _p, 1))} * {(r == _p ? "v" : "u")}";
        }
        int k = Dim();
        int d = depth - 1;
        return _c.Next(10) switch
        {
            0 => $"{Vector(r, d)} + {Vector(r, d)}",
            1 => $"({Vector(r, d)} - {Vector(r, d)})",
            2 => $"{Paren(Scalar(d))} * {Paren(Vector(r, d))}",
            3 => $"{Paren(Matrix(r, k, d))} * {Paren(Vector(k, d))}",
            4 => $"Hadamard({Vector(r, d)}, {Vector(r, d)})",
            5 => $"Sigmoid({Vector(r, d)})",
            6 => $"Tanh({Vector(r, d)})",
            7 => $"Square({Vector(r, d)})",
            8 => r == _p ? $"Solve(S, {Vector(r, d)})" : $"-{Paren(Vector(r, d))}",
            _ => $"{Paren(Vector(r, d))} / (2.0 + Square({Scalar(d)}))",
        };
    }

    private string Scalar(int depth)
    {
        if (depth <= 1 || _c.Chance(15))
        {
            return _c.Next(3) switch
            {
                0 => Leaf("S", 1, 1) ?? "s",
                1 => "0.5",
                _ => $"Sum({Matrix(Dim(), Dim(), 1)})",
            };
        }
        int r = Dim(), c = Dim();
        int d = depth - 1;
        return _c.Next(19) switch
        {
            0 => $"{Scalar(d)} + {Scalar(d)}",
            1 => $"({Scalar(d)} - {Scalar(d)})",
            2 => $"{Paren(Scalar(d))} * {Paren(Scalar(d))}",
            3 => $"Dot({Vector(r, d)}, {Vector(r, d)})",
            4 => $"Dot({Matrix(r, c, d)}, {Matrix(r, c, d)})",
            5 => $"Sum({Matrix(r, c, d)})",
            6 => $"Mean({Vector(r, d)})",
            7 => $"SquaredNorm({Matrix(r, c, d)})",
            8 => $"Trace({Matrix(r, r, d)})",
            9 => "LogDet(S)",
            10 => "Det(S)",
            11 => $"Exp(Tanh({Scalar(d)}))",
            12 => $"Sigmoid({Scalar(d)})",
            13 => $"Log(Sigmoid({Scalar(d)}))",
            14 => $"Sqrt(Exp({Scalar(d)}))",
            15 => $"Square({Scalar(d)})",
            16 => $"Helper({Matrix(r, c, d)}, {Vector(r, d)})",
            17 => $"{Paren(Scalar(d))} / (1.0 + Square({Scalar(d)}))",
            _ => $"SquaredNorm({Vector(r, d)}) * {r}",
        };
    }

    private static string Paren(string text) => "(" + text + ")";
}
