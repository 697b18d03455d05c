using System.Collections.Generic;
using System.Globalization;
using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// The fields of a generated workspace class, allocated while the body is printed: one slot per
    /// operation result (s0, s1, …), one per LU factorization, one per saved forward value of a layer
    /// (v3, …) and one per callee workspace (c5, …). Names are deterministic: allocation order.
    /// </summary>
    internal sealed class WorkspaceLayout
    {
        private readonly string _element;
        private readonly List<(string Name, string Type)> _fields = new();
        private readonly Dictionary<int, string> _lus = new();
        private readonly Dictionary<int, string> _saved = new();
        private readonly Dictionary<int, string> _callees = new();

        public WorkspaceLayout(string element)
        {
            _element = element;
        }

        public IReadOnlyList<(string Name, string Type)> Fields => _fields;

        /// <summary>A fresh destination slot for one operation's result, as an expression on the workspace parameter.</summary>
        public string Slot(ValueKind kind) => "workspace." + Add("s", TypeOf(kind) + "?");

        /// <summary>A loop's tape of one value: an array of per-iteration copies, grown when a call needs more.</summary>
        public string Tape(string tape, ValueKind kind)
        {
            if (!_tapes.TryGetValue(tape, out var name))
            {
                _tapes[tape] = name = Add("t", (kind == ValueKind.Scalar ? _element : TypeOf(kind) + "?") + "[]?");
            }
            return name;
        }

        private readonly Dictionary<string, string> _tapes = new();

        public string Lu(int node) => Get(_lus, node, "lu", Operations.RuntimeApi.Factorization + "<" + _element + ">?");

        /// <summary>The field holding a forward value that a layer's backward method reads back.</summary>
        public string Saved(int node, ValueKind kind) => Get(_saved, node, "v", kind == ValueKind.Int ? "int" : kind == ValueKind.Scalar ? _element : TypeOf(kind) + "?");

        public bool TryGetSaved(int node, out string name) => _saved.TryGetValue(node, out name!);

        public string Callee(int node, string workspaceType) => Get(_callees, node, "c", workspaceType + "?");

        public string TypeOf(ValueKind kind) => kind == ValueKind.Matrix
            ? "global::AutoGradGen.Matrix<" + _element + ">"
            : kind == ValueKind.Vector ? "global::AutoGradGen.Vector<" + _element + ">" : _element;

        private string Get(Dictionary<int, string> map, int node, string prefix, string type)
        {
            if (!map.TryGetValue(node, out var name))
            {
                map[node] = name = Add(prefix, type);
            }
            return name;
        }

        private string Add(string prefix, string type)
        {
            var name = prefix + _fields.Count.ToString(CultureInfo.InvariantCulture);
            _fields.Add((name, type));
            return name;
        }
    }
}
