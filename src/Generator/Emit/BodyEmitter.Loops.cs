using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// Loops. The forward loop is the user's (same counter, same names; a carried local h is one variable, h2,
    /// assigned its next value at the end of each iteration) and pushes onto a tape the values its backward pass
    /// reads, and only those. The backward loop runs the counter the other way, pops them, and applies the body's
    /// rules: the carried adjoint dh2 enters each iteration as the adjoint of the next value and leaves it as the
    /// adjoint of the value the iteration started from; adjoints of values from before the loop accumulate.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        private readonly Dictionary<int, string> _tapes = new();
        private readonly Dictionary<int, string> _exitTapes = new();
        private readonly Dictionary<int, string> _accumulators = new();
        private readonly HashSet<int> _materialized = new();
        private readonly HashSet<int> _recomputedInts = new();
        private int _site = int.MaxValue;

        private IEnumerable<LoopModel> LiveLoops => Model.Loops.Items.Where(_plan.IsLive);

        /// <summary>The innermost loop whose body holds <paramref name="node"/>, or null.</summary>
        private LoopModel? InnermostLoop(int node)
            => Model.Loops.Items.Where(l => l.Contains(node)).OrderByDescending(l => l.BodyStart).FirstOrDefault();

        private bool InLoop(int node) => InnermostLoop(node) is not null;

        private string TypeOf(int node)
            => Model.Nodes[node].Kind == ValueKind.Int ? "int" : Emitter.TypeText(Model.Nodes[node].Kind, Model.ElementType);

        /// <summary>Which forward values of loop bodies the backward pass reads: each gets a tape (a phi of a nested loop also an exit tape).</summary>
        private void PlanTapes()
        {
            var read = new SortedSet<int>();
            var readInside = new HashSet<int>();
            foreach (var pullback in _plan.Pullbacks.Where(p => InLoop(p.Node.Id)))
            {
                // The values the printed code reads (a rule's expression may mention more, for its comment).
                var refs = _recording = new SortedSet<int>();
                foreach (var step in pullback.Pullback.Steps)
                {
                    var value = step switch { Let l => l.Value, Contribute c => c.Value, _ => null };
                    if (value is not null)
                    {
                        _code.Print(Prepare(value));
                    }
                }
                _recording = null;
                read.UnionWith(refs);
                readInside.UnionWith(refs.Where(r => _plan.LoopOfPhi(r) is { } l && l.Contains(pullback.Node.Id)));
            }
            foreach (var loop in LiveLoops)
            {
                read.UnionWith(AccumulationTargets(loop).Where(t => Model.Nodes[t].Op != Op.Phi));
            }
            foreach (var node in read.Where(IsReread).ToList())
            {
                _rereads.Add(node);
                read.UnionWith(NamedInts(node));
            }
            RecomputedOperands(read);
            var taped = read.Where(n => n >= 0 && InLoop(n) && !_plan.IsFusedAway(n) && !_rereads.Contains(n)).ToList();
            AliasNextValues(taped, readInside);
            foreach (var node in taped.Where(n => !_nextOfPhi.ContainsKey(n)))
            {
                var n = Model.Nodes[node];
                if (n.Kind == ValueKind.Int)
                {
                    if (n.Op != Op.Counter)
                    {
                        _recomputedInts.Add(node);
                    }
                    continue;
                }
                if (n.Op == Op.Phi && _plan.LoopOfPhi(node) is { Parent: >= 0 })
                {
                    _exitTapes[node] = _names.Reserve(_names.Value(node).TrimStart('@') + "Exit");
                }
                if (n.Op != Op.Phi || readInside.Contains(node))
                {
                    _tapes[node] = _names.Reserve(_names.Value(node).TrimStart('@') + "Tape");
                }
            }
        }

        /// <summary>
        /// A carried local's value at the end of an iteration is its value at the start of the next one, or after the
        /// loop. When the backward pass reads both, the carried local's tape serves for both: a backward iteration
        /// reads the end value from the carried local before popping the local's value at the start of the iteration.
        /// (Branch arms run at most once, and a value at the end that is an inner loop's carried local has an exit tape.)
        /// </summary>
        private void AliasNextValues(List<int> taped, HashSet<int> readInside)
        {
            foreach (var loop in LiveLoops.Where(l => !l.Branch))
            {
                foreach (var c in loop.Carried)
                {
                    if (c.Next != c.Phi && taped.Contains(c.Phi) && readInside.Contains(c.Phi) && taped.Contains(c.Next)
                        && Model.Nodes[c.Next].Op != Op.Phi && InnermostLoop(c.Next) == loop && !_nextOfPhi.ContainsKey(c.Next))
                    {
                        _nextOfPhi[c.Next] = c.Phi;
                    }
                }
            }
        }

        /// <summary>
        /// A read of a parameter (an element, a row, a column or a block at indices the counters give) is read again by
        /// the backward loop instead of being taped: parameters never change, and it is a copy either way, without the tape.
        /// </summary>
        private bool IsReread(int node)
            => node >= 0 && InLoop(node) && !_plan.IsFusedAway(node) && !IsInlined(Model.Nodes[node])
               && Model.Nodes[node] is { Op: var op } n && n.Args.Count > 0 && Model.Nodes[n.Args[0]].Op == Op.Parameter
               && (op == Op.Element || op == Op.Column || op == Op.Row || op == Op.SliceRows || op == Op.SliceColumns);

        /// <summary>The ints of a loop body, declared by name, that a node's printed code reads (through inlined int expressions).</summary>
        private IEnumerable<int> NamedInts(int node)
        {
            foreach (var a in Model.Nodes[node].Args.Where(a => Model.Nodes[a].Kind == ValueKind.Int && InLoop(a) && Model.Nodes[a].Op != Op.Counter))
            {
                var operand = Model.Nodes[a];
                foreach (var n in IsInlined(operand) ? NamedInts(a) : new[] { a })
                {
                    yield return n;
                }
            }
        }

        /// <summary>The reads <see cref="IsReread"/> picks: recomputed at the top of their backward iteration.</summary>
        private readonly HashSet<int> _rereads = new();

        /// <summary>Values at the end of an iteration read from their carried local instead of a tape (<see cref="AliasNextValues"/>).</summary>
        private readonly Dictionary<int, int> _nextOfPhi = new();

        /// <summary>
        /// The bounds of loops nested in a loop (a branch arm's bound is its condition) are recomputed by the backward loop
        /// around them, and so is every int they read; a value of another kind they read gets a tape.
        /// </summary>
        private void RecomputedOperands(SortedSet<int> read)
        {
            foreach (var loop in LiveLoops.Where(l => l.Parent >= 0))
            {
                foreach (var n in new[] { loop.Start, loop.Bound, loop.Step }.Where(n => Model.Nodes[n].Op != Op.Literal))
                {
                    // An unnamed int (3 - 1) is printed inline in the loop's header: only the named ints it reads are recomputed.
                    read.UnionWith(IsInlined(Model.Nodes[n]) ? NamedInts(n) : new[] { n });
                }
            }
            var work = new Stack<int>(read.Where(n => n >= 0 && InLoop(n) && Model.Nodes[n].Kind == ValueKind.Int));
            while (work.Count > 0)
            {
                foreach (var operand in Model.Nodes[work.Pop()].Args)
                {
                    if (InLoop(operand) && Model.Nodes[operand].Op != Op.Literal && Model.Nodes[operand].Op != Op.Counter && read.Add(operand) && Model.Nodes[operand].Kind == ValueKind.Int)
                    {
                        work.Push(operand);
                    }
                }
            }
        }

        /// <summary>While planning the tapes: the nodes whose values printed code refers to.</summary>
        private SortedSet<int>? _recording;

        /// <summary>Values defined before the loop (or in an enclosing one) whose adjoints the loop's iterations add to.</summary>
        private List<int> AccumulationTargets(LoopModel loop)
        {
            var targets = new SortedSet<int>();
            foreach (var pair in _plan.Sites)
            {
                if (pair.Key < loop.BodyStart && pair.Value.Any(site => _plan.SiteIn(loop, site)))
                {
                    targets.Add(pair.Key);
                }
            }
            foreach (var pair in _plan.LoopSites)
            {
                if (pair.Key < loop.BodyStart && pair.Value.Any(site => _plan.SiteIn(loop, site)))
                {
                    targets.Add(pair.Key);
                }
            }
            return targets.Where(_plan.NeedsAdjoint).ToList();
        }

        // ── forward ────────────────────────────────────────────────────────────────

        private void WriteForwardRegions()
        {
            _w.Line("// ── forward ──────────────────────────────────────────────────────────");
            foreach (var pair in _tapes.Concat(_exitTapes).OrderBy(p => p.Value, System.StringComparer.Ordinal))
            {
                _w.Line(_workspace is null
                    ? "var " + pair.Value + " = new global::System.Collections.Generic.Stack<" + TypeOf(pair.Key) + ">();   // the values of " + CommentName(pair.Key) + (InnermostLoop(pair.Key) is { Branch: true } ? " the backward arm reads, one each time the arm runs" : " the backward loop reads, one per iteration")
                    : "int " + pair.Value + " = 0;   // how many values of " + CommentName(pair.Key) + " the backward loop reads workspace." + TapeField(pair.Value, pair.Key) + " holds");
            }
            var open = new Stack<LoopModel>();
            foreach (var node in Model.Nodes)
            {
                while (open.Count > 0 && !open.Peek().Contains(node.Id))
                {
                    CloseForwardLoop(open.Pop());
                }
                if (Model.Loops.Items.FirstOrDefault(l => l.BodyStart == node.Id) is { } loop && _plan.IsLive(loop))
                {
                    OpenForwardLoop(loop);
                    open.Push(loop);
                }
                if (node.Op == Op.Phi || node.Op == Op.Counter || !_plan.Live[node.Id] || IsInlined(node) || IsBranchBound(node.Id))
                {
                    continue;
                }
                if (_plan.IsFusedAway(node.Id))
                {
                    _w.Line("// " + CommentName(node.Id) + " = " + _math.Print(_form.Forward(node.Id)) +
                            (_plan.IsInlinedTranspose(node.Id) ? " is never formed: the product reads it transposed" : " is fused into the next activation"));
                    continue;
                }
                WriteForward(node);
                if (_tapes.TryGetValue(node.Id, out var tape))
                {
                    Push(tape, node.Id);
                }
            }
            while (open.Count > 0)
            {
                CloseForwardLoop(open.Pop());
            }
        }

        private void OpenForwardLoop(LoopModel loop)
        {
            foreach (var c in loop.Carried.Items.Where(c => _plan.Live[c.Phi]))
            {
                _w.Line("var " + _names.Value(c.Phi) + " = " + ValueCode(c.Init) + ";   // " + CommentName(c.Phi) + (loop.Branch ? ": its value unless the arm below assigns it" : ": carried from one iteration to the next"));
            }
            _w.Open(ForwardHeader(loop));
            foreach (var c in loop.Carried.Items.Where(c => _tapes.ContainsKey(c.Phi)))
            {
                Push(_tapes[c.Phi], c.Phi);
            }
        }

        private readonly Dictionary<string, string> _tapeFields = new();

        private string TapeField(string tape, int node)
        {
            if (!_tapeFields.TryGetValue(tape, out var field))
            {
                _tapeFields[tape] = field = _workspace!.Tape(tape, Model.Nodes[node].Kind);
            }
            return field;
        }

        /// <summary>Records a value for the backward loop: onto a stack, or (workspace) as a copy into the tape's next slot.</summary>
        private void Push(string tape, int node)
        {
            var value = _names.Value(node);
            if (_workspace is null)
            {
                _w.Line(tape + ".Push(" + value + ");");
                return;
            }
            var field = "workspace." + TapeField(tape, node);
            var kind = Model.Nodes[node].Kind;
            var element = kind == ValueKind.Scalar ? Model.ElementType : TypeOf(node) + "?";
            _w.Line("if (" + tape + " == (" + field + " ??= new " + element.Replace("?", string.Empty) + (kind == ValueKind.Scalar ? "" : "?") + "[4]).Length) global::System.Array.Resize(ref " + field + ", 2 * " + tape + ");");
            _w.Line(kind == ValueKind.Scalar
                ? field + "[" + tape + "++] = " + value + ";"
                : Linear + ".AddTo(" + Linear + ".Ensure(ref " + field + "[" + tape + "++], " + Shape(value, kind) + "), " + value + ", accumulate: false);");
        }

        private string Pop(string tape, int node)
            => _workspace is null ? tape + ".Pop()" : "workspace." + TapeField(tape, node) + "![--" + tape + "]" + (Model.Nodes[node].Kind == ValueKind.Scalar ? string.Empty : "!");

        private static string Shape(string value, ValueKind kind) => kind == ValueKind.Matrix ? value + ".Rows, " + value + ".Cols" : value + ".Length";

        /// <summary>
        /// target = a copy of value. In the workspace a carried value or adjoint gets a slot of its own, so that no
        /// operation of the next iteration writes into the storage it reads.
        /// </summary>
        private void Assign(string target, string value, ValueKind kind)
        {
            if (_workspace is null || kind == ValueKind.Scalar)
            {
                _w.Line(target + " = " + value + ";");
                return;
            }
            _w.Line(target + " = " + Linear + ".Ensure(ref " + _workspace.Slot(kind) + ", " + Shape(value, kind) + ");");
            _w.Line(Linear + ".AddTo(" + target + ", " + value + ", accumulate: false);");
        }

        private void CloseForwardLoop(LoopModel loop)
        {
            foreach (var c in loop.Carried.Items.Where(c => _plan.Live[c.Phi] && c.Next != c.Phi))
            {
                Assign(_names.Value(c.Phi), ValueCode(c.Next), Model.Nodes[c.Phi].Kind);
            }
            _w.Close();
            foreach (var c in loop.Carried.Items.Where(c => _exitTapes.ContainsKey(c.Phi)))
            {
                _w.Line("// " + CommentName(c.Phi) + " after the loop, for the enclosing loop's backward pass");
                Push(_exitTapes[c.Phi], c.Phi);
            }
        }

        private bool IsOne(int node) => Model.Nodes[node].Op == Op.Literal && Model.Nodes[node].Value == 1;

        // ── backward ───────────────────────────────────────────────────────────────

        private List<(int Position, bool Open, LoopModel Loop)>? _events;

        private bool NeedsBackward(LoopModel loop) => _plan.IsLive(loop) && loop.Carried.Items.Any(c => _plan.NeedsAdjoint(c.Phi));

        private void WriteBackwardRegions()
        {
            _w.Line();
            _w.Line("// ── backward: ∂f = Tr(Ḡᵀ ∂X) ⇒ ∇X f = Ḡ ──────────────────────────────");
            _events = Model.Loops.Items.Select((l, i) => (l, i)).Where(p => NeedsBackward(p.l))
                .SelectMany(p => new[] { (Position: p.l.BodyEnd, Open: true, Loop: p.l, Order: p.i), (Position: p.l.BodyStart, Open: false, Loop: p.l, Order: -p.i) })
                .OrderByDescending(e => e.Position).ThenBy(e => e.Open).ThenBy(e => e.Order)
                .Select(e => (e.Position, e.Open, e.Loop)).ToList();
            foreach (var pullback in _plan.Pullbacks)
            {
                AdvanceTo(pullback.Node.Id);
                _site = pullback.Node.Id;
                WritePullback(pullback);
            }
            AdvanceTo(-1);
            _site = int.MaxValue;
            WriteUnreachedGradients();
        }

        /// <summary>Opens and closes the backward loops passed on the way down to node <paramref name="id"/>.</summary>
        private void AdvanceTo(int id)
        {
            while (_events!.Count > 0 && _events[0].Position > id)
            {
                var e = _events[0];
                _events.RemoveAt(0);
                if (e.Open)
                {
                    OpenBackwardLoop(e.Loop);
                }
                else
                {
                    CloseBackwardLoop(e.Loop);
                }
            }
        }

        private void OpenBackwardLoop(LoopModel loop)
        {
            _w.Line();
            _w.Line(loop.Branch
                ? "// the arm " + BranchHeader(loop) + ", backwards: its rules, from its last statement to its first"
                : "// the loop over " + _names.Value(loop.Counter) + ", backwards: each iteration's rules, from its last statement to its first");
            foreach (var c in loop.Carried.Items.Where(c => _plan.NeedsAdjoint(c.Phi)))
            {
                MaterializeCarried(c, loop.Branch ? "the arm" : "the loop");
            }
            foreach (var target in AccumulationTargets(loop))
            {
                StartAccumulator(target, loop);
            }
            _w.Open(BackwardHeader(loop));
            foreach (var node in _recomputedInts.Where(n => InnermostLoop(n) == loop && !IsBranchBound(n)).OrderBy(n => n))
            {
                WriteForward(Model.Nodes[node]);
            }
            foreach (var pair in _exitTapes.Where(p => _plan.LoopOfPhi(p.Key)!.Parent >= 0 && Model.Loops[_plan.LoopOfPhi(p.Key)!.Parent] == loop).OrderBy(p => p.Key))
            {
                _w.Line("var " + _names.Value(pair.Key) + " = " + Pop(pair.Value, pair.Key) + ";");
            }
            var restored = _tapes.Keys.Concat(_nextOfPhi.Keys).Concat(_rereads).Where(n => InnermostLoop(n) == loop).OrderByDescending(n => n);
            foreach (var node in restored)
            {
                if (_rereads.Contains(node))
                {
                    WriteForward(Model.Nodes[node]);   // a read of a parameter: read again, not taped
                    continue;
                }
                if (_nextOfPhi.TryGetValue(node, out var phi))
                {
                    // popped before the carried local (higher id): it still holds its value at the start of the next iteration
                    _w.Line("var " + _names.Value(node) + " = " + _names.Value(phi) + ";   // " + CommentName(node) + " at the end of this iteration is " + CommentName(phi) + " at the start of the next");
                    continue;
                }
                _w.Line((Model.Nodes[node].Op == Op.Phi ? string.Empty : "var ") + _names.Value(node) + " = " + Pop(_tapes[node], node) + ";");
            }
            _site = loop.BodyEnd - 1;
            foreach (var c in loop.Carried.Items.Where(c => c.Next != c.Phi && _plan.NeedsAdjoint(c.Next) && _plan.NeedsAdjoint(c.Phi)))
            {
                WriteContribution(c.Next, new Adj(c.Phi, Model.Nodes[c.Phi].Kind));
            }
        }

        private void CloseBackwardLoop(LoopModel loop)
        {
            foreach (var c in loop.Carried.Items.Where(c => _plan.NeedsAdjoint(c.Phi)))
            {
                _w.Line("// ∇" + CommentName(c.Phi) + (loop.Branch ? " before the arm" : " for the iteration before"));
                if (_accumulators.TryGetValue(c.Phi, out var acc))
                {
                    Assign(_names.Adjoint(c.Phi), acc, Model.Nodes[c.Phi].Kind);
                }
                else
                {
                    _w.Line(_names.Adjoint(c.Phi) + " = " + ZeroLike(c.Init) + ";");
                }
            }
            _w.Close();
            _site = loop.Counter;
            foreach (var c in loop.Carried.Items.Where(c => _plan.NeedsAdjoint(c.Phi) && _plan.Varied[c.Init]))
            {
                WriteContribution(c.Init, new Adj(c.Phi, Model.Nodes[c.Phi].Kind));
            }
        }

        /// <summary>The carried adjoint as a variable: the adjoint of the value after the loop (zero if nothing after the loop reads it).</summary>
        private void MaterializeCarried(CarriedModel c, string region)
        {
            var name = _names.Adjoint(c.Phi);
            _emitted.TryGetValue(c.Phi, out var done);
            if (c.Phi == Model.Result || _aliases.ContainsKey(c.Phi))
            {
                _w.Line("var " + name + " = " + _code.Print(Prepare(new Adj(c.Phi, Model.Nodes[c.Phi].Kind))) + ";   // ∇" + CommentName(c.Phi) + " after " + region);
                _aliases.Remove(c.Phi);
            }
            else if (done == 0)
            {
                _w.Line("var " + name + " = " + ZeroLike(c.Init) + ";   // nothing after " + region + " reads " + CommentName(c.Phi));
            }
            _materialized.Add(c.Phi);
        }

        /// <summary>Before a loop whose iterations add to the adjoint of an earlier value: that adjoint as a variable (zero, or its value so far).</summary>
        private void StartAccumulator(int target, LoopModel loop)
        {
            if (_plan.LoopSites.TryGetValue(target, out var sites) && sites.Any(site => _plan.SiteIn(loop, site)))
            {
                if (!_accumulators.ContainsKey(target))
                {
                    _accumulators[target] = _names.Reserve(_names.Adjoint(target) + "Before");
                    _w.Line("var " + _accumulators[target] + " = " + ZeroLike(_plan.CarriedOf(target).Init) + ";");
                }
                return;
            }
            var node = Model.Nodes[target];
            bool parameter = node.Op == Op.Parameter;
            _emitted.TryGetValue(target, out var done);
            var name = parameter ? _names.Out(target) : _names.Adjoint(target);
            if (parameter && _workspace is not null)
            {
                if (_started.Add(target))
                {
                    _w.Line((node.Kind == ValueKind.Scalar ? "if (!accumulate) " + name + " = " + _code.Literal(0) : "if (!accumulate && " + name + " is not null) " + Linear + ".Zero(" + name + ")") +
                            ";   // ∇" + CommentName(target) + Accumulates(loop));
                }
                return;
            }
            if (done == 0)
            {
                _w.Line((parameter ? string.Empty : "var ") + name + " = " + ZeroLike(target) + ";   // ∇" + CommentName(target) + Accumulates(loop));
                _emitted[target] = 1;
            }
            else if (!parameter && _aliases.TryGetValue(target, out var alias))
            {
                _w.Line("var " + name + " = " + _code.Print(alias) + ";   // ∇" + CommentName(target) + (loop.Branch ? " so far; the arm adds to it" : " so far; the iterations add to it"));
                _aliases.Remove(target);
            }
        }

        /// <summary>Whether the current rule runs in a loop that <paramref name="target"/>, computed before it, gets adjoint from on every iteration.</summary>
        private bool AccumulatesAcrossIterations(int target) => Model.Loops.Items.Any(l => !l.Branch && _plan.SiteIn(l, _site) && target <= l.BodyStart);

        /// <summary>Whether the current rule runs in a loop nested in the loop that carries the phi <paramref name="target"/>.</summary>
        private bool InNestedLoop(int target)
            => Model.Loops.Items.Any(l => !l.Branch && _plan.SiteIn(l, _site) && l != _plan.LoopOfPhi(target) && target < l.BodyStart);

        private static string Accumulates(LoopModel loop) => loop.Branch ? " accumulates (the arm adds to it)" : " accumulates over the iterations";

        /// <summary>A phi's adjoint within one iteration, accumulated apart from the carried adjoint until the iteration ends.</summary>
        private bool WriteLoopContribution(int target, Expr value)
        {
            if (!_plan.IsInLoopPhi(target, _site))
            {
                return false;
            }
            var math = _math.Print(value);
            if (!_accumulators.TryGetValue(target, out var acc))
            {
                _accumulators[target] = acc = _names.Reserve(_names.Adjoint(target) + "Before");
                _w.Line("var " + acc + " = " + _code.Print(value) + ";   // ∇" + CommentName(target) + " at the start of the iteration = " + math);
                return true;
            }
            var kind = Model.Nodes[target].Kind;
            if (_workspace is not null && kind != ValueKind.Scalar && InNestedLoop(target))
            {
                // Added to on every iteration of a loop nested in the phi's.
                WriteSumCopied(acc, Linear + ".Add(" + acc + ", " + _code.Print(value) + ", ref " + _workspace.Slot(kind) + ")", kind,
                    "   // ∇" + CommentName(target) + " += " + math);
                return true;
            }
            _w.Line(_workspace is null || kind == ValueKind.Scalar
                ? acc + " += " + _code.Print(value) + ";   // ∇" + CommentName(target) + " += " + math
                : acc + " = " + Linear + ".Add(" + acc + ", " + _code.Print(value) + ", ref " + _workspace.Slot(kind) + ");   // ∇" + CommentName(target) + " += " + math);
            return true;
        }

        /// <summary>The counter run backwards, from the last value the forward loop took to its start.</summary>
        /// <summary>The forward loop's header; a branch arm's is if (condition) or if (!condition).</summary>
        private string ForwardHeader(LoopModel loop)
        {
            if (loop.Branch)
            {
                return BranchHeader(loop);
            }
            var t = _names.Value(loop.Counter);
            var step = IsOne(loop.Step) ? (loop.Up ? t + "++" : t + "--") : t + (loop.Up ? " += " : " -= ") + ValueCode(loop.Step);
            return "for (int " + t + " = " + ValueCode(loop.Start) + "; " + t + " " + loop.Comparison + " " + ValueCode(loop.Bound) + "; " + step + ")";
        }

        private string BranchHeader(LoopModel loop)
        {
            var condition = ValueCode(loop.Condition(Model.Nodes));
            return loop.RunsWhenFalse(Model.Nodes) ? "if (!" + condition + ")" : "if (" + condition + ")";
        }

        /// <summary>Whether a node is a branch arm's bound (condition ? 1 : 0): never printed, the arm's header reads the condition.</summary>
        private bool IsBranchBound(int node) => Model.Loops.Items.Any(l => l.Branch && l.Bound == node);

        private string BackwardHeader(LoopModel loop)
        {
            if (loop.Branch)
            {
                return BranchHeader(loop);
            }
            var t = _names.Value(loop.Counter);
            var a = ValueCode(loop.Start);
            var b = ValueCode(loop.Bound);
            bool strict = loop.Comparison.Length == 1;
            string last;
            if (IsOne(loop.Step))
            {
                last = strict ? b + (loop.Up ? " - 1" : " + 1") : b;
                return "for (int " + t + " = " + last + "; " + t + (loop.Up ? " >= " : " <= ") + a + "; " + t + (loop.Up ? "--" : "++") + ")";
            }
            var s = ValueCode(loop.Step);
            // The number of steps that stay inside the bound, n = ⌈(b − a)/s⌉ for t < b, times s, minus one step.
            var span = loop.Up ? "(" + b + " - " + a + (strict ? " - 1" : string.Empty) + " + " + s + ")" : "(" + a + " - " + b + (strict ? " - 1" : string.Empty) + " + " + s + ")";
            last = a + (loop.Up ? " + " : " - ") + "(" + span + " / " + s + " * " + s + " - " + s + ")";
            return "for (int " + t + " = " + last + "; " + t + (loop.Up ? " >= " : " <= ") + a + "; " + t + (loop.Up ? " -= " : " += ") + s + ")";
        }
    }
}
