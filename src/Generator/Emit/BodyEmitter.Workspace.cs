using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// The workspace flavour of the body: every intermediate goes to a slot of a caller-owned
    /// workspace (Into.Op(…, ref workspace.sK)), gradients are added to caller-owned buffers, and
    /// callees run on their own nested workspaces. In steady state nothing is allocated.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        private readonly WorkspaceLayout? _workspace;

        private static string Linear => RuntimeApi.Class(RuntimeFamily.Linear);

        private static string Products => RuntimeApi.Class(RuntimeFamily.Products);

        /// <summary>A layer's FForward: the forward pass, with every value saved for FBackward.</summary>
        public void WriteForwardMethod()
        {
            WriteForwardPass(store: true);
            _w.Line("workspace.forwarded = true;");
            _w.Line("return " + ValueCode(Model.Result) + ";");
        }

        /// <summary>A layer's FBackward: reads the forward values FForward saved, then the backward sweep.</summary>
        public void WriteBackwardMethod(WorkspaceLayout forwardLayout)
        {
            _w.Line("// ── forward values saved by the forward method ──────────────────────");
            foreach (var node in Model.Nodes.Where(n => _plan.Live[n.Id] && !IsInlined(n)))
            {
                if (forwardLayout.TryGetSaved(node.Id, out var field))
                {
                    var bang = node.Kind is ValueKind.Matrix or ValueKind.Vector ? "!" : string.Empty;
                    _w.Line("var " + _names.Value(node.Id) + " = workspace." + field + bang + ";");
                }
            }
            foreach (var a in _plan.Factorized)
            {
                _w.Line("var " + _names.Lu(a) + " = workspace." + forwardLayout.Lu(a) + "!;");
            }
            WriteBackwardPass();
        }

        private static string WorkspaceType(CalleeInfo callee) => callee.ContainingType + "." + callee.WorkspaceName;

        /// <summary>The callee's workspace: a field of ours in workspace mode, else a local made for this call.</summary>
        private string CalleeWorkspace(IrNode node)
        {
            var type = WorkspaceType(node.Callee!);
            if (_workspace is null)
            {
                _w.Line("var " + _names.CalleeWorkspace(node.Id) + " = new " + type + "();");
                return _names.CalleeWorkspace(node.Id);
            }
            return "workspace." + _workspace!.Callee(node.Id, type) + " ??= new " + type + "()";
        }

        private string CalleeWorkspaceAgain(IrNode node)
            => _workspace is null ? _names.CalleeWorkspace(node.Id) : "workspace." + _workspace.Callee(node.Id, WorkspaceType(node.Callee!)) + "!";

        /// <summary>Forward call of another [Differentiable] method on its own nested workspace.</summary>
        private string WorkspaceCallCode(IrNode node)
        {
            var callee = node.Callee!;
            var args = string.Join(", ", node.Args.Select(ValueCode));
            if (callee.ReturnKind != ValueKind.Scalar)
            {
                return callee.ContainingType + "." + callee.Name + "Forward(" + args + ", " + CalleeWorkspace(node) + ")";
            }
            bool overwrite = _workspace is not null;
            bool needed = _plan.NeedsAdjoint(node.Id);
            if (!needed && !overwrite)
            {
                return callee.ContainingType + "." + callee.Name + "(" + args + ")";
            }
            // In workspace mode even a call whose gradient nobody needs runs on the callee's workspace (its
            // plain method allocates); null buffers make it skip the gradient work.
            var buffers = callee.Differentiated.Select(i => ZeroBuffer(_names.CallGradient(node.Id, i), node.Args[i], needed && _plan.Varied[node.Args[i]], zeroed: !overwrite)).ToList();
            return callee.ContainingType + "." + callee.Name + "Backward(" + args + ", " + CalleeWorkspace(node) + ", " + string.Join(", ", buffers) +
                   (overwrite ? ", accumulate: false" : string.Empty) + ")";
        }

        /// <summary>
        /// Declares a zeroed gradient buffer shaped like a value; returns how to pass it (ref for a scalar).
        /// A buffer nobody reads is passed as null, so the callee skips that gradient's work.
        /// </summary>
        private string ZeroBuffer(string name, int like, bool needed, bool zeroed = true)
        {
            var kind = Model.Nodes[like].Kind;
            if (!needed && kind != ValueKind.Scalar)
            {
                return "null";
            }
            var zero = _code.Literal(0);
            var shape = kind == ValueKind.Scalar ? string.Empty : SizeOf(like);
            if (_workspace is null)
            {
                var element = Model.ElementType;
                _w.Line(kind == ValueKind.Scalar ? "var " + name + " = " + zero + ";"
                    : kind == ValueKind.Matrix ? "var " + name + " = new global::AutoGradGen.Matrix<" + element + ">(" + shape + ");"
                    : "var " + name + " = new global::AutoGradGen.Vector<" + element + ">(" + shape + ");");
                return kind == ValueKind.Scalar ? "ref " + name : name;
            }
            _w.Line(kind == ValueKind.Scalar
                ? "var " + name + " = " + zero + ";"
                : zeroed
                    ? "var " + name + " = " + Linear + ".Filled(" + shape + ", " + zero + ", ref " + _workspace!.Slot(kind) + ");"
                    : "var " + name + " = " + Linear + ".Ensure(ref " + _workspace!.Slot(kind) + ", " + shape + ");   // the callee overwrites it");
            return kind == ValueKind.Scalar ? "ref " + name : name;
        }

        /// <summary>Pullback outputs the callee adds straight into our caller's gradient buffer (no scratch, no copy).</summary>
        private readonly System.Collections.Generic.HashSet<int> _direct = new();

        /// <summary>
        /// When a pullback output's only use is to be added to a parameter's gradient, the callee can add it
        /// to that parameter's buffer itself: its accumulation is exactly our contribution.
        /// </summary>
        private string? DirectBuffer(int argument, Tmp output)
        {
            var target = Model.Nodes[argument];
            if (_workspace is null || target.Op != Op.Parameter || target.Kind == ValueKind.Scalar || !_plan.Varied[argument] || _started.Contains(argument))
            {
                return null;
            }
            _direct.Add(output.Id);
            _started.Add(argument);
            return _names.Out(argument);
        }

        /// <summary>A layer's pullback: its backward method on the workspace its forward call used.</summary>
        private void WritePullbackCall(IrNode node, PullbackCall call, EquatableArray<Step> steps)
        {
            var callee = node.Callee!;
            var used = new System.Collections.Generic.HashSet<int>(steps.OfType<Contribute>().Select(c => c.Value).OfType<Tmp>().Select(t => t.Id));
            if (callee.IsCustom)
            {
                WriteCustomPullbackCall(node, call, used);
                return;
            }
            // Buffers of ours that are still unwritten can be handed over; the callee then writes them under our
            // accumulate flag. Without any, the scratch buffers need no zeroing: the callee overwrites them.
            var direct = call.Outputs.Select((t, k) => DirectBuffer(node.Args[callee.Differentiated[k]], t)).ToList();
            bool handedOver = direct.Any(d => d is not null);
            bool overwrite = _workspace is not null && !handedOver;
            var buffers = call.Outputs.Select((t, k) => direct[k]
                ?? ZeroBuffer(_names.Temp(t), node.Args[callee.Differentiated[k]], used.Contains(t.Id), zeroed: !overwrite)).ToList();
            var args = string.Join(", ", node.Args.Select(ValueCode));
            var seed = _code.Print(Prepare(new Adj(node.Id, node.Kind)));
            var flag = _workspace is null ? string.Empty : handedOver ? ", accumulate" : ", accumulate: false";
            _w.Line(callee.ContainingType + "." + callee.Name + "Backward(" + args + ", " + seed + ", " + CalleeWorkspaceAgain(node) + ", " + string.Join(", ", buffers) + flag + ");");
        }

        /// <summary>Adds a contribution to a caller-owned gradient buffer, fusing products into the accumulation.</summary>
        /// <summary>Parameters whose buffer has been written in this call (the first write honours <c>accumulate</c>).</summary>
        private readonly System.Collections.Generic.HashSet<int> _started = new();

        private void WriteAccumulation(int target, Expr value, string math)
        {
            var buffer = _names.Out(target);
            if (value is Tmp direct && _direct.Contains(direct.Id))
            {
                _w.Line("// ∇" + CommentName(target) + ": the callee added its share to " + buffer);
                return;
            }
            bool first = _started.Add(target);
            var comment = ";   // ∇" + CommentName(target) + " += " + math;
            if (Model.Nodes[target].Kind == ValueKind.Scalar)
            {
                _w.Line(first
                    ? buffer + " = (accumulate ? " + buffer + " : " + _code.Literal(0) + ") + " + _code.Print(value) + comment
                    : buffer + " += " + _code.Print(value) + comment);
                return;
            }
            WriteBufferAccumulation(buffer, value, first, comment);
        }

        /// <summary>
        /// <c>if (buffer is not null) …AddTo(buffer, value)</c>; a sum is added term by term (the first honouring
        /// <c>accumulate</c>), so that each product goes straight into the buffer (OuterAddTo, MultiplyAddTo) with no scratch.
        /// </summary>
        private void WriteBufferAccumulation(string buffer, Expr value, bool first, string comment)
        {
            var terms = new System.Collections.Generic.List<Expr>();
            Terms(value, negate: false, terms);
            for (int k = 0; k < terms.Count; k++)
            {
                _w.Line("if (" + buffer + " is not null) " + AccumulationCode(buffer, terms[k], first && k == 0 ? "accumulate" : null) + (k == 0 ? comment : ";"));
            }
        }

        private static void Terms(Expr e, bool negate, System.Collections.Generic.List<Expr> into)
        {
            if (e is Fn f && (f.Is(Op.Add) || f.Is(Op.Subtract)) && f[0].Kind == f.Kind && f[1].Kind == f.Kind)
            {
                Terms(f[0], negate, into);
                Terms(f[1], f.Is(Op.Subtract) ? !negate : negate, into);
                return;
            }
            into.Add(negate ? E.Neg(e) : e);
        }

        private string AccumulationCode(string buffer, Expr value, string? accumulate)
        {
            var flag = accumulate is null ? string.Empty : ", accumulate: " + accumulate;
            double sign = 1;
            if (value is Fn negated && negated.Is(Op.Negate))
            {
                sign = -1;
                value = negated[0];
            }
            Expr scale = new Num(sign);
            if (value is Fn scaled && scaled.Is(Op.Multiply) && scaled[0].Kind == ValueKind.Scalar && scaled[1].Kind != ValueKind.Scalar)
            {
                scale = sign < 0 ? E.Neg(scaled[0]) : scaled[0];
                value = scaled[1];
            }
            if (value is Fn outer && outer.Is(Op.Multiply) && outer[0].Kind == ValueKind.Vector && outer[1] is Fn yT && yT.Is(Op.Transpose) && yT.Kind == ValueKind.Vector)
            {
                return Products + ".OuterAddTo(" + buffer + ", " + _code.Print(outer[0]) + ", " + _code.Print(yT[0]) + ", " + _code.Print(scale) + flag + ")";
            }
            if (ProductCode.IsMatrixProduct(value))
            {
                // s · op(A) op(B) straight into the buffer: the factor rides on the GEMM's packing.
                var product = (Fn)value;
                return MultiplyAddTo(buffer, product[0], product[1], flag, E.IsOne(scale) && scale is Num ? null : scale);
            }
            if (E.IsOne(scale) && scale is Num && value is Fn scatter && scatter.Op.InPlace is { } inPlace)
            {
                // A scatter (the adjoint of a slice) is added into its block of the buffer, not formed whole.
                return Operations.RuntimeApi.Allocating(inPlace) + "(" + string.Join(", ", new[] { buffer }.Concat(scatter.Args.Skip(1).Select(_code.Print))) + flag + ")";
            }
            return E.IsOne(scale) && scale is Num
                ? Linear + ".AddTo(" + buffer + ", " + _code.Print(value) + flag + ")"
                : Linear + ".AddScaledTo(" + buffer + ", " + _code.Print(scale) + ", " + _code.Print(value) + flag + ")";
        }

        private string MultiplyAddTo(string buffer, Expr a, Expr b, string flag, Expr? scale = null)
        {
            bool aT = a is Fn ta && ta.Is(Op.Transpose);
            bool bT = b is Fn tb && tb.Is(Op.Transpose);
            var left = aT ? ((Fn)a)[0] : a;
            var right = bT ? ((Fn)b)[0] : b;
            var factor = scale is null ? string.Empty : _code.Print(scale) + ", ";
            return Products + ".MultiplyAddTo(" + buffer + ", " + factor + _code.Print(left) + ", " + _code.Print(right) +
                   (aT ? ", transposeA: true" : string.Empty) + (bT ? ", transposeB: true" : string.Empty) + flag + ")";
        }

        /// <summary>
        /// A parameter returned as the result gets the seed. A parameter nothing reached has gradient zero:
        /// when overwriting, its buffer is cleared.
        /// </summary>
        private void WriteWorkspaceSeedGradient()
        {
            foreach (var p in Model.Parameters.Where(p => p.Differentiated && !_plan.Contributions.ContainsKey(p.Node) && !_started.Contains(p.Node)))
            {
                if (p.Node == Model.Result)
                {
                    WriteAccumulation(p.Node, Resolve(new Adj(p.Node, p.Kind)), "seed");
                    continue;
                }
                var buffer = _names.Out(p.Node);
                _w.Line(p.Kind == ValueKind.Scalar
                    ? "if (!accumulate) " + buffer + " = " + _code.Literal(0) + ";   // f does not depend on " + CommentName(p.Node)
                    : "if (!accumulate && " + buffer + " is not null) " + Linear + ".Zero(" + buffer + ");   // f does not depend on " + CommentName(p.Node));
            }
        }
    }
}
