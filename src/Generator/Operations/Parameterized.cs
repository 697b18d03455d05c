using System;
using AutoGradGen.Generator.Emit;
using AutoGradGen.Generator.Formula;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;
using ShapeRules = AutoGradGen.Generator.Shapes.ShapeContext.Rules;
using P = AutoGradGen.Generator.Formula.MathPrinter;

// Ops refer to one another inside their rules, which run only after every field is set; the compiler's
// flow analysis of static initializers cannot see that order.
#pragma warning disable CS8603, CS8604

namespace AutoGradGen.Generator.Model
{
    // The element-wise functions with a scalar parameter s: f(A, s), ∂f = f′(A; s) ⊙ ∂A + ∂s ∂f/∂s. The parameter is an
    // operand like any other: a literal or a [NoGradient] value has no differential and its term drops out, and one that
    // depends on a differentiated parameter is differentiated (a learnable slope or exponent), so no input needs a
    // diagnostic. The kernels take (A, G, s): the input, the factor G (∂A or Ḡ; linear, diagonal, its own transpose) and s.
    internal sealed partial class Op
    {
        /// <summary>
        /// Y = lrelu(A, s): A where A &gt; 0, s A elsewhere. ∂Y = lrelu′(A, s) ⊙ ∂A + ∂s min(A, 0), with lrelu′ = 1 where
        /// A &gt; 0 and s elsewhere (s at 0 too) ⇒ Ā += Ḡ ⊙ lrelu′(A, s), s̄ += ⟨Ḡ, min(A, 0)⟩ (derived). f″ = 0.
        /// </summary>
        public static readonly Op LeakyRelu = Define("LeakyRelu", OpRole.Forward, 2).Lowers("LeakyRelu").Typed("(Scalar|Vector|Matrix, Scalar) → first")
            .Written(CodeForm.OpsCall("LeakyRelu", K(RuntimeFamily.Elementwise, "LeakyRelu")), MathForm.Function("lrelu"))
            .Rule("∂lrelu(A, s) = lrelu′(A, s) ⊙ ∂A + ∂s min(A, 0)", c => E.Sum(
                c.With(0, d => new Fn(LeakyReluBackward, c.Kind, c.Arg(0), d, c.Arg(1))),
                c.With(1, d => Mul(d, new Fn(NegativePart, c.KindOf(0), c.Arg(0))))))
            .Shaped(ShapeRules.Unary);

        /// <summary>
        /// Y = A^⊙p: ∂Y = p A^⊙(p−1) ⊙ ∂A + ∂p A^⊙p ⊙ log A ⇒ Ā += Ḡ ⊙ p A^⊙(p−1), p̄ += ⟨Ḡ, Y ⊙ log A⟩ (derived, Y reused).
        /// Math.Pow's domain: A &gt; 0 for a non-integer p; the term in ∂p needs A &gt; 0 (log A).
        /// </summary>
        public static readonly Op Pow = Define("Pow", OpRole.Forward, 2).Lowers("Pow").Typed("(Scalar|Vector|Matrix, Scalar) → first")
            .Written(CodeForm.OpsCall("Pow", K(RuntimeFamily.Elementwise, "Pow")),
                MathForm.Custom((p, f) => (p.Wrap(f[0], P.Atom) + (f.Kind == ValueKind.Scalar ? "^" : "^⊙") + Exponent(p, f[1], 0), P.PostfixLevel)))
            .Rule("∂(A^⊙p) = p A^⊙(p−1) ⊙ ∂A + ∂p A^⊙p ⊙ log A", c => E.Sum(
                c.With(0, d => new Fn(PowBackward, c.Kind, c.Arg(0), d, c.Arg(1))),
                c.With(1, d => Mul(d, Had(c.Y, new Fn(Log, c.KindOf(0), c.Arg(0)))))))
            .Shaped(ShapeRules.Unary);

        // ── kernels of the rules, on (A, G, s) ──

        /// <summary>
        /// Ḡ ⊙ lrelu′(A, s): its differential is ∂Ḡ ⊙ lrelu′(A, s) + ∂s Ḡ ⊙ 𝟙[A ≤ 0] (f″ = 0 in A almost everywhere).
        /// </summary>
        public static readonly Op LeakyReluBackward = ParameterizedKernel("LeakyReluBackward",
            (p, a, g, s) => "(" + p.Atom(a) + " > " + p.Literal(0) + " ? " + p.Atom(g) + " : " + p.Atom(s) + " * " + p.Atom(g) + ")",
            (p, f) => P.Text("lrelu′(" + p.Print(f[0]) + ", " + p.Print(f[2]) + ")"))
            .Rule("∂(Ḡ ⊙ lrelu′(A, s)) = ∂Ḡ ⊙ lrelu′(A, s) + ∂s Ḡ ⊙ 𝟙[A ≤ 0]", c => E.Sum(
                c.With(1, d => new Fn(LeakyReluBackward, d.Kind, c.Arg(0), d, c.Arg(2))),
                c.With(2, d => Mul(d, new Fn(NegativePartBackward, c.Kind, c.Arg(0), c.Arg(1))))));

        /// <summary>min(A, 0), lrelu's derivative in its slope: ∂min(A, 0) = 𝟙[A ≤ 0] ⊙ ∂A (1 at 0, as lrelu′(0, s) = s).</summary>
        public static readonly Op NegativePart = Define("NegativePart", OpRole.Derivative, 1).Typed("Scalar|Vector|Matrix → same")
            .Written(CodeForm.Call(K(RuntimeFamily.Elementwise, "NegativePart"),
                    (p, f) => "(" + p.Atom(f[0]) + " > " + p.Literal(0) + " ? " + p.Literal(0) + " : " + p.Atom(f[0]) + ")"),
                MathForm.Custom((p, f) => Atomic("min(" + p.Print(f[0]) + ", 0)")))
            .Rule("∂min(A, 0) = 𝟙[A ≤ 0] ⊙ ∂A", c => c.With(0, d => new Fn(NegativePartBackward, c.Kind, c.Arg(0), d)));

        /// <summary>Ḡ ⊙ 𝟙[A ≤ 0], on (A, Ḡ): linear in Ḡ, the mask piecewise constant.</summary>
        public static readonly Op NegativePartBackward = Define("NegativePartBackward", OpRole.Derivative, 2).Typed("(A, G) → G's kind", k => k[1])
            .Written(CodeForm.Call(K(RuntimeFamily.Elementwise, "NegativePartBackward"),
                    (p, f) => "(" + p.Atom(f[0]) + " > " + p.Literal(0) + " ? " + p.Literal(0) + " : " + p.Atom(f[1]) + ")"),
                MathForm.Custom((p, f) => (p.Elementwise(f.Kind, f[1], "⊙", P.Text("𝟙[" + p.Print(f[0]) + " ≤ 0]"), out _),
                    f.Kind == ValueKind.Scalar ? P.ProductLevel : P.HadamardLevel)))
            .Rule("∂(Ḡ ⊙ 𝟙[A ≤ 0]) = ∂Ḡ ⊙ 𝟙[A ≤ 0]", c => c.With(1, d => new Fn(NegativePartBackward, d.Kind, c.Arg(0), d)))
            .Linear((f, i, ct) => new Fn(NegativePartBackward, ct.Kind, f[0], ct))
            .Diagonal(1)
            .PullsScalars(1);

        /// <summary>
        /// Ḡ ⊙ p A^⊙(p−1): its differential is ∂Ḡ ⊙ p A^⊙(p−1) + (Ḡ ⊙ ∂A) ⊙ p(p−1) A^⊙(p−2) + ∂p Ḡ ⊙ A^⊙(p−1) ⊙ (1 + p log A),
        /// with the <c>PowSecond</c> and <c>PowMixedSecond</c> kernels.
        /// </summary>
        public static readonly Op PowBackward = ParameterizedKernel("PowBackward",
            (p, a, g, e) => p.Atom(g) + " * " + RuntimeApi.Class(RuntimeFamily.Elementwise) + ".PowDerivative(" + p.Print(a) + ", " + p.Print(e) + ")",
            (p, f) => P.Text(Coefficient(p, f[2]) + Power(p, f, 1)))
            .Rule("∂(Ḡ ⊙ p A^⊙(p−1)) = ∂Ḡ ⊙ p A^⊙(p−1) + (Ḡ ⊙ ∂A) ⊙ p(p−1) A^⊙(p−2) + ∂p Ḡ ⊙ A^⊙(p−1) ⊙ (1 + p log A)", c => E.Sum(
                c.With(1, d => new Fn(PowBackward, d.Kind, c.Arg(0), d, c.Arg(2))),
                c.With(0, d => new Fn(PowSecond, c.Kind, c.Arg(0), Had(c.Arg(1), d), c.Arg(2))),
                c.With(2, d => Mul(d, new Fn(PowMixedSecond, c.Kind, c.Arg(0), c.Arg(1), c.Arg(2))))));

        /// <summary>H ⊙ p(p−1) A^⊙(p−2), on (A, H, p): ∂²(A^⊙p)/∂A² along H (second order only).</summary>
        public static readonly Op PowSecond = ParameterizedKernel("PowSecond",
            (p, a, h, e) => p.Atom(h) + " * " + RuntimeApi.Class(RuntimeFamily.Elementwise) + ".PowSecondDerivative(" + p.Print(a) + ", " + p.Print(e) + ")",
            (p, f) => P.Text(SecondCoefficient(p, f[2]) + Power(p, f, 2)));

        /// <summary>H ⊙ A^⊙(p−1) ⊙ (1 + p log A), on (A, H, p): ∂²(A^⊙p)/∂A∂p along H (second order only; needs A &gt; 0).</summary>
        public static readonly Op PowMixedSecond = ParameterizedKernel("PowMixedSecond",
            (p, a, h, e) => p.Atom(h) + " * " + RuntimeApi.Class(RuntimeFamily.Elementwise) + ".PowMixedDerivative(" + p.Print(a) + ", " + p.Print(e) + ")",
            (p, f) => P.Text(Power(p, f, 1) + (f.Kind == ValueKind.Scalar ? " " : " ⊙ ")
                             + "(1 + " + p.Product(new[] { f[2], new Fn(Log, f[0].Kind, f[0]) }) + ")"));

        /// <summary>
        /// A kernel G ⊙ f′(A; s) on (A, G, s), linear in G with a diagonal Jacobian (its own transpose); the code reads all
        /// three operands, the math prints G ⊙ f′.
        /// </summary>
        private static Op ParameterizedKernel(string name, Func<CodePrinter, Expr, Expr, Expr, string> scalar, Func<P, Fn, Expr> derivative)
            => Define(name, OpRole.Derivative, 3).Typed("(A, G, Scalar) → G's kind", k => k[1])
                .Written(CodeForm.Call(K(RuntimeFamily.Elementwise, name), (p, f) => scalar(p, f[0], f[1], f[2])),
                    MathForm.Custom((p, f) => (p.Elementwise(f.Kind, f[1], "⊙", derivative(p, f), out _),
                        f.Kind == ValueKind.Scalar ? P.ProductLevel : P.HadamardLevel)))
                .Linear((f, i, ct) => i == 1 ? new Fn(f.Op, ct.Kind, f[0], ct, f[2]) : throw new InvalidOperationException(f.Op + " is transposed in G only."))
                .Diagonal(1)
                .PullsScalars(1);

        /// <summary>
        /// A^⊙(p − <paramref name="minus"/>) for a kernel on (A, G, p) (^ for a scalar): with a number p the exponent is
        /// folded (3 A^⊙2, not 3 A^⊙(3 − 1)), and A^⊙1 is written A.
        /// </summary>
        private static string Power(P p, Fn f, int minus)
            => f[2] is Num { Value: var e } && e - minus == 1 ? p.Wrap(f[0], P.PostfixLevel)
                : p.Wrap(f[0], P.Atom) + (f.Kind == ValueKind.Scalar ? "^" : "^⊙") + Exponent(p, f[2], minus);

        /// <summary>The exponent p − <paramref name="minus"/>: a number folded (parenthesized when negative), else (p − 1).</summary>
        private static string Exponent(P p, Expr exponent, int minus)
        {
            if (exponent is Num n)
            {
                var value = n.Value - minus;
                return value < 0 ? "(" + P.Number(value) + ")" : P.Number(value);
            }
            return minus == 0 ? p.Wrap(exponent, P.Atom) : "(" + p.Print(exponent) + " − " + minus + ")";
        }

        /// <summary>The factor p of p A^(p−1), with a space after it; a number when p is one (none when it is 1).</summary>
        private static string Coefficient(P p, Expr exponent)
            => exponent is Num n ? (n.Value == 1 ? string.Empty : P.Number(n.Value) + " ") : p.Wrap(exponent, P.PostfixLevel) + " ";

        /// <summary>The factor p(p − 1) of p(p − 1) A^(p−2); a number when p is one.</summary>
        private static string SecondCoefficient(P p, Expr exponent)
            => exponent is Num n ? P.Number(n.Value * (n.Value - 1)) + " " : p.Wrap(exponent, P.PostfixLevel) + "(" + p.Print(exponent) + " − 1) ";
    }
}
