using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// The forward-mode flavour of the body (FDifferential): each value, then its differential by the
    /// op's rule, ∂Y in terms of the operands' differentials — the seed's ∂f written as code.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        /// <summary>Differentials that are another expression (∂h = ∂b, ∂Kᵀ = (∂K)ᵀ): no variable of their own.</summary>
        private readonly Dictionary<int, Expr> _tangentAliases = new();

        /// <summary>Forward pass and tangent sweep together, then <c>df = ∂(result)</c>; returns the value.</summary>
        public void WriteDifferential(string output)
        {
            WriteForwardWithTangents();
            var result = Model.Nodes[Model.Result];
            _w.Line();
            if (_workspace is not null && result.Kind != ValueKind.Scalar)
            {
                // Into the caller's buffer: resized only when its shape is not the result's (the ref destination convention).
                var shape = result.Kind == ValueKind.Matrix ? ValueCode(result.Id) + ".Rows, " + ValueCode(result.Id) + ".Cols" : ValueCode(result.Id) + ".Length";
                _w.Line(HasTangent(result.Id)
                    ? Linear + ".AddTo(" + Linear + ".Ensure(ref " + output + ", " + shape + "), " + _code.Print(ResolveTangent(new Dif(result.Id, result.Kind))) + ", accumulate: false);"
                    : Linear + ".Filled(" + shape + ", " + _code.Literal(0) + ", ref " + output + ");");
            }
            else
            {
                _w.Line(output + " = " + (HasTangent(result.Id) ? _code.Print(ResolveTangent(new Dif(result.Id, result.Kind))) : ZeroLike(result.Id)) + ";");
            }
            _w.Line("return " + ValueCode(Model.Result) + ";");
        }

        private void WriteForwardWithTangents()
        {
            _w.Line("// ── forward, each value followed by its differential: ∂Y from the operands' ∂ ──");
            var open = new Stack<LoopModel>();
            foreach (var node in Model.Nodes)
            {
                while (open.Count > 0 && !open.Peek().Contains(node.Id))
                {
                    CloseTangentLoop(open.Pop());
                }
                if (Model.Loops.Items.FirstOrDefault(l => l.BodyStart == node.Id) is { } loop && _plan.IsLive(loop))
                {
                    OpenTangentLoop(loop);
                    open.Push(loop);
                }
                if (!_plan.Live[node.Id] || IsInlined(node) || node.Op == Op.Phi || node.Op == Op.Counter || IsBranchBound(node.Id))
                {
                    continue;
                }
                if (node.Op == Op.Call && _plan.Varied[node.Id])
                {
                    WriteCallDifferential(node);
                    continue;
                }
                if (_plan.IsFusedAway(node.Id))
                {
                    _w.Line("// " + CommentName(node.Id) + " = " + _math.Print(_form.Forward(node.Id)) + " is fused into its consumer");
                }
                else
                {
                    WriteForward(node);
                }
                if (_plan.Varied[node.Id])
                {
                    WriteTangent(node);
                }
            }
            while (open.Count > 0)
            {
                CloseTangentLoop(open.Pop());
            }
        }

        /// <summary>A loop in forward mode: each carried local and its differential are carried side by side (no tape).</summary>
        private void OpenTangentLoop(LoopModel loop)
        {
            foreach (var c in loop.Carried.Items.Where(c => _plan.Live[c.Phi]))
            {
                _w.Line("var " + _names.Value(c.Phi) + " = " + ValueCode(c.Init) + ";   // " + CommentName(c.Phi) + ": carried from one iteration to the next");
                if (_plan.Varied[c.Phi])
                {
                    var init = HasTangent(c.Init) ? _code.Print(ResolveTangent(new Dif(c.Init, Model.Nodes[c.Init].Kind))) : ZeroLike(c.Init);
                    _w.Line("var " + TangentName(c.Phi) + " = " + init + ";   // ∂" + CommentName(c.Phi) + ", carried alongside");
                }
            }
            _w.Open(ForwardHeader(loop));
        }

        private void CloseTangentLoop(LoopModel loop)
        {
            foreach (var c in loop.Carried.Items.Where(c => _plan.Live[c.Phi] && c.Next != c.Phi))
            {
                _w.Line(_names.Value(c.Phi) + " = " + ValueCode(c.Next) + ";");
            }
            foreach (var c in loop.Carried.Items.Where(c => _plan.Live[c.Phi] && _plan.Varied[c.Phi] && c.Next != c.Phi))
            {
                var next = HasTangent(c.Next) ? _code.Print(ResolveTangent(new Dif(c.Next, Model.Nodes[c.Next].Kind))) : ZeroLike(c.Next);
                if (next != TangentName(c.Phi))
                {
                    _w.Line(TangentName(c.Phi) + " = " + next + ";");
                }
            }
            _w.Close();
        }

        private void WriteTangent(IrNode node)
        {
            if (_plan.IsInlinedTranspose(node.Id))
            {
                // (∂A)ᵀ; a zero stays the number 0, so HasTangent sees it as zero and no rule multiplies it into a term
                // (0 · x would take x's shape, not that of ∂Aᵀ x).
                var inner = ResolveTangent(new Dif(node.Args[0], Model.Nodes[node.Args[0]].Kind));
                _tangentAliases[node.Id] = E.IsZero(inner) ? inner : new Fn(Op.Transpose, node.Kind, inner);
                return;
            }
            var context = new TangentContext(Model, node, i => HasTangent(node.Args[i]) ? new Dif(node.Args[i], Model.Nodes[node.Args[i]].Kind) : null);
            var tangent = node.Op.Tangent?.Invoke(context);
            var kinds = node.Args.Select(a => Model.Nodes[a].Kind).ToArray();
            var code = tangent is null ? new Num(0) : Simplifier.Simplify(ResolveTangent(tangent), math: false);
            if (E.IsZero(code))
            {
                // ∂(S − S) = 0, or every varying operand's differential is zero: nothing downstream sees it.
                _tangentAliases[node.Id] = code;
                _w.Line("// ∂" + CommentName(node.Id) + " = 0");
                return;
            }
            var math = _math.Print(Simplifier.Simplify(tangent!, math: true));
            if (code is Dif or Num || code is Fn neg && neg.Is(Op.Negate) && neg[0] is Dif)
            {
                _tangentAliases[node.Id] = code;
                _w.Line("// ∂" + CommentName(node.Id) + " = " + math + ":   " + node.Op.LawFor(kinds));
                return;
            }
            _w.Line("var " + TangentName(node.Id) + " = " + _code.Print(code) + ";   // ∂" + CommentName(node.Id) + " = " + math + ":   " + node.Op.LawFor(kinds));
        }

        /// <summary>A call whose arguments vary: the callee's own differential gives the value and its ∂ in one call.</summary>
        private void WriteCallDifferential(IrNode node)
        {
            var callee = node.Callee!;
            if (callee.IsCustom)
            {
                WriteCustomDifferential(node);
                return;
            }
            var args = node.Args.Select(ValueCode).ToList();
            var differentials = callee.Differentiated.Select(i => HasTangent(node.Args[i])
                ? _code.Print(ResolveTangent(new Dif(node.Args[i], Model.Nodes[node.Args[i]].Kind)))
                : ZeroLike(node.Args[i]));
            if (_workspace is not null)
            {
                // The callee's own zero-allocation twin, on its workspace; a layer's ∂ goes to a slot of ours.
                var into = callee.ReturnKind == ValueKind.Scalar ? "out var " + TangentName(node.Id) : "ref " + _workspace.Slot(callee.ReturnKind);
                _w.Line("var " + _names.Value(node.Id) + " = " + callee.ContainingType + "." + callee.Name + "Differential(" +
                        string.Join(", ", args.Concat(differentials.ToList())) + ", " + CalleeWorkspace(node) + ", " + into + ");   // and ∂" + CommentName(node.Id) + ", by the callee's rules");
                if (callee.ReturnKind != ValueKind.Scalar)
                {
                    _w.Line("var " + TangentName(node.Id) + " = " + into.Substring(4) + "!;");
                }
                return;
            }
            _w.Line("var " + _names.Value(node.Id) + " = " + callee.ContainingType + "." + callee.Name + "Differential(" +
                    string.Join(", ", args.Concat(differentials)) + ", out var " + TangentName(node.Id) + ");   // and ∂" + CommentName(node.Id) + ", by the callee's rules");
        }

        /// <summary>Whether a value has a differential that is not known to be zero.</summary>
        private bool HasTangent(int node)
            => _plan.Varied[node] && !(_tangentAliases.TryGetValue(node, out var alias) && E.IsZero(alias));

        /// <summary>How generated code refers to a differential: a parameter's input ∂, an alias, or the variable.</summary>
        private string TangentCode(int node)
        {
            if (_tangentAliases.TryGetValue(node, out var alias))
            {
                return _code.Print(alias);
            }
            return Model.Nodes[node].Op == Op.Parameter && !_secondOrder ? _names.Out(node) : TangentName(node);
        }

        /// <summary>The variable of a value's differential: dh in FDifferential; vH in second order, where dh is the adjoint.</summary>
        private string TangentName(int node) => _secondOrder ? _names.Direction(node) : _names.Adjoint(node);

        private Expr ResolveTangent(Expr e) => e switch
        {
            Dif d when _tangentAliases.TryGetValue(d.Node, out var alias) => alias,
            Ref r when r.Node >= 0 && _plan.IsInlinedTranspose(r.Node) => NeverFormedTranspose(r.Node),
            Fn f => new Fn(f.Op, f.Kind, f.Args.Items.Select(ResolveTangent).ToEquatableArray(), f.Index),
            _ => e,
        };

        /// <summary>A zero of a value's shape (a differential of something that does not vary).</summary>
        private string ZeroLike(int node)
        {
            var kind = Model.Nodes[node].Kind;
            var shape = SizeOf(node);
            if (_workspace is not null && kind != ValueKind.Scalar)
            {
                return Linear + ".Filled(" + shape + ", " + _code.Literal(0) + ", ref " + _workspace.Slot(kind) + ")";
            }
            return kind switch
            {
                ValueKind.Matrix => "new global::AutoGradGen.Matrix<" + Model.ElementType + ">(" + shape + ")",
                ValueKind.Vector => "new global::AutoGradGen.Vector<" + Model.ElementType + ">(" + shape + ")",
                _ => _code.Literal(0),
            };
        }

        private string?[]? _sizeCodes;

        /// <summary>
        /// A node's size as constructor arguments (<c>E.Rows, E.Cols</c>). A value computed inside a loop or an arm is out
        /// of scope after its region, and the backward pass has it only where it is taped: its size is then taken from
        /// the parameters, by shape inference (<c>B.Rows, B.Cols</c>), where that knows it.
        /// </summary>
        private string SizeOf(int node)
        {
            if (Model.Loops.Items.Any(l => l.Contains(node)))
            {
                _sizeCodes ??= Shapes.ShapeInference.SizeCodes(Model);
                if (_sizeCodes[node] is { } code)
                {
                    return code;
                }
            }
            var value = ValueCode(node);
            return Model.Nodes[node].Kind == ValueKind.Matrix ? value + ".Rows, " + value + ".Cols" : value + ".Length";
        }
    }
}
