using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Differentiation;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// Layer and batch normalization with saved statistics, in the first-order backward of a straight-line body: the forward
    /// pass keeps x̂ and 1/σ (<c>Normalization.LayerNorm(X, γ, β, ε, x̂, 1/σ, …)</c>), and the rule's three contributions
    /// X̄ += J diag(γ) Ḡ, γ̄ += (Ḡ ⊙ x̂)𝟙, β̄ += Ḡ𝟙 become one call of the fused backward on them, which writes each gradient
    /// buffer in place (or a buffer of its own, added where the adjoint already has a value). A scalar factor of an aliased Ḡ
    /// (the 2Y of ‖Y‖²) is passed to that call instead of forming 2Y. Forward mode, second order and bodies with regions keep
    /// the recomputing kernels.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        /// <summary>Ids of the names this file adds (x̂, 1/σ, gradient parts), apart from the rules' temporaries.</summary>
        private const int NormalizationTempBase = 3_000_000;

        /// <summary>The normalizations whose pullback is one fused call, and the names of their saved x̂ and 1/σ.</summary>
        private Dictionary<int, (Tmp Normalized, Tmp InverseStd)> _savedNormalizations = new();

        private int _normalizationTemps;

        /// <summary>
        /// The live LN and BN nodes of a straight-line first-order body whose pullback is the rule's own: contributions only,
        /// to distinct operands among X, γ and β.
        /// </summary>
        private Dictionary<int, (Tmp, Tmp)> NormalizationsToFuse()
        {
            var fused = new Dictionary<int, (Tmp, Tmp)>();
            if (Model.HasRegions || _secondOrder)
            {
                return fused;
            }
            foreach (var pullback in _plan.Pullbacks.Where(p => IsNormalization(p.Node.Op) && _plan.Live[p.Node.Id] && IsFusable(p)))
            {
                var x = pullback.Node.Args[0];
                fused[pullback.Node.Id] = (NormalizationTemp(ValueKind.Matrix, "normalized{0}", x), NormalizationTemp(ValueKind.Vector, "inverseStd{0}", x));
            }
            return fused;
        }

        private static bool IsNormalization(Op op) => ReferenceEquals(op, Op.LayerNorm) || ReferenceEquals(op, Op.BatchNorm);

        private bool IsFusable(NodePullback pullback)
        {
            var steps = pullback.Pullback.Steps;
            var targets = steps.OfType<Contribute>().Select(c => c.Operand <= 2 ? pullback.Node.Args[c.Operand] : -1).ToList();
            return targets.Count > 0 && targets.Count == steps.Count && !targets.Contains(-1) && targets.Distinct().Count() == targets.Count
                   && _form.Forward(pullback.Node.Id) is Fn f && ReferenceEquals(f.Op, pullback.Node.Op);
        }

        private Tmp NormalizationTemp(ValueKind kind, string hint, int node) => new(NormalizationTempBase + _normalizationTemps++, kind, hint, node);

        private static bool ByColumns(IrNode node) => ReferenceEquals(node.Op, Op.LayerNorm);

        /// <summary>Y = N(X; γ, β) with x̂ and 1/σ written beside it; false for a normalization that keeps the plain forward.</summary>
        private bool TryWriteNormalizationForward(IrNode node)
        {
            if (!_savedNormalizations.TryGetValue(node.Id, out var saved))
            {
                return false;
            }
            var f = (Fn)_form.Forward(node.Id);
            var args = string.Join(", ", new[] { f[0], f[1], f[2], Op.NormalizationEpsilon(f) }.Select(_code.Print));
            var (normalized, inverse) = (_names.Temp(saved.Normalized), _names.Temp(saved.InverseStd));
            var function = RuntimeApi.Class(RuntimeFamily.Normalization) + "." + node.Op.Name;
            var lines = ByColumns(node) ? "column" : "row";
            var comment = "   // " + _math.Print(f) + ", keeping x̂ and 1/σ of each " + lines + " for the backward pass";
            if (_workspace is null)
            {
                _w.Line("var " + _names.Value(node.Id) + " = " + function + "(" + args + ", out var " + normalized + ", out var " + inverse + ");" + comment);
                return true;
            }
            var x = ValueCode(node.Args[0]);
            _w.Line("var " + normalized + " = " + Linear + ".Ensure(ref " + _workspace.Slot(ValueKind.Matrix) + ", " + x + ".Rows, " + x + ".Cols);   // x̂ of " + CommentName(node.Args[0]));
            _w.Line("var " + inverse + " = " + Linear + ".Ensure(ref " + _workspace.Slot(ValueKind.Vector) + ", " + x + (ByColumns(node) ? ".Cols" : ".Rows") +
                    ");   // 1/σ of each " + lines + " of " + CommentName(node.Args[0]));
            _w.Line("var " + _names.Value(node.Id) + " = " + function + "(" + args + ", " + normalized + ", " + inverse + ", ref " + _workspace.Slot(ValueKind.Matrix) + ");" + comment);
            return true;
        }

        /// <summary>The fused pullback of a normalization: one call writing X̄, γ̄ and β̄, then the parts added to adjoints that already had a value.</summary>
        private bool TryWriteNormalizationPullback(NodePullback pullback)
        {
            var node = pullback.Node;
            if (!_savedNormalizations.TryGetValue(node.Id, out var saved))
            {
                return false;
            }
            _w.Line();
            _w.Line("// " + CommentName(node.Id) + " = " + _math.Print(_form.Forward(node.Id)) + ":   " + pullback.Pullback.Law);
            var contributions = pullback.Pullback.Steps.OfType<Contribute>().ToDictionary(c => c.Operand);
            var outputs = new List<(string Buffer, string? Accumulate)>();
            var comments = new List<string>();
            var parts = new List<(int Target, Tmp Part)>();
            for (int operand = 0; operand < 3; operand++)
            {
                outputs.Add(contributions.TryGetValue(operand, out var c) ? NormalizationOutput(node.Args[operand], Prepare(c.Value), comments, parts) : ("null", null));
            }
            var (scale, g) = ScaledCotangent(Prepare(new Adj(node.Id, node.Kind)));
            var args = new[] { _names.Temp(saved.Normalized), _names.Temp(saved.InverseStd), ValueCode(node.Args[1]), _code.Print(scale), _code.Print(g) }
                .Concat(outputs.Select(o => o.Buffer));
            _w.Line(RuntimeApi.Class(RuntimeFamily.Normalization) + "." + node.Op.Name + "Backward(" + string.Join(", ", args) + AccumulateFlags(outputs) +
                    ");   // one pass over the saved x̂ and 1/σ:");
            foreach (var comment in comments)
            {
                _w.Line("// " + comment);
            }
            foreach (var (target, part) in parts)
            {
                WriteContribution(target, part);
            }
            return true;
        }

        /// <summary>s and G of a cotangent s G (s a scalar, 1 when there is none).</summary>
        private static (Expr Scale, Expr G) ScaledCotangent(Expr g) => g switch
        {
            Fn f when IsScaledMatrix(f) => (f[0], f[1]),
            Fn f when f.Is(Op.Negate) && f[0].Kind == ValueKind.Matrix => (new Num(-1), f[0]),
            _ => (new Num(1), g),
        };

        /// <summary>
        /// Where the fused backward writes one operand's gradient, and whether it adds to it: a parameter's buffer (FBackward),
        /// an adjoint's first value or its own buffer (added to), else a part of its own, added to the adjoint afterwards.
        /// </summary>
        private (string Buffer, string Accumulate) NormalizationOutput(int target, Expr value, List<string> comments, List<(int, Tmp)> parts)
        {
            var node = Model.Nodes[target];
            bool parameter = node.Op == Op.Parameter;
            _emitted.TryGetValue(target, out var done);
            var math = _math.Print(value);
            if (_workspace is not null && parameter)
            {
                _emitted[target] = done + 1;
                comments.Add("∇" + CommentName(target) + " += " + math);
                return (_names.Out(target), _started.Add(target) ? "accumulate" : "true");
            }
            if (done == 0 || _workspace is not null && _ownedAdjoints.Contains(target))
            {
                // The adjoint's first value (a fresh buffer of its own), or a buffer it owns already.
                _emitted[target] = done + 1;
                var name = parameter ? _names.Out(target) : _names.Adjoint(target);
                if (done == 0)
                {
                    _w.Line((parameter ? string.Empty : "var ") + name + " = " + NewBuffer(target) + ";");
                    Own(target, node.Kind);
                }
                comments.Add("∇" + CommentName(target) + (done == 0 ? " = " : " += ") + math);
                return (name, done == 0 ? "false" : "true");
            }
            var part = NormalizationTemp(node.Kind, "d{0}Part", target);
            _w.Line("var " + _names.Temp(part) + " = " + NewBuffer(target) + ";");
            comments.Add(_names.Temp(part) + " = " + math);
            parts.Add((target, part));
            return (_names.Temp(part), "false");
        }

        /// <summary>A buffer of a value's shape that the fused backward overwrites: a workspace slot, or a new matrix or vector.</summary>
        private string NewBuffer(int like)
        {
            var kind = Model.Nodes[like].Kind;
            return _workspace is not null
                ? Linear + ".Ensure(ref " + _workspace.Slot(kind) + ", " + SizeOf(like) + ")"
                : "new global::AutoGradGen." + (kind == ValueKind.Matrix ? "Matrix" : "Vector") + "<" + Model.ElementType + ">(" + SizeOf(like) + ")";
        }

        /// <summary>One <c>accumulate</c> flag when the written outputs agree, else one per output (null outputs: false).</summary>
        private static string AccumulateFlags(List<(string Buffer, string? Accumulate)> outputs)
        {
            var flags = outputs.Where(o => o.Accumulate is not null).Select(o => o.Accumulate!).Distinct().ToList();
            if (flags.Count == 1)
            {
                return ", accumulate: " + flags[0];
            }
            string Flag(int i) => outputs[i].Accumulate ?? "false";
            return ", accumulateX: " + Flag(0) + ", accumulateGamma: " + Flag(1) + ", accumulateBeta: " + Flag(2);
        }
    }
}
