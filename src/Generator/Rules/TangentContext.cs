using System;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>
    /// What a differential rule sees: the operands, the node's own value Y, and each operand's
    /// differential ∂Aᵢ (null where it is zero: the operand does not vary).
    /// </summary>
    internal sealed class TangentContext
    {
        private readonly Func<int, Expr> _arg;
        private readonly Func<int, ValueKind> _kindOf;
        private readonly Func<int, Expr?> _differential;

        /// <summary>The rule of an IR node: operands and Y are the node's SSA values.</summary>
        public TangentContext(MethodModel model, IrNode node, Func<int, Expr?> differential)
        {
            Node = node;
            Op = node.Op;
            Kind = node.Kind;
            Arity = node.Args.Count;
            Y = new Ref(node.Id, node.Kind);
            _arg = i => RuleContext.Operand(model, node.Args[i]);
            _kindOf = i => model.Nodes[node.Args[i]].Kind;
            _differential = differential;
        }

        /// <summary>
        /// The rule applied to an expression (forward mode over a derivative expression, for second
        /// order): the operands are the expression's arguments and Y is the expression itself.
        /// </summary>
        public TangentContext(Fn expression, Func<int, Expr?> differential)
        {
            Op = expression.Op;
            Kind = expression.Kind;
            Arity = expression.Args.Count;
            Y = expression;
            _arg = i => expression[i];
            _kindOf = i => expression[i].Kind;
            _differential = differential;
        }

        /// <summary>The IR node the rule is applied to; null when it is applied to an expression.</summary>
        public IrNode? Node { get; }

        /// <summary>The op whose rule this is.</summary>
        public Op Op { get; }

        /// <summary>The kind of the value Y.</summary>
        public ValueKind Kind { get; }

        /// <summary>The value Y itself: the node's value, or the expression.</summary>
        public Expr Y { get; }

        public int Arity { get; }

        /// <summary>Operand <paramref name="i"/> as a forward value (a literal as its number).</summary>
        public Expr Arg(int i) => _arg(i);

        public ValueKind KindOf(int i) => _kindOf(i);

        /// <summary>∂ of operand <paramref name="i"/>, or null when it is zero.</summary>
        public Expr? D(int i) => _differential(i);

        /// <summary><paramref name="term"/> of ∂Aᵢ, or null when ∂Aᵢ is zero.</summary>
        public Expr? With(int i, Func<Expr, Expr> term) => D(i) is { } d ? term(d) : null;
    }

    /// <summary>
    /// Reads a pullback off a differential rule, as Chen's lecture reads the gradient off ∂f = Tr(Ḡᵀ ∂Y):
    /// the rule's ∂Y is linear in the operands' differentials, so walking it from the top with the
    /// cotangent Ḡ and applying each linear op's transpose gives Jᵀ Ḡ for every operand.
    /// </summary>
    internal static class Transposer
    {
        /// <summary>The pullback derived from the node's differential rule.</summary>
        public static Pullback Derive(RuleContext c)
        {
            var op = c.Node.Op;
            var tangent = op.Tangent!(new TangentContext(c.Model, c.Node, i => new OperandDif(i, c.KindOf(i))));
            var contributions = new System.Collections.Generic.List<(int Operand, Expr Value)>();
            if (tangent is not null)
            {
                Transpose(tangent, c.G, contributions);
            }
            // Operand order, as Chen's lecture writes Ā before B̄; terms of one operand keep their order.
            var steps = new System.Collections.Generic.List<Step>();
            for (int i = 0; i < c.Arity; i++)
            {
                foreach (var (operand, value) in contributions)
                {
                    if (operand == i)
                    {
                        steps.Add(new Contribute(i, value));
                    }
                }
            }
            // A differential left inside a cotangent only gives a shape (𝟙 of ∂A's shape): ∂A has A's shape.
            return c.Make(op.LawFor(c.Node.Args.Select(a => c.Model.Nodes[a].Kind).ToArray()),
                steps.Select(s => s is Contribute k ? new Contribute(k.Operand, Primal(k.Value, c)) : s));
        }

        private static Expr Primal(Expr e, RuleContext c) => e switch
        {
            OperandDif d => c.Arg(d.Operand),
            Fn f => new Fn(f.Op, f.Kind, f.Args.Items.Select(a => Primal(a, c)).ToEquatableArray(), f.Index),
            _ => e,
        };


        /// <summary>Adds Jᵀ <paramref name="cotangent"/> of every operand differential in <paramref name="linear"/>.</summary>
        public static void Transpose(Expr linear, Expr cotangent, System.Collections.Generic.List<(int Operand, Expr Value)> into)
        {
            switch (linear)
            {
                case OperandDif d:
                    into.Add((d.Operand, cotangent));
                    return;
                case Fn f:
                    if (f.Op.TransposeOf is null)
                    {
                        throw new InvalidOperationException("The differential uses " + f.Op + ", which has no transpose rule.");
                    }
                    for (int i = 0; i < f.Args.Count; i++)
                    {
                        if (E.HasDif(f[i]))
                        {
                            Transpose(f[i], f.Op.TransposeOf(f, i, cotangent), into);
                        }
                    }
                    return;
            }
        }
    }
}
