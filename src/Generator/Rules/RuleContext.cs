using System.Collections.Generic;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>What a rule sees of the node it differentiates: operands, its own value Y and adjoint Ḡ.</summary>
    internal sealed class RuleContext
    {
        private readonly MethodModel _model;
        private readonly System.Func<int, ValueKind, Tmp> _newTemp;

        public RuleContext(MethodModel model, IrNode node, System.Func<int, ValueKind, Tmp> newTemp)
        {
            _model = model;
            Node = node;
            _newTemp = newTemp;
        }

        public IrNode Node { get; }

        /// <summary>The forward value Y of this node.</summary>
        public Ref Y => new(Node.Id, Node.Kind);

        /// <summary>The adjoint Ḡ of this node.</summary>
        public Adj G => new(Node.Id, Node.Kind);

        /// <summary>Operand <paramref name="i"/> as a forward value.</summary>
        public Expr Arg(int i)
        {
            var operand = _model.Nodes[Node.Args[i]];
            return operand.Op == Op.Literal && operand.Kind == ValueKind.Scalar ? new Num(operand.Value) : new Ref(operand.Id, operand.Kind);
        }

        public ValueKind KindOf(int i) => _model.Nodes[Node.Args[i]].Kind;

        public int Arity => Node.Args.Count;

        public Tmp Temp(ValueKind kind) => _newTemp(Node.Id, kind);

        public Pullback Make(string law, params Step[] steps) => new(law, EquatableArray.From(steps));

        public Pullback Make(string law, IEnumerable<Step> steps) => new(law, steps.ToEquatableArray());
    }
}
