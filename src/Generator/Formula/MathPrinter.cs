using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Formula
{
    /// <summary>
    /// Prints expressions in the lecture's notation: juxtaposition for products, ᵀ ⁻¹ ⁻ᵀ ⊙ ⊘ σ′ ∇.
    /// Precedence: sum &lt; Hadamard &lt; product &lt; postfix (ᵀ, ⁻¹) &lt; atom. Operands of ⊙ that are
    /// products get parentheses, as in (Aᵀx) ⊙ σ′(h).
    /// </summary>
    internal sealed class MathPrinter
    {
        private const int SumLevel = 1, HadamardLevel = 2, ProductLevel = 3, PrefixLevel = 4, PostfixLevel = 5, Atom = 6;

        private readonly Func<int, string> _valueName;
        private readonly Func<int, string> _adjointName;
        private readonly Func<int, CalleeInfo?> _callee;
        private readonly Func<int, string> _tempName;

        public MathPrinter(Func<int, string> valueName, Func<int, string> adjointName, Func<int, CalleeInfo?> callee, Func<int, string>? tempName = null)
        {
            _tempName = tempName ?? (id => "t" + id.ToString(CultureInfo.InvariantCulture));
            _valueName = valueName;
            _adjointName = adjointName;
            _callee = callee;
        }

        public string Print(Expr e) => Print(e, out _);

        private string Print(Expr e, out int level)
        {
            level = Atom;
            switch (e)
            {
                case Num n:
                    if (n.Value < 0)
                    {
                        level = PrefixLevel;
                    }
                    return Number(n.Value);
                case Ref r:
                    return _valueName(r.Node);
                case Adj a:
                    return _adjointName(a.Node);
                case Tmp t:
                    return _tempName(t.Id);
                case Fn f:
                    return PrintFn(f, out level);
                default:
                    return "?";
            }
        }

        public static string Number(double value)
            => value.ToString("G15", CultureInfo.InvariantCulture).Replace("-", "−");

        private string Wrap(Expr e, int minimum)
        {
            var text = Print(e, out var level);
            return level < minimum ? "(" + text + ")" : text;
        }

        private string PrintFn(Fn f, out int level)
        {
            level = Atom;
            switch (f.Op)
            {
                case Op.Add:
                    level = SumLevel;
                    return Wrap(f[0], SumLevel) + " + " + Wrap(f[1], SumLevel + 1);
                case Op.Subtract:
                    level = SumLevel;
                    return Wrap(f[0], SumLevel) + " − " + Wrap(f[1], SumLevel + 1);
                case Op.AddColumns:
                case Op.SubtractColumns:
                    level = SumLevel;
                    return Wrap(f[0], SumLevel) + (f.Op == Op.AddColumns ? " + " : " − ") + Wrap(f[1], PostfixLevel) + "𝟙ᵀ";
                case Op.Negate:
                    level = PrefixLevel;
                    return "−" + Wrap(f[0], ProductLevel);
                case Op.Multiply:
                    level = ProductLevel;
                    return Product(Factors(f));
                case Op.Divide:
                    level = ProductLevel;
                    return Wrap(f[0], ProductLevel) + "/" + Wrap(f[1], PostfixLevel);
                case Op.Hadamard:
                case Op.ElementwiseDivide:
                    return Elementwise(f.Kind, f[0], f.Op == Op.Hadamard ? "⊙" : "⊘", f[1], out level);
                case Op.Transpose:
                    level = PostfixLevel;
                    return Wrap(f[0], PostfixLevel) + "ᵀ";
                case Op.Inverse:
                    level = PostfixLevel;
                    return Wrap(f[0], PostfixLevel) + "⁻¹";
                case Op.InverseTransposed:
                    level = PostfixLevel;
                    return Wrap(f[0], PostfixLevel) + "⁻ᵀ";
                default:
                    return PrintFunction(f, out level);
            }
        }

        private string PrintFunction(Fn f, out int level)
        {
            level = Atom;
            string Arg(int i) => Print(f[i]);
            switch (f.Op)
            {
                case Op.Solve: level = ProductLevel; return Product(new[] { (Expr)new Fn(Op.Inverse, ValueKind.Matrix, f[0]), f[1] });
                case Op.SolveTransposed: level = ProductLevel; return Product(new[] { (Expr)new Fn(Op.InverseTransposed, ValueKind.Matrix, f[0]), f[1] });
                case Op.Outer: level = ProductLevel; return Product(Factors(f[0]).Concat(new[] { new Fn(Op.Transpose, ValueKind.Vector, f[1]) }));
                case Op.Trace: return "Tr(" + Arg(0) + ")";
                case Op.Det: return "|" + Arg(0) + "|";
                case Op.LogDet: return "log|" + Arg(0) + "|";
                case Op.Dot when f[0].Kind == ValueKind.Vector:
                    level = ProductLevel; return Product(new[] { (Expr)new Fn(Op.Transpose, ValueKind.Vector, f[0]) }.Concat(Factors(f[1])));
                case Op.Dot: return "⟨" + Arg(0) + ", " + Arg(1) + "⟩";
                case Op.Sum when f[0].Kind == ValueKind.Vector: level = ProductLevel; return "𝟙ᵀ" + Wrap(f[0], PostfixLevel);
                case Op.Sum: return "sum(" + Arg(0) + ")";
                case Op.Mean: return "mean(" + Arg(0) + ")";
                case Op.SquaredNorm: return "‖" + Arg(0) + "‖²";
                case Op.Exp: return "exp(" + Arg(0) + ")";
                case Op.Log: return "log(" + Arg(0) + ")";
                case Op.Sigmoid: return "σ(" + Arg(0) + ")";
                case Op.Tanh: return "tanh(" + Arg(0) + ")";
                case Op.Relu: return "relu(" + Arg(0) + ")";
                case Op.Sqrt: return "√" + Wrap(f[0], Atom);
                case Op.Square: level = PostfixLevel; return Wrap(f[0], Atom) + (f.Kind == ValueKind.Scalar ? "²" : "^⊙2");
                case Op.Softmax: return "softmax(" + Arg(0) + ")";
                case Op.LogSoftmax: return "log softmax(" + Arg(0) + ")";
                case Op.CrossEntropy: return "CE(" + Arg(0) + ", " + Arg(1) + ")";
                case Op.SoftmaxLoss: level = PrefixLevel; return "−" + Wrap(f[1], PostfixLevel) + "ᵀ log softmax(" + Arg(0) + ")";
                case Op.Conv2D: level = HadamardLevel; return Wrap(f[0], PostfixLevel) + " ∗ " + Wrap(f[1], PostfixLevel);
                case Op.MaxPool2D: return "maxpool(" + Arg(0) + ")";
                case Op.AvgPool2D: return "avgpool(" + Arg(0) + ")";
                case Op.Conv2DBackwardKernel: level = HadamardLevel; return Wrap(f[0], PostfixLevel) + " ⋆ " + Wrap(f[1], PostfixLevel);
                case Op.Conv2DBackwardInput: level = HadamardLevel; return Wrap(f[1], PostfixLevel) + " ∗full rot180(" + Arg(0) + ")";
                case Op.MaxPool2DBackward: return "unpoolmax(" + Arg(1) + "; argmax " + Arg(0) + ")";
                case Op.AvgPool2DBackward: return "unpoolavg(" + Arg(0) + ")";
                case Op.Rows: return "rows(" + Arg(0) + ")";
                case Op.Cols: return "cols(" + Arg(0) + ")";
                case Op.Length: return "len(" + Arg(0) + ")";
                case Op.ToReal: return Print(f[0], out level);
                case Op.Count: return "#" + Wrap(f[0], Atom);
                case Op.SumColumns: level = ProductLevel; return Wrap(f[0], PostfixLevel) + "𝟙";
                case Op.Filled: return Scaled(f[1], "𝟙", out level);
                case Op.Identity: return Scaled(f[1], "I", out level);
                case Op.Call: return _callee(f.Index)?.Name + "(" + string.Join(", ", f.Args.Select(a => Print(a))) + ")";
                case Op.CallGradient: return CallGradient(f);
                default: return PrintBackward(f, out level);
            }
        }

        private string PrintBackward(Fn f, out int level)
        {
            // Backward ops carry (forward value, Ḡ, input); the closed form shows f′ of the input.
            var g = f[1];
            switch (f.Op)
            {
                case Op.SigmoidBackward: return Elementwise(f.Kind, g, "⊙", Text("σ′(" + Print(f[2]) + ")"), out level);
                case Op.TanhBackward: return Elementwise(f.Kind, g, "⊙", Text("(1 − tanh²(" + Print(f[2]) + "))"), out level);
                case Op.ExpBackward: return Elementwise(f.Kind, g, "⊙", Text("exp(" + Print(f[2]) + ")"), out level);
                case Op.ReluBackward: return Elementwise(f.Kind, g, "⊙", Text("𝟙[" + Print(f[2]) + " > 0]"), out level);
                case Op.LogBackward: return Elementwise(f.Kind, g, "⊘", f[2], out level);
                case Op.SqrtBackward: return Elementwise(f.Kind, g, "⊘", Text("(2√" + Wrap(f[2], Atom) + ")"), out level);
                case Op.SquareBackward: return Elementwise(f.Kind, Text("2" + Wrap(f[2], Atom)), "⊙", g, out level);
                case Op.SoftmaxBackward:
                    level = HadamardLevel;
                    return "softmax(" + Print(f[2]) + ") ⊙ (" + Print(g) + " − 𝟙 softmax(" + Print(f[2]) + ")ᵀ" + Wrap(g, PostfixLevel) + ")";
                case Op.LogSoftmaxBackward:
                    level = SumLevel;
                    return Wrap(g, HadamardLevel) + " − softmax(" + Print(f[2]) + ") (𝟙ᵀ" + Wrap(g, PostfixLevel) + ")";
                case Op.CrossEntropyBackward:
                    return CrossEntropyGradient(f, out level);
                default:
                    level = Atom;
                    return f.Op + "(" + string.Join(", ", f.Args.Select(a => Print(a))) + ")";
            }
        }

        private string CallGradient(Fn f)
        {
            int node = f[0] is Ref r ? r.Node : f[0] is Fn call ? call.Index : -1;
            var callee = _callee(node);
            var parameter = callee is null ? "?" : callee.ParameterNames[f.Index];
            return f.Args.Count == 2
                ? "∇_" + parameter + "⟨" + Print(f[1]) + ", " + Print(f[0]) + "⟩"
                : "∇_" + parameter + " " + Print(f[0]);
        }

        /// <summary>ḡ (softmax(H) − Y)/N for a batch, ḡ (softmax(h) − y) for one sample: the lecture's simplification.</summary>
        private string CrossEntropyGradient(Fn f, out int level)
        {
            var difference = "(softmax(" + Print(f[0]) + ") − " + Wrap(f[1], PostfixLevel) + ")";
            var text = f.Kind == ValueKind.Matrix ? difference + "/N" : difference.Substring(1, difference.Length - 2);
            level = f.Kind == ValueKind.Matrix ? ProductLevel : SumLevel;
            if (E.IsOne(f[2]))
            {
                return text;
            }
            level = ProductLevel;
            return Product(new[] { f[2], Text(f.Kind == ValueKind.Matrix ? text : "(" + text + ")") });
        }

        /// <summary>A pre-printed atom, so that backward ops can reuse <see cref="Elementwise"/>.</summary>
        private sealed record TextExpr(string Value) : Expr(ValueKind.Matrix);

        private static Expr Text(string value) => new TextExpr(value);

        private string Elementwise(ValueKind kind, Expr a, string op, Expr b, out int level)
        {
            if (kind == ValueKind.Scalar)
            {
                level = ProductLevel;
                return op == "⊙" ? Product(new[] { a, b }) : WrapText(a, ProductLevel) + "/" + WrapText(b, PostfixLevel);
            }
            level = HadamardLevel;
            return WrapText(a, PostfixLevel) + " " + op + " " + WrapText(b, PostfixLevel);
        }

        private string WrapText(Expr e, int minimum) => e is TextExpr t ? t.Value : Wrap(e, minimum);

        private string Scaled(Expr value, string symbol, out int level)
        {
            if (E.IsOne(value))
            {
                level = Atom;
                return symbol;
            }
            level = ProductLevel;
            return Product(new[] { value, Text(symbol) });
        }

        private static IEnumerable<Expr> Factors(Expr e)
            => e is Fn { Op: Op.Multiply } m ? Factors(m[0]).Concat(Factors(m[1])) : new[] { e };

        /// <summary>Juxtaposes factors: no space between single-letter atoms (Aᵀx, xyᵀ), a space otherwise.</summary>
        private string Product(IEnumerable<Expr> factors)
        {
            var parts = factors.Select(f => f is TextExpr t ? t.Value : Wrap(f, PostfixLevel)).ToList();
            var text = parts[0];
            for (int i = 1; i < parts.Count; i++)
            {
                bool tight = IsCompact(parts[i - 1]) && (IsCompact(parts[i]) || parts[i].StartsWith("(", StringComparison.Ordinal));
                text += (tight ? string.Empty : " ") + parts[i];
            }
            return text;
        }

        private static bool IsCompact(string part)
        {
            var core = part.TrimEnd('ᵀ', '⁻', '¹', '²');
            return core.Length == 1 && char.IsLetter(core[0]) || core.Length > 0 && core.All(c => char.IsDigit(c) || c == '.');
        }
    }
}
