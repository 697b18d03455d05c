using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// Deterministic names for everything the generated method declares. Generated names keep the
    /// user's (h → gh, luSigma) and never collide with a parameter or local: a taken name gets a suffix.
    /// </summary>
    internal sealed class Names
    {
        private readonly HashSet<string> _taken = new();
        private readonly MethodModel _model;
        private readonly Dictionary<int, string> _values = new();
        private readonly Dictionary<int, string> _adjoints = new();
        private readonly Dictionary<int, string> _lus = new();
        private readonly Dictionary<Symbolic.Tmp, string> _temps = new();
        private readonly Dictionary<(int, int), string> _callGradients = new();

        public Names(MethodModel model)
        {
            _model = model;
            foreach (var node in model.Nodes)
            {
                if (node.Name is not null)
                {
                    _taken.Add(node.Name);
                }
            }
            foreach (var p in model.Parameters)
            {
                _values[p.Node] = p.Name;
            }
            foreach (var p in model.Parameters.Where(p => p.Differentiated))
            {
                _adjoints[p.Node] = Fresh("d" + p.Name.TrimStart('@'));
            }
            Seed = model.ReturnKind == ValueKind.Scalar ? string.Empty : Fresh("seed");
            foreach (var node in model.Nodes.Where(n => n.Op != Op.Parameter))
            {
                _values[node.Id] = node.Name ?? Fresh(Describe(node));
            }
        }

        /// <summary>
        /// A name for a value the user did not name: what it is, and of what — σ(h) is sigmoidH, B⁻¹z is
        /// solveB, a call to Dense is dense.
        /// </summary>
        private string Describe(IrNode node)
        {
            if (node.Op == Op.Call)
            {
                return Lower(node.Callee!.Name);
            }
            var of = node.Args.Select(a => _model.Nodes[a]).FirstOrDefault(a => a.Name is not null);
            return node.Op.ValueName + (of is null ? string.Empty : Upper(of.Name!.TrimStart('@')));
        }

        private static string Lower(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

        private static string Upper(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

        /// <summary>Takes <paramref name="preferred"/> (or a suffixed form) for a generated parameter, before any other generated name.</summary>
        public string Reserve(string preferred) => Fresh(preferred);

        /// <summary>The pullback's seed parameter (empty for a scalar method).</summary>
        public string Seed { get; }

        public string Value(int node) => node < 0 ? Seed : _values[node];

        /// <summary>The out parameter that receives the gradient of a parameter.</summary>
        public string Out(int parameterNode) => _adjoints[parameterNode];

        public string Adjoint(int node)
        {
            if (!_adjoints.TryGetValue(node, out var name))
            {
                // The adjoint of h is dh (the user's name kept as is); of a generated name, dSigmoidH.
                var value = Value(node).TrimStart('@');
                _adjoints[node] = name = Fresh("d" + (_model.Nodes[node].Name is null ? Upper(value) : value));
            }
            return name;
        }

        public string Lu(int node)
        {
            if (!_lus.TryGetValue(node, out var name))
            {
                var value = Value(node).TrimStart('@');
                _lus[node] = name = Fresh("lu" + char.ToUpperInvariant(value[0]) + value.Substring(1));
            }
            return name;
        }

        /// <summary>A rule's temporary, named by its rule's hint (<c>solveT{0}</c> with the operand's name: solveTB).</summary>
        public string Temp(Symbolic.Tmp t)
        {
            if (!_temps.TryGetValue(t, out var name))
            {
                var about = t.Node >= 0 ? Value(t.Node).TrimStart('@') : t.Id.ToString(CultureInfo.InvariantCulture);
                _temps[t] = name = Fresh(string.Format(CultureInfo.InvariantCulture, t.Hint, Upper(about)));
            }
            return name;
        }

        /// <summary>The local workspace of a layer call in the allocating method (its forward values, for its backward).</summary>
        public string CalleeWorkspace(int callNode)
        {
            if (!_calleeWorkspaces.TryGetValue(callNode, out var name))
            {
                _calleeWorkspaces[callNode] = name = Fresh(Value(callNode).TrimStart('@') + "Workspace");
            }
            return name;
        }

        private readonly Dictionary<int, string> _calleeWorkspaces = new();

        public string CallGradient(int callNode, int parameter)
        {
            if (!_callGradients.TryGetValue((callNode, parameter), out var name))
            {
                var callee = _model.Nodes[callNode].Callee!;
                _callGradients[(callNode, parameter)] = name = Fresh(Value(callNode).TrimStart('@') + "_d" + callee.ParameterNames[parameter]);
            }
            return name;
        }

        private readonly Dictionary<int, string> _directions = new();
        private readonly Dictionary<int, string> _products = new();
        private readonly Dictionary<Symbolic.Tmp, string> _tempTangents = new();

        /// <summary>
        /// Second order: reserves, in parameter order, the direction <c>v</c>+name of every differentiated
        /// parameter, then its product <c>hv</c>+name (API.md's names). Call before any other generated name.
        /// </summary>
        public void ReserveSecondOrder()
        {
            foreach (var p in _model.Parameters.Where(p => p.Differentiated))
            {
                _directions[p.Node] = Fresh("v" + p.Name.TrimStart('@'));
            }
            foreach (var p in _model.Parameters.Where(p => p.Differentiated))
            {
                _products[p.Node] = Fresh("hv" + p.Name.TrimStart('@'));
            }
        }

        /// <summary>The node of the only differentiated parameter, or −1 when there are several.</summary>
        public int OnlyDifferentiated => _model.Parameters.Count(p => p.Differentiated) == 1 ? _model.Parameters.First(p => p.Differentiated).Node : -1;

        /// <summary>The tangent of a value along the direction (second order): the parameter's vw, or vH for a value h.</summary>
        public string Direction(int node) => Lazily(_directions, node, "v");

        /// <summary>The differential of an adjoint (second order): the parameter's hvw, or hvH for a value h.</summary>
        public string Product(int node) => Lazily(_products, node, "hv");

        /// <summary>The differential of a rule's temporary: v + its name.</summary>
        public string TempTangent(Symbolic.Tmp t)
        {
            if (!_tempTangents.TryGetValue(t, out var name))
            {
                _tempTangents[t] = name = Fresh("v" + Upper(Temp(t)));
            }
            return name;
        }

        private string Lazily(Dictionary<int, string> names, int node, string prefix)
        {
            if (!names.TryGetValue(node, out var name))
            {
                names[node] = name = Fresh(prefix + Upper(Value(node).TrimStart('@')));
            }
            return name;
        }

        /// <summary>The preferred name if free, else the first free name with a numeric suffix.</summary>
        private string Fresh(string preferred)
        {
            if (_taken.Add(preferred))
            {
                return preferred;
            }
            for (int i = 2; ; i++)
            {
                var candidate = preferred + "_" + i.ToString(CultureInfo.InvariantCulture);
                if (_taken.Add(candidate))
                {
                    return candidate;
                }
            }
        }
    }
}
