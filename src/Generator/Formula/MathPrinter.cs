using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Formula
{
    /// <summary>
    /// Prints expressions in Chen's lecture's notation: juxtaposition for products, ᵀ ⁻¹ ⁻ᵀ ⊙ ⊘ σ′ ∇.
    /// Precedence: sum &lt; Hadamard &lt; product &lt; postfix (ᵀ, ⁻¹) &lt; atom. Operands of ⊙ that are
    /// products get parentheses, as in (Aᵀx) ⊙ σ′(h).
    /// </summary>
    internal sealed class MathPrinter
    {
        public const int SumLevel = 1, HadamardLevel = 2, ProductLevel = 3, PrefixLevel = 4, PostfixLevel = 5, Atom = 6;

        private readonly Func<int, string> _valueName;
        private readonly Func<int, string> _adjointName;
        private readonly Func<int, CalleeInfo?> _callee;
        private readonly Func<Tmp, string> _tempName;
        private readonly Func<int, string?> _constant;

        public MathPrinter(Func<int, string> valueName, Func<int, string> adjointName, Func<int, CalleeInfo?> callee, Func<Tmp, string>? tempName = null,
            Func<int, string?>? constant = null)
        {
            _constant = constant ?? (_ => null);
            _tempName = tempName ?? (t => "t" + t.Id.ToString(CultureInfo.InvariantCulture));
            _valueName = valueName;
            _adjointName = adjointName;
            _callee = callee;
        }

        public string Print(Expr e) => Print(e, out _);

        public string Print(Expr e, out int level)
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
                case Dif d:
                    return "∂" + _valueName(d.Node);
                case Tmp t:
                    return _tempName(t);
                case Tan d:
                    return "∂" + Wrap(d.Of, Atom);
                case Fn f:
                    return PrintFn(f, out level);
                default:
                    return "?";
            }
        }

        public static string Number(double value)
            => value.ToString("G15", CultureInfo.InvariantCulture).Replace("-", "−");

        public string Wrap(Expr e, int minimum)
        {
            var text = Print(e, out var level);
            return level < minimum ? "(" + text + ")" : text;
        }

        private string PrintFn(Fn f, out int level) => f.Op.Math.Print(this, f, out level);

        /// <summary>The code template of a constant node (<see cref="Model.IrNode.Code"/>), or null.</summary>
        public string? ConstantCode(int node) => _constant(node);

        /// <summary>The callee of a call node, for printing its name and parameters.</summary>
        public CalleeInfo? Callee(int node) => _callee(node);

        /// <summary>∇_p⟨Ḡ, G(…)⟩ (a layer's VJP) or ∇_p g(…) (a scalar callee's gradient).</summary>
        public string CallGradient(Fn f)
        {
            int node = f[0] is Ref r ? r.Node : f[0] is Fn call ? call.Index : -1;
            var callee = _callee(node);
            var parameter = callee is null ? "?" : callee.ParameterNames[f.Index];
            return f.Args.Count == 2
                ? "∇_" + parameter + "⟨" + Print(f[1]) + ", " + Print(f[0]) + "⟩"
                : "∇_" + parameter + " " + Print(f[0]);
        }

        /// <summary>
        /// As <see cref="CallGradient"/>, with its precedence: a [Pullback] method's VJP prints as the product
        /// J_F(x)ᵀ Ḡ (J_F,x(x, t)ᵀ Ḡ with several differentiated parameters), the user's rule applied to the seed.
        /// </summary>
        public (string Text, int Level) CallGradientWithLevel(Fn f)
        {
            int node = f[0] is Ref r ? r.Node : f[0] is Fn call ? call.Index : -1;
            if (_callee(node) is not { IsCustom: true } callee || f.Args.Count != 2)
            {
                return (CallGradient(f), Atom);
            }
            var call0 = Print(f[0]);
            var jacobian = "J_" + callee.Name + (callee.Differentiated.Count > 1 ? "," + callee.ParameterNames[f.Index] : string.Empty)
                           + call0.Substring(callee.Name.Length) + "ᵀ";
            // A scalar op's seed 1 leaves its gradient J_F(x)ᵀ; a matrix op's 𝟙 stays (Jᵀ𝟙 sums J's rows).
            return f[1] is Num { Value: 1 } ? (jacobian, PostfixLevel) : (jacobian + " " + Wrap(f[1], PostfixLevel), ProductLevel);
        }

        /// <summary>A pre-printed atom, so that backward ops can reuse <see cref="Elementwise"/>.</summary>
        public sealed record TextExpr(string Value) : Expr(ValueKind.Matrix);

        public static Expr Text(string value) => new TextExpr(value);

        public string Elementwise(ValueKind kind, Expr a, string op, Expr b, out int level)
        {
            if (op == "⊙" && a is not TextExpr && E.IsOne(a) && a.Kind != ValueKind.Scalar)
            {
                // 𝟙 ⊙ σ(z) is σ(z): the kernel applied to a constant fill whose value was pulled out.
                level = b is TextExpr ? Atom : ProductLevel;
                return b is TextExpr t ? t.Value : Print(b, out level);
            }
            if (kind == ValueKind.Scalar)
            {
                level = ProductLevel;
                return op == "⊙" ? Product(new[] { a, b }) : WrapText(a, ProductLevel) + "/" + WrapText(b, PostfixLevel);
            }
            level = HadamardLevel;
            return WrapText(a, PostfixLevel) + " " + op + " " + WrapText(b, PostfixLevel);
        }

        private string WrapText(Expr e, int minimum) => e is TextExpr t ? t.Value : Wrap(e, minimum);

        public string Scaled(Expr value, string symbol, out int level)
        {
            if (E.IsOne(value))
            {
                level = Atom;
                return symbol;
            }
            level = ProductLevel;
            return Product(new[] { value, Text(symbol) });
        }

        public static IEnumerable<Expr> Factors(Expr e)
            => e is Fn m && m.Is(Op.Multiply) ? Factors(m[0]).Concat(Factors(m[1])) : new[] { e };

        /// <summary>Juxtaposes factors: no space between single-letter atoms (Aᵀx, xyᵀ), a space otherwise.</summary>
        public string Product(IEnumerable<Expr> factors)
        {
            var parts = factors.Select(f => f is TextExpr t ? t.Value : Wrap(f, PostfixLevel)).ToList();
            var text = parts[0];
            for (int i = 1; i < parts.Count; i++)
            {
                if (IsNumber(parts[i - 1]) && parts[i].Length > 0 && (char.IsDigit(parts[i][0]) || parts[i][0] == '.'))
                {
                    text += "·" + parts[i];   // 2·0.5, never 20.5
                    continue;
                }
                bool tight = IsCompact(parts[i - 1]) && (IsCompact(parts[i]) || parts[i].StartsWith("(", StringComparison.Ordinal));
                text += (tight ? string.Empty : " ") + parts[i];
            }
            return text;
        }

        private static bool IsNumber(string part) => part.Length > 0 && part.All(c => char.IsDigit(c) || c == '.');

        private static bool IsCompact(string part)
        {
            var core = part.TrimEnd('ᵀ', '⁻', '¹', '²');
            return core.Length == 1 && char.IsLetter(core[0]) || core.Length > 0 && core.All(c => char.IsDigit(c) || c == '.');
        }
    }
}
