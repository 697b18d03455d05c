using System.Collections.Generic;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>What a rule sees of the node it differentiates: operands, its own value Y and adjoint Ḡ.</summary>
    internal sealed class RuleContext
    {
        private readonly MethodModel _model;
        private readonly System.Func<ValueKind, string, int, Tmp> _newTemp;

        public RuleContext(MethodModel model, IrNode node, System.Func<ValueKind, string, int, Tmp> newTemp)
        {
            _model = model;
            Node = node;
            _newTemp = newTemp;
        }

        public IrNode Node { get; }

        public MethodModel Model => _model;

        /// <summary>The forward value Y of this node.</summary>
        public Ref Y => new(Node.Id, Node.Kind);

        /// <summary>The adjoint Ḡ of this node.</summary>
        public Adj G => new(Node.Id, Node.Kind);

        /// <summary>Operand <paramref name="i"/> as a forward value.</summary>
        public Expr Arg(int i) => Operand(_model, Node.Args[i]);

        /// <summary>A node as an operand of a rule: scalar literals become numbers.</summary>
        public static Expr Operand(MethodModel model, int id)
        {
            var operand = model.Nodes[id];
            return operand.Op == Op.Literal && operand.Kind == ValueKind.Scalar ? new Num(operand.Value) : new Ref(operand.Id, operand.Kind);
        }

        public ValueKind KindOf(int i) => _model.Nodes[Node.Args[i]].Kind;

        public int Arity => Node.Args.Count;

        /// <summary>A temporary named by <paramref name="hint"/>, where <c>{0}</c> stands for the name of node <paramref name="about"/>.</summary>
        public Tmp Temp(ValueKind kind, string hint, int about) => _newTemp(kind, hint, about);

        /// <summary>The rule of the node: its hand-tuned pullback, or the one derived from its differential.</summary>
        public Pullback? Apply() => Node.Op.Pullback is { } tuned ? tuned(this) : Node.Op.Tangent is not null ? Transposer.Derive(this) : null;

        public Pullback Make(string law, params Step[] steps) => new(law, EquatableArray.From(steps));

        public Pullback Make(string law, IEnumerable<Step> steps) => new(law, steps.ToEquatableArray());
    }
}
