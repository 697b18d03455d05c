using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Differentiation;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// The second-order flavour of the body (FHessianVectorProduct): forward mode over the reverse sweep.
    /// The forward pass carries each value's tangent along the direction v; the backward pass writes each
    /// adjoint and then its differential by the same rules applied to the pullback expression, so the
    /// parameters' adjoint differentials are ∂(∇f) = ∇²f v, in one pass over the program.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        /// <summary>Differentials of adjoints: an alias expression, or <see cref="Tan"/> of the adjoint (its variable).</summary>
        private readonly Dictionary<int, Expr> _adjointTangents = new();
        private readonly HashSet<Tmp> _tempTangents = new();
        private readonly Dictionary<int, int> _productsSeen = new();

        /// <summary>Values already computed under a name (a rule's temporary): a differential that mentions one reads the name.</summary>
        private readonly Dictionary<Expr, Expr> _computed = new();

        /// <summary>Forward with tangents, backward with adjoint differentials, zero products where nothing flows; returns the value.</summary>
        public void WriteHessianVectorProduct()
        {
            WriteForwardWithTangents();
            _w.Line();
            _w.Line("// ── backward, each adjoint Ḡ followed by its differential ∂Ḡ (the Hessian-vector product flowing back) ──");
            foreach (var pullback in _plan.Pullbacks)
            {
                WriteSecondOrderPullback(pullback);
            }
            WriteUnreachedGradients();
            WriteUnreachedProducts();
            _w.Line("return " + ValueCode(Model.Result) + ";");
        }

        private void WriteSecondOrderPullback(NodePullback pullback)
        {
            var node = pullback.Node;
            _w.Line();
            _w.Line("// " + CommentName(node.Id) + " = " + _math.Print(_form.Forward(node.Id)) + ":   " + pullback.Pullback.Law);
            foreach (var step in pullback.Pullback.Steps)
            {
                switch (step)
                {
                    case Let let:
                        var value = Prepare(let.Value);
                        _w.Line("var " + _names.Temp(let.Target) + " = " + _code.Print(value) + ";   // " + _math.Print(value));
                        _computed[value] = let.Target;
                        var tangent = TangentOf(value);
                        if (tangent is not null)
                        {
                            _tempTangents.Add(let.Target);
                            _w.Line("var " + _names.TempTangent(let.Target) + " = " + _code.Print(tangent) + ";   // ∂" + _math.Print(let.Target) + " = " + _math.Print(tangent));
                        }
                        break;
                    case Contribute contribute:
                        // Differentiated before named parts are read by name: a name (a hoisted A⁻ᵀ) has no differential of its own.
                        var prepared = Hoist(Prepare(contribute.Value));
                        var differential = TangentOf(prepared);
                        var contribution = Reuse(prepared);
                        var target = node.Args[contribute.Operand];
                        WriteContribution(target, contribution);
                        WriteProductContribution(target, differential);
                        break;
                    default:
                        // Callers check SecondOrder.Supports first: a layer's pullback has no generated differential.
                        throw new NoSecondOrderRuleException(Op.Call);
                }
            }
        }

        /// <summary>∂ of a prepared backward expression, by the ops' rules; null when it is zero.</summary>
        private Expr? TangentOf(Expr e)
        {
            var tangent = ExprTangent.Of(e, SecondOrderLeaf);
            if (tangent is null)
            {
                return null;
            }
            var simplified = Reuse(Hoist(Simplifier.Simplify(ResolveTangent(tangent), math: false)));
            return E.IsZero(simplified) ? null : simplified;
        }

        private int _hoisted;

        /// <summary>What each hoisted name stands for: an adjoint aliased to it still has its differential (−A⁻ᵀ ∂Aᵀ A⁻ᵀ).</summary>
        private readonly Dictionary<Tmp, Expr> _hoistedValues = new();

        /// <summary>
        /// A⁻¹ and A⁻ᵀ from the shared LU cost O(n³) each: the gradient reads one and its differential reads it twice more
        /// (∂(A⁻ᵀ) = −A⁻ᵀ ∂Aᵀ A⁻ᵀ), so each is formed once, before the first statement that needs it, and read by name after.
        /// </summary>
        private Expr Hoist(Expr e)
        {
            if (e is Fn f)
            {
                foreach (var a in f.Args)
                {
                    Hoist(a);
                }
                if ((f.Is(Op.InverseTransposed) || f.Is(Op.Inverse)) && f[0] is Ref r && !_computed.ContainsKey(f))
                {
                    var t = new Tmp(1_000_000 + _hoisted++, f.Kind, f.Is(Op.Inverse) ? "inverse{0}" : "inverseT{0}", r.Node);
                    _w.Line("var " + _names.Temp(t) + " = " + _code.Print(f) + ";   // " + _math.Print(f) + ", formed once");
                    _computed[f] = t;
                    _hoistedValues[t] = f;
                }
            }
            return e;
        }

        /// <summary>Replaces every part of <paramref name="e"/> that was computed before by its name (the rule of A⁻ᵀḠ re-reads it as Y).</summary>
        private Expr Reuse(Expr e) => _computed.TryGetValue(e, out var name) ? name
            : e is Fn f ? new Fn(f.Op, f.Kind, f.Args.Items.Select(Reuse).ToEquatableArray(), f.Index) : e;

        private Expr? SecondOrderLeaf(Expr leaf) => leaf switch
        {
            Ref r when r.Node >= 0 => HasTangent(r.Node) ? new Dif(r.Node, r.Kind) : null,
            Adj a => _adjointTangents.TryGetValue(a.Node, out var t) ? t : null,
            Tmp t when _hoistedValues.TryGetValue(t, out var hoisted) => ExprTangent.Of(hoisted, SecondOrderLeaf),
            Tmp t => _tempTangents.Contains(t) ? new Tan(t) : null,
            _ => null,
        };

        /// <summary>Adds ∂(contribution) to the adjoint's differential (declared, aliased or accumulated like the adjoint itself).</summary>
        private void WriteProductContribution(int target, Expr? tangent)
        {
            _productsSeen.TryGetValue(target, out var seen);
            _productsSeen[target] = seen + 1;
            if (tangent is null)
            {
                return;
            }
            var node = Model.Nodes[target];
            bool isParameter = node.Op == Op.Parameter;
            var math = _math.Print(tangent);
            var adjoint = new Adj(target, node.Kind);
            if (_workspace is not null && isParameter)
            {
                // Into the caller's buffer hvP (the first write honours accumulate), like the gradient into dP.
                bool first = !_adjointTangents.ContainsKey(target);
                _adjointTangents[target] = new Tan(adjoint);
                var buffer = _names.Product(target);
                var comment = ";   // ∂∇" + CommentName(target) + " += " + math;
                if (node.Kind == ValueKind.Scalar)
                {
                    _w.Line((first ? buffer + " = (accumulate ? " + buffer + " : " + _code.Literal(0) + ") + " : buffer + " += ") + _code.Print(tangent) + comment);
                }
                else
                {
                    WriteBufferAccumulation(buffer, tangent, first, comment);
                }
                return;
            }
            if (!_adjointTangents.ContainsKey(target))
            {
                // Like the adjoint of a transpose that is never formed, its differential is read where the transpose's own
                // rule (or a pushed-down sum of columns) needs it, not computed ahead: it may not be needed at all.
                if (!isParameter && _plan.Contributions[target].Count == 1 && (IsAtomic(tangent) || tangent is Tan or Dif || _plan.IsInlinedTranspose(target)))
                {
                    _adjointTangents[target] = tangent;
                    _w.Line("// ∂∇" + CommentName(target) + " = " + math);
                    return;
                }
                _adjointTangents[target] = new Tan(adjoint);
                var code = isParameter ? Owned(tangent, node.Kind) : _code.Print(tangent);
                _w.Line((isParameter ? string.Empty : "var ") + _names.Product(target) + " = " + code + ";   // ∂∇" + CommentName(target) + " = " + math);
                return;
            }
            var name = _names.Product(target);
            if (_workspace is not null && node.Kind != ValueKind.Scalar)
            {
                // No in-place += on a differential: its first value may alias another value.
                _w.Line(name + " = " + _code.Print(new Fn(Op.Add, node.Kind, new Tan(adjoint), tangent)) + ";   // ∂∇" + CommentName(target) + " += " + math);
                return;
            }
            if (tangent is Fn negated && negated.Is(Op.Negate))
            {
                _w.Line(name + " -= " + _code.Print(negated[0]) + ";   // ∂∇" + CommentName(target) + " −= " + _math.Print(negated[0]));
            }
            else
            {
                _w.Line(name + " += " + _code.Print(tangent) + ";   // ∂∇" + CommentName(target) + " += " + math);
            }
        }

        /// <summary>Parameters whose gradient does not vary along the direction get a zero product of their shape.</summary>
        private void WriteUnreachedProducts()
        {
            var zeros = Model.Parameters.Where(p => p.Differentiated && !_adjointTangents.ContainsKey(p.Node)).ToList();
            if (zeros.Count == 0)
            {
                return;
            }
            _w.Line();
            foreach (var p in zeros)
            {
                var buffer = _names.Product(p.Node);
                var comment = ";   // ∇" + CommentName(p.Node) + " does not vary along the direction";
                _w.Line(_workspace is null ? buffer + " = " + ZeroLike(p.Node) + comment
                    : p.Kind == ValueKind.Scalar ? "if (!accumulate) " + buffer + " = " + _code.Literal(0) + comment
                    : "if (!accumulate && " + buffer + " is not null) " + Linear + ".Zero(" + buffer + ")" + comment);
            }
        }
    }
}
