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
    // The scalar-valued reductions.
    internal sealed partial class Op
    {
        /// <summary>y = ⟨A, B⟩ (xᵀy for vectors): ∂y = ⟨∂A, B⟩ + ⟨A, ∂B⟩ ⇒ Ā += ḡ B, B̄ += ḡ A.</summary>
        public static readonly Op Dot = Define("Dot", OpRole.Forward, 2).Lowers("Dot").Typed("(same kinds) → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => f[0].Kind == ValueKind.Scalar
                    ? new Printed(p.Atom(f[0]) + " * " + p.Atom(f[1]), false)
                    : p.CallOps("Dot", f.Args.Items)),
                MathForm.Custom((p, f) => f[0].Kind == ValueKind.Vector
                    ? (p.Product(System.Linq.Enumerable.Concat(new[] { (Expr)new Fn(Transpose, ValueKind.Vector, f[0]) }, P.Factors(f[1]))), P.ProductLevel)
                    : Atomic("⟨" + p.Print(f[0]) + ", " + p.Print(f[1]) + "⟩")))
            .Rule("∂(xᵀy) = ∂xᵀ y + xᵀ ∂y", c => E.Sum(c.With(0, d => Inner(d, c.Arg(1))), c.With(1, d => Inner(c.Arg(0), d))))
            .Linear((f, i, ct) => Mul(ct, f[1 - i]))
            .Shaped(ShapeRules.SameShapeToScalar);

        /// <summary>y = 𝟙ᵀA𝟙: ∂y = Tr(𝟙𝟙ᵀ ∂A) ⇒ Ā += ḡ 𝟙.</summary>
        public static readonly Op Sum = Define("Sum", OpRole.Forward, 1).Lowers("Sum").Typed("Matrix|Vector → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => p.CallOps("Sum", f.Args.Items)),
                MathForm.Custom((p, f) => f[0].Kind == ValueKind.Vector
                    ? ("𝟙ᵀ" + p.Wrap(f[0], P.PostfixLevel), P.ProductLevel)
                    : Atomic("sum(" + p.Print(f[0]) + ")")))
            .Rule("∂ sum(A) = sum(∂A) = Tr(𝟙ᵀ ∂A)", c => c.With(0, d => new Fn(Sum, ValueKind.Scalar, d)))
            .Linear((f, i, ct) => new Fn(Filled, f[0].Kind, f[0], ct))
            .Shaped(ShapeRules.ToScalar);

        /// <summary>y = sum(A)/n ⇒ Ā += (ḡ/n) 𝟙.</summary>
        public static readonly Op Mean = Define("Mean", OpRole.Forward, 1).Lowers("Mean").Typed("Matrix|Vector → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => p.CallOps("Mean", f.Args.Items)), MathForm.Function("mean"))
            .Rule("∂ mean(A) = sum(∂A) / n", c => c.With(0, d => new Fn(Mean, ValueKind.Scalar, d)))
            .Linear((f, i, ct) => new Fn(Filled, f[0].Kind, f[0], Div(ct, new Fn(Count, ValueKind.Scalar, f[0]))))
            .Shaped(ShapeRules.ToScalar);

        /// <summary>
        /// y = log Σ exp(A) (stable: the max is taken out): ∂y = ⟨exp(A − y𝟙), ∂A⟩, the softmax of all entries
        /// ⇒ Ā += ḡ exp(A − y𝟙). The rule reuses y; exp(A − y𝟙) never overflows.
        /// </summary>
        public static readonly Op LogSumExp = Define("LogSumExp", OpRole.Forward, 1).Lowers("LogSumExp").Typed("Matrix|Vector → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => p.CallOps("LogSumExp", f.Args.Items)), MathForm.Custom((p, f) => Atomic("log Σ exp(" + p.Print(f[0]) + ")")))
            .Rule("∂ log Σ exp(A) = ⟨exp(A − y𝟙), ∂A⟩", c => c.With(0, d => new Fn(Dot, ValueKind.Scalar,
                new Fn(Exp, c.KindOf(0), new Fn(Subtract, c.KindOf(0), c.Arg(0), new Fn(Filled, c.KindOf(0), c.Arg(0), c.Y))), d)))
            .Shaped(ShapeRules.ToScalar);

        /// <summary>y = ‖A‖² = Tr(AᵀA): ∂y = 2 Tr(Aᵀ ∂A) ⇒ Ā += 2ḡ A.</summary>
        public static readonly Op SquaredNorm = Define("SquaredNorm", OpRole.Forward, 1).Lowers("SquaredNorm").Typed("any → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => p.CallOps("SquaredNorm", f.Args.Items)), MathForm.Custom((p, f) => Atomic("‖" + p.Print(f[0]) + "‖²")))
            .Rule("∂‖A‖² = 2 Tr(Aᵀ ∂A)", c => c.With(0, d => Mul(new Num(2), Inner(c.Arg(0), d))))
            .Shaped(ShapeRules.ToScalar);

        // ── reductions of a matrix to a vector; linear, so their pullbacks are derived from the spreads below ──

        /// <summary>y = A𝟙 (the row sums): ∂y = ∂A 𝟙 ⇒ Ā += ḡ𝟙ᵀ.</summary>
        public static readonly Op RowSums = ToVector("RowSums", "∂(A𝟙) = ∂A 𝟙", () => SpreadColumns, rows: true, symbol: "𝟙", mean: false);

        /// <summary>y = A𝟙/c (the row means): ∂y = ∂A 𝟙/c ⇒ Ā += ḡ𝟙ᵀ/c.</summary>
        public static readonly Op RowMeans = ToVector("RowMeans", "∂(A𝟙/c) = ∂A 𝟙/c", () => SpreadColumnsMean, rows: true, symbol: "𝟙/c", mean: true);

        /// <summary>y = Aᵀ𝟙 (the column sums): ∂y = ∂Aᵀ 𝟙 ⇒ Ā += 𝟙ḡᵀ.</summary>
        public static readonly Op ColumnSums = ToVector("ColumnSums", "∂(Aᵀ𝟙) = ∂Aᵀ 𝟙", () => SpreadRows, rows: false, symbol: "𝟙", mean: false);

        /// <summary>y = Aᵀ𝟙/r (the column means): ∂y = ∂Aᵀ 𝟙/r ⇒ Ā += 𝟙ḡᵀ/r.</summary>
        public static readonly Op ColumnMeans = ToVector("ColumnMeans", "∂(Aᵀ𝟙/r) = ∂Aᵀ 𝟙/r", () => SpreadRowsMean, rows: false, symbol: "𝟙/r", mean: true);

        /// <summary>X = x𝟙ᵀ of operand 0's shape (the transpose of RowSums, itself transposed by RowSums).</summary>
        public static readonly Op SpreadColumns = Spread("SpreadColumns", "𝟙ᵀ", () => RowSums, rows: true);

        /// <summary>X = x𝟙ᵀ/c of operand 0's shape (the transpose of RowMeans).</summary>
        public static readonly Op SpreadColumnsMean = Spread("SpreadColumnsMean", "𝟙ᵀ/c", () => RowMeans, rows: true);

        /// <summary>X = 𝟙xᵀ of operand 0's shape (the transpose of ColumnSums).</summary>
        public static readonly Op SpreadRows = Spread("SpreadRows", "ᵀ", () => ColumnSums, rows: false);

        /// <summary>X = 𝟙xᵀ/r of operand 0's shape (the transpose of ColumnMeans).</summary>
        public static readonly Op SpreadRowsMean = Spread("SpreadRowsMean", "ᵀ/r", () => ColumnMeans, rows: false);

        /// <summary>A linear reduction of a matrix to a vector; its rule is itself on ∂A, its transpose a spread.</summary>
        private static Op ToVector(string name, string law, System.Func<Op> spread, bool rows, string symbol, bool mean)
            => Define(name, OpRole.Forward, 1).Lowers(name).Typed("Matrix → Vector", _ => ValueKind.Vector)
                .Written(CodeForm.OpsCall(name, K(RuntimeFamily.Linear, name)),
                    MathForm.Custom((p, f) => ((rows ? p.Wrap(f[0], P.PostfixLevel) : p.Wrap(f[0], P.PostfixLevel) + "ᵀ") + symbol, P.ProductLevel)))
                .Rule(law, c => c.With(0, d => new Fn(c.Op, ValueKind.Vector, d)))
                .Linear((f, i, ct) => new Fn(spread(), ValueKind.Matrix, f[0], ct))
                .Shaped(c => c.Result(rows ? c.Rows(0) : c.Cols(0)));

        /// <summary>A vector spread over operand 0's columns (rows) — a pullback step; linear in the vector.</summary>
        private static Op Spread(string name, string suffix, System.Func<Op> reduction, bool rows)
            => Define(name, OpRole.Derivative, 2).Typed("(Matrix, Vector) → Matrix", _ => ValueKind.Matrix)
                .Written(CodeForm.Call(K(RuntimeFamily.Linear, name)),
                    MathForm.Custom((p, f) => (rows ? p.Wrap(f[1], P.PostfixLevel) + suffix : "𝟙" + p.Wrap(f[1], P.PostfixLevel) + suffix, P.ProductLevel)))
                .Rule("∂(x𝟙ᵀ) = ∂x 𝟙ᵀ", c => c.With(1, d => new Fn(c.Op, ValueKind.Matrix, c.Arg(0), d)))
                .Linear((f, i, ct) => new Fn(reduction(), ValueKind.Vector, ct));
    }
}
