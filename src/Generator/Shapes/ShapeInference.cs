using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Shapes
{
    /// <summary>
    /// Symbolic shapes: every dimension of every value is a symbol, and each op's shape rule (declared with
    /// the op) equates symbols with union-find. A parameter's dimensions are its <c>[Shape]</c> entries or
    /// fresh symbols named after it (rows(W), cols(W), len(v)). Unifying two different <c>[Shape]</c>
    /// symbols, or two different integer literals, is a provable mismatch; fresh symbols unify silently.
    /// Every unification of two parameters' dimensions is recorded as a check to make on entry.
    /// </summary>
    internal static class ShapeInference
    {
        /// <summary>Infers the shapes of <paramref name="model"/>; plain data, safe to cache.</summary>
        public static ShapeInfo Infer(MethodModel model) => Solve(model).Result();

        /// <summary>
        /// The dimensions of <paramref name="node"/> after inference: for each axis its class (equal classes are provably
        /// equal sizes), its literal size if one is known, and a C# expression over the parameters that gives it on entry.
        /// </summary>
        public static Dimension[] Dimensions(MethodModel model, int node)
        {
            var solver = Solve(model);
            return solver.Dims(node).Select(solver.DimensionOf).ToArray();
        }

        /// <summary>
        /// Each node's size as C# over the parameters (<c>B.Rows, B.Cols</c>, <c>u.Length</c>, a literal), by node id:
        /// null for a scalar or where a dimension has no such expression.
        /// </summary>
        public static string?[] SizeCodes(MethodModel model)
        {
            var solver = Solve(model);
            return model.Nodes.Select(n => n.Kind == ValueKind.Scalar ? null : solver.Dims(n.Id).Select(d => solver.DimensionOf(d).Code).ToArray())
                .Select(dims => dims is { Length: > 0 } && dims.All(d => d is not null) ? string.Join(", ", dims) : null).ToArray();
        }

        private static Solver Solve(MethodModel model)
        {
            var solver = new Solver(model);
            foreach (var p in model.Parameters)
            {
                solver.Seed(p);
            }
            foreach (var node in model.Nodes)
            {
                if (node.Op == Op.Phi)
                {
                    solver.Same(node.Id, node.Args[0]);
                }
                else if (node.Op.Role != OpRole.Leaf)
                {
                    solver.Apply(node);
                }
            }
            foreach (var loop in model.Loops)
            {
                foreach (var c in loop.Carried)
                {
                    solver.Carry(c.Phi, c.Next);
                }
            }
            return solver;
        }

        /// <summary>Whether a [Shape] entry is an integer literal.</summary>
        public static bool IsLiteral(string entry) => entry.Length > 0 && entry.All(char.IsDigit);

        /// <summary>The union-find over dimension symbols, and what it records.</summary>
        internal sealed class Solver
        {
            private readonly MethodModel _model;
            private readonly List<int> _parent = new();
            private readonly List<string> _fresh = new();
            private readonly List<string?> _symbol = new();
            private readonly List<string?> _literal = new();
            private readonly List<string?> _runtime = new();
            private readonly Dictionary<string, string> _symbolLiteral = new();
            private readonly int[][] _dims;
            private readonly Dictionary<int, string[]> _own = new();
            private readonly List<ShapeMismatch> _mismatches = new();
            private readonly List<(IrNode Node, int I, int J, bool Square, string Left, string Right, string[] SizesA, string[] SizesB)> _checks = new();

            public Solver(MethodModel model)
            {
                _model = model;
                _dims = new int[model.Nodes.Count][];
            }

            public int[] Dims(int node) => (int[])(_dims[node] ?? new int[0]).Clone();

            /// <summary>What is known of one dimension symbol: its class, its literal size, its run-time expression.</summary>
            public Dimension DimensionOf(int symbol)
            {
                var root = Find(symbol);
                return new Dimension(root, LiteralOf(root), _runtime[root], _symbol[root]);
            }

            public int Dim(int node, int axis) => _dims[node] is { } d && axis < d.Length ? d[axis] : -1;

            private int New(string fresh, string? runtime)
            {
                _parent.Add(_parent.Count);
                _fresh.Add(fresh);
                _symbol.Add(null);
                _literal.Add(null);
                _runtime.Add(runtime);
                return _parent.Count - 1;
            }

            /// <summary>Whether two dimension symbols are known to be equal.</summary>
            public bool AreSame(int a, int b) => a >= 0 && b >= 0 && Find(a) == Find(b);

            private int Find(int s)
            {
                while (_parent[s] != s)
                {
                    _parent[s] = _parent[_parent[s]];
                    s = _parent[s];
                }
                return s;
            }

            private string? LiteralOf(int root)
                => _literal[root] ?? (_symbol[root] is { } s && _symbolLiteral.TryGetValue(s, out var l) ? l : null);

            /// <summary>A symbol as printed: its literal, its [Shape] name, or its fresh name.</summary>
            private string Label(int s)
            {
                var root = Find(s);
                return _literal[root] ?? _symbol[root] ?? _fresh[root];
            }

            private string Describe(int node)
                => string.Join(" × ", (_dims[node] ?? new int[0]).Select(Label));

            private string Spelling(int node)
            {
                var n = _model.Nodes[node];
                return (n.Name ?? n.Text ?? n.Op.Name).TrimStart('@');
            }

            public void Seed(ParamModel p)
            {
                var name = p.Name.TrimStart('@');
                _dims[p.Node] = p.Kind switch
                {
                    ValueKind.Vector => new[] { New("len(" + name + ")", p.Name + ".Length") },
                    ValueKind.Matrix => new[] { New("rows(" + name + ")", p.Name + ".Rows"), New("cols(" + name + ")", p.Name + ".Cols") },
                    _ => new int[0],
                };
                _own[p.Node] = _dims[p.Node].Select(d => _runtime[d]!).ToArray();
                if (p.Shape.Count != _dims[p.Node].Length)
                {
                    return;
                }
                for (int k = 0; k < p.Shape.Count; k++)
                {
                    var entry = p.Shape[k].Trim();
                    var s = _dims[p.Node][k];
                    if (IsLiteral(entry))
                    {
                        _literal[s] = int.Parse(entry, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
                        _checks.Add((_model.Nodes[p.Node], 0, -1, false, _runtime[s]!, _literal[s]!, Sizes(p.Node), new string[0]));
                    }
                    else
                    {
                        _symbol[s] = entry;
                    }
                }
            }

            /// <summary>A loop-carried local's value at the start of each iteration has its initial value's shape.</summary>
            public void Same(int node, int like) => _dims[node] = (int[])(_dims[like] ?? new int[0]).Clone();

            /// <summary>
            /// A loop-carried local keeps its shape: its value at the end of an iteration has the shape it started with
            /// (checked, and reported at the assignment, like an operation's operands).
            /// </summary>
            public void Carry(int phi, int next)
            {
                var at = _model.Nodes[next];
                var tie = new IrNode(next, Op.Phi, EquatableArray.From(phi, next), at.Kind, Text: (at.Text ?? Spelling(phi)) + " (assigned to " + Spelling(phi) + " in a loop)");
                var a = _dims[phi] ?? new int[0];
                var b = _dims[next] ?? new int[0];
                for (int k = 0; k < a.Length && k < b.Length; k++)
                {
                    Unify(tie, 0, a[k], 1, b[k], square: false);
                }
            }

            public void Apply(IrNode node)
            {
                var kinds = node.Args.Items.Select(a => _model.Nodes[a].Kind).ToArray();
                int[]? result = null;
                if (node.Op.ShapeRule is { } rule && node.Args.Items.All(a => _dims[a] is not null))
                {
                    var context = new ShapeContext(this, node, kinds);
                    rule(context);
                    result = context.ResultDims;
                }
                var rank = node.Kind == ValueKind.Matrix ? 2 : node.Kind == ValueKind.Vector ? 1 : 0;
                if (result is null || result.Length != rank)
                {
                    var name = Spelling(node.Id);
                    result = rank == 2 ? new[] { New("rows(" + name + ")", null), New("cols(" + name + ")", null) }
                        : rank == 1 ? new[] { New("len(" + name + ")", null) } : new int[0];
                }
                _dims[node.Id] = result.Select(d => d >= 0 ? d : New("?" + node.Id, null)).ToArray();
            }

            /// <summary>
            /// The operand's sizes on entry: a parameter's own (W.Rows, W.Cols); another value's from the parameters
            /// its dimensions were equated with so far (checked by the lines before), a literal, or "?".
            /// </summary>
            private string[] Sizes(int node)
            {
                if (_own.TryGetValue(node, out var own))
                {
                    return own;
                }
                return (_dims[node] ?? new int[0]).Select(d => _runtime[Find(d)] ?? LiteralOf(Find(d)) ?? "?").ToArray();
            }

            /// <summary>Equates symbols <paramref name="a"/> and <paramref name="b"/> (dimensions of operands i and j of <paramref name="node"/>).</summary>
            public void Unify(IrNode node, int i, int a, int j, int b, bool square)
            {
                if (a < 0 || b < 0)
                {
                    return;
                }
                int ra = Find(a), rb = Find(b);
                if (ra == rb)
                {
                    return;
                }
                var symbol = Merge(_symbol[ra], _symbol[rb], out var symbolConflict);
                var literal = Merge(LiteralOf(ra), LiteralOf(rb), out var literalConflict);
                string? known = null;
                bool bound = symbol is not null && literal is not null && _symbolLiteral.TryGetValue(symbol, out known) && known != literal;
                if (symbolConflict || literalConflict || bound)
                {
                    Mismatch(node, i, j, square);
                    return;
                }
                if (_runtime[ra] is { } left && _runtime[rb] is { } right)
                {
                    _checks.Add((node, i, j, square, left, right, Sizes(node.Args[i]), Sizes(node.Args[j])));
                }
                _parent[rb] = ra;
                _symbol[ra] = symbol;
                _literal[ra] = literal;
                _runtime[ra] ??= _runtime[rb];
                if (symbol is not null && literal is not null)
                {
                    _symbolLiteral[symbol] = literal;
                }
            }

            private static string? Merge(string? x, string? y, out bool conflict)
            {
                conflict = x is not null && y is not null && x != y;
                return x ?? y;
            }

            private void Mismatch(IrNode node, int i, int j, bool square)
            {
                if (_mismatches.Any(m => m.Node == node.Id))
                {
                    return;
                }
                int a = node.Args[i], b = node.Args[j];
                var text = node.Text ?? node.Op.Name;
                var message = square
                    ? text + ": " + Spelling(a) + " is " + Describe(a) + ", not square"
                    : text + ": " + Spelling(a) + " is " + Describe(a) + " but " + Spelling(b) + " is " + Describe(b);
                _mismatches.Add(new ShapeMismatch(node.Id, message));
            }

            public ShapeInfo Result()
            {
                var shapes = _model.Nodes.Select(n => Describe(n.Id)).ToEquatableArray();
                var checks = new List<ShapeCheck>();
                foreach (var c in _checks)
                {
                    var a = c.Node.Op == Op.Parameter ? c.Node.Id : c.Node.Args[c.I];
                    var operandA = new CheckOperand(Spelling(a), c.SizesA.ToEquatableArray(), Describe(a));
                    if (c.J < 0)
                    {
                        var declared = "[Shape(" + string.Join(", ", _model.Parameters.First(p => p.Node == a).Shape.Items.Select(s => "\"" + s + "\"")) + ")] " + Spelling(a);
                        checks.Add(new ShapeCheck(c.Left, c.Right, declared, operandA, null, Describe(a)));
                        continue;
                    }
                    var b = c.Node.Args[c.J];
                    checks.Add(c.Square
                        ? new ShapeCheck(c.Left, c.Right, c.Node.Text ?? c.Node.Op.Name, operandA, null, "square")
                        : new ShapeCheck(c.Left, c.Right, c.Node.Text ?? c.Node.Op.Name, operandA, new CheckOperand(Spelling(b), c.SizesB.ToEquatableArray(), Describe(b)), null));
                }
                return new ShapeInfo(shapes, _mismatches.ToEquatableArray(), checks.ToEquatableArray());
            }
        }
    }
}
