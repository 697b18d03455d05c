namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>
/// The second grammar's expressions: the first grammar's smooth ops without LU ops and calls, plus the deep-learning
/// ops, slices, concatenations, element reads and ?:. Denominators are 1.5 + a square, Pow's bases 1 + a square (its
/// exponent may be differentiated), so neither leaves its domain; kinks are left to <see cref="Intermediates"/>.
/// </summary>
public sealed partial class RandomProgram
{
    private string Expr2(string type, int rows, int cols, int depth) => type switch
    {
        "M" => Matrix2(rows, cols, depth),
        "V" => Vector2(rows, depth),
        _ => Scalar2(depth),
    };

    /// <summary>A parameter or a local in scope of that type and shape (the first grammar's locals, then this one's).</summary>
    private string? Leaf2(string type, int rows, int cols)
    {
        var candidates = Matrices.Where(p => p.Kind == type && p.Rows == rows && (type != "M" || p.Cols == cols)).Select(p => p.Name)
            .Concat(_locals.Concat(_scopes.SelectMany(s => s)).Where(l => l.Type == type && l.Rows == rows && l.Cols == cols).Select(l => l.Name))
            .ToList();
        return candidates.Count == 0 ? null : candidates[_c.Next(candidates.Count)];
    }

    private string Matrix2(int r, int c, int depth)
    {
        var leaf = Leaf2("M", r, c);
        if (depth <= 1 || _c.Chance(20))
        {
            return leaf ?? $"Outer({Vector2(r, 1)}, {Vector2(c, 1)})";
        }
        int k = Dim();
        int d = depth - 1;
        string M() => Matrix2(r, c, d);
        return _c.Next(25) switch
        {
            0 => $"{M()} + {M()}",
            1 => $"({M()} - {M()})",
            2 => $"{Paren(Scalar2(d))} * {Paren(M())}",
            3 => $"{Paren(Matrix2(r, k, d))} * {Paren(Matrix2(k, c, d))}",
            4 => $"Transpose({Matrix2(c, r, d)})",
            5 => $"Hadamard({M()}, {M()})",
            6 => $"Tanh({M()})",
            7 => $"LayerNorm({M()}, {Vector2(r, d)}, {Vector2(r, d)})",
            8 => $"BatchNorm({M()}, {Vector2(r, d)}, {Vector2(r, d)})",
            9 => $"Gelu({M()})",
            10 => $"Softplus({M()})",
            11 => $"Abs({M()})",
            12 => $"LeakyRelu({M()}, 0.1)",
            13 => $"Maximum({M()}, {M()})",
            14 => $"Minimum({M()}, {M()})",
            15 => $"Divide({M()}, Square({M()}) + 1.5)",
            16 => $"Pow(Square({M()}) + 1.0, {Exponent(d)})",
            17 => $"CausalSoftmax({M()})",
            18 => SliceRows(r, c, d),
            19 => SliceColumns(r, c, d),
            20 => _c.Chance(50) ? $"{Paren(M())} + {Paren(Scalar2(d))}" : $"{Paren(Scalar2(d))} - {Paren(M())}",
            21 => $"Sigmoid({M()})",
            22 => $"{Paren(M())} + {Paren(Vector2(r, d))}",
            23 => Embedding2(r, c, d),
            _ => $"Exp(Tanh({M()}))",
        };
    }

    /// <summary>
    /// c columns of an r × V matrix picked by the token ids of the parameter ids (<see cref="Ids"/>, all below 2 ≤ V): the
    /// first c of its four, sliced when c &lt; 4. (A literal <c>new[] { … }</c> would be evaluated as written, allocating.)
    /// </summary>
    private string Embedding2(int r, int c, int d)
    {
        var embedded = $"Embedding({Matrix2(r, Dim(), d)}, ids)";
        return c == Ids.Length ? embedded : $"SliceColumns({embedded}, 0, {c})";
    }

    /// <summary>r rows of a taller matrix, or (more often: concatenations are drawn nowhere else) of two stacked with ConcatRows.</summary>
    private string SliceRows(int r, int c, int d)
    {
        _features.Add("slice");
        if (_c.Chance(35))
        {
            int tall = Math.Max(r, Dim());
            return $"SliceRows({Matrix2(tall, c, d)}, {Start(tall - r + 1)}, {r})";
        }
        int a = Dim(), b = Dim();
        return $"SliceRows(ConcatRows({Matrix2(a, c, d)}, {Matrix2(b, c, d)}), {Start(a + b - r + 1)}, {r})";
    }

    private string SliceColumns(int r, int c, int d)
    {
        _features.Add("slice");
        if (_c.Chance(35))
        {
            int wide = Math.Max(c, Dim());
            return $"SliceColumns({Matrix2(r, wide, d)}, {Start(wide - c + 1)}, {c})";
        }
        int a = Dim(), b = Dim();
        return $"SliceColumns(ConcatColumns({Matrix2(r, a, d)}, {Matrix2(r, b, d)}), {Start(a + b - c + 1)}, {c})";
    }

    /// <summary>Pow's exponent: a constant, or a differentiated T in (0, 1).</summary>
    private string Exponent(int d) => _c.Next(3) switch
    {
        0 => "0.5",
        1 => "1.5",
        _ => $"Sigmoid({Scalar2(d)})",
    };

    private string Vector2(int r, int depth)
    {
        var leaf = Leaf2("V", r, 1);
        if (depth <= 1 || _c.Chance(20))
        {
            return leaf ?? $"{Paren(Matrix2(r, r == _p ? _q : _p, 1))} * {(r == _p ? "v" : "u")}";
        }
        int k = Dim();
        int d = depth - 1;
        string V() => Vector2(r, d);
        return _c.Next(24) switch
        {
            0 => $"{V()} + {V()}",
            1 => $"({V()} - {V()})",
            2 => $"{Paren(Scalar2(d))} * {Paren(V())}",
            3 => $"{Paren(Matrix2(r, k, d))} * {Paren(Vector2(k, d))}",
            4 => $"Hadamard({V()}, {V()})",
            5 => $"Tanh({V()})",
            6 => $"Gelu({V()})",
            7 => $"Softplus({V()})",
            8 => $"Abs({V()})",
            9 => $"LeakyRelu({V()}, 0.2)",
            10 => $"Maximum({V()}, {V()})",
            11 => $"Minimum({V()}, {V()})",
            12 => $"Divide({V()}, Square({V()}) + 1.5)",
            13 => $"Pow(Square({V()}) + 1.0, {Exponent(d)})",
            14 => $"RowSums({Matrix2(r, k, d)})",
            15 => $"RowMeans({Matrix2(r, k, d)})",
            16 => $"ColumnSums({Matrix2(k, r, d)})",
            17 => $"ColumnMeans({Matrix2(k, r, d)})",
            18 => Sliced($"Column({Matrix2(r, k, d)}, {Index(k)})"),
            19 => Sliced($"Row({Matrix2(k, r, d)}, {Index(k)})"),
            20 => Sliced($"Diagonal({Matrix2(r, r, d)})"),
            21 => Sliced(VectorRows(r, d)),
            22 => _c.Chance(50) ? $"{Paren(V())} + {Paren(Scalar2(d))}" : $"{Paren(Scalar2(d))} - {Paren(V())}",
            _ => $"Sigmoid({V()})",
        };
    }

    private string Sliced(string text)
    {
        _features.Add("slice");
        return text;
    }

    private string VectorRows(int r, int d)
    {
        if (_c.Chance(50))
        {
            int tall = Math.Max(r, Dim());
            return $"SliceRows({Vector2(tall, d)}, {Start(tall - r + 1)}, {r})";
        }
        int a = Dim(), b = Dim();
        return $"SliceRows(ConcatRows({Vector2(a, d)}, {Vector2(b, d)}), {Start(a + b - r + 1)}, {r})";
    }

    private string Scalar2(int depth)
    {
        if (depth <= 1 || _c.Chance(15))
        {
            return _c.Next(4) switch
            {
                0 => Leaf2("S", 1, 1) ?? "s",
                1 => "0.5",
                2 => ElementRead(),
                _ => Leaf2("V", Dim(), 1) is { } w ? Read($"{w}[{Index(Length(w))}]") : "s",
            };
        }
        int r = Dim(), c = Dim();
        int d = depth - 1;
        string S() => Scalar2(d);
        return _c.Next(23) switch
        {
            0 => $"{S()} + {S()}",
            1 => $"({S()} - {S()})",
            2 => $"{Paren(S())} * {Paren(S())}",
            3 => $"Dot({Vector2(r, d)}, {Vector2(r, d)})",
            4 => $"Sum({Matrix2(r, c, d)})",
            5 => $"Mean({Vector2(r, d)})",
            6 => $"LogSumExp({Matrix2(r, c, d)})",
            7 => $"LogSumExp({Vector2(r, d)})",
            8 => $"BinaryCrossEntropyWithLogits({Matrix2(r, c, d)}, {Matrix2(r, c, d)})",
            9 => $"BinaryCrossEntropyWithLogits({Vector2(r, d)}, Sigmoid({Vector2(r, d)}))",
            10 => $"Tanh({S()})",
            11 => $"Sigmoid({S()})",
            12 => $"Softplus({S()})",
            13 => $"Gelu({S()})",
            14 => $"Abs({S()})",
            15 => $"LeakyRelu({S()}, 0.1)",
            16 => $"Pow(1.0 + Square({S()}), {Exponent(d)})",
            17 => Convolution(d),
            18 => $"{Paren(S())} / (1.0 + Square({S()}))",
            19 => Ternary(d),
            20 => $"System.Math.Tanh({S()}) + System.Math.Sqrt(1.0 + System.Math.Exp(Tanh({S()})))",
            21 => $"Trace({Matrix2(r, r, d)})",
            _ => ElementRead(),
        };
    }

    private int Length(string vector) => Matrices.Concat(_locals.Concat(_scopes.SelectMany(s => s)).Select(l => (l.Name, l.Type, l.Rows, l.Cols, false, "")))
        .First(p => p.Name == vector).Rows;

    /// <summary>M[i, j] of a matrix in scope (an element of an expression is not drawn).</summary>
    private string ElementRead()
    {
        int r = Dim(), c = Dim();
        return Leaf2("M", r, c) is { } m ? Read($"{m}[{Index(r)}, {Index(c)}]") : $"Sum({Matrix2(r, c, 1)})";
    }

    private string Read(string text)
    {
        _features.Add("element read");
        return text;
    }

    /// <summary>(c ? a : b) on T values; its arms are regions (a condition inside them reads only names from before).</summary>
    private string Ternary(int d)
    {
        _features.Add("?:");
        var condition = Condition();
        _regions++;
        var text = $"({condition} ? {Scalar2(d)} : {Scalar2(d)})";
        _regions--;
        return text;
    }

    /// <summary>
    /// Sum of a batched convolution with bias: one input channel of height rows × width 1, a kernel of height kh × 1 with
    /// padding 1 when the kernel is taller than the image, stride 1 or 2; its output shape is whatever it is, hence the Sum.
    /// </summary>
    private string Convolution(int d)
    {
        int rows = Dim(), outChannels = Dim(), kh = Dim(), cols = Dim();
        int padding = kh > rows ? 1 : _c.Next(2);
        int stride = 1 + _c.Next(2);
        return $"Sum(Conv2D({Matrix2(rows, cols, d)}, {Matrix2(outChannels, kh, d)}, {Vector2(outChannels, d)}, 1, {rows}, 1, {kh}, 1, {stride}, {padding}))";
    }
}
