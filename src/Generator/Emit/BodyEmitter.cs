using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGradGen.Generator.Differentiation;
using AutoGradGen.Generator.Formula;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// Writes the body of a generated method: the forward pass (one statement per live SSA value,
    /// LU factorizations shared), then the backward sweep, each block headed by the differential
    /// law its rule applies and each statement followed by the gradient it reads off.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        private readonly BackwardPlan _plan;
        private readonly Names _names;
        private readonly SourceWriter _w;
        private readonly CodePrinter _code;
        private readonly MathPrinter _math;
        private readonly ClosedForm _form;
        private readonly Dictionary<int, Expr> _aliases = new();
        private readonly Dictionary<int, int> _emitted = new();
        private readonly HashSet<int> _factored = new();
        private readonly bool _secondOrder;

        /// <param name="workspace">Null for the allocating method; else the layout of the workspace whose slots the code uses.</param>
        /// <param name="secondOrder">Second order: value tangents are named vH (the adjoints keep dh) and adjoints get differentials.</param>
        public BodyEmitter(BackwardPlan plan, Names names, ClosedForm form, SourceWriter writer, WorkspaceLayout? workspace = null, bool secondOrder = false)
        {
            _secondOrder = secondOrder;
            _plan = plan;
            _names = names;
            _form = form;
            _w = writer;
            _workspace = workspace;
            _code = new CodePrinter(plan.Model, ValueCode, n => _names.Adjoint(n), _names.Temp, _names.Lu, _names.CallGradient,
                workspace is null ? null : kind => _recording is not null ? "workspace.planned" : workspace.Slot(kind), TangentCode);
            _code.TangentOf = t => t.Of is Tmp tmp ? _names.TempTangent(tmp) : _names.Product(((Adj)t.Of).Node);
            _math = new MathPrinter(CommentName, n => "∇" + CommentName(n), n => n >= 0 ? Model.Nodes[n].Callee : null, t => SharedInverseMath(t) ?? _names.Temp(t),
                n => n >= 0 && n < Model.Nodes.Count ? Model.Nodes[n].Code : null);
        }

        private MethodModel Model => _plan.Model;

        /// <summary>Forward pass, backward sweep, return: the whole body of FWithGradient, FPullback or a scalar FBackward.</summary>
        public void Write()
        {
            if (Model.HasRegions)
            {
                WriteWithRegions();
                return;
            }
            _sharing = InversesToShare();
            FindScaledProducts();
            FindActivatedProducts();
            FindProductAdjoints();
            _savedNormalizations = NormalizationsToFuse();
            WriteForwardPass(store: false);
            WriteBackwardPass();
            _w.Line("return " + ValueCode(Model.Result) + ";");
        }

        /// <summary>The same with loops: the backward loops reuse the carried locals' variables, so a carried result is kept aside.</summary>
        private void WriteWithRegions()
        {
            PlanTapes();
            WriteForwardRegions();
            var result = ValueCode(Model.Result);
            if (_tapes.ContainsKey(Model.Result))
            {
                var kept = _names.Reserve("value");
                _w.Line("var " + kept + " = " + result + ";   // the backward loop reuses " + result);
                result = kept;
            }
            WriteBackwardRegions();
            _w.Line("return " + result + ";");
        }

        private void WriteForwardPass(bool store)
        {
            _w.Line("// ── forward ──────────────────────────────────────────────────────────");
            foreach (var node in Model.Nodes)
            {
                if (_plan.Live[node.Id] && !IsInlined(node))
                {
                    if (_plan.IsFusedAway(node.Id) || _scaledProducts.ContainsValue(node.Id) || _activatedProducts.Contains(node.Id))
                    {
                        _w.Line("// " + CommentName(node.Id) + " = " + _math.Print(_form.Forward(node.Id)) +
                                (_plan.IsInlinedTranspose(node.Id) ? " is never formed: the product reads it transposed"
                                    : _scaledProducts.ContainsValue(node.Id) ? " is computed scaled, by the next statement's GEMM"
                                    : _activatedProducts.Contains(node.Id) ? " is computed by the activation's GEMM, which adds the bias and applies the activation to each block as it finishes"
                                    : " is fused into the next activation"));
                        continue;
                    }
                    WriteForward(node);
                    if (store)
                    {
                        _w.Line("workspace." + _workspace!.Saved(node.Id, node.Kind) + " = " + _names.Value(node.Id) + ";");
                    }
                }
            }
        }

        private void WriteBackwardPass()
        {
            _w.Line();
            _w.Line("// ── backward: ∂f = Tr(Ḡᵀ ∂X) ⇒ ∇X f = Ḡ ──────────────────────────────");
            foreach (var pullback in _plan.Pullbacks)
            {
                WritePullback(pullback);
            }
            WriteUnreachedGradients();
        }

        // ── forward ────────────────────────────────────────────────────────────────

        private static bool IsInlined(IrNode node)
            => node.Op == Op.Parameter || node.Op == Op.Literal || node.Name is null && (node.Kind == ValueKind.Int && node.Op != Op.Constant || node.Op == Op.ToReal);

        private void WriteForward(IrNode node)
        {
            if (TryWriteNormalizationForward(node))
            {
                return;
            }
            if (node.Op.Factorizes && _factored.Add(node.Args[0]))
            {
                var destination = _workspace is null ? string.Empty : ", ref workspace." + _workspace.Lu(node.Args[0]);
                _w.Line("var " + _names.Lu(node.Args[0]) + " = " + RuntimeApi.Factor + "(" + ValueCode(node.Args[0]) +
                        ", " + RuntimeApi.Operation(node.Spelled ?? node.Op.Name) + destination + ");   // P A = L U, shared by every solve with " + CommentName(node.Args[0]));
                if (_sharing.Contains(node.Args[0]))
                {
                    WriteSharedInverse(node.Args[0]);
                }
            }
            var name = _names.Value(node.Id);
            if (node.Op == Op.Call)
            {
                _w.Line("var " + name + " = " + CallCode(node) + ";");
                return;
            }
            var declared = node.Kind == ValueKind.Int && node.Op != Op.Constant ? "int " : "var ";
            if (_plan.Fusions.TryGetValue(node.Id, out var producer))
            {
                _w.Line(declared + name + " = " + FusedCode(node, Model.Nodes[producer]) + ";   // " + _math.Print(Simplifier.Simplify(FusedForm(node.Id, producer), math: true)) + " in one pass");
                return;
            }
            var forward = _form.Forward(node.Id);
            var code = _scaledProducts.TryGetValue(node.Id, out var product) ? ScaledProductCode(node, product)
                : ViaSharedInverse(node.Args.Any(_plan.IsInlinedTranspose) ? Prepare(forward) : forward);
            _w.Line(declared + name + " = " + _code.Print(code) + ";   // " + _math.Print(_form.Forward(node.Id)) + (node.Rule is { } rule ? "   (rewritten: " + rule + ")" : string.Empty));
        }

        /// <summary>f(A + B), f(A + b𝟙ᵀ) or f(W X + b𝟙ᵀ) as one fused kernel call.</summary>
        private string FusedCode(IrNode activation, IrNode addition)
        {
            bool product = _activatedProducts.Contains(addition.Args[0]);
            var kernel = RuntimeApi.Fused + "." + (product ? "MultiplyAddColumnsActivate" : addition.Op == Op.AddColumns ? "AddColumnsActivate" : "AddActivate");
            var matrix = product ? string.Join(", ", Model.Nodes[addition.Args[0]].Args.Select(ValueCode)) : ValueCode(addition.Args[0]);
            var args = matrix + ", " + ValueCode(addition.Args[1]) + ", " + RuntimeApi.Activation + "." + activation.Op.Activation;
            return _workspace is null
                ? kernel + "(" + args + ")"
                : kernel + "(" + args + ", ref " + _workspace.Slot(activation.Kind) + ")";
        }

        /// <summary>The fused statement's formula: the addition substituted into the activation, and the product into the addition when the GEMM computes it.</summary>
        private Expr FusedForm(int activation, int addition)
        {
            var form = (Fn)_form.Substituted(activation, addition);
            var product = Model.Nodes[addition].Args[0];
            if (!_activatedProducts.Contains(product) || form.Args.Items[0] is not Fn sum)
            {
                return form;
            }
            var args = sum.Args.Items.Select(a => a is Ref r && r.Node == product ? _form.Forward(product) : a).ToEquatableArray();
            return form with { Args = new[] { sum with { Args = args } }.Concat(form.Args.Items.Skip(1)).ToEquatableArray() };
        }

        private string CallCode(IrNode node)
        {
            var callee = node.Callee!;
            if (callee.IsCustom)
            {
                return CustomCallCode(node);
            }
            if (_workspace is not null || callee.ReturnKind != ValueKind.Scalar && _plan.NeedsAdjoint(node.Id))
            {
                // A layer that needs its pullback runs on a workspace, so its backward reuses its forward values.
                return WorkspaceCallCode(node);
            }
            var args = string.Join(", ", node.Args.Select(ValueCode));
            if (callee.ReturnKind != ValueKind.Scalar || !_plan.NeedsAdjoint(node.Id))
            {
                return callee.ContainingType + "." + callee.Name + "(" + args + ")";
            }
            var outs = callee.Differentiated.Select(i => "out var " + _names.CallGradient(node.Id, i));
            return callee.ContainingType + "." + callee.Name + "WithGradient(" + args + ", " + string.Join(", ", outs) + ")";
        }

        /// <summary>How generated code refers to a value: its variable, a literal, or an inlined int expression.</summary>
        private string ValueCode(int id)
        {
            if (id < 0)
            {
                return _names.Seed;
            }
            var node = Model.Nodes[id];
            if (node.Op == Op.Literal)
            {
                return node.Kind == ValueKind.Int ? ((long)node.Value).ToString(CultureInfo.InvariantCulture) : _code.Literal(node.Value);
            }
            if (node.Op != Op.Parameter && IsInlined(node))
            {
                var text = _code.Print(_form.Forward(id));
                return node.Op == Op.Rows || node.Op == Op.Cols || node.Op == Op.Length || node.Op == Op.ToReal && Model.Nodes[node.Args[0]].Name is not null ? text : "(" + text + ")";
            }
            _recording?.Add(id);
            return _names.Value(id);
        }

        private string CommentName(int id)
        {
            if (id < 0)
            {
                return _names.Seed;
            }
            var node = Model.Nodes[id];
            return node.Op == Op.Literal ? MathPrinter.Number(node.Value)
                : node.Name is not null ? _form.DisplayName(id)
                : IsInlined(node) ? _math.Print(_form.Forward(id)) : _names.Value(id);
        }

        // ── backward ───────────────────────────────────────────────────────────────

        private void WritePullback(NodePullback pullback)
        {
            if (TryWriteNormalizationPullback(pullback))
            {
                return;
            }
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
                        break;
                    case PullbackCall call:
                        WritePullbackCall(node, call, pullback.Pullback.Steps);
                        break;
                    case Contribute contribute:
                        WriteContribution(node.Args[contribute.Operand], Prepare(contribute.Value));
                        break;
                }
            }
        }


        /// <summary>Substitutes the seed and aliased adjoints, then simplifies for code.</summary>
        private Expr Prepare(Expr e) => ViaSharedInverse(Simplifier.Simplify(Resolve(e), math: false));

        private Expr Resolve(Expr e) => e switch
        {
            Adj a when _materialized.Contains(a.Node) => a,
            Adj a when a.Node == Model.Result => Model.ReturnKind == ValueKind.Scalar ? new Num(1) : new Ref(-1, Model.ReturnKind),
            Adj a when _aliases.TryGetValue(a.Node, out var alias) => alias,
            Ref r when r.Node >= 0 && _plan.IsInlinedTranspose(r.Node) => NeverFormedTranspose(r.Node),
            Fn f => new Fn(f.Op, f.Kind, f.Args.Items.Select(Resolve).ToEquatableArray(), f.Index),
            _ => e,
        };

        /// <summary>A transpose that only feeds one product is never formed: references to it read its operand transposed.</summary>
        private Expr NeverFormedTranspose(int node) => new Fn(Op.Transpose, ValueKind.Matrix, new Ref(Model.Nodes[node].Args[0], ValueKind.Matrix));

        /// <summary>
        /// Values an adjoint can alias instead of being stored: references, constant fills such as the
        /// 𝟙 of ∇sum(A) (so that 𝟙 ⊙ B simplifies to B where it is used), and a reference scaled by a
        /// number, such as the 2r of ∇‖r‖² (the number then folds into the kernels that use it).
        /// </summary>
        /// <summary>
        /// Intermediate adjoints (workspace form, no loops or arms) whose variable holds a slot written by their own first
        /// product or by a sum: nothing else refers to that buffer, so later products add into it (MultiplyAddTo).
        /// </summary>
        private readonly HashSet<int> _ownedAdjoints = new();

        private void Own(int target, ValueKind kind)
        {
            if (_workspace is not null && kind == ValueKind.Matrix && !Model.HasRegions)
            {
                _ownedAdjoints.Add(target);
            }
        }

        /// <summary>
        /// <c>name = sum</c> where the sum's slot would be <paramref name="name"/>'s own buffer from the next iteration on (an
        /// aliased Add): the sum goes into a variable of its own and is copied into the adjoint's buffer.
        /// </summary>
        private void WriteSumCopied(string name, string sum, ValueKind kind, string comment)
        {
            var summed = _names.Reserve(name + "Sum");
            _w.Line("var " + summed + " = " + sum + ";" + comment);
            Assign(name, summed, kind);
        }

        /// <summary>s · X for a matrix X: written by Linear.Scale into a fresh slot, which the adjoint then owns.</summary>
        private static bool IsScaledMatrix(Expr e) => e is Fn f && f.Is(Op.Multiply) && f.Kind == ValueKind.Matrix && f[0].Kind == ValueKind.Scalar && f[1].Kind == ValueKind.Matrix;

        /// <summary>A matrix product op(A) op(B) (scale null) or s · op(A) op(B): one GEMM call, the factor on its packing.</summary>
        private static (Fn Product, Expr? Scale)? ScaledMatrixProduct(Expr e)
            => ProductCode.IsMatrixProduct(e) ? ((Fn)e, null)
               : e is Fn f && f.Is(Op.Multiply) && f[0].Kind == ValueKind.Scalar && ProductCode.IsMatrixProduct(f[1]) ? ((Fn)f[1], f[0])
               : null;

        private static bool IsAtomic(Expr e)
            => e is Num or Ref or Adj or Tmp
               || e is Fn fill && (fill.Is(Op.Filled) || fill.Is(Op.Identity)) && fill[1] is Num
               || e is Fn scaled && scaled.Is(Op.Multiply) && scaled[0] is Num or Ref { Kind: ValueKind.Scalar } && scaled[1] is Ref or Adj or Tmp
               || e is Fn negated && negated.Is(Op.Negate) && negated[0] is Ref or Adj or Tmp;

        private void WriteContribution(int target, Expr value)
        {
            if (Model.HasRegions && WriteLoopContribution(target, value))
            {
                return;
            }
            var node = Model.Nodes[target];
            bool isParameter = node.Op == Op.Parameter;
            int total = _plan.Contributions[target].Count;
            _emitted.TryGetValue(target, out var done);
            _emitted[target] = done + 1;
            var math = _math.Print(value);
            if (_workspace is not null && isParameter)
            {
                WriteAccumulation(target, value, math);
                return;
            }
            if (done == 0 && total == 1 && (IsAtomic(value) || _plan.IsInlinedTranspose(target)))
            {
                _aliases[target] = value;
                if (isParameter)
                {
                    _w.Line(_names.Out(target) + " = " + Owned(value, node.Kind) + ";   // ∇" + CommentName(target) + " = " + math);
                }
                else
                {
                    _w.Line("// ∇" + CommentName(target) + " = " + math);
                }
                return;
            }
            if (done == 0 && total == 1 && TryDeferProductAdjoint(target, value, math))
            {
                return;
            }
            var name = isParameter ? _names.Out(target) : _names.Adjoint(target);
            if (done == 0 && total == 1 && !isParameter && FusedActivationBackward(value) is { } fused)
            {
                _w.Line("var " + name + " = " + fused + ";   // ∇" + CommentName(target) + " = " + math + " in one pass");
                Own(target, node.Kind);
                return;
            }
            if (_workspace is not null && done > 0)
            {
                if (_ownedAdjoints.Contains(target) && ScaledMatrixProduct(value) is { } scaled)
                {
                    // The adjoint holds a buffer of its own (a product's or a sum's slot): the product goes straight into it.
                    _w.Line(MultiplyAddTo(name, scaled.Product[0], scaled.Product[1], string.Empty, scaled.Scale) + ";   // ∇" + CommentName(target) + " += " + math);
                    return;
                }
                // No in-place += on an adjoint otherwise: its first value may alias a forward value.
                var sum = _code.Print(new Fn(Op.Add, node.Kind, new Adj(target, node.Kind), value));
                if (node.Kind != ValueKind.Scalar && AccumulatesAcrossIterations(target))
                {
                    WriteSumCopied(name, sum, node.Kind, "   // ∇" + CommentName(target) + " += " + math);
                    return;
                }
                _w.Line(name + " = " + sum + ";   // ∇" + CommentName(target) + " += " + math);
                Own(target, node.Kind);
                return;
            }
            if (done == 0)
            {
                _w.Line((isParameter ? string.Empty : "var ") + name + " = " + _code.Print(value) + ";   // ∇" + CommentName(target) + " = " + math);
                if (!isParameter && (ScaledMatrixProduct(value) is not null || IsScaledMatrix(value)))
                {
                    Own(target, node.Kind);
                }
            }
            else if (value is Fn negated && negated.Is(Op.Negate))
            {
                _w.Line(name + " -= " + _code.Print(negated[0]) + ";   // ∇" + CommentName(target) + " −= " + _math.Print(negated[0]));
            }
            else
            {
                _w.Line(name + " += " + _code.Print(value) + ";   // ∇" + CommentName(target) + " += " + math);
            }
        }

        /// <summary>
        /// An output never aliases an argument, the returned value or another output. An internal
        /// value (a forward intermediate, an adjoint, a temporary) is handed to the first output that
        /// takes it as is: nothing mutates it afterwards. Anything else is copied.
        /// </summary>
        private string Owned(Expr value, ValueKind kind)
        {
            var code = _code.Print(value);
            if (kind == ValueKind.Scalar || value is Num || value is Fn)
            {
                return code;
            }
            bool external = value is Ref r && (r.Node < 0 || r.Node == Model.Result || Model.Nodes[r.Node].Op == Op.Parameter)
                || value is Dif d && Model.Nodes[d.Node].Op == Op.Parameter;
            return !external && _handedOut.Add(code) ? code : code + ".Clone()";
        }

        private readonly HashSet<string> _handedOut = new();

        /// <summary>Parameters the result does not depend on get a zero gradient of their shape (never null).</summary>
        private void WriteUnreachedGradients()
        {
            if (_workspace is not null)
            {
                WriteWorkspaceSeedGradient();
                return;
            }
            var element = Model.ElementType;
            var zeros = Model.Parameters.Where(p => p.Differentiated && !_plan.Contributions.ContainsKey(p.Node)).ToList();
            if (zeros.Count == 0)
            {
                return;
            }
            _w.Line();
            foreach (var p in zeros)
            {
                if (p.Node == Model.Result)
                {
                    _w.Line(_names.Out(p.Node) + " = " + Owned(Resolve(new Adj(p.Node, p.Kind)), p.Kind) + ";   // ∇" + CommentName(p.Node) + " = seed");
                    continue;
                }
                var zero = p.Kind switch
                {
                    ValueKind.Matrix => "new global::AutoGradGen.Matrix<" + element + ">(" + p.Name + ".Rows, " + p.Name + ".Cols)",
                    ValueKind.Vector => "new global::AutoGradGen.Vector<" + element + ">(" + p.Name + ".Length)",
                    _ => _code.Literal(0),
                };
                _w.Line(_names.Out(p.Node) + " = " + zero + ";   // f does not depend on " + CommentName(p.Node));
            }
        }
    }
}
