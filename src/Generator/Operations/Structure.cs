using System.Linq;
using AutoGradGen.Generator.Formula;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;

// Ops refer to one another inside their rules, which run only after every field is set; the compiler's
// flow analysis of static initializers cannot see that order.
#pragma warning disable CS8603, CS8604

namespace AutoGradGen.Generator.Model
{
    // Leaves, integer shapes, calls, and the helper ops that only appear in derivative expressions.
    internal sealed partial class Op
    {
        private static Kernel K(RuntimeFamily family, string method) => new(family, method);

        private static (string, int) Atomic(string text) => (text, MathPrinter.Atom);

        private static Expr Dim(Op op, Expr of) => new Fn(op, ValueKind.Int, of);

        private static ValueKind IntKind(System.Collections.Generic.IReadOnlyList<ValueKind> _) => ValueKind.Int;

        private static ValueKind ScalarKind(System.Collections.Generic.IReadOnlyList<ValueKind> _) => ValueKind.Scalar;

        /// <summary>A parameter of the method (its node id is its ordinal).</summary>
        public static readonly Op Parameter = Define("Parameter", OpRole.Leaf, 0);

        /// <summary>A local's value at the start of each iteration of a loop (its operand: the value before the loop; see LoopModel.Carried).</summary>
        public static readonly Op Phi = Define("Phi", OpRole.Leaf, 1);

        /// <summary>The int counter of a for loop.</summary>
        public static readonly Op Counter = Define("Counter", OpRole.Leaf, 0);

        /// <summary>A numeric constant of the element type, or an int.</summary>
        public static readonly Op Literal = Define("Literal", OpRole.Leaf, 0);

        /// <summary>X.Rows.</summary>
        public static readonly Op Rows = Define("Rows", OpRole.Shape, 1).Typed("Matrix → Int", IntKind)
            .Written(CodeForm.Custom((p, f) => p.Atom(f[0]) + ".Rows"), MathForm.Function("rows"));

        /// <summary>X.Cols.</summary>
        public static readonly Op Cols = Define("Cols", OpRole.Shape, 1).Typed("Matrix → Int", IntKind)
            .Written(CodeForm.Custom((p, f) => p.Atom(f[0]) + ".Cols"), MathForm.Function("cols"));

        /// <summary>v.Length.</summary>
        public static readonly Op Length = Define("Length", OpRole.Shape, 1).Typed("Vector → Int", IntKind)
            .Written(CodeForm.Custom((p, f) => p.Atom(f[0]) + ".Length"), MathForm.Function("len"));

        /// <summary>An int used as a number: (T)n.</summary>
        public static readonly Op ToReal = Define("ToReal", OpRole.Shape, 1).Typed("Int → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => new Printed("(" + p.Element + ")" + p.Atom(f[0]), false)),
                MathForm.Custom((p, f) => (p.Print(f[0], out var level), level)), atom: false);

        /// <summary>The number of entries of an operand, as a number: #A.</summary>
        public static readonly Op Count = Define("Count", OpRole.Derivative, 1).Typed("Matrix|Vector → Scalar", ScalarKind)
            .Written(CodeForm.Custom((p, f) => new Printed("(" + p.Element + ")" + (f[0].Kind == ValueKind.Vector
                    ? p.Atom(f[0]) + ".Length" : "(" + p.Atom(f[0]) + ".Rows * " + p.Atom(f[0]) + ".Cols)"), false)),
                MathForm.Custom((p, f) => Atomic("#" + p.Wrap(f[0], MathPrinter.Atom))), atom: false)
            .Rule("∂#A = 0", _ => null);

        /// <summary>c𝟙: the value c in every entry of the shape of operand 0.</summary>
        public static readonly Op Filled = Define("Filled", OpRole.Derivative, 2).Typed("(shape, Scalar) → shape")
            .Written(CodeForm.Custom(
                    (p, f) => f.Kind == ValueKind.Scalar ? p.Print(f[1]) : p.Call(K(RuntimeFamily.Linear, "Filled"), Shape(f[0]).Concat(new[] { f[1] })),
                    (p, f, slot) => p.CallInto(K(RuntimeFamily.Linear, "Filled"), Shape(f[0]).Concat(new[] { f[1] }), slot)),
                MathForm.Custom((p, f) => (p.Scaled(f[1], "𝟙", out var level), level)))
            .Rule("∂(c𝟙) = ∂c 𝟙", c => c.With(1, d => new Fn(Filled, c.Kind, c.Arg(0), d)))
            .Linear((f, i, ct) => new Fn(Sum, ValueKind.Scalar, ct));

        /// <summary>c I, of the size of (square) operand 0.</summary>
        public static readonly Op Identity = Define("Identity", OpRole.Derivative, 2).Typed("(Matrix, Scalar) → Matrix")
            .Written(CodeForm.Custom(
                    (p, f) => p.Call(K(RuntimeFamily.Linear, "ScaledIdentity"), new[] { Order(f[0]), f[1] }),
                    (p, f, slot) => p.CallInto(K(RuntimeFamily.Linear, "ScaledIdentity"), new[] { Order(f[0]), f[1] }, slot)),
                MathForm.Custom((p, f) => (p.Scaled(f[1], "I", out var level), level)))
            .Rule("∂(c I) = ∂c I", c => c.With(1, d => new Fn(Identity, ValueKind.Matrix, c.Arg(0), d)))
            .Linear((f, i, ct) => new Fn(Trace, ValueKind.Scalar, ct));

        /// <summary>A𝟙: the sum of the columns of a matrix (the adjoint of a bias added to every column).</summary>
        public static readonly Op SumColumns = Define("SumColumns", OpRole.Derivative, 1).Typed("Matrix → Vector", _ => ValueKind.Vector)
            .Written(CodeForm.Call(K(RuntimeFamily.Linear, "SumColumns")),
                MathForm.Custom((p, f) => (p.Wrap(f[0], MathPrinter.PostfixLevel) + "𝟙", MathPrinter.ProductLevel)))
            .Rule("∂(A𝟙) = ∂A 𝟙", c => c.With(0, d => new Fn(SumColumns, ValueKind.Vector, d)))
            .PullsScalars(0);

        /// <summary>The order of an identity sized by operand 0: a square matrix's rows, or a vector's length (the identity on its space).</summary>
        private static Expr Order(Expr of) => of.Kind == ValueKind.Vector ? Dim(Length, of) : Dim(Rows, of);

        private static Expr[] Shape(Expr of) => of.Kind == ValueKind.Vector
            ? new[] { Dim(Length, of) }
            : new[] { Dim(Rows, of), Dim(Cols, of) };

        /// <summary>
        /// y = g(a₁, …, aₙ), a call to another [Differentiable] method. Its differential is the callee's own
        /// (gDifferential); its pullback is the callee's: scalar g adds ȳ ∇ᵢg (computed with the forward
        /// value by gWithGradient), a layer runs gBackward on the workspace its forward call used.
        /// </summary>
        public static readonly Op Call = Define("Call", OpRole.Forward, -1).Typed("any → the callee's result")
            .Written(CodeForm.None, MathForm.Custom((p, f) => Atomic(p.Callee(f.Index)?.Name + "(" + string.Join(", ", f.Args.Select(a => p.Print(a))) + ")")))
            .Rule("∂g(a₁, …, aₙ) = Σᵢ Jᵢ ∂aᵢ  (the callee's differential)", CallTangent, CallPullback)
            .Shaped(Shapes.ShapeContext.Rules.Opaque);

        /// <summary>∇ᵢg of a scalar callee (args: the call), or a layer's VJP ∇ᵢ⟨Ḡ, G(…)⟩ (args: the call, Ḡ).</summary>
        public static readonly Op CallGradient = Define("CallGradient", OpRole.Derivative, -1)
            .Written(CodeForm.Custom((p, f) => p.CallGradient(((Ref)f[0]).Node, f.Index)), MathForm.Custom((p, f) => p.CallGradientWithLevel(f)));

        /// <summary>The callee's differential ∂g along the arguments' differentials (args: the call, then ∂aᵢ of each differentiated parameter).</summary>
        public static readonly Op CallDifferential = Define("CallDifferential", OpRole.Derivative, -1)
            .Written(CodeForm.None, MathForm.Custom((p, f) => Atomic("∂" + p.Callee(f.Index)?.Name + "(" + string.Join(", ", f.Args.Skip(1).Select(a => p.Print(a))) + ")")));

        private static Expr? CallTangent(TangentContext c)
        {
            if (c.Node is not { } node)
            {
                // A call inside a derivative expression (a layer's VJP): its own second-order rule is not generated.
                throw new Differentiation.NoSecondOrderRuleException(Call);
            }
            var callee = node.Callee!;
            if (callee.Differentiated.All(i => c.D(i) is null))
            {
                return null;
            }
            var args = new[] { (Expr)c.Y }.Concat(callee.Differentiated.Select(i => c.D(i) ?? new Num(0))).ToArray();
            return new Fn(CallDifferential, c.Kind, EquatableArray.From(args), node.Id);
        }

        private static Pullback CallPullback(RuleContext c)
        {
            var callee = c.Node.Callee!;
            if (callee.ReturnKind == ValueKind.Scalar && !callee.IsCustom)
            {
                var steps = callee.Differentiated.Select(i =>
                    (Step)new Contribute(i, Mul(c.G, new Fn(CallGradient, c.KindOf(i), EquatableArray.From<Expr>(c.Y), i))));
                return c.Make("∂g(a₁, …, aₙ) = Σᵢ Tr(∇ᵢgᵀ ∂aᵢ)", steps);
            }
            var outputs = callee.Differentiated.Select(i => c.Temp(c.KindOf(i), "{0}_d" + callee.ParameterNames[i], c.Node.Id)).ToArray();
            var all = new Step[] { new PullbackCall(c.Node.Id, outputs.ToEquatableArray()) }
                .Concat(callee.Differentiated.Select((i, k) => (Step)new Contribute(i, outputs[k])));
            // A [Pullback] method's rule is the user's own: it adds seedᵀ·Jᵢ into one buffer per differentiated parameter.
            return c.Make(callee.IsCustom ? "custom pullback: " + callee.Pullback : "∂G(a₁, …, aₙ) = Σᵢ Jᵢ ∂aᵢ  (the callee's pullback)", all);
        }
    }
}
