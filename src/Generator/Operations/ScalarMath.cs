using System;
using System.Text;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;
using P = AutoGradGen.Generator.Formula.MathPrinter;

// Ops refer to one another inside their rules, which run only after every field is set; the compiler's
// flow analysis of static initializers cannot see that order.
#pragma warning disable CS8603, CS8604

namespace AutoGradGen.Generator.Model
{
    // Scalar broadcasts (A + s, s − A) and constants: expressions that depend on no differentiated value.
    // Scalar math on T (Math.Exp, MathF.Max, double.Pow, …) needs no op of its own: it lowers to the element-wise
    // ops (Exp, Log, Sqrt, Tanh, Abs, Maximum, Minimum, Pow) at a scalar, whose rules hold for every kind.
    internal sealed partial class Op
    {
        /// <summary>
        /// Y = A + s𝟙𝟙ᵀ (<c>A + s</c> or <c>s + A</c>, operands in the order written): ∂Y = ∂A + ∂s 𝟙𝟙ᵀ ⇒ Ā += Ḡ, s̄ += Σ Ḡ.
        /// </summary>
        public static readonly Op AddScalar = Broadcast("AddScalar", "+", "sum", subtract: false);

        /// <summary>
        /// Y = A − s𝟙𝟙ᵀ or s𝟙𝟙ᵀ − A (<c>A - s</c>, <c>s - A</c>): ∂Y = ±(∂A − ∂s 𝟙𝟙ᵀ) ⇒ the operand on the left gets +Ḡ (or +Σ Ḡ),
        /// the one on the right −Ḡ (or −Σ Ḡ).
        /// </summary>
        public static readonly Op SubtractScalar = Broadcast("SubtractScalar", "-", "difference", subtract: true);

        /// <summary>
        /// A value that depends on no differentiated value, whatever it calls (<c>Matrix&lt;double&gt;.Identity(A.Cols)</c>,
        /// <c>Helper(X)</c> of [NoGradient] data): the user's expression, evaluated once by the forward pass and never
        /// differentiated. Its operands are the method's values it reads (<see cref="IrNode.Code"/> marks where).
        /// </summary>
        public static readonly Op Constant = Define("Constant", OpRole.Forward, -1).Called("constant").Typed("any → the kind of its type")
            .Written(CodeForm.Custom((p, f) => new Printed(p.Constant(f), false)),
                MathForm.Custom((p, f) => Atomic(ConstantTemplate.Fill(p.ConstantCode(f.Index) ?? "constant", i => p.Print(f[i]))
                    .Replace("global::", string.Empty).Replace("\r", " ").Replace("\n", " "))),
                atom: false)
            .Rule("∂c = 0 (depends on no differentiated value)", _ => null)
            .Shaped(Shapes.ShapeContext.Rules.Opaque);

        private static Op Broadcast(string name, string symbol, string valueName, bool subtract)
            => Define(name, OpRole.Forward, 2).Called(valueName)
                .Typed("(Vector|Matrix, Scalar) or (Scalar, Vector|Matrix) → the non-scalar kind", k => k[0] == ValueKind.Scalar ? k[1] : k[0])
                .Written(CodeForm.Operator(symbol, K(RuntimeFamily.Linear, name)),
                    MathForm.Custom((p, f) => (BroadcastMath(p, f, subtract ? " − " : " + "), P.SumLevel)), atom: false)
                .Rule(k => BroadcastLaw(k, subtract), c => BroadcastTangent(c, subtract))
                .Linear((f, i, ct) =>
                {
                    var part = f[i].Kind == ValueKind.Scalar ? new Fn(Sum, ValueKind.Scalar, ct) : ct;
                    return subtract && i == 1 ? Neg(part) : part;
                })
                .Shaped(c => c.ResultOf(c.Kind(0) == ValueKind.Scalar ? 1 : 0));

        private static string Ones(ValueKind kind) => kind == ValueKind.Vector ? "𝟙" : "𝟙𝟙ᵀ";

        private static string BroadcastLaw(System.Collections.Generic.IReadOnlyList<ValueKind> k, bool subtract)
        {
            var ones = Ones(k[0] == ValueKind.Scalar ? k[1] : k[0]);
            var x = k[0] == ValueKind.Vector || k[1] == ValueKind.Vector ? "v" : "A";
            return k[0] == ValueKind.Scalar
                ? (subtract ? "∂(s" + ones + " − " + x + ") = ∂s " + ones + " − ∂" + x : "∂(s" + ones + " + " + x + ") = ∂s " + ones + " + ∂" + x)
                : (subtract ? "∂(" + x + " − s" + ones + ") = ∂" + x + " − ∂s " + ones : "∂(" + x + " + s" + ones + ") = ∂" + x + " + ∂s " + ones);
        }

        private static string BroadcastMath(P p, Fn f, string op)
        {
            string Side(int i) => f[i].Kind == ValueKind.Scalar
                ? p.Scaled(f[i], Ones(f.Kind), out _)
                : p.Wrap(f[i], i == 0 ? P.SumLevel : P.SumLevel + 1);
            return Side(0) + op + Side(1);
        }

        /// <summary>∂A ± ∂s 𝟙𝟙ᵀ in the order written; a constant A leaves ±∂s spread over A's shape, a constant s leaves ±∂A.</summary>
        private static Expr? BroadcastTangent(TangentContext c, bool subtract)
        {
            int s = c.KindOf(0) == ValueKind.Scalar ? 0 : 1, a = 1 - s;
            var da = c.D(a);
            var ds = c.D(s);
            if (ds is null)
            {
                return da is null ? null : subtract && a == 1 ? Neg(da) : da;
            }
            if (da is null)
            {
                var spread = new Fn(Filled, c.Kind, c.Arg(a), ds);
                return subtract && s == 1 ? Neg(spread) : spread;
            }
            return new Fn(subtract ? SubtractScalar : AddScalar, c.Kind, a == 0 ? da : ds, a == 0 ? ds : da);
        }
    }
}

namespace AutoGradGen.Generator.Operations
{
    /// <summary>The code template of a constant node: fragments separated by '\0', every odd one an operand's index.</summary>
    internal static class ConstantTemplate
    {
        public const char Separator = '\0';

        /// <summary>The template with each operand printed by <paramref name="operand"/>.</summary>
        public static string Fill(string template, Func<int, string> operand)
        {
            var parts = template.Split(Separator);
            var text = new StringBuilder();
            for (int i = 0; i < parts.Length; i++)
            {
                text.Append(i % 2 == 0 ? parts[i] : operand(int.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture)));
            }
            return text.ToString();
        }
    }
}
