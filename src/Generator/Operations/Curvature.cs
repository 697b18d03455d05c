using System;
using AutoGradGen.Generator.Emit;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Symbolic;
using P = AutoGradGen.Generator.Formula.MathPrinter;

// Ops refer to one another inside their rules, which run only after every field is set; the compiler's
// flow analysis of static initializers cannot see that order.
#pragma warning disable CS8603, CS8604

namespace AutoGradGen.Generator.Model
{
    // Second order: the kernels that the differentials of the pullback kernels are made of. They appear
    // only in the tangent of a reverse sweep (Hessian-vector products) and in Hessians.
    internal sealed partial class Op
    {
        // ── element-wise: H ⊙ f″(x), on (saved, H, input) like the backward kernels ──

        public static readonly Op LogSecond = Second("LogSecond", "log″",
            (p, h, x) => "-" + p.Atom(h) + " / (" + p.Atom(x) + " * " + p.Atom(x) + ")");

        public static readonly Op SigmoidSecond = Second("SigmoidSecond", "σ″",
            (p, h, y) => p.Atom(h) + " * " + p.Atom(y) + " * (" + p.Literal(1) + " - " + p.Atom(y) + ") * (" + p.Literal(1) + " - " + p.Literal(2) + " * " + p.Atom(y) + ")");

        public static readonly Op TanhSecond = Second("TanhSecond", "tanh″",
            (p, h, y) => "-" + p.Literal(2) + " * " + p.Atom(h) + " * " + p.Atom(y) + " * (" + p.Literal(1) + " - " + p.Atom(y) + " * " + p.Atom(y) + ")");

        public static readonly Op SoftplusSecond = Second("SoftplusSecond", "σ′",
            (p, h, x) => p.Atom(h) + " / (" + p.Literal(1) + " + " + p.Element + ".Exp(-" + p.Atom(x) + ")) * (" + p.Literal(1) + " - " +
                         p.Literal(1) + " / (" + p.Literal(1) + " + " + p.Element + ".Exp(-" + p.Atom(x) + ")))");

        public static readonly Op GeluSecond = Second("GeluSecond", "gelu″",
            (p, h, x) => p.Atom(h) + " * " + p.Literal(0.3989422804014327) + " * " + p.Element + ".Exp(-" + p.Atom(x) + " * " + p.Atom(x) + " / " + p.Literal(2) +
                         ") * (" + p.Literal(2) + " - " + p.Atom(x) + " * " + p.Atom(x) + ")");

        public static readonly Op SqrtSecond = Second("SqrtSecond", "√″",
            (p, h, y) => "-" + p.Atom(h) + " / (" + p.Literal(4) + " * " + p.Atom(y) + " * " + p.Atom(y) + " * " + p.Atom(y) + ")");

        /// <summary>H ⊙ f″(x) on (saved, H, input): the code reads the saved value and H, the math prints f″ of the input.</summary>
        private static Op Second(string name, string symbol, Func<CodePrinter, Expr, Expr, string> scalar)
        {
            var kernel = K(RuntimeFamily.Elementwise, name);
            return Define(name, OpRole.Derivative, 3).Typed("(saved, H, input) → H's kind", k => k[1])
                .Written(CodeForm.Custom(
                        (p, f) => p.Call(kernel, new[] { f[0], f[1] }),
                        (p, f, slot) => p.CallInto(kernel, new[] { f[0], f[1] }, slot),
                        (p, f) => scalar(p, f[1], f[0])),
                    MathForm.Custom((p, f) => (p.Elementwise(f.Kind, f[1], "⊙", P.Text(symbol + "(" + p.Print(f[2]) + ")"), out _),
                        f.Kind == ValueKind.Scalar ? P.ProductLevel : P.HadamardLevel)))
                .Linear((f, i, ct) => new Fn(f.Op, ct.Kind, f[0], ct, f[2]))
                .Diagonal(1)
                .PullsScalars(1);
        }

        // ── softmax family: the differential of each Jacobian-times-G kernel along ∂h ──

        /// <summary>∂y ⊙ (G − 𝟙 yᵀG) − y (∂yᵀG) per column, on (y, G, ∂y): the differential of softmax's Jacobian applied to G.</summary>
        public static readonly Op SoftmaxCurvature = CurvatureKernel("SoftmaxCurvature", "softmax");

        /// <summary>−(𝟙ᵀG) ∂softmax(h) per column, on (log softmax(h), G, ∂h).</summary>
        public static readonly Op LogSoftmaxBackwardCurvature = CurvatureKernel("LogSoftmaxBackwardCurvature", "log softmax");

        /// <summary>−𝟙 (∂softmax(h)ᵀ G) per column, on (log softmax(h), G, ∂h).</summary>
        public static readonly Op LogSoftmaxTangentCurvature = CurvatureKernel("LogSoftmaxTangentCurvature", "log softmax");

        private static Op CurvatureKernel(string name, string function)
        {
            var kernel = K(RuntimeFamily.Classification, name);
            return Define(name, OpRole.Derivative, 3).Typed("(saved, G, ∂) → G's kind", k => k[1])
                .Written(CodeForm.Custom((p, f) => p.Call(kernel, f.Args.Items), (p, f, slot) => p.CallInto(kernel, f.Args.Items, slot)),
                    MathForm.Custom((p, f) => Atomic("D²" + function + "[" + p.Print(f[1]) + ", " + p.Print(f[2]) + "]")));
        }

        /// <summary>c (softmax(H) ⊙ (∂H − 𝟙 softmax(H)ᵀ∂H)) diag(𝟙ᵀY)/N, on (H, Y, ∂H, c): the differential of CE's gradient along ∂H.</summary>
        public static readonly Op CrossEntropyCurvature = Define("CrossEntropyCurvature", OpRole.Derivative, 4).Typed("(H, Y, ∂H, Scalar) → H's kind")
            .Written(CodeForm.Call(K(RuntimeFamily.Classification, "CrossEntropyCurvature")),
                MathForm.Custom((p, f) => Atomic("D²CE[" + p.Print(f[3]) + ", " + p.Print(f[2]) + "]")));

        /// <summary>diag(d) M: the rows of M scaled by d (a diagonal Jacobian applied to a batch of tangents, one per column).</summary>
        public static readonly Op ScaleRows = Define("ScaleRows", OpRole.Derivative, 2).Typed("(Vector, Matrix) → Matrix", _ => ValueKind.Matrix)
            .Written(CodeForm.Call(K(RuntimeFamily.Products, "ScaleRows")),
                MathForm.Custom((p, f) => (p.Product(new[] { P.Text("diag(" + p.Print(f[0]) + ")"), f[1] }), P.ProductLevel)))
            .Rule("∂(diag(d) M) = diag(∂d) M + diag(d) ∂M",
                c => E.Sum(c.With(0, d => new Fn(ScaleRows, ValueKind.Matrix, d, c.Arg(1))), c.With(1, d => new Fn(ScaleRows, ValueKind.Matrix, c.Arg(0), d))))
            .Linear((f, i, ct) => i == 1 ? new Fn(ScaleRows, ValueKind.Matrix, f[0], ct) : throw new InvalidOperationException("diag(d) M is transposed in M only."))
            .PullsScalars(1);
    }
}
