using System;
using System.Linq;
using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Symbolic
{
    /// <summary>
    /// A symbolic matrix expression. One language serves the pullbacks (rules build these), the
    /// emitted C# (<see cref="Emit.CodePrinter"/>) and the closed forms in the XML doc
    /// (<see cref="Formula.MathPrinter"/>), so the code and its documentation cannot disagree.
    /// </summary>
    internal abstract record Expr(ValueKind Kind)
    {
        public static Expr operator +(Expr a, Expr b) => new Fn(Op.Add, a.Kind == ValueKind.Scalar ? b.Kind : a.Kind, a, b);

        public static Expr operator -(Expr a, Expr b) => new Fn(Op.Subtract, a.Kind == ValueKind.Scalar ? b.Kind : a.Kind, a, b);
    }

    /// <summary>A forward value: a parameter or an IR node's result.</summary>
    internal sealed record Ref(int Node, ValueKind Kind) : Expr(Kind);

    /// <summary>The adjoint Ḡ = ∂f/∂(node) accumulated so far.</summary>
    internal sealed record Adj(int Node, ValueKind Kind) : Expr(Kind);

    /// <summary>The differential ∂(node) in a tangent (forward-mode) sweep: the input differential of a parameter, or a node's tangent.</summary>
    internal sealed record Dif(int Node, ValueKind Kind) : Expr(Kind);

    /// <summary>
    /// The differential of operand <see cref="Operand"/> of the node a rule is applied to: the unknown
    /// that a tangent rule is linear in, and that transposition reads the pullback off.
    /// </summary>
    internal sealed record OperandDif(int Operand, ValueKind Kind) : Expr(Kind);

    /// <summary>
    /// The differential of an adjoint or of a rule's temporary, in the tangent of a reverse sweep (second
    /// order): ∂Ḡ of a value is the Hessian-vector product flowing back to it.
    /// </summary>
    internal sealed record Tan(Expr Of) : Expr(Of.Kind);

    /// <summary>A temporary that a rule defines once and uses several times.</summary>
    /// <param name="Id">Unique within one method's plan.</param>
    /// <param name="Kind">Its kind.</param>
    /// <param name="Hint">How the generated variable is named: <c>{0}</c> stands for the name of <paramref name="Node"/>.</param>
    /// <param name="Node">The value the hint refers to.</param>
    internal sealed record Tmp(int Id, ValueKind Kind, string Hint = "r", int Node = -1) : Expr(Kind);

    /// <summary>A numeric constant.</summary>
    internal sealed record Num(double Value) : Expr(ValueKind.Scalar);

    /// <summary>An operation applied to operands. For <see cref="Op.CallGradient"/>, <see cref="Index"/> is the parameter index.</summary>
    internal sealed record Fn(Op Op, ValueKind Kind, EquatableArray<Expr> Args, int Index = 0) : Expr(Kind)
    {
        public Fn(Op op, ValueKind kind, params Expr[] args)
            : this(op, kind, EquatableArray.From(args))
        {
        }

        public Expr this[int i] => Args[i];

        public bool Is(Op op) => ReferenceEquals(Op, op);
    }

    /// <summary>Small constructors that read like the math.</summary>
    internal static class E
    {
        public static Expr Neg(Expr x) => new Fn(Op.Negate, x.Kind, x);

        public static Expr Sub(Expr a, Expr b) => new Fn(Op.Subtract, a.Kind == ValueKind.Scalar ? b.Kind : a.Kind, a, b);

        public static Expr T(Expr x) => new Fn(Op.Transpose, x.Kind, x);

        /// <summary>A product: scalar·anything, matrix·matrix, matrix·vector, or vector·vectorᵀ (outer).</summary>
        public static Expr Mul(Expr a, Expr b)
        {
            ValueKind kind;
            if (a.Kind == ValueKind.Scalar)
            {
                kind = b.Kind;
            }
            else if (b.Kind == ValueKind.Scalar)
            {
                kind = a.Kind;
            }
            else if (a.Kind == ValueKind.Vector && Is(b, Op.Transpose) && b.Kind == ValueKind.Vector)
            {
                kind = ValueKind.Matrix;
            }
            else
            {
                kind = b.Kind;
            }
            return new Fn(Op.Multiply, kind, a, b);
        }

        public static Expr Div(Expr a, Expr s) => new Fn(Op.Divide, a.Kind, a, s);

        public static Expr Had(Expr a, Expr b) => new Fn(Op.Hadamard, a.Kind, a, b);

        public static Expr F(Op op, ValueKind kind, params Expr[] args) => new Fn(op, kind, args);

        public static bool IsOne(Expr e) => e is Num { Value: 1 } || e is Fn f && f.Is(Op.Filled) && IsOne(f[1]);

        /// <summary>Whether <paramref name="e"/> is an application of <paramref name="op"/>.</summary>
        public static bool Is(Expr e, Op op) => e is Fn f && ReferenceEquals(f.Op, op);

        /// <summary>Whether <paramref name="e"/> is an application of one of <paramref name="ops"/>.</summary>
        public static bool IsAny(Expr e, params Op[] ops) => e is Fn f && System.Array.IndexOf(ops, f.Op) >= 0;

        /// <summary>A sum of the terms that are present: null (zero) when none is.</summary>
        public static Expr? Sum(params Expr?[] terms)
        {
            Expr? total = null;
            foreach (var t in terms)
            {
                if (t is not null)
                {
                    total = total is null ? t : total + t;
                }
            }
            return total;
        }

        /// <summary>Whether the expression mentions an operand differential (is part of the linear map).</summary>
        public static bool HasDif(Expr e) => e is OperandDif || e is Dif || e is Tan || e is Fn f && f.Args.Any(HasDif);

        public static bool IsZero(Expr e) => e is Num { Value: 0 };


    }
}
