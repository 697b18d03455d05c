using System.Collections.Generic;
using AutoGradGen.Generator.Formula;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;
using ShapeRules = AutoGradGen.Generator.Shapes.ShapeContext.Rules;
using P = AutoGradGen.Generator.Formula.MathPrinter;

// Ops refer to one another inside their rules, which run only after every field is set; the compiler's
// flow analysis of static initializers cannot see that order.
#pragma warning disable CS8603, CS8604

namespace AutoGradGen.Generator.Model
{
    // The linear and bilinear operators: +, −, products, scaling, transpose. Each is its own transpose's
    // building block: these are the ops that tangents are made of.
    internal sealed partial class Op
    {
        /// <summary>Y = A + B: ∂Y = ∂A + ∂B ⇒ Ā += Ḡ, B̄ += Ḡ.</summary>
        public static readonly Op Add = Define("Add", OpRole.Forward, 2).Called("sum").Typed("same kinds → same")
            .Written(CodeForm.Operator("+", K(RuntimeFamily.Linear, "Add")),
                MathForm.Custom((p, f) => (p.Wrap(f[0], P.SumLevel) + " + " + p.Wrap(f[1], P.SumLevel + 1), P.SumLevel)), atom: false)
            .Rule("∂(A + B) = ∂A + ∂B", c => E.Sum(c.D(0), c.D(1)))
            .Linear((f, i, ct) => ct)
            .Shaped(ShapeRules.SameShape);

        /// <summary>Y = A − B: ∂Y = ∂A − ∂B ⇒ Ā += Ḡ, B̄ −= Ḡ.</summary>
        public static readonly Op Subtract = Define("Subtract", OpRole.Forward, 2).Called("difference").Typed("same kinds → same")
            .Written(CodeForm.Operator("-", K(RuntimeFamily.Linear, "Subtract")),
                MathForm.Custom((p, f) => (p.Wrap(f[0], P.SumLevel) + " − " + p.Wrap(f[1], P.SumLevel + 1), P.SumLevel)), atom: false)
            .Rule("∂(A − B) = ∂A − ∂B", c => c.D(0) is { } d0 ? (c.D(1) is { } d1 ? d0 - d1 : d0) : c.With(1, Neg))
            .Linear((f, i, ct) => i == 0 ? ct : Neg(ct))
            .Shaped(ShapeRules.SameShape);

        /// <summary>Y = −A: ∂Y = −∂A ⇒ Ā −= Ḡ.</summary>
        public static readonly Op Negate = Define("Negate", OpRole.Forward, 1).Called("negated").Typed("any → same")
            .Written(CodeForm.Operator("-", K(RuntimeFamily.Linear, "Negate")),
                MathForm.Custom((p, f) => ("−" + p.Wrap(f[0], P.ProductLevel), P.PrefixLevel)), atom: false)
            .Rule("∂(−A) = −∂A", c => c.With(0, Neg))
            .Linear((f, i, ct) => Neg(ct))
            .Shaped(ShapeRules.Unary);

        /// <summary>
        /// Y = A B (matrix, matrix·vector, scalar·X): ∂Y = ∂A B + A ∂B ⇒ Ā += Ḡ Bᵀ, B̄ += Aᵀ Ḡ;
        /// for a scalar factor s: s̄ += ⟨Ḡ, X⟩ = Tr(Ḡᵀ X).
        /// </summary>
        public static readonly Op Multiply = Define("Multiply", OpRole.Forward, 2).Called("product").Typed("Scalar·any, Matrix·Matrix, Matrix·Vector, Vector·Vectorᵀ")
            .Written(CodeForm.Custom(ProductCode.Allocating, ProductCode.Into),
                MathForm.Custom((p, f) => (p.Product(P.Factors(f)), P.ProductLevel)), atom: false)
            .Rule(MultiplyLaw, c => E.Sum(c.With(0, d => Mul(d, c.Arg(1))), c.With(1, d => Mul(c.Arg(0), d))))
            .Linear(TransposeProduct)
            .Shaped(ShapeRules.Product);

        private static string MultiplyLaw(IReadOnlyList<ValueKind> k)
            => k[0] == ValueKind.Scalar && k[1] == ValueKind.Scalar ? "∂(a b) = ∂a b + a ∂b"
                : k[0] == ValueKind.Scalar ? "∂(s X) = ∂s X + s ∂X"
                : k[1] == ValueKind.Scalar ? "∂(X s) = ∂X s + X ∂s"
                : "∂(A B) = ∂A B + A ∂B";

        /// <summary>The cotangent of one factor of a product whose other factor is constant.</summary>
        private static Expr TransposeProduct(Fn f, int i, Expr g)
        {
            Expr a = f[0], b = f[1];
            if (i == 0)
            {
                return a.Kind == ValueKind.Scalar && b.Kind != ValueKind.Scalar ? Inner(g, b)
                    : b.Kind == ValueKind.Scalar ? (a.Kind == ValueKind.Scalar ? Mul(g, b) : Mul(b, g))
                    : Mul(g, T(b));
            }
            return a.Kind == ValueKind.Scalar ? (b.Kind == ValueKind.Scalar ? Mul(g, a) : Mul(a, g))
                : b.Kind == ValueKind.Scalar ? Inner(g, a)
                : Mul(T(a), g);
        }

        /// <summary>The Frobenius inner product ⟨A, B⟩ = Tr(AᵀB); a plain product for scalars.</summary>
        public static Expr Inner(Expr a, Expr b)
            => a.Kind == ValueKind.Scalar ? Mul(a, b) : new Fn(Dot, ValueKind.Scalar, a, b);

        /// <summary>Y = X / s: ∂Y = ∂X / s − X ∂s / s² ⇒ X̄ += Ḡ / s, s̄ −= ⟨Ḡ, Y⟩ / s.</summary>
        public static readonly Op Divide = Define("Divide", OpRole.Forward, 2).Called("quotient").Typed("(any, Scalar) → same")
            .Written(CodeForm.Operator("/", K(RuntimeFamily.Linear, "Divide")),
                MathForm.Custom((p, f) => (p.Wrap(f[0], P.ProductLevel) + "/" + p.Wrap(f[1], P.PostfixLevel), P.ProductLevel)), atom: false)
            .Rule("∂(X / s) = ∂X / s − X ∂s / s²",
                c => E.Sum(c.With(0, d => Div(d, c.Arg(1))), c.With(1, d => Neg(Div(Mul(d, c.Y), c.Arg(1))))),
                DividePullback)
            .Linear((f, i, ct) => Div(ct, f[1]))
            .Shaped(c => c.ResultOf(0));

        // Hand-tuned: ⟨Ḡ, Y⟩/s costs one reduction; the derived ⟨Ḡ/s, Y⟩ would scale a whole matrix first.
        private static Pullback DividePullback(RuleContext c)
            => c.Make("∂(X / s) = ∂X / s − X ∂s / s²",
                new Contribute(0, Div(c.G, c.Arg(1))),
                new Contribute(1, Neg(Div(Inner(c.G, c.Y), c.Arg(1)))));

        /// <summary>Y = A + b𝟙ᵀ (b added to every column): ∂Y = ∂A + ∂b 𝟙ᵀ ⇒ Ā += Ḡ, b̄ += Ḡ𝟙.</summary>
        public static readonly Op AddColumns = Define("AddColumns", OpRole.Forward, 2).Called("sum").Typed("(Matrix, Vector) → Matrix")
            .Written(CodeForm.Operator("+", K(RuntimeFamily.Linear, "AddColumns")),
                MathForm.Custom((p, f) => (p.Wrap(f[0], P.SumLevel) + " + " + p.Wrap(f[1], P.PostfixLevel) + "𝟙ᵀ", P.SumLevel)), atom: false)
            .Rule("∂(A + b𝟙ᵀ) = ∂A + ∂b 𝟙ᵀ", c => ColumnsTangent(c, AddColumns))
            .Linear((f, i, ct) => i == 0 ? ct : new Fn(SumColumns, ValueKind.Vector, ct))
            .Shaped(c => { c.Tie(0, c.Rows(0), 1, c.Rows(1)); c.ResultOf(0); });

        /// <summary>Y = A − b𝟙ᵀ: ∂Y = ∂A − ∂b 𝟙ᵀ ⇒ Ā += Ḡ, b̄ −= Ḡ𝟙.</summary>
        public static readonly Op SubtractColumns = Define("SubtractColumns", OpRole.Forward, 2).Called("difference").Typed("(Matrix, Vector) → Matrix")
            .Written(CodeForm.Operator("-", K(RuntimeFamily.Linear, "SubtractColumns")),
                MathForm.Custom((p, f) => (p.Wrap(f[0], P.SumLevel) + " − " + p.Wrap(f[1], P.PostfixLevel) + "𝟙ᵀ", P.SumLevel)), atom: false)
            .Rule("∂(A − b𝟙ᵀ) = ∂A − ∂b 𝟙ᵀ", c => ColumnsTangent(c, SubtractColumns))
            .Linear((f, i, ct) => i == 0 ? ct : Neg(new Fn(SumColumns, ValueKind.Vector, ct)))
            .Shaped(c => { c.Tie(0, c.Rows(0), 1, c.Rows(1)); c.ResultOf(0); });

        /// <summary>∂A ± ∂b𝟙ᵀ; with a constant A, ∂b𝟙ᵀ is spread over a zero matrix of A's shape.</summary>
        private static Expr? ColumnsTangent(TangentContext c, Op op)
        {
            if (c.D(1) is not { } db)
            {
                return c.D(0);
            }
            var left = c.D(0) ?? new Fn(Filled, ValueKind.Matrix, c.Arg(0), new Num(0));
            return new Fn(op, ValueKind.Matrix, left, db);
        }

        /// <summary>Y = Aᵀ: ∂Y = (∂A)ᵀ ⇒ Ā += Ḡᵀ.</summary>
        public static readonly Op Transpose = Define("Transpose", OpRole.Forward, 1).Called("transposed").Lowers("Transpose").Typed("Matrix → Matrix")
            .Written(CodeForm.Custom((p, f) => p.CallOps("Transpose", f.Args.Items), (p, f, slot) => p.CallInto(K(RuntimeFamily.Linear, "Transpose"), f.Args.Items, slot)),
                MathForm.Custom((p, f) => (p.Wrap(f[0], P.PostfixLevel) + "ᵀ", P.PostfixLevel)))
            .Rule("∂(Aᵀ) = (∂A)ᵀ", c => c.With(0, T))
            .Linear((f, i, ct) => T(ct))
            .Shaped(c => c.Result(c.Cols(0), c.Rows(0)));
    }
}
