using System.Linq;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Symbolic;
using ShapeRules = AutoGradGen.Generator.Shapes.ShapeContext.Rules;
using P = AutoGradGen.Generator.Formula.MathPrinter;

// Ops refer to one another inside their rules, which run only after every field is set; the compiler's
// flow analysis of static initializers cannot see that order.
#pragma warning disable CS8603, CS8604

namespace AutoGradGen.Generator.Model
{
    // Element and slice reads, concatenation, and the token embedding E_{:,ids} (a read of the columns ids). Each is
    // linear in the matrix it reads: its differential is the same slice of ∂A, and its pullback scatters Ḡ into the
    // same block of a zero matrix of A's shape (the Scatter… kernels, whose own differential is the scatter of ∂Ḡ, and
    // whose transpose is the slice again). Indices, starts and counts are Int operands (parameters, literals, shapes,
    // int arithmetic); Embedding's ids are an Int-kind operand too (an int[] parameter or constant expression).
    internal sealed partial class Op
    {
        /// <summary>y = A_{ij} (args A, i, j) or v_i (args v, i): ∂y = (∂A)_{ij} ⇒ Ā += Ḡ at (i, j).</summary>
        public static readonly Op Element = Define("Element", OpRole.Forward, -1).Typed("(Matrix, int, int) | (Vector, int) → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => p.Atom(f[0]) + "[" + string.Join(", ", f.Args.Skip(1).Select(p.Print)) + "]"),
                MathForm.Custom((p, f) => Atomic(p.Wrap(f[0], P.PostfixLevel) + "_{" + string.Join(",", f.Args.Skip(1).Select(p.Print)) + "}")))
            .Rule(k => k[0] == ValueKind.Vector ? "∂(v_i) = (∂v)_i" : "∂(A_{ij}) = (∂A)_{ij}", c => c.With(0, d => Replace(c, 0, d)))
            .Linear((f, i, g) => Scatter(ScatterElement, f, g, f.Args.Skip(1)))
            .Shaped(ShapeRules.ToScalar)
            .PullsScalars(0);

        /// <summary>y = A_{:,j}: ∂y = (∂A)_{:,j} ⇒ Ā += Ḡ in column j.</summary>
        public static readonly Op Column = Slice("Column", "(Matrix, int) → Vector", ValueKind.Vector, "∂(A_{:,j}) = (∂A)_{:,j}",
                (p, f) => Atomic(p.Wrap(f[0], P.PostfixLevel) + "_{:," + p.Print(f[1]) + "}"),
                (f, g) => Scatter(ScatterColumn, f, g, f[1]))
            .Shaped(ShapeRules.Column);

        /// <summary>y = A_{i,:} (row i, as a vector): ∂y = (∂A)_{i,:} ⇒ Ā += Ḡᵀ in row i.</summary>
        public static readonly Op Row = Slice("Row", "(Matrix, int) → Vector", ValueKind.Vector, "∂(A_{i,:}) = (∂A)_{i,:}",
                (p, f) => Atomic(p.Wrap(f[0], P.PostfixLevel) + "_{" + p.Print(f[1]) + ",:}"),
                (f, g) => Scatter(ScatterRow, f, g, f[1]))
            .Shaped(ShapeRules.Row);

        /// <summary>Y = A_{s:s+n,:} (rows s … s + n − 1; a vector's entries): ∂Y = (∂A)_{s:s+n,:} ⇒ Ā += Ḡ in those rows.</summary>
        public static readonly Op SliceRows = Slice("SliceRows", "(Matrix|Vector, int, int) → same", null, "∂(A_{s:s+n,:}) = (∂A)_{s:s+n,:}",
                (p, f) => Atomic(p.Wrap(f[0], P.PostfixLevel) + "_{" + Range(p, f[1], f[2]) + (f[0].Kind == ValueKind.Vector ? "}" : ",:}")),
                (f, g) => Scatter(ScatterRows, f, g, f[1]))
            .Shaped(ShapeRules.SliceRows);

        /// <summary>Y = A_{:,s:s+n} (columns s … s + n − 1): ∂Y = (∂A)_{:,s:s+n} ⇒ Ā += Ḡ in those columns.</summary>
        public static readonly Op SliceColumns = Slice("SliceColumns", "(Matrix, int, int) → Matrix", ValueKind.Matrix, "∂(A_{:,s:s+n}) = (∂A)_{:,s:s+n}",
                (p, f) => Atomic(p.Wrap(f[0], P.PostfixLevel) + "_{:," + Range(p, f[1], f[2]) + "}"),
                (f, g) => Scatter(ScatterColumns, f, g, f[1]))
            .Shaped(ShapeRules.SliceColumns);

        /// <summary>y = diag(A) (length min(m, n)): ∂y = diag(∂A) ⇒ Ā += Diag(Ḡ), Ḡ on the diagonal.</summary>
        public static readonly Op DiagonalOf = Slice("Diagonal", "Matrix → Vector", ValueKind.Vector, "∂diag(A) = diag(∂A)",
                (p, f) => Atomic("diag(" + p.Print(f[0]) + ")"),
                (f, g) => Scatter(ScatterDiagonal, f, g))
            .Shaped(ShapeRules.Diagonal);

        /// <summary>Y = [A; B] (A above B): ∂Y = [∂A; ∂B] ⇒ Ā += Ḡ's first rows(A) rows, B̄ += the rest.</summary>
        public static readonly Op ConcatRows = Define("ConcatRows", OpRole.Forward, 2).Lowers("ConcatRows").Typed("(Matrix, Matrix) | (Vector, Vector) → same")
            .Written(CodeForm.OpsCall("ConcatRows", K(RuntimeFamily.Slicing, "ConcatRows")),
                MathForm.Custom((p, f) => Atomic("[" + p.Print(f[0]) + "; " + p.Print(f[1]) + "]")))
            .Rule("∂[A; B] = [∂A; ∂B]", c => Concatenation(c))
            .Linear((f, i, g) => new Fn(SliceRows, f[i].Kind, g, i == 0 ? IntZero : Height(f[0]), Height(f[i])))
            .Shaped(ShapeRules.ConcatRows);

        /// <summary>Y = [A B] (A left of B): ∂Y = [∂A ∂B] ⇒ Ā += Ḡ's first cols(A) columns, B̄ += the rest.</summary>
        public static readonly Op ConcatColumns = Define("ConcatColumns", OpRole.Forward, 2).Lowers("ConcatColumns").Typed("(Matrix, Matrix) → Matrix")
            .Written(CodeForm.OpsCall("ConcatColumns", K(RuntimeFamily.Slicing, "ConcatColumns")),
                MathForm.Custom((p, f) => Atomic("[" + p.Wrap(f[0], P.PostfixLevel) + " " + p.Wrap(f[1], P.PostfixLevel) + "]")))
            .Rule("∂[A B] = [∂A ∂B]", c => Concatenation(c))
            .Linear((f, i, g) => new Fn(SliceColumns, ValueKind.Matrix, g, i == 0 ? IntZero : Dim(Cols, f[0]), Dim(Cols, f[i])))
            .Shaped(ShapeRules.ConcatColumns);

        /// <summary>
        /// Y = Embedding(E, ids) = E_{:,ids} (column k of Y is column ids[k] of E; ids an int[], a constant): ∂Y = (∂E)_{:,ids}
        /// ⇒ Ē += Ḡ's column k in column ids[k], for every k (a repeated id adds all of its columns).
        /// </summary>
        public static readonly Op Embedding = Slice("Embedding", "(Matrix, int[]) → Matrix", ValueKind.Matrix, "∂(E_{:,ids}) = (∂E)_{:,ids}",
                (p, f) => Atomic(p.Wrap(f[0], P.PostfixLevel) + "_{:," + p.Print(f[1]) + "}"),
                (f, g) => Scatter(ScatterEmbedding, f, g, f[1]))
            .Shaped(ShapeRules.Embedding);

        // ── the adjoints: Ḡ scattered into a zero operand shaped like the read one; args (like, Ḡ, indices…) ──

        /// <summary>Ḡ at (i, j) (or at i of a vector), zeros elsewhere.</summary>
        public static readonly Op ScatterElement = ScatterKernel("ScatterElement",
            (p, f) => Atomic("E_{" + string.Join(",", f.Args.Skip(2).Select(p.Print)) + "}(" + p.Print(f[1]) + ")"),
            (f, g) => new Fn(Element, ValueKind.Scalar, EquatableArray.From(new[] { g }.Concat(f.Args.Skip(2)).ToArray())));

        /// <summary>Ḡ in column j, zeros elsewhere.</summary>
        public static readonly Op ScatterColumn = ScatterKernel("ScatterColumn",
            (p, f) => Atomic("E_{:," + p.Print(f[2]) + "}(" + p.Print(f[1]) + ")"),
            (f, g) => new Fn(Column, ValueKind.Vector, g, f[2]));

        /// <summary>Ḡᵀ in row i, zeros elsewhere.</summary>
        public static readonly Op ScatterRow = ScatterKernel("ScatterRow",
            (p, f) => Atomic("E_{" + p.Print(f[2]) + ",:}(" + p.Print(f[1]) + "ᵀ)"),
            (f, g) => new Fn(Row, ValueKind.Vector, g, f[2]));

        /// <summary>Ḡ in rows s … s + rows(Ḡ) − 1, zeros elsewhere.</summary>
        public static readonly Op ScatterRows = ScatterKernel("ScatterRows",
            (p, f) => Atomic("E_{" + p.Print(f[2]) + ":,:}(" + p.Print(f[1]) + ")"),
            (f, g) => new Fn(SliceRows, g.Kind, g, f[2], Height(f[1])));

        /// <summary>Ḡ in columns s … s + cols(Ḡ) − 1, zeros elsewhere.</summary>
        public static readonly Op ScatterColumns = ScatterKernel("ScatterColumns",
            (p, f) => Atomic("E_{:," + p.Print(f[2]) + ":}(" + p.Print(f[1]) + ")"),
            (f, g) => new Fn(SliceColumns, ValueKind.Matrix, g, f[2], Dim(Cols, f[1])));

        /// <summary>Ḡ on the diagonal, zeros elsewhere.</summary>
        public static readonly Op ScatterDiagonal = ScatterKernel("ScatterDiagonal",
            (p, f) => Atomic("Diag(" + p.Print(f[1]) + ")"),
            (f, g) => new Fn(DiagonalOf, ValueKind.Vector, g));

        /// <summary>
        /// Ḡ's column k added into column ids[k] of a zero matrix (the adjoint of Embedding). Added in place into a gradient
        /// buffer it touches only the columns ids (<c>Slicing.ScatterEmbeddingAddTo</c>); see that method for <c>accumulate: false</c>.
        /// </summary>
        public static readonly Op ScatterEmbedding = ScatterKernel("ScatterEmbedding",
            (p, f) => Atomic("scatter_{:," + p.Print(f[2]) + "}(" + p.Print(f[1]) + ")"),
            (f, g) => new Fn(Embedding, ValueKind.Matrix, g, f[2]));

        private static Op Slice(string name, string kinds, ValueKind? result, string law, System.Func<P, Fn, (string, int)> math, System.Func<Fn, Expr, Expr> transpose)
            => Define(name, OpRole.Forward, -1).Lowers(name).Typed(kinds, result is { } r ? _ => r : null)
                .Written(CodeForm.OpsCall(name, K(RuntimeFamily.Slicing, name)), MathForm.Custom(math))
                .Rule(law, c => c.With(0, d => Replace(c, 0, d)))
                .Linear((f, i, g) => transpose(f, g))
                .PullsScalars(0);

        /// <remarks>Linear in Ḡ (operand 1): its differential is the scatter of ∂Ḡ, its transpose the slice again. Operand 0 gives only the shape.</remarks>
        private static Op ScatterKernel(string name, System.Func<P, Fn, (string, int)> math, System.Func<Fn, Expr, Expr> transpose)
            => Define(name, OpRole.Derivative, -1).Typed("(like, G, int…) → like's kind", k => k[0]).AddsInPlace(K(RuntimeFamily.Slicing, name + "AddTo"))
                .Written(CodeForm.Call(K(RuntimeFamily.Slicing, name)), MathForm.Custom(math))
                .Rule("∂E(Ḡ) = E(∂Ḡ) (linear)", c => c.With(1, d => Replace(c, 1, d)))
                .Linear((f, i, g) => transpose(f, g))
                .PullsScalars(1);

        /// <summary>
        /// For a scatter kernel (args like, Ḡ, indices…): the runtime method that adds it into a gradient buffer in place,
        /// <c>KAddTo(buffer, Ḡ, indices…, accumulate)</c>, O(slice) instead of a zero matrix and a whole-matrix addition.
        /// </summary>
        public Kernel? InPlace { get; private set; }

        private Op AddsInPlace(Kernel kernel)
        {
            InPlace = kernel;
            return this;
        }

        /// <summary>The scatter of <paramref name="g"/> into a zero operand shaped like the slice's source, at <paramref name="indices"/>.</summary>
        private static Expr Scatter(Op scatter, Fn slice, Expr g, params Expr[] indices) => Scatter(scatter, slice, g, indices.AsEnumerable());

        private static Expr Scatter(Op scatter, Fn slice, Expr g, System.Collections.Generic.IEnumerable<Expr> indices)
            => new Fn(scatter, slice[0].Kind, EquatableArray.From(new[] { slice[0], g }.Concat(indices).ToArray()));

        /// <summary>The rows of a matrix, or the length of a vector.</summary>
        private static Expr Height(Expr of) => Dim(of.Kind == ValueKind.Vector ? Length : Rows, of);

        /// <summary>A half-open range of 0-based indices, s:s+n (0:n from the start).</summary>
        private static string Range(P p, Expr start, Expr count)
        {
            var from = p.Print(start);
            return from == "0" ? "0:" + p.Print(count) : from + ":" + p.Wrap(start, P.SumLevel) + "+" + p.Wrap(count, P.SumLevel);
        }

        /// <summary>An int constant in a derivative expression (its value is <see cref="Fn.Index"/>): the start 0 of a concatenation's first block.</summary>
        public static readonly Op IntConstant = Define("IntConstant", OpRole.Derivative, 0).Typed("→ Int", IntKind)
            .Written(CodeForm.Custom((p, f) => f.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                MathForm.Custom((p, f) => Atomic(f.Index.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .Rule("∂n = 0", _ => null);

        private static Expr IntZero => new Fn(IntConstant, ValueKind.Int, EquatableArray<Expr>.Empty, 0);

        /// <summary>∂[A; B] = [∂A; ∂B] (or [∂A ∂B]), a zero block standing for an operand that does not vary.</summary>
        private static Expr? Concatenation(Rules.TangentContext c)
        {
            if (c.D(0) is null && c.D(1) is null)
            {
                return null;
            }
            return new Fn(c.Op, c.Kind, c.D(0) ?? Zero(c.Arg(0)), c.D(1) ?? Zero(c.Arg(1)));
        }

        private static Expr Zero(Expr like) => new Fn(Filled, like.Kind, like, new Num(0));
    }
}
