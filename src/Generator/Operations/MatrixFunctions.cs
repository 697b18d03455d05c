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
    // The matrix functions. One LU of each factorized operand serves the forward and the backward pass:
    // inverses are never formed in a pullback.
    internal sealed partial class Op
    {
        /// <summary>Y = A⁻¹: ∂Y = −A⁻¹ ∂A A⁻¹ ⇒ Ā −= Yᵀ Ḡ Yᵀ (Y reused from the forward pass).</summary>
        public static readonly Op Inverse = Define("Inverse", OpRole.Forward, 1).ThroughLu().Lowers("Inverse").Typed("Matrix → Matrix")
            .Written(CodeForm.Custom((p, f) => p.LuCall("Inverse", f, null), (p, f, slot) => p.LuCall("Inverse", f, slot)),
                MathForm.Custom((p, f) => (p.Wrap(f[0], P.PostfixLevel) + "⁻¹", P.PostfixLevel)))
            .Rule("∂(A⁻¹) = −A⁻¹ ∂A A⁻¹", c => c.With(0, d => Neg(Mul(Mul(c.Y, d), c.Y))),
                c => c.Make("∂(A⁻¹) = −A⁻¹ ∂A A⁻¹", new Contribute(0, Neg(Mul(Mul(T(c.Y), c.G), T(c.Y))))))
            .Shaped(c => { c.Square(0); c.ResultOf(0); });

        /// <summary>A⁻ᵀ, from the LU of A (pullbacks only).</summary>
        public static readonly Op InverseTransposed = Define("InverseTransposed", OpRole.Derivative, 1).Typed("Matrix → Matrix")
            .Written(CodeForm.Custom((p, f) => p.LuCall("InverseTransposed", f, null), (p, f, slot) => p.LuCall("InverseTransposed", f, slot)),
                MathForm.Custom((p, f) => (p.Wrap(f[0], P.PostfixLevel) + "⁻ᵀ", P.PostfixLevel)))
            .Rule("∂(A⁻ᵀ) = −A⁻ᵀ ∂Aᵀ A⁻ᵀ", c => c.With(0, d => Neg(Mul(Mul(c.Y, T(d)), c.Y))));

        /// <summary>
        /// Y = A⁻¹B (a solve): ∂Y = A⁻¹(∂B − ∂A Y) ⇒ B̄ += A⁻ᵀḠ, Ā −= (A⁻ᵀḠ) Yᵀ.
        /// Hand-tuned: one transposed solve with A's LU serves both; for vector B, Ā is an outer product.
        /// </summary>
        public static readonly Op Solve = Define("Solve", OpRole.Forward, 2).ThroughLu().Lowers("Solve").Typed("(Matrix, Matrix|Vector) → operand 1", k => k[1])
            .Written(CodeForm.Custom((p, f) => p.LuCall("Solve", f, null), (p, f, slot) => p.LuCall("Solve", f, slot)),
                MathForm.Custom((p, f) => (p.Product(new[] { (Expr)new Fn(Inverse, ValueKind.Matrix, f[0]), f[1] }), P.ProductLevel)))
            .Rule("∂(A⁻¹B) = A⁻¹ (∂B − ∂A A⁻¹B)", SolveTangent, SolvePullback)
            .Linear((f, i, ct) => new Fn(SolveTransposed, f.Kind, f[0], ct))
            .PullsScalars(1)
            .Shaped(c => { c.Square(0); c.Tie(0, c.Rows(0), 1, c.Rows(1)); c.ResultOf(1); });

        private static Expr? SolveTangent(TangentContext c)
        {
            var inner = E.Sum(c.D(1), c.With(0, d => Neg(Mul(d, c.Y))));
            return inner is null ? null : new Fn(Solve, c.Kind, c.Arg(0), inner);
        }

        private static Pullback SolvePullback(RuleContext c)
        {
            var t = c.Temp(c.KindOf(1), "solveT{0}", c.Node.Args[0]);
            return c.Make("∂(A⁻¹B) = A⁻¹ (∂B − ∂A A⁻¹B)",
                new Let(t, new Fn(SolveTransposed, c.KindOf(1), c.Arg(0), c.G)),
                new Contribute(1, t),
                new Contribute(0, Neg(Mul(t, T(c.Y)))));
        }

        /// <summary>A⁻ᵀB, a transposed solve with the LU of A (pullbacks only).</summary>
        public static readonly Op SolveTransposed = Define("SolveTransposed", OpRole.Derivative, 2).Typed("(Matrix, Matrix|Vector) → operand 1", k => k[1])
            .Written(CodeForm.Custom((p, f) => p.LuCall("SolveTransposed", f, null), (p, f, slot) => p.LuCall("SolveTransposed", f, slot)),
                MathForm.Custom((p, f) => (p.Product(new[] { (Expr)new Fn(InverseTransposed, ValueKind.Matrix, f[0]), f[1] }), P.ProductLevel)))
            .Rule("∂(A⁻ᵀB) = A⁻ᵀ (∂B − ∂Aᵀ A⁻ᵀB)", c =>
            {
                var inner = E.Sum(c.D(1), c.With(0, d => Neg(Mul(T(d), c.Y))));
                return inner is null ? null : new Fn(SolveTransposed, c.Kind, c.Arg(0), inner);
            })
            .Linear((f, i, ct) => new Fn(Solve, f.Kind, f[0], ct))
            .PullsScalars(1);

        /// <summary>Y = x yᵀ: ∂Y = ∂x yᵀ + x ∂yᵀ ⇒ x̄ += Ḡ y, ȳ += Ḡᵀ x.</summary>
        public static readonly Op Outer = Define("Outer", OpRole.Forward, 2).Lowers("Outer").Typed("(Vector, Vector) → Matrix", _ => ValueKind.Matrix)
            .Written(CodeForm.OpsCall("Outer", K(RuntimeFamily.Products, "Outer")),
                MathForm.Custom((p, f) => (p.Product(System.Linq.Enumerable.Concat(P.Factors(f[0]), new[] { new Fn(Transpose, ValueKind.Vector, f[1]) })), P.ProductLevel)))
            .Rule("∂(x yᵀ) = ∂x yᵀ + x ∂yᵀ",
                c => E.Sum(c.With(0, d => new Fn(Outer, ValueKind.Matrix, d, c.Arg(1))), c.With(1, d => new Fn(Outer, ValueKind.Matrix, c.Arg(0), d))))
            .Linear((f, i, ct) => i == 0 ? Mul(ct, f[1]) : Mul(T(ct), f[0]))
            .Shaped(c => c.Result(c.Rows(0), c.Rows(1)));

        /// <summary>y = Tr(A): ∂y = Tr(∂A) = Tr(Iᵀ ∂A) ⇒ Ā += ḡ I.</summary>
        public static readonly Op Trace = Define("Trace", OpRole.Forward, 1).Lowers("Trace").Typed("Matrix → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => p.CallOps("Trace", f.Args.Items)), MathForm.Function("Tr"))
            .Rule("∂Tr(A) = Tr(∂A)", c => c.With(0, d => new Fn(Trace, ValueKind.Scalar, d)))
            .Linear((f, i, ct) => new Fn(Identity, ValueKind.Matrix, f[0], ct))
            .Shaped(ShapeRules.SquareToScalar);

        /// <summary>y = |A|: ∂|A| = |A| Tr(A⁻¹ ∂A) (Jacobi's formula) ⇒ Ā += ḡ |A| A⁻ᵀ.</summary>
        public static readonly Op Det = Define("Det", OpRole.Forward, 1).ThroughLu().Lowers("Det").Typed("Matrix → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => p.LuCall("Determinant", f, null)), MathForm.Custom((p, f) => Atomic("|" + p.Print(f[0]) + "|")))
            .Rule("∂|A| = |A| Tr(A⁻¹ ∂A)  (Jacobi)",
                c => c.With(0, d => Mul(c.Y, new Fn(Trace, ValueKind.Scalar, new Fn(Solve, ValueKind.Matrix, c.Arg(0), d)))),
                c => c.Make("∂|A| = |A| Tr(A⁻¹ ∂A)  (Jacobi)",
                    new Contribute(0, Mul(Mul(c.G, c.Y), new Fn(InverseTransposed, ValueKind.Matrix, c.Arg(0))))))
            .Shaped(ShapeRules.SquareToScalar);

        /// <summary>y = log|A|: ∂ log|A| = Tr(A⁻¹ ∂A) ⇒ Ā += ḡ A⁻ᵀ.</summary>
        public static readonly Op LogDet = Define("LogDet", OpRole.Forward, 1).ThroughLu().Lowers("LogDet").Typed("Matrix → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => p.LuCall("LogAbsDeterminant", f, null)), MathForm.Custom((p, f) => Atomic("log|" + p.Print(f[0]) + "|")))
            .Rule("∂log|A| = Tr(A⁻¹ ∂A)",
                c => c.With(0, d => new Fn(Trace, ValueKind.Scalar, new Fn(Solve, ValueKind.Matrix, c.Arg(0), d))),
                c => c.Make("∂log|A| = Tr(A⁻¹ ∂A)", new Contribute(0, Mul(c.G, new Fn(InverseTransposed, ValueKind.Matrix, c.Arg(0))))))
            .Shaped(ShapeRules.SquareToScalar);
    }
}
