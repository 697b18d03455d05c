using System.Globalization;
using System.Text;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>
/// The second grammar, drawn from the choices after the first <see cref="FirstGrammarLength"/> (so that a sequence that
/// ends before them, as every sequence drawn before this grammar existed does, keeps its program): statements appended
/// after the first grammar's, whose locals the return adds in (half of the sequences that reach it draw it). It draws `for` loops (nested, counting up, down and by 2, bounds from constants, the int parameter n,
/// shapes and an enclosing counter) that carry T, Vector&lt;T&gt; and Matrix&lt;T&gt; locals; if / else if / else and ?: on
/// ints, the bool parameter flag and T values; element reads and slices with indices from counters, in range by
/// construction (`i % A.Rows`); and the deep-learning ops. It never draws LU ops or calls (AGG0034/AGG0036 inside a
/// region), and a condition inside a loop or an arm reads only ints, bools and scalar names computed before any region
/// (AGG0037). Kinks (a T condition, Abs, LeakyRelu, Maximum, Minimum) are drawn freely: <see cref="Intermediates"/>
/// finds the draws within a margin of one, which are then not compared with finite differences.
/// </summary>
public sealed partial class RandomProgram
{
    private const string Pad = "    ";

    private readonly List<(string Name, string Kind, int Rows, int Cols, bool NoGradient, string Fill)> _extras = new();
    private readonly List<List<(string Name, string Type, int Rows, int Cols)>> _scopes = new();
    private readonly List<(string Name, int Max)> _counters = new();
    private readonly List<string> _stableScalars = new();
    private readonly HashSet<string> _features = new(StringComparer.Ordinal);
    private int _fresh, _regions;

    /// <summary>The constructs of the second grammar this program has (loops, branches, conditions, reads).</summary>
    public IReadOnlyCollection<string> Features => _features;

    /// <summary>Whether the body has a for loop (F then has no second order: AGG0035).</summary>
    public bool HasLoop => _features.Contains("loop");

    /// <summary>Whether the body has an if statement (a branch region whatever its values: AGG0038 when there is no loop).</summary>
    public bool HasIf => _features.Contains("if");

    /// <summary>Whether the body has a ?: (a region only when it reads a differentiated value).</summary>
    public bool HasConditional => _features.Contains("?:");

    private IEnumerable<(string Name, string Kind, int Rows, int Cols, bool NoGradient, string Fill)> Extras => _extras;

    /// <summary>The token ids of the int[] parameter ids, read by Embedding (each below every dimension drawn).</summary>
    public static readonly int[] Ids = { 1, 0, 1, 1 };

    private string Extend(string body)
    {
        if (_c.Next(2) == 0)
        {
            return body;   // 0 (an exhausted sequence) adds nothing
        }
        int n = _c.Next(4);
        bool flag = _c.Chance(50);
        _extras.Add(("n", "I", 1, 1, true, "int:" + n.ToString(CultureInfo.InvariantCulture)));
        _extras.Add(("flag", "B", 1, 1, true, flag ? "bool:true" : "bool:false"));
        _extras.Add(("ids", "IA", Ids.Length, 1, true, "ids:" + string.Join(",", Ids)));
        _scopes.Add(new());
        var sb = new StringBuilder();
        int statements = 1 + _c.Next(2);
        for (int i = 0; i < statements; i++)
        {
            TopStatement(sb);
        }
        var terms = _scopes[0].Select(Reduce).ToList();
        int cut = body.LastIndexOf("        return ", StringComparison.Ordinal);
        var returned = body.Substring(cut + "        return ".Length).TrimEnd(';');
        return body.Substring(0, cut) + sb + "        return (" + returned + ") + 0.5 * (" + string.Join(" + ", terms) + ");";
    }

    private void TopStatement(StringBuilder sb)
    {
        const string indent = "        ";
        switch (_c.Next(4))
        {
            case 0:
                var (type, rows, cols) = RandomType();
                Declare(sb, indent, type, rows, cols, Expr2(type, rows, cols, 2 + _c.Next(2)), stable: true);
                break;
            case 1:
                var carried = DeclareCarried(sb, indent);
                Loop(sb, indent, carried, 0);
                break;
            case 2:
                IfBlock(sb, indent, DeclareCarried(sb, indent), allowLoop: true);
                break;
            default:
                ConditionalDeclaration(sb, indent);
                break;
        }
    }

    private string Fresh(string prefix) => prefix + (_fresh++).ToString(CultureInfo.InvariantCulture);

    private void Declare(StringBuilder sb, string indent, string type, int rows, int cols, string value, bool stable)
    {
        var name = Fresh(type == "S" ? "e" : type == "V" ? "w" : "E");
        sb.Append(indent).Append("var ").Append(name).Append(" = ").Append(value).AppendLine(";");
        _scopes[^1].Add((name, type, rows, cols));
        if (stable && type == "S" && _scopes.Count == 1)
        {
            _stableScalars.Add(name);
        }
    }

    /// <summary>One or two locals declared before a loop or an if, which it reassigns.</summary>
    private List<(string Name, string Type, int Rows, int Cols)> DeclareCarried(StringBuilder sb, string indent)
    {
        var carried = new List<(string Name, string Type, int Rows, int Cols)>();
        int count = 1 + _c.Next(2);
        for (int k = 0; k < count; k++)
        {
            var (type, rows, cols) = RandomType();
            var init = _c.Chance(40) ? Leaf2(type, rows, cols) ?? Expr2(type, rows, cols, 2) : Expr2(type, rows, cols, 2);
            Declare(sb, indent, type, rows, cols, init, stable: false);
            carried.Add(_scopes[^1][^1]);
            _features.Add(type == "S" ? "carried T" : type == "V" ? "carried vector" : "carried matrix");
        }
        return carried;
    }

    private void Loop(StringBuilder sb, string indent, List<(string Name, string Type, int Rows, int Cols)> carried, int level)
    {
        var (header, counter, max) = Header(level);
        sb.Append(indent).AppendLine(header).Append(indent).AppendLine("{");
        _features.Add("loop");
        if (level > 0)
        {
            _features.Add("nested loop");
        }
        _scopes.Add(new());
        _counters.Add((counter, max));
        _regions++;
        var inner = indent + Pad;
        if (_c.Sometimes(40))
        {
            var (type, rows, cols) = RandomType();
            Declare(sb, inner, type, rows, cols, Expr2(type, rows, cols, 1 + _c.Next(3)), stable: false);
        }
        foreach (var local in carried)
        {
            Update(sb, inner, local);
        }
        if (level < 2 && _c.Sometimes(30))
        {
            Loop(sb, inner, new() { carried[_c.Next(carried.Count)] }, level + 1);
        }
        if (_c.Sometimes(30))
        {
            _features.Add("if inside loop");
            IfBlock(sb, inner, carried, allowLoop: false);
        }
        _regions--;
        _counters.RemoveAt(_counters.Count - 1);
        _scopes.RemoveAt(_scopes.Count - 1);
        sb.Append(indent).AppendLine("}");
    }

    /// <summary>A for header: the counter's name and an exclusive upper bound on its values (they are never negative).</summary>
    private (string Header, string Counter, int Max) Header(int level)
    {
        var i = Fresh("i");
        var n = int.Parse(_extras[0].Fill.Substring(4), CultureInfo.InvariantCulture);
        (string Text, int Value) bound = _c.Next(6) switch
        {
            0 => Literal(1 + _c.Next(3)),
            1 => ("n", n),
            2 => (Shape(_p), _p),
            3 => (Shape(_q), _q),
            4 => ("n + 1", n + 1),
            _ => _counters.Count > 0 ? (_counters[^1].Name, _counters[^1].Max) : Literal(2),
        };
        _features.Add(bound.Text == "n" || bound.Text == "n + 1" ? "bound n" : bound.Text.Contains('.') ? "bound shape"
            : char.IsLetter(bound.Text[0]) ? "bound counter" : "bound constant");
        switch (_c.Next(4))
        {
            case 1:
                _features.Add("counting down");
                return ($"for (int {i} = {bound.Text} - 1; {i} >= 0; {i}--)", i, bound.Value);
            case 2:
                _features.Add("step 2");
                return ($"for (int {i} = 0; {i} < {bound.Text}; {i} += 2)", i, bound.Value);
            case 3:
                return ($"for (int {i} = 1; {i} <= {bound.Text}; {i}++)", i, bound.Value + 1);
            default:
                return ($"for (int {i} = 0; {i} < {bound.Text}; {i}++)", i, bound.Value);
        }
    }

    private static (string, int) Literal(int value) => (value.ToString(CultureInfo.InvariantCulture), value);

    /// <summary>An int expression with the value <paramref name="dim"/>: a shape of a parameter.</summary>
    private string Shape(int dim)
    {
        var shapes = dim == _p ? new[] { "A.Rows", "u.Length", "S.Cols" } : new[] { "A.Cols", "v.Length", "B.Rows" };
        return shapes[_c.Next(shapes.Length)];
    }

    /// <summary>An index in [0, <paramref name="dim"/>): a constant, or from the enclosing counters.</summary>
    private string Index(int dim)
    {
        if (_counters.Count == 0 || _c.Chance(30))
        {
            return _c.Next(dim).ToString(CultureInfo.InvariantCulture);
        }
        _features.Add("counter index");
        var (name, max) = _counters[_c.Next(_counters.Count)];
        return _c.Next(3) switch
        {
            0 when max <= dim => name,
            1 => $"({name} + 1) % {Shape(dim)}",
            2 when _counters.Count > 1 => $"({_counters[0].Name} + {_counters[^1].Name}) % {Shape(dim)}",
            _ => $"{name} % {Shape(dim)}",
        };
    }

    /// <summary>A start in [0, <paramref name="positions"/>) for a slice.</summary>
    private string Start(int positions) => positions <= 1 ? "0"
        : _counters.Count > 0 && _c.Chance(50) ? $"{_counters[^1].Name} % {positions}" : _c.Next(positions).ToString(CultureInfo.InvariantCulture);

    /// <summary>x = an expression that reads x (its old value stays live, as in an RNN's h = tanh(W h + …)).</summary>
    private void Update(StringBuilder sb, string indent, (string Name, string Type, int Rows, int Cols) local)
    {
        var (x, type, r, c) = local;
        string Term() => Expr2(type, r, c, 1 + _c.Next(2));
        string Next() => type switch
        {
            "S" => _c.Next(4) switch
            {
                0 => $"0.5 * {x} + {Paren(Term())}",
                1 => $"Tanh({x} + {Paren(Term())})",
                2 => $"{x} * Sigmoid({Term()})",
                _ => $"{x} - 0.25 * Tanh({Term()})",
            },
            _ => _c.Next(4) switch
            {
                0 => $"Tanh({Paren(Matrix2(r, r, 2))} * {x} + {Paren(Term())})",
                1 => $"0.5 * {x} + {Paren(Term())}",
                2 => $"Hadamard({x}, Tanh({Term()}))",
                _ => type == "M" ? $"LayerNorm({x} + {Paren(Term())}, {Vector2(r, 2)}, {Vector2(r, 1)})" : $"Gelu({x}) - 0.5 * {Paren(Term())}",
            },
        };
        string value;
        if (_c.Sometimes(15))
        {
            _features.Add("?:");
            var condition = Condition();
            _regions++;
            value = type == "S" ? $"{condition} ? {Next()} : {Next()}" : $"{condition} ? {Next()} : {x}";
            _regions--;
        }
        else
        {
            value = Next();
        }
        sb.Append(indent).Append(x).Append(" = ").Append(value).AppendLine(";");
    }

    private void IfBlock(StringBuilder sb, string indent, List<(string Name, string Type, int Rows, int Cols)> carried, bool allowLoop)
    {
        _features.Add("if");
        sb.Append(indent).Append("if (").Append(Condition()).AppendLine(")");
        Arm(sb, indent, carried, allowLoop);
        _regions++;   // an else-if's condition is lowered inside the else arm
        for (int k = 0; k < 2 && _c.Sometimes(25); k++)
        {
            _features.Add("else if");
            sb.Append(indent).Append("else if (").Append(Condition()).AppendLine(")");
            Arm(sb, indent, carried, allowLoop);
        }
        _regions--;
        if (_c.Sometimes(60))
        {
            _features.Add("else");
            sb.Append(indent).AppendLine("else");
            Arm(sb, indent, carried, allowLoop);
        }
    }

    private void Arm(StringBuilder sb, string indent, List<(string Name, string Type, int Rows, int Cols)> carried, bool allowLoop)
    {
        sb.Append(indent).AppendLine("{");
        _scopes.Add(new());
        _regions++;
        var inner = indent + Pad;
        if (_c.Sometimes(30))
        {
            var (type, rows, cols) = RandomType();
            Declare(sb, inner, type, rows, cols, Expr2(type, rows, cols, 1 + _c.Next(3)), stable: false);
        }
        var chosen = carried.Where(_ => _c.Sometimes(70)).DefaultIfEmpty(carried[0]).ToList();
        foreach (var local in chosen)
        {
            Update(sb, inner, local);
        }
        if (allowLoop && _c.Sometimes(15))
        {
            _features.Add("loop inside arm");
            Loop(sb, inner, new() { chosen[0] }, 1);
        }
        _regions--;
        _scopes.RemoveAt(_scopes.Count - 1);
        sb.Append(indent).AppendLine("}");
    }

    /// <summary>var y = c ? a : b; a vector's or matrix's ?: has one plain arm (AGG0036 otherwise).</summary>
    private void ConditionalDeclaration(StringBuilder sb, string indent)
    {
        _features.Add("?:");
        var (type, rows, cols) = RandomType();
        var condition = Condition();
        _regions++;
        var computed = Expr2(type, rows, cols, 1 + _c.Next(3));
        var other = type == "S" ? Expr2(type, rows, cols, 1 + _c.Next(3)) : Leaf2(type, rows, cols) ?? "0.5";
        _regions--;
        if (other == "0.5" && type != "S")
        {
            Declare(sb, indent, type, rows, cols, computed, stable: false);
            return;
        }
        Declare(sb, indent, type, rows, cols, _c.Chance(50) ? $"{condition} ? {computed} : {other}" : $"{condition} ? {other} : {computed}", stable: true);
    }

    /// <summary>
    /// A condition on ints, the bool parameter, or a T. Inside a loop or an arm, a T condition reads only a scalar name
    /// computed before any region (an operation in the condition would be computed in the region: AGG0037).
    /// </summary>
    private string Condition()
    {
        switch (_c.Next(4))
        {
            case 0:
                _features.Add("int condition");
                if (_counters.Count > 0)
                {
                    var counter = _counters[_c.Next(_counters.Count)].Name;
                    return _c.Next(3) switch { 0 => $"{counter} % 2 == 0", 1 => $"{counter} < {1 + _c.Next(2)}", _ => $"{counter} >= n - 1" };
                }
                return _c.Chance(50) ? $"n > {_c.Next(3)}" : $"{Shape(_p)} >= {Shape(_q)}";
            case 1:
                _features.Add("bool condition");
                return _c.Next(3) switch { 0 => "flag", 1 => "!flag", _ => "flag && n > 1" };
            default:
                _features.Add("T condition");
                var threshold = _c.Next(4) switch { 0 => "0.25", 1 => "-0.5", 2 => "0", _ => "s" };
                var op = _c.Chance(50) ? " > " : " <= ";
                string compared;
                if (_regions > 0)
                {
                    var names = _locals.Where(l => l.Type == "S").Select(l => l.Name).Concat(_stableScalars).Append("s").ToList();
                    compared = names[_c.Next(names.Count)];
                }
                else
                {
                    compared = Scalar2(1 + _c.Next(3));
                }
                // s > s would be a constant comparison, which C# warns about in F and in the generated code that copies it.
                return compared + op + (compared == threshold ? "0.25" : threshold);
        }
    }

    private string Reduce((string Name, string Type, int Rows, int Cols) local) => local.Type switch
    {
        "S" => _c.Chance(50) ? local.Name : $"Tanh({local.Name})",
        "V" => _c.Next(3) switch { 0 => $"Sum({local.Name})", 1 => $"Mean({local.Name})", _ => $"LogSumExp({local.Name})" },
        _ => _c.Next(3) switch { 0 => $"Sum({local.Name})", 1 => $"SquaredNorm({local.Name})", _ => $"LogSumExp({local.Name})" },
    };
}
