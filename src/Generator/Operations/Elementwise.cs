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
    // The element-wise functions: ∂f(A) = f′(A) ⊙ ∂A. The Jacobian is diagonal, so one kernel,
    // fBackward(saved, G) = G ⊙ f′, serves as the tangent (G = ∂A) and as the pullback (G = Ḡ);
    // it reads the forward output where f′ is cheaper from it (σ′ = σ(1 − σ)).
    internal sealed partial class Op
    {
        /// <summary>Y = A ⊙ B: ∂Y = ∂A ⊙ B + A ⊙ ∂B ⇒ Ā += Ḡ ⊙ B, B̄ += Ḡ ⊙ A.</summary>
        public static readonly Op Hadamard = Define("Hadamard", OpRole.Forward, 2).Lowers("Hadamard").Typed("same kinds → same")
            .Written(CodeForm.Custom((p, f) => p.CallOps("Hadamard", f.Args.Items), (p, f, slot) => p.CallInto(K(RuntimeFamily.Elementwise, "Hadamard"), f.Args.Items, slot),
                    (p, f) => p.Atom(f[0]) + " * " + p.Atom(f[1])),
                MathForm.Custom((p, f) => (p.Elementwise(f.Kind, f[0], "⊙", f[1], out var level), level)))
            .Rule("∂(A ⊙ B) = ∂A ⊙ B + A ⊙ ∂B", c => E.Sum(c.With(0, d => Had(d, c.Arg(1))), c.With(1, d => Had(c.Arg(0), d))))
            .Linear((f, i, ct) => Had(ct, f[1 - i]))
            .Shaped(ShapeRules.SameShape);

        /// <summary>A ⊘ B, element-wise division (pullbacks only).</summary>
        public static readonly Op ElementwiseDivide = Define("ElementwiseDivide", OpRole.Derivative, 2).Typed("same kinds → same")
            .Written(CodeForm.Call(K(RuntimeFamily.Elementwise, "Divide"), (p, f) => p.Atom(f[0]) + " / " + p.Atom(f[1])),
                MathForm.Custom((p, f) => (p.Elementwise(f.Kind, f[0], "⊘", f[1], out var level), level)))
            .Rule(QuotientLaw, QuotientTangent)
            .Linear((f, i, ct) => new Fn(ElementwiseDivide, f.Kind, ct, f[1]))
            .PullsScalars(0);

        private const string QuotientLaw = "∂(A ⊘ B) = ∂A ⊘ B − A ⊙ ∂B ⊘ B²";

        /// <summary>∂(A ⊘ B) = ∂A ⊘ B − Y ⊙ ∂B ⊘ B, for the user's <c>Divide(A, B)</c> and for the quotients of pullbacks.</summary>
        private static Expr? QuotientTangent(Rules.TangentContext c) => E.Sum(
            c.With(0, d => new Fn(ElementwiseDivide, c.Kind, d, c.Arg(1))),
            c.With(1, d => Neg(new Fn(ElementwiseDivide, c.Kind, Had(c.Y, d), c.Arg(1)))));

        /// <summary>
        /// Y = A ⊘ B, what the user writes as <c>Divide(A, B)</c> (the forward twin of <see cref="ElementwiseDivide"/>; <c>X / s</c>
        /// stays <see cref="Divide"/>): ∂Y = ∂A ⊘ B − Y ⊙ ∂B ⊘ B (= A ⊙ ∂B ⊘ B²) ⇒ Ā += Ḡ ⊘ B, B̄ −= (Ḡ ⊘ B) ⊙ Y, derived.
        /// </summary>
        public static readonly Op ElementwiseQuotient = Define("ElementwiseQuotient", OpRole.Forward, 2).Lowers("Divide").Typed("same kinds (Vector|Matrix) → same")
            .Written(CodeForm.OpsCall("Divide", K(RuntimeFamily.Elementwise, "Divide")),
                MathForm.Custom((p, f) => (p.Elementwise(f.Kind, f[0], "⊘", f[1], out var level), level)))
            .Rule(QuotientLaw, QuotientTangent)
            .Shaped(ShapeRules.SameShape);

        /// <summary>Y = max(A, B): ∂Y = 𝟙[A ≥ B] ⊙ ∂A + 𝟙[B &gt; A] ⊙ ∂B (ties to A) ⇒ Ā += Ḡ ⊙ 𝟙[A ≥ B], B̄ += Ḡ ⊙ 𝟙[B &gt; A].</summary>
        public static readonly Op Maximum = MinMax("Maximum", "max", "∂max(A, B) = 𝟙[A ≥ B] ⊙ ∂A + 𝟙[B > A] ⊙ ∂B", maximum: true);

        /// <summary>Y = min(A, B): ∂Y = 𝟙[B ≥ A] ⊙ ∂A + 𝟙[A &gt; B] ⊙ ∂B (ties to A) ⇒ Ā += Ḡ ⊙ 𝟙[A ≤ B], B̄ += Ḡ ⊙ 𝟙[A &gt; B].</summary>
        public static readonly Op Minimum = MinMax("Minimum", "min", "∂min(A, B) = 𝟙[A ≤ B] ⊙ ∂A + 𝟙[A > B] ⊙ ∂B", maximum: false);

        /// <summary>𝟙[A ≥ B], a constant mask (no differential).</summary>
        public static readonly Op AtLeastMask = Mask("AtLeastMask", "≥");

        /// <summary>𝟙[A &gt; B], a constant mask (no differential).</summary>
        public static readonly Op AboveMask = Mask("AboveMask", ">");

        /// <summary>
        /// max or min of two same-shaped operands; the gradient is routed by a mask (Hadamard is linear: the pullback is derived).
        /// On scalars (<c>Math.Max(a, b)</c>, <c>T.Min(a, b)</c>) it is written <c>T.Max(a, b)</c>, and a tie sends the whole
        /// gradient to the first operand, as for matrices.
        /// </summary>
        private static Op MinMax(string name, string symbol, string law, bool maximum)
            => Define(name, OpRole.Forward, 2).Lowers(name).Typed("same kinds (Scalar|Vector|Matrix) → same")
                .Written(CodeForm.Custom((p, f) => p.CallOps(name, f.Args.Items), (p, f, slot) => p.CallInto(K(RuntimeFamily.Elementwise, name), f.Args.Items, slot),
                        (p, f) => p.Element + "." + (maximum ? "Max" : "Min") + "(" + p.Print(f[0]) + ", " + p.Print(f[1]) + ")"),
                    MathForm.Function(symbol))
                .Rule(law, c => E.Sum(
                    c.With(0, d => Had(maximum ? new Fn(AtLeastMask, c.Kind, c.Arg(0), c.Arg(1)) : new Fn(AtLeastMask, c.Kind, c.Arg(1), c.Arg(0)), d)),
                    c.With(1, d => Had(maximum ? new Fn(AboveMask, c.Kind, c.Arg(1), c.Arg(0)) : new Fn(AboveMask, c.Kind, c.Arg(0), c.Arg(1)), d))))
                .Shaped(ShapeRules.SameShape);

        private static Op Mask(string name, string relation)
            => Define(name, OpRole.Derivative, 2).Typed("same kinds → same")
                .Written(CodeForm.Call(K(RuntimeFamily.Elementwise, name),
                        (p, f) => "(" + p.Atom(f[0]) + " " + relation.Replace("≥", ">=") + " " + p.Atom(f[1]) + " ? " + p.Literal(1) + " : " + p.Literal(0) + ")"),
                    MathForm.Custom((p, f) => ("𝟙[" + p.Print(f[0]) + " " + relation + " " + p.Print(f[1]) + "]", P.Atom)))
                .Rule("∂𝟙[A " + relation + " B] = 0 (piecewise constant)", _ => null);

        public static readonly Op Exp = Unary("Exp", "exp", "∂exp(A) = exp(A) ⊙ ∂A", () => ExpBackward, fromOutput: true)
            .FusesAfterAddition("Exp");

        public static readonly Op Log = Unary("Log", "log", "∂log(A) = ∂A ⊘ A", () => LogBackward, fromOutput: false);

        public static readonly Op Sigmoid = Unary("Sigmoid", "σ", "∂σ(A) = σ′(A) ⊙ ∂A,  σ′ = σ ⊙ (1 − σ)", () => SigmoidBackward, fromOutput: true)
            .FusesAfterAddition("Sigmoid");

        public static readonly Op Tanh = Unary("Tanh", "tanh", "∂tanh(A) = (1 − tanh²(A)) ⊙ ∂A", () => TanhBackward, fromOutput: true)
            .FusesAfterAddition("Tanh");

        /// <summary>relu′ reads the output: Y &gt; 0 exactly where A &gt; 0, so relu fuses with the addition before it.</summary>
        public static readonly Op Relu = Unary("Relu", "relu", "∂relu(A) = 𝟙[A > 0] ⊙ ∂A", () => ReluBackward, fromOutput: true)
            .FusesAfterAddition("Relu");

        /// <summary>softplus(x) = log(1 + eˣ), a smooth ReLU: its derivative is σ(x).</summary>
        public static readonly Op Softplus = Unary("Softplus", "softplus", "∂softplus(A) = σ(A) ⊙ ∂A", () => SoftplusBackward, fromOutput: false);

        /// <summary>
        /// log σ(A), what <c>Log(Sigmoid(A))</c> is rewritten to (Rewriter.LogOfSigmoid): computed as −softplus(−A),
        /// which stays exact where σ(A) underflows, and differentiated by ∂ log σ(A) = σ(−A) ⊙ ∂A = (1 − σ(A)) ⊙ ∂A,
        /// so a logistic loss's gradient reads σ(−z) instead of (y ⊘ σ(z)) ⊙ σ′(z).
        /// </summary>
        public static readonly Op LogSigmoid = Define("LogSigmoid", OpRole.Forward, 1).Called("logSigmoid").Typed("Scalar|Vector|Matrix → same")
            .Written(CodeForm.Custom((p, f) => new Printed(p.Print(Neg(new Fn(Softplus, f.Kind, Neg(f[0])))), false)),
                MathForm.Custom((p, f) => Atomic("log σ(" + p.Print(f[0]) + ")")))
            .Rule("∂ log σ(A) = σ(−A) ⊙ ∂A,  log σ(A) = −softplus(−A)",
                c => c.With(0, d => new Fn(SoftplusBackward, c.Kind, Neg(c.Arg(0)), d, Neg(c.Arg(0)))))
            .Shaped(ShapeRules.Unary);
        /// <summary>gelu(x) = x Φ(x), Φ the standard normal CDF (the exact form, not the tanh one): its derivative is Φ(x) + x φ(x).</summary>
        public static readonly Op Gelu = Unary("Gelu", "gelu", "∂gelu(A) = (Φ(A) + A ⊙ φ(A)) ⊙ ∂A", () => GeluBackward, fromOutput: false);

        /// <summary>|x|: its derivative is sign(x), taken as 0 at x = 0 (a subgradient).</summary>
        public static readonly Op Abs = Unary("Abs", null, "∂|A| = sign(A) ⊙ ∂A", () => AbsBackward, fromOutput: false,
            math: MathForm.Custom((p, f) => ("|" + p.Print(f[0]) + "|", P.Atom)));

        public static readonly Op Square = Unary("Square", null, "∂(A ⊙ A) = 2A ⊙ ∂A", () => SquareBackward, fromOutput: false,
            math: MathForm.Custom((p, f) => (p.Wrap(f[0], P.Atom) + (f.Kind == ValueKind.Scalar ? "²" : "^⊙2"), P.PostfixLevel)));

        public static readonly Op Sqrt = Unary("Sqrt", null, "∂√A = ∂A ⊘ (2√A)", () => SqrtBackward, fromOutput: true,
            math: MathForm.Custom((p, f) => Atomic("√" + p.Wrap(f[0], P.Atom))));

        // ── backward kernels: Ḡ ⊙ f′, from the saved value (output or input); args (saved, Ḡ, input) ──

        public static readonly Op ExpBackward = Backward("ExpBackward", (p, g, y) => p.Atom(g) + " * " + p.Atom(y),
            (p, f) => p.Elementwise(f.Kind, f[1], "⊙", P.Text("exp(" + p.Print(f[2]) + ")"), out _), (f, h) => new Fn(ExpBackward, h.Kind, f[0], h, f[2]));

        public static readonly Op LogBackward = Backward("LogBackward", (p, g, x) => p.Atom(g) + " / " + p.Atom(x),
            (p, f) => p.Elementwise(f.Kind, f[1], "⊘", f[2], out _), (f, h) => new Fn(LogSecond, h.Kind, f[0], h, f[2]));

        public static readonly Op SigmoidBackward = Backward("SigmoidBackward",
            (p, g, y) => p.Atom(g) + " * " + p.Atom(y) + " * (" + p.Literal(1) + " - " + p.Atom(y) + ")",
            (p, f) => p.Elementwise(f.Kind, f[1], "⊙", P.Text("σ′(" + p.Print(f[2]) + ")"), out _), (f, h) => new Fn(SigmoidSecond, h.Kind, f[0], h, f[2]));

        public static readonly Op TanhBackward = Backward("TanhBackward",
            (p, g, y) => p.Atom(g) + " * (" + p.Literal(1) + " - " + p.Atom(y) + " * " + p.Atom(y) + ")",
            (p, f) => p.Elementwise(f.Kind, f[1], "⊙", P.Text("(1 − tanh²(" + p.Print(f[2]) + "))"), out _), (f, h) => new Fn(TanhSecond, h.Kind, f[0], h, f[2]));

        public static readonly Op ReluBackward = Backward("ReluBackward",
            (p, g, y) => "(" + p.Atom(y) + " > " + p.Literal(0) + " ? " + p.Atom(g) + " : " + p.Literal(0) + ")",
            (p, f) => p.Elementwise(f.Kind, f[1], "⊙", P.Text("𝟙[" + p.Print(f[2]) + " > 0]"), out _), null);

        public static readonly Op SoftplusBackward = Backward("SoftplusBackward",
            (p, g, x) => p.Atom(g) + " / (" + p.Literal(1) + " + " + p.Element + ".Exp(-" + p.Atom(x) + "))",
            (p, f) => p.Elementwise(f.Kind, f[1], "⊙", P.Text("σ(" + p.Print(f[2]) + ")"), out _), (f, h) => new Fn(SoftplusSecond, h.Kind, f[0], h, f[2]));

        public static readonly Op GeluBackward = Backward("GeluBackward",
            (p, g, x) => p.Atom(g) + " * " + RuntimeApi.Class(RuntimeFamily.Elementwise) + ".GeluDerivative(" + p.Print(x) + ")",
            (p, f) => p.Elementwise(f.Kind, f[1], "⊙", P.Text("gelu′(" + p.Print(f[2]) + ")"), out _), (f, h) => new Fn(GeluSecond, h.Kind, f[0], h, f[2]));

        public static readonly Op AbsBackward = Backward("AbsBackward",
            (p, g, x) => "(" + p.Atom(x) + " > " + p.Literal(0) + " ? " + p.Atom(g) + " : " + p.Atom(x) + " < " + p.Literal(0) + " ? -" + p.Atom(g) + " : " + p.Literal(0) + ")",
            (p, f) => p.Elementwise(f.Kind, f[1], "⊙", P.Text("sign(" + p.Print(f[2]) + ")"), out _), null);

        public static readonly Op SquareBackward = Backward("SquareBackward",
            (p, g, x) => p.Literal(2) + " * " + p.Atom(x) + " * " + p.Atom(g),
            (p, f) => p.Elementwise(f.Kind, P.Text("2" + p.Wrap(f[2], P.Atom)), "⊙", f[1], out _), (f, h) => Mul(new Num(2), h));

        public static readonly Op SqrtBackward = Backward("SqrtBackward",
            (p, g, y) => p.Atom(g) + " / (" + p.Literal(2) + " * " + p.Atom(y) + ")",
            (p, f) => p.Elementwise(f.Kind, f[1], "⊘", P.Text("(2√" + p.Wrap(f[2], P.Atom) + ")"), out _), (f, h) => new Fn(SqrtSecond, h.Kind, f[0], h, f[2]));

        /// <summary>
        /// An element-wise function f with rule ∂f(A) = f′(A) ⊙ ∂A, written as its backward kernel
        /// <c>{name}Backward(saved, ∂A, A)</c>, which is its own transpose.
        /// </summary>
        private static Op Unary(string name, string? symbol, string law, Func<Op> backward, bool fromOutput, MathForm? math = null)
            => Define(name, OpRole.Forward, 1).Lowers(name).Typed("Scalar|Vector|Matrix → same")
                .Written(CodeForm.OpsCall(name, K(RuntimeFamily.Elementwise, name)), math ?? MathForm.Function(symbol!))
                .Shaped(ShapeRules.Unary)
                .Rule(law, c => c.With(0, d => new Fn(backward(), c.Kind, fromOutput ? c.Y : c.Arg(0), d, c.Arg(0))));

        /// <summary>A backward kernel Ḡ ⊙ f′ on (saved, Ḡ, input): the code reads the first two, the math prints f′ of the input.</summary>
        /// <remarks>
        /// Its own differential (second order): ∂(Ḡ ⊙ f′(x)) = ∂Ḡ ⊙ f′(x) + Ḡ ⊙ f″(x) ⊙ ∂x, where <paramref name="curvature"/>
        /// gives H ⊙ f″(x) for H = Ḡ ⊙ ∂x (null: f″ = 0 almost everywhere, as for relu and |x|).
        /// </remarks>
        private static Op Backward(string name, Func<CodePrinter, Expr, Expr, string> scalar, Func<P, Fn, string> math, Func<Fn, Expr, Expr>? curvature)
        {
            var kernel = K(RuntimeFamily.Elementwise, name);
            return Define(name, OpRole.Derivative, 3).Typed("(saved, G, input) → G's kind", k => k[1])
                .Written(CodeForm.Custom(
                        (p, f) => p.Call(kernel, new[] { f[0], f[1] }),
                        (p, f, slot) => p.CallInto(kernel, new[] { f[0], f[1] }, slot),
                        (p, f) => scalar(p, f[1], f[0])),
                    MathForm.Custom((p, f) => (math(p, f), f.Kind == ValueKind.Scalar ? P.ProductLevel : P.HadamardLevel)))
                .Rule("∂(Ḡ ⊙ f′(x)) = ∂Ḡ ⊙ f′(x) + Ḡ ⊙ f″(x) ⊙ ∂x", c => E.Sum(
                    c.With(1, d => new Fn(c.Op, d.Kind, c.Arg(0), d, c.Arg(2))),
                    curvature is null ? null : c.With(2, d => curvature((Fn)c.Y, Had(c.Arg(1), d)))))
                .Linear((f, i, ct) => new Fn(f.Op, ct.Kind, f[0], ct, f[2]))
                .Diagonal(1)
                .PullsScalars(1);
        }
    }
}
