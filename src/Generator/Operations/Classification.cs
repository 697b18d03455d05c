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
    // Softmax, log-softmax and cross-entropy; on a matrix each column is one sample.
    internal sealed partial class Op
    {
        /// <summary>y = softmax(h): ∂y = (diag(y) − y yᵀ) ∂h, a symmetric Jacobian: one kernel is tangent and pullback.</summary>
        public static readonly Op Softmax = Define("Softmax", OpRole.Forward, 1).Lowers("Softmax").Typed("Vector|Matrix → same")
            .Written(CodeForm.OpsCall("Softmax", K(RuntimeFamily.Classification, "Softmax")), MathForm.Function("softmax"))
            .Rule("∂softmax(h) = (diag(y) − y yᵀ) ∂h", c => c.With(0, d => new Fn(SoftmaxBackward, c.Kind, c.Y, d, c.Arg(0))))
            .Shaped(ShapeRules.Unary);

        /// <summary>
        /// Y = causal softmax(S), column-wise over keys i ≤ j for query j (masked entries 0): ∂Y = Y ⊙ (∂S − 𝟙(𝟙ᵀ(Y ⊙ ∂S)))
        /// on the mask, a symmetric Jacobian per column: one kernel is tangent and pullback.
        /// </summary>
        public static readonly Op CausalSoftmax = Define("CausalSoftmax", OpRole.Forward, 1).Lowers("CausalSoftmax").Typed("Matrix → Matrix")
            .Written(CodeForm.OpsCall("CausalSoftmax", K(RuntimeFamily.Classification, "CausalSoftmax")), MathForm.Function("causal softmax"))
            .Rule("∂causal softmax(S) = Y ⊙ (∂S − 𝟙(𝟙ᵀ(Y ⊙ ∂S))) on the mask i ≤ j", c => c.With(0, d => new Fn(CausalSoftmaxBackward, c.Kind, c.Y, d, c.Arg(0))))
            .Shaped(ShapeRules.Unary);

        /// <summary>y = log softmax(h): ∂y = ∂h − 𝟙 softmax(h)ᵀ∂h ⇒ h̄ += ḡ − softmax(h) (𝟙ᵀḡ), per column.</summary>
        public static readonly Op LogSoftmax = Define("LogSoftmax", OpRole.Forward, 1).Lowers("LogSoftmax").Typed("Vector|Matrix → same")
            .Written(CodeForm.OpsCall("LogSoftmax", K(RuntimeFamily.Classification, "LogSoftmax")), MathForm.Function("log softmax"))
            .Rule("∂log softmax(h) = ∂h − 𝟙 softmax(h)ᵀ ∂h", c => c.With(0, d => new Fn(LogSoftmaxTangent, c.Kind, c.Y, d, c.Arg(0))))
            .Shaped(ShapeRules.Unary);

        /// <summary>
        /// L = CE(H, Y) = −(1/N) Σⱼ yⱼᵀ log softmax(hⱼ):
        /// ∂L = Tr(((softmax(H) diag(𝟙ᵀY) − Y)/N)ᵀ ∂H) − Tr((log softmax(H)/N)ᵀ ∂Y), exact for every Y: a column
        /// of Y that sums to s contributes s·softmax(h) (Chen's lecture's softmax(h) − y when s = 1).
        /// </summary>
        public static readonly Op CrossEntropy = Define("CrossEntropy", OpRole.Forward, 2).Lowers("CrossEntropy").Typed("(Vector|Matrix, same) → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => p.CallOps("CrossEntropy", f.Args.Items)), MathForm.Function("CE"))
            .Rule(CrossEntropyLaw, c => E.Sum(
                    c.With(0, d => Inner(new Fn(CrossEntropyBackward, d.Kind, c.Arg(0), c.Arg(1), new Num(1)), d)),
                    c.With(1, d => Neg(Inner(Div(new Fn(LogSoftmax, d.Kind, c.Arg(0)), SampleCount(c.Arg(0))), d)))),
                CrossEntropyPullback)
            .Shaped(ShapeRules.SameShapeToScalar);

        private const string CrossEntropyLaw = "∂CE(Z, Y) = Tr(((softmax(Z) diag(𝟙ᵀY) − Y)/N)ᵀ ∂Z) − Tr((log softmax(Z)/N)ᵀ ∂Y)";

        private static Expr SampleCount(Expr h) => h.Kind == ValueKind.Matrix ? new Fn(ToReal, ValueKind.Scalar, Dim(Cols, h)) : new Num(1);

        private static Pullback CrossEntropyPullback(RuleContext c)
        {
            Expr h = c.Arg(0), y = c.Arg(1);
            return c.Make(CrossEntropyLaw,
                new Contribute(0, new Fn(CrossEntropyBackward, h.Kind, h, y, c.G)),
                new Contribute(1, Neg(Mul(Div(c.G, SampleCount(h)), new Fn(LogSoftmax, h.Kind, h)))));
        }

        /// <summary>
        /// l = −yᵀ log softmax(h) (the unfused spelling): ∂l = Tr(((𝟙ᵀy) softmax(h) − y)ᵀ ∂h) − Tr(log softmax(h)ᵀ ∂y)
        /// ⇒ h̄ += ḡ ((𝟙ᵀy) softmax(h) − y), Chen's lecture's softmax(h) − y when y is one-hot; ȳ −= ḡ log softmax(h).
        /// </summary>
        public static readonly Op SoftmaxLoss = Define("SoftmaxLoss", OpRole.Forward, 2).Typed("(Vector, Vector) → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => new Printed("-" + p.Print(new Fn(Dot, ValueKind.Scalar, f[1], new Fn(LogSoftmax, ValueKind.Vector, f[0]))), false)),
                MathForm.Custom((p, f) => ("−" + p.Wrap(f[1], P.PostfixLevel) + "ᵀ log softmax(" + p.Print(f[0]) + ")", P.PrefixLevel)), atom: false)
            .Rule(SoftmaxLossLaw, c => E.Sum(
                    c.With(0, d => Inner(SoftmaxLossGradient(c.Arg(0), c.Arg(1)), d)),
                    c.With(1, d => Neg(Inner(new Fn(LogSoftmax, ValueKind.Vector, c.Arg(0)), d)))),
                SoftmaxLossPullback)
            .Shaped(ShapeRules.SameShapeToScalar);

        private const string SoftmaxLossLaw = "∂(−yᵀ log softmax(h)) = Tr(((𝟙ᵀy) softmax(h) − y)ᵀ ∂h) − Tr(log softmax(h)ᵀ ∂y)";

        private static Expr SoftmaxLossGradient(Expr h, Expr y)
            => Sub(Mul(new Fn(Sum, ValueKind.Scalar, y), new Fn(Softmax, ValueKind.Vector, h)), y);

        private static Pullback SoftmaxLossPullback(RuleContext c)
            => c.Make(SoftmaxLossLaw,
                new Contribute(0, Mul(c.G, SoftmaxLossGradient(c.Arg(0), c.Arg(1)))),
                new Contribute(1, Neg(Mul(c.G, new Fn(LogSoftmax, ValueKind.Vector, c.Arg(0))))));

        // ── kernels of the rules; args (saved output, G, input) ──

        /// <summary>y ⊙ (g − 𝟙 yᵀg) per column: the Jacobian of softmax times g (it is symmetric).</summary>
        public static readonly Op SoftmaxBackward = ClassificationKernel("SoftmaxBackward",
            (p, f) => ("softmax(" + p.Print(f[2]) + ") ⊙ (" + p.Print(f[1]) + " − 𝟙 softmax(" + p.Print(f[2]) + ")ᵀ" + p.Wrap(f[1], P.PostfixLevel) + ")", P.HadamardLevel),
            () => SoftmaxBackward, (f, d) => new Fn(SoftmaxCurvature, f.Kind, f[0], f[1], new Fn(SoftmaxBackward, d.Kind, f[0], d, f[2])));

        /// <summary>
        /// Y ⊙ (G − 𝟙(𝟙ᵀ(Y ⊙ G))) on the causal mask, on (Y, G, S). Y is 0 off the mask, so the softmax curvature
        /// applies unchanged along ∂Y = this kernel on ∂S.
        /// </summary>
        public static readonly Op CausalSoftmaxBackward = ClassificationKernel("CausalSoftmaxBackward",
            (p, f) => ("causal softmax(" + p.Print(f[2]) + ") ⊙ (" + p.Print(f[1]) + " − 𝟙 causal softmax(" + p.Print(f[2]) + ")ᵀ" + p.Wrap(f[1], P.PostfixLevel) + ")", P.HadamardLevel),
            () => CausalSoftmaxBackward, (f, d) => new Fn(SoftmaxCurvature, f.Kind, f[0], f[1], new Fn(CausalSoftmaxBackward, d.Kind, f[0], d, f[2])));

        /// <summary>g − softmax(h)(𝟙ᵀg) per column: the transposed Jacobian of log-softmax times g.</summary>
        public static readonly Op LogSoftmaxBackward = ClassificationKernel("LogSoftmaxBackward",
            (p, f) => (p.Wrap(f[1], P.HadamardLevel) + " − softmax(" + p.Print(f[2]) + ") (𝟙ᵀ" + p.Wrap(f[1], P.PostfixLevel) + ")", P.SumLevel),
            () => LogSoftmaxTangent, (f, d) => new Fn(LogSoftmaxBackwardCurvature, f.Kind, f[0], f[1], d));

        /// <summary>g − 𝟙 (softmax(h)ᵀg) per column: the Jacobian of log-softmax times g (forward mode).</summary>
        public static readonly Op LogSoftmaxTangent = ClassificationKernel("LogSoftmaxTangent",
            (p, f) => (p.Wrap(f[1], P.HadamardLevel) + " − 𝟙 softmax(" + p.Print(f[2]) + ")ᵀ" + p.Wrap(f[1], P.PostfixLevel), P.SumLevel),
            () => LogSoftmaxBackward, (f, d) => new Fn(LogSoftmaxTangentCurvature, f.Kind, f[0], f[1], d));

        /// <remarks>
        /// Its own differential (second order) is linear in ∂G through the kernel itself, plus <paramref name="curvature"/>
        /// (the kernel, G fixed, differentiated along the input's ∂h).
        /// </remarks>
        private static Op ClassificationKernel(string name, System.Func<P, Fn, (string, int)> math, System.Func<Op> transpose,
            System.Func<Fn, Expr, Expr> curvature)
        {
            var kernel = K(RuntimeFamily.Classification, name);
            return Define(name, OpRole.Derivative, 3).Typed("(saved, G, input) → G's kind", k => k[1])
                .Written(CodeForm.Custom((p, f) => p.Call(kernel, new[] { f[0], f[1] }), (p, f, slot) => p.CallInto(kernel, new[] { f[0], f[1] }, slot)),
                    MathForm.Custom(math))
                .Rule("∂(J(h) G) = J(h) ∂G + (∂J(h)) G", c => E.Sum(
                    c.With(1, d => new Fn(c.Op, d.Kind, c.Arg(0), d, c.Arg(2))),
                    c.With(2, d => curvature((Fn)c.Y, d))))
                .Linear((f, i, ct) => new Fn(transpose(), ct.Kind, f[0], ct, f[2]))
                .PullsScalars(1);
        }

        /// <summary>g (softmax(H) diag(𝟙ᵀY) − Y)/N on (H, Y, g); for a vector, g ((𝟙ᵀy) softmax(h) − y).</summary>
        public static readonly Op CrossEntropyBackward = Define("CrossEntropyBackward", OpRole.Derivative, 3).Typed("(H, Y, Scalar) → H's kind")
            .Written(CodeForm.Call(K(RuntimeFamily.Classification, "CrossEntropyBackward")),
                MathForm.Custom(CrossEntropyGradient))
            .Rule("∂(c (softmax(H) diag(𝟙ᵀY) − Y)/N) along ∂H, ∂Y and ∂c (linear in Y and c)", c => E.Sum(
                c.With(0, d => new Fn(CrossEntropyCurvature, c.Kind, c.Arg(0), c.Arg(1), d, c.Arg(2))),
                c.With(1, d => new Fn(CrossEntropyBackward, c.Kind, c.Arg(0), d, c.Arg(2))),
                c.With(2, d => new Fn(CrossEntropyBackward, c.Kind, c.Arg(0), c.Arg(1), d))));

        private static (string, int) CrossEntropyGradient(P p, Fn f)
        {
            var h = p.Print(f[0]);
            var y = p.Wrap(f[1], P.PostfixLevel);
            var text = f.Kind == ValueKind.Matrix
                ? "(softmax(" + h + ") diag(𝟙ᵀ" + y + ") − " + y + ")/N"
                : "(𝟙ᵀ" + y + ") softmax(" + h + ") − " + y;
            int level = f.Kind == ValueKind.Matrix ? P.ProductLevel : P.SumLevel;
            if (IsOne(f[2]))
            {
                return (text, level);
            }
            return (p.Product(new[] { f[2], P.Text(f.Kind == ValueKind.Matrix ? text : "(" + text + ")") }), P.ProductLevel);
        }

        /// <summary>
        /// L = (1/N) Σ softplus(Z) − Y ⊙ Z (binary cross-entropy with logits, N the columns; 1 for vectors):
        /// ∂L = ⟨(σ(Z) − Y)/N, ∂Z⟩ − ⟨Z/N, ∂Y⟩ ⇒ Z̄ += ḡ (σ(Z) − Y)/N, Ȳ −= ḡ Z/N (derived: the rule is linear through Dot).
        /// </summary>
        public static readonly Op BinaryCrossEntropyWithLogits = Define("BinaryCrossEntropyWithLogits", OpRole.Forward, 2)
            .Lowers("BinaryCrossEntropyWithLogits").Typed("(Vector|Matrix, same) → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => p.CallOps("BinaryCrossEntropyWithLogits", f.Args.Items)), MathForm.Function("BCE"))
            .Rule("∂BCE(Z, Y) = Tr(((σ(Z) − Y)/N)ᵀ ∂Z) − Tr((Z/N)ᵀ ∂Y)", c => E.Sum(
                    c.With(0, d => Inner(Div(Sub(new Fn(Sigmoid, d.Kind, c.Arg(0)), c.Arg(1)), SampleCount(c.Arg(0))), d)),
                    c.With(1, d => Neg(Inner(Div(c.Arg(0), SampleCount(c.Arg(0))), d)))))
            .Shaped(ShapeRules.SameShapeToScalar);
    }
}
