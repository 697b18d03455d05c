using System;
using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Emit;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Parsing;
using AutoGradGen.Generator.Symbolic;
using static AutoGradGen.Generator.Symbolic.E;

namespace AutoGradGen.Generator.Differentiation
{
    /// <summary>
    /// The dense Hessian as one matrix expression: the Hessian-vector product ∂(∇w) is linear in the
    /// direction ∂w, so pushing the identity through it as a batch of directions (one column each) gives
    /// ∇²f itself. A vector tangent becomes a matrix, X ∂w becomes X I = X, a diagonal Jacobian d ⊙ (·)
    /// becomes diag(d) (·), a scalar ⟨a, ∂w⟩ becomes the row aᵀ — so Xᵀ(σ′(Xw) ⊙ X∂w) becomes
    /// Xᵀ diag(σ′(Xw)) X, one GEMM instead of n products. Built for a single differentiated vector
    /// parameter; anything the batch cannot pass through leaves FHessian to its column-by-column form.
    /// </summary>
    internal sealed class HessianBatch
    {
        private const int MaxSize = 400;

        private readonly MethodModel _model;
        private readonly Expr _code;
        private readonly Expr _math;

        private HessianBatch(MethodModel model, Expr code, Expr math)
        {
            _model = model;
            _code = code;
            _math = math;
        }

        /// <summary>The doc lines: H = … .</summary>
        public IReadOnlyList<string> Lines { get; private set; } = Array.Empty<string>();

        public static HessianBatch? TryBuild(Derivatives derivatives)
        {
            var model = derivatives.Model;
            var differentiated = model.Parameters.Where(p => p.Differentiated).ToList();
            if (differentiated.Count != 1 || differentiated[0].Kind != ValueKind.Vector || !derivatives.Backward.NeedsAdjoint(differentiated[0].Node))
            {
                return null;
            }
            try
            {
                var builder = new Substitution(derivatives.Backward);
                var gradient = builder.Adjoint(differentiated[0].Node);
                var product = ExprTangent.Of(gradient, leaf => leaf is Ref r && r.Node == differentiated[0].Node ? new Dif(r.Node, r.Kind) : null);
                if (product is null)
                {
                    return null;
                }
                var lifted = Lift(Simplifier.Simplify(product, math: false), differentiated[0]);
                var code = Simplifier.Simplify(lifted, math: false);
                if (NeedsFactorization(code))
                {
                    // The closed form is printed over the parameters alone, with no LU in scope: such a Hessian is assembled from HVPs.
                    return null;
                }
                var math = Simplifier.Simplify(lifted, math: true);
                var batch = new HessianBatch(model, code, math);
                batch.Lines = new[] { "H = " + derivatives.ClosedForm.Print(math) };
                return batch;
            }
            catch (Exception e) when (e is NoSecondOrderRuleException or NotBatchableException)
            {
                return null;
            }
        }

        /// <summary>
        /// <c>var value = FWithGradient(…, out dw); hessian = H; return value;</c>, with H's repeated parts computed once; with a
        /// workspace layout, the zero-allocation twin: <c>FBackward</c> into the caller's buffers, every part into a workspace
        /// slot, and H added to (or, with accumulate false, written over) the caller's <paramref name="hessian"/>.
        /// </summary>
        public void WriteBody(SourceWriter w, Names names, string hessian, WorkspaceLayout? workspace = null)
        {
            var value = names.Reserve("value");
            var temps = new Dictionary<Tmp, string>();
            var printer = new CodePrinter(_model, n => _model.Parameters.First(p => p.Node == n).Name, _ => "", t => temps[t], _ => "", (_, _) => "",
                workspace is null ? null : workspace.Slot);
            var math = new Formula.MathPrinter(n => _model.Parameters.First(p => p.Node == n).Name.TrimStart('@'), _ => "", _ => null);
            var differentiated = _model.Parameters.Where(p => p.Differentiated);
            var call = workspace is null
                ? Parser.GeneratedName(_model.Name, _model.ReturnKind) + "(" + string.Join(", ", _model.Parameters.Select(p => p.Name).Concat(differentiated.Select(p => "out " + names.Out(p.Node)))) + ")"
                : _model.Name + "Backward(" + string.Join(", ", _model.Parameters.Select(p => p.Name).Concat(new[] { "workspace" })
                    .Concat(differentiated.Select(p => (p.Kind == ValueKind.Scalar ? "ref " : string.Empty) + names.Out(p.Node))).Concat(new[] { "accumulate" })) + ")";
            w.Line("var " + value + " = " + call + ";   // f and its gradient");
            var counts = new Dictionary<Expr, int>();
            Count(_code, counts);
            var hoisted = new Dictionary<Expr, Tmp>();
            Expr Share(Expr e)
            {
                if (e is not Fn f || f.Kind == ValueKind.Int)
                {
                    return e;
                }
                if (hoisted.TryGetValue(f, out var known))
                {
                    return known;
                }
                var rebuilt = new Fn(f.Op, f.Kind, f.Args.Items.Select(Share).ToEquatableArray(), f.Index);
                if (counts[f] < 2 || f.Args.All(a => a is Num or Ref || a is Fn { Kind: ValueKind.Int }) && f.Op.Code.HasScalar)
                {
                    return rebuilt;
                }
                var t = new Tmp(hoisted.Count, f.Kind);
                temps[t] = names.Reserve(f.Op.ValueName);
                w.Line("var " + temps[t] + " = " + printer.Print(rebuilt) + ";   // " + math.Print(f) + ", computed once");
                hoisted[f] = t;
                return t;
            }
            var shared = Share(_code);
            w.Line(workspace is null
                ? hessian + " = " + printer.Print(shared) + ";   // H = " + math.Print(_math)
                : RuntimeApiLinear + ".AddTo(" + hessian + ", " + printer.Print(shared) + ", accumulate);   // H = " + math.Print(_math));
            w.Line("return " + value + ";");
        }

        private static string RuntimeApiLinear => Operations.RuntimeApi.Class(Operations.RuntimeFamily.Linear);

        private static void Count(Expr e, Dictionary<Expr, int> counts)
        {
            if (e is Fn f && f.Kind != ValueKind.Int)
            {
                counts[f] = counts.TryGetValue(f, out var c) ? c + 1 : 1;
                foreach (var a in f.Args)
                {
                    Count(a, counts);
                }
            }
        }

        /// <summary>The batch of directions pushed through a linear expression in ∂w (see the class summary).</summary>
        private static Expr Lift(Expr e, ParamModel w)
        {
            switch (e)
            {
                case Dif d when d.Node == w.Node:
                    return new Fn(Op.Identity, ValueKind.Matrix, new Ref(w.Node, ValueKind.Vector), new Num(1));
                case Fn f when HasDif(f):
                    return LiftFn(f, w);
                default:
                    throw new NotBatchableException();
            }
        }

        private static Expr LiftFn(Fn f, ParamModel w)
        {
            if (f.Is(Op.Add) || f.Is(Op.Subtract))
            {
                if (!HasDif(f[0]) || !HasDif(f[1]))
                {
                    throw new NotBatchableException();
                }
                var a = Lift(f[0], w);
                var b = Lift(f[1], w);
                return new Fn(f.Op, a.Kind, a, b);
            }
            if (f.Is(Op.Negate))
            {
                return Neg(Lift(f[0], w));
            }
            int varying = HasDif(f[0]) ? 0 : 1;
            if (f.Args.Count(HasDif) != 1)
            {
                throw new NotBatchableException();
            }
            var x = f[varying];
            var lifted = Lift(x, w);
            if (f.Is(Op.Multiply))
            {
                var c = f[1 - varying];
                if (c.Kind == ValueKind.Scalar)
                {
                    return Mul(c, lifted);
                }
                if (x.Kind == ValueKind.Scalar && c.Kind == ValueKind.Vector)
                {
                    return new Fn(Op.Outer, ValueKind.Matrix, c, lifted);   // c rᵀ
                }
                if (varying == 1 && c.Kind == ValueKind.Matrix && x.Kind == ValueKind.Vector)
                {
                    return Mul(c, lifted);
                }
                throw new NotBatchableException();
            }
            if (f.Is(Op.Divide) && varying == 0)
            {
                return Div(lifted, f[1]);
            }
            if (f.Is(Op.Dot) && x.Kind == ValueKind.Vector)
            {
                return Mul(T(lifted), f[1 - varying]);   // the row aᵀ I
            }
            if (f.Is(Op.Dot) && x.Kind == ValueKind.Scalar || f.Is(Op.Hadamard) && x.Kind == ValueKind.Scalar)
            {
                return Mul(f[1 - varying], lifted);
            }
            if (f.Is(Op.Sum) && x.Kind == ValueKind.Vector)
            {
                return new Fn(Op.ColumnSums, ValueKind.Vector, lifted);
            }
            if (f.Is(Op.Hadamard) && x.Kind == ValueKind.Vector)
            {
                return new Fn(Op.ScaleRows, ValueKind.Matrix, f[1 - varying], lifted);
            }
            if ((f.Is(Op.Solve) || f.Is(Op.SolveTransposed)) && varying == 1 && x.Kind == ValueKind.Vector)
            {
                return new Fn(f.Op, ValueKind.Matrix, f[0], lifted);
            }
            if (f.Op.DiagonalIn == varying && varying >= 0)
            {
                // G ⊙ m(…) with G the batch: diag(m) G; for a scalar, m G. m is the kernel with 𝟙 for G (σ′(x), p A^⊙(p−1), …).
                var shape = f.Args.FirstOrDefault(a => a.Kind == x.Kind && !HasDif(a)) ?? throw new NotBatchableException();
                var unit = x.Kind == ValueKind.Scalar ? (Expr)new Num(1) : new Fn(Op.Filled, x.Kind, shape, new Num(1));
                var diagonal = new Fn(f.Op, x.Kind, f.Args.Items.Select((a, i) => i == varying ? unit : a).ToEquatableArray(), f.Index);
                return x.Kind == ValueKind.Scalar ? Mul(diagonal, lifted) : new Fn(Op.ScaleRows, ValueKind.Matrix, diagonal, lifted);
            }
            if (f.Is(Op.ElementwiseDivide) && varying == 0 && x.Kind == ValueKind.Vector)
            {
                var reciprocal = new Fn(Op.ElementwiseDivide, x.Kind, new Fn(Op.Filled, x.Kind, f[1], new Num(1)), f[1]);
                return new Fn(Op.ScaleRows, ValueKind.Matrix, reciprocal, lifted);
            }
            throw new NotBatchableException();
        }

        /// <summary>Whether the expression reads a shared LU factorization (log|A|, A⁻¹, a solve, A⁻ᵀ …).</summary>
        private static bool NeedsFactorization(Expr e)
            => e is Fn f && (f.Op.Factorizes || f.Is(Op.InverseTransposed) || f.Is(Op.SolveTransposed) || f.Args.Any(NeedsFactorization));

        private sealed class NotBatchableException : Exception
        {
        }

        /// <summary>Adjoints and values written out in terms of the parameters alone (no intermediate names).</summary>
        private sealed class Substitution
        {
            private readonly BackwardPlan _plan;
            private readonly Dictionary<int, Expr> _adjoints = new();
            private readonly Dictionary<int, Expr> _values = new();
            private readonly ClosedForm _form;

            public Substitution(BackwardPlan plan)
            {
                _plan = plan;
                _form = new ClosedForm(plan);
            }

            public Expr Adjoint(int node)
            {
                if (_adjoints.TryGetValue(node, out var known))
                {
                    return known;
                }
                Expr? total = node == _plan.Model.Result ? new Num(1) : null;
                foreach (var c in _plan.Contributions.TryGetValue(node, out var list) ? list : new List<Expr>())
                {
                    var term = Substitute(c);
                    total = total is null ? term : total + term;
                }
                var result = Capped(Simplifier.Simplify(total ?? new Num(0), math: false));
                _adjoints[node] = result;
                return result;
            }

            private Expr Value(int node)
            {
                if (!_values.TryGetValue(node, out var known))
                {
                    _values[node] = known = Capped(Substitute(_form.Forward(node)));
                }
                return known;
            }

            private static Expr Capped(Expr e) => Size(e) > MaxSize ? throw new NotBatchableException() : e;

            private static int Size(Expr e) => e is Fn f ? 1 + f.Args.Sum(Size) : 1;

            private Expr Substitute(Expr e) => e switch
            {
                Adj a => Adjoint(a.Node),
                Tmp t => Substitute(_plan.Lets[t.Id]),
                Ref r when r.Node >= 0 && _plan.Model.Nodes[r.Node].Op == Op.Literal => new Num(_plan.Model.Nodes[r.Node].Value),
                Ref r when r.Node >= 0 && _plan.Model.Nodes[r.Node].Op != Op.Parameter => Value(r.Node),
                Fn f when f.Is(Op.Call) || f.Is(Op.CallGradient) => throw new NotBatchableException(),
                Fn f => new Fn(f.Op, f.Kind, f.Args.Items.Select(Substitute).ToEquatableArray(), f.Index),
                _ => e,
            };
        }
    }
}
