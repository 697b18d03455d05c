using System;
using System.Globalization;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// Prints expressions as C# that calls the runtime, choosing fused kernels by pattern:
    /// Aᵀ B → MultiplyTransposeA, A Bᵀ → MultiplyTransposeB, x yᵀ → Outer, solves through a shared LU.
    /// </summary>
    internal sealed class CodePrinter
    {
        public const string Ops = "global::AutoGradGen.Ops";
        public const string Kernels = "global::AutoGradGen.Compute";

        private readonly MethodModel _model;
        private readonly Func<int, string> _value;
        private readonly Func<int, string> _adjoint;
        private readonly Func<int, string> _temp;
        private readonly Func<int, string> _lu;
        private readonly Func<int, int, string> _callGradient;
        private readonly Func<ValueKind, string>? _slot;

        /// <param name="slot">
        /// In workspace mode, returns a fresh workspace field for the result of one operation (for
        /// example <c>workspace.s4</c>); every allocating operation is then printed in its
        /// destination-passing form, <c>Into.Op(…, ref workspace.s4)</c>. Null: ordinary allocating calls.
        /// </param>
        public CodePrinter(MethodModel model, Func<int, string> value, Func<int, string> adjoint, Func<int, string> temp,
            Func<int, string> lu, Func<int, int, string> callGradient, Func<ValueKind, string>? slot = null)
        {
            _slot = slot;
            _model = model;
            _value = value;
            _adjoint = adjoint;
            _temp = temp;
            _lu = lu;
            _callGradient = callGradient;
        }

        private string Element => _model.ElementType;

        public string Literal(double value)
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            if (double.IsNaN(value))
            {
                return Element + ".NaN";
            }
            if (double.IsPositiveInfinity(value))
            {
                return Element + ".PositiveInfinity";
            }
            if (double.IsNegativeInfinity(value))
            {
                return Element + ".NegativeInfinity";
            }
            if (_model.IsFloat)
            {
                return text + "f";
            }
            return text.Contains(".") || text.Contains("E") ? text : text + ".0";
        }

        /// <summary>Prints <paramref name="e"/>; operands that are not atoms are parenthesized.</summary>
        public string Print(Expr e) => e switch
        {
            Num n => n.Value < 0 ? "(" + Literal(n.Value) + ")" : Literal(n.Value),
            Ref r => _value(r.Node),
            Adj a => _adjoint(a.Node),
            Tmp t => _temp(t.Id),
            Fn f => PrintFn(f),
            _ => throw new InvalidOperationException("Unknown expression " + e.GetType().Name),
        };

        private string Atom(Expr e)
        {
            var text = Print(e);
            if (IsSingleCall(text))
            {
                return text;
            }
            return e is Fn { Op: Op.Add or Op.Subtract or Op.Negate or Op.Multiply or Op.Divide or Op.AddColumns or Op.SubtractColumns or Op.ToReal }
                   || e is Fn { Kind: ValueKind.Scalar, Op: Op.Hadamard or Op.ElementwiseDivide or Op.SigmoidBackward or Op.TanhBackward or Op.ReluBackward or Op.ExpBackward or Op.LogBackward or Op.SqrtBackward or Op.SquareBackward }
                ? "(" + text + ")" : text;
        }

        /// <summary>Whether the text is one call such as global::X.F(a, b), which needs no parentheses.</summary>
        private static bool IsSingleCall(string text)
        {
            if (!text.StartsWith("global::", StringComparison.Ordinal) || !text.EndsWith(")", StringComparison.Ordinal))
            {
                return false;
            }
            int open = text.IndexOf('(');
            int depth = 0;
            for (int i = open; i < text.Length; i++)
            {
                depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
                if (depth == 0 && i != text.Length - 1)
                {
                    return false;
                }
            }
            return open > 0 && text.IndexOf(' ', 0, open) < 0;
        }

        private string Call(string target, params Expr[] args) => target + "(" + string.Join(", ", args.Select(Print)) + ")";

        private string PrintFn(Fn f)
        {
            if (_slot is not null && f.Kind is ValueKind.Matrix or ValueKind.Vector && PrintInto(f) is { } into)
            {
                return into;
            }
            switch (f.Op)
            {
                case Op.Add: return Atom(f[0]) + " + " + Atom(f[1]);
                case Op.Subtract: return Atom(f[0]) + " - " + Atom(f[1]);
                case Op.AddColumns: return Atom(f[0]) + " + " + Atom(f[1]);
                case Op.SubtractColumns: return Atom(f[0]) + " - " + Atom(f[1]);
                case Op.Negate: return "-" + Atom(f[0]);
                case Op.Multiply: return Product(f[0], f[1]);
                case Op.Divide: return Atom(f[0]) + " / " + Atom(f[1]);
                case Op.Transpose when f.Kind == ValueKind.Matrix: return Call(Ops + ".Transpose", f[0]);
                case Op.Inverse: return _lu(LuOperand(f[0])) + ".Inverse()";
                case Op.InverseTransposed: return _lu(LuOperand(f[0])) + ".InverseTransposed()";
                case Op.Solve: return _lu(LuOperand(f[0])) + ".Solve(" + Print(f[1]) + ")";
                case Op.SolveTransposed: return _lu(LuOperand(f[0])) + ".SolveTransposed(" + Print(f[1]) + ")";
                case Op.Det: return _lu(LuOperand(f[0])) + ".Determinant()";
                case Op.LogDet: return _lu(LuOperand(f[0])) + ".LogAbsDeterminant()";
                case Op.Rows: return Atom(f[0]) + ".Rows";
                case Op.Cols: return Atom(f[0]) + ".Cols";
                case Op.Length: return Atom(f[0]) + ".Length";
                case Op.ToReal: return "(" + Element + ")" + Atom(f[0]);
                case Op.Count: return "(" + Element + ")" + (f[0].Kind == ValueKind.Vector ? Atom(f[0]) + ".Length" : "(" + Atom(f[0]) + ".Rows * " + Atom(f[0]) + ".Cols)");
                case Op.Filled: return Filled(f);
                case Op.Identity: return Call(Kernels + ".Linear.ScaledIdentity", new Fn(Op.Rows, ValueKind.Int, f[0]), f[1]);
                case Op.SumColumns: return Call(Kernels + ".Linear.SumColumns", f[0]);
                case Op.CallGradient: return _callGradient(((Ref)f[0]).Node, f.Index);
                case Op.SoftmaxLoss: return "-" + Print(new Fn(Op.Dot, ValueKind.Scalar, f[1], new Fn(Op.LogSoftmax, ValueKind.Vector, f[0])));
                default: return PrintElementwise(f);
            }
        }

        private string PrintElementwise(Fn f)
        {
            if (f.Kind == ValueKind.Scalar && ScalarForm(f) is { } scalar)
            {
                return scalar;
            }
            var name = f.Op switch
            {
                Op.SigmoidBackward or Op.TanhBackward or Op.ExpBackward or Op.SqrtBackward or Op.ReluBackward or Op.LogBackward or Op.SquareBackward
                    => Call(Kernels + ".Elementwise." + f.Op, f[0], f[1]),
                Op.ElementwiseDivide => Call(Kernels + ".Elementwise.Divide", f[0], f[1]),
                Op.SoftmaxBackward or Op.LogSoftmaxBackward => Call(Kernels + ".Classification." + f.Op, f[0], f[1]),
                Op.CrossEntropyBackward => Call(Kernels + ".Classification.CrossEntropyBackward", f[0], f[1], f[2]),
                Op.Conv2DBackwardInput or Op.Conv2DBackwardKernel => Call(Kernels + ".Convolution." + f.Op, f.Args.Items.ToArray()),
                Op.MaxPool2DBackward or Op.AvgPool2DBackward => Call(Kernels + ".Pooling." + f.Op, f.Args.Items.ToArray()),
                _ => null,
            };
            return name ?? Call(Ops + "." + f.Op, f.Args.Items.ToArray());
        }

        /// <summary>Scalar forms of element-wise ops: plain arithmetic, no runtime call.</summary>
        private string? ScalarForm(Fn f)
        {
            string A(int i) => Atom(f[i]);
            string one = Literal(1), two = Literal(2), zero = Literal(0);
            return f.Op switch
            {
                Op.Hadamard => A(0) + " * " + A(1),
                Op.ElementwiseDivide => A(0) + " / " + A(1),
                Op.Dot when f[0].Kind == ValueKind.Scalar => A(0) + " * " + A(1),
                Op.SigmoidBackward => A(1) + " * " + A(0) + " * (" + one + " - " + A(0) + ")",
                Op.TanhBackward => A(1) + " * (" + one + " - " + A(0) + " * " + A(0) + ")",
                Op.ExpBackward => A(1) + " * " + A(0),
                Op.LogBackward => A(1) + " / " + A(0),
                Op.SqrtBackward => A(1) + " / (" + two + " * " + A(0) + ")",
                Op.SquareBackward => two + " * " + A(0) + " * " + A(1),
                Op.ReluBackward => "(" + A(0) + " > " + zero + " ? " + A(1) + " : " + zero + ")",
                _ => null,
            };
        }

        private string Filled(Fn f)
        {
            if (f.Kind == ValueKind.Scalar)
            {
                return Print(f[1]);
            }
            var shape = f.Kind == ValueKind.Vector ? Atom(f[0]) + ".Length" : Atom(f[0]) + ".Rows, " + Atom(f[0]) + ".Cols";
            return Kernels + ".Linear.Filled(" + shape + ", " + Print(f[1]) + ")";
        }

        /// <summary>A product, mapped to the kernel that avoids materializing a transpose.</summary>
        private string Product(Expr a, Expr b)
        {
            bool aT = a is Fn { Op: Op.Transpose } && a.Kind == ValueKind.Matrix;
            bool bT = b is Fn { Op: Op.Transpose };
            if (a.Kind == ValueKind.Vector && bT && b.Kind == ValueKind.Vector)
            {
                return Call(Ops + ".Outer", a, ((Fn)b)[0]);
            }
            if (a.Kind == ValueKind.Scalar || b.Kind == ValueKind.Scalar)
            {
                return Atom(a) + " * " + Atom(b);
            }
            if (aT && bT)
            {
                return Ops + ".Transpose(" + Atom(((Fn)b)[0]) + " * " + Atom(((Fn)a)[0]) + ")";
            }
            if (aT)
            {
                return Call(Kernels + ".Products.MultiplyTransposeA", ((Fn)a)[0], b);
            }
            if (bT && b.Kind == ValueKind.Matrix)
            {
                return Call(Kernels + ".Products.MultiplyTransposeB", a, ((Fn)b)[0]);
            }
            return Atom(a) + " * " + Atom(b);
        }

        /// <summary>The destination-passing form of an allocating operation, or null where it has none.</summary>
        private string? PrintInto(Fn f)
        {
            string Into(string name, params Expr[] args)
                => Kernels + "." + Family(f.Op, name) + "." + name + "(" + string.Join(", ", args.Select(Print)) + ", ref " + _slot!(f.Kind) + ")";
            string Lu(string member, params Expr[] args)
                => _lu(LuOperand(f[0])) + "." + member + "(" + string.Join(", ", args.Select(Print).Concat(new[] { "ref " + _slot!(f.Kind) })) + ")";
            switch (f.Op)
            {
                case Op.Add or Op.Subtract or Op.AddColumns or Op.SubtractColumns: return Into(f.Op.ToString(), f[0], f[1]);
                case Op.Negate: return Into("Negate", f[0]);
                case Op.Multiply: return IntoProduct(f, Into);
                case Op.Divide: return Into("Divide", f[0], f[1]);
                case Op.Transpose: return Into("Transpose", f[0]);
                case Op.Outer or Op.Hadamard or Op.Exp or Op.Log or Op.Sigmoid or Op.Tanh or Op.Relu or Op.Square or Op.Sqrt
                    or Op.Softmax or Op.LogSoftmax or Op.Conv2D or Op.MaxPool2D or Op.AvgPool2D:
                    return Into(f.Op.ToString(), f.Args.Items.ToArray());
                case Op.SigmoidBackward or Op.TanhBackward or Op.ExpBackward or Op.SqrtBackward or Op.ReluBackward or Op.LogBackward or Op.SquareBackward
                    or Op.SoftmaxBackward or Op.LogSoftmaxBackward:
                    return Into(f.Op.ToString(), f[0], f[1]);
                case Op.CrossEntropyBackward or Op.Conv2DBackwardInput or Op.Conv2DBackwardKernel or Op.MaxPool2DBackward or Op.AvgPool2DBackward:
                    return Into(f.Op.ToString(), f.Args.Items.ToArray());
                case Op.ElementwiseDivide: return Into("Divide", f[0], f[1]);
                case Op.Filled: return f.Kind == ValueKind.Vector
                    ? Into("Filled", new Fn(Op.Length, ValueKind.Int, f[0]), f[1])
                    : Into("Filled", new Fn(Op.Rows, ValueKind.Int, f[0]), new Fn(Op.Cols, ValueKind.Int, f[0]), f[1]);
                case Op.Identity: return Into("ScaledIdentity", new Fn(Op.Rows, ValueKind.Int, f[0]), f[1]);
                case Op.SumColumns: return Into("SumColumns", f[0]);
                case Op.Solve: return Lu("Solve", f[1]);
                case Op.SolveTransposed: return Lu("SolveTransposed", f[1]);
                case Op.Inverse: return Lu("Inverse");
                case Op.InverseTransposed: return Lu("InverseTransposed");
                default: return null;
            }
        }

        private string IntoProduct(Fn f, Func<string, Expr[], string> into)
        {
            Expr a = f[0], b = f[1];
            bool aT = a is Fn { Op: Op.Transpose } && a.Kind == ValueKind.Matrix;
            bool bT = b is Fn { Op: Op.Transpose };
            if (a.Kind == ValueKind.Vector && bT && b.Kind == ValueKind.Vector)
            {
                return into("Outer", new[] { a, ((Fn)b)[0] });
            }
            if (a.Kind == ValueKind.Scalar || b.Kind == ValueKind.Scalar)
            {
                return a.Kind == ValueKind.Scalar ? into("Scale", new[] { a, b }) : into("Scale", new[] { b, a });
            }
            if (aT && bT)
            {
                return into("Transpose", new Expr[] { E.Mul(((Fn)b)[0], ((Fn)a)[0]) });
            }
            if (aT)
            {
                return into("MultiplyTransposeA", new[] { ((Fn)a)[0], b });
            }
            return bT && b.Kind == ValueKind.Matrix ? into("MultiplyTransposeB", new[] { a, ((Fn)b)[0] }) : into("Multiply", new[] { a, b });
        }

        /// <summary>
        /// The <c>AutoGradGen.Compute</c> family (static class) that holds the destination-passing runtime method
        /// <paramref name="method"/> printed for <paramref name="op"/>.
        /// </summary>
        private static string Family(Op op, string method) => method switch
        {
            "Multiply" or "MultiplyTransposeA" or "MultiplyTransposeB" or "Outer" => "Products",
            "Divide" => op == Op.Divide ? "Linear" : "Elementwise",
            "Add" or "Subtract" or "AddColumns" or "SubtractColumns" or "Negate" or "Scale" or "Transpose"
                or "Filled" or "ScaledIdentity" or "SumColumns" => "Linear",
            "Softmax" or "LogSoftmax" or "SoftmaxBackward" or "LogSoftmaxBackward" or "CrossEntropyBackward" => "Classification",
            "Conv2D" or "Conv2DBackwardInput" or "Conv2DBackwardKernel" => "Convolution",
            "MaxPool2D" or "AvgPool2D" or "MaxPool2DBackward" or "AvgPool2DBackward" => "Pooling",
            _ => "Elementwise",
        };

        private static int LuOperand(Expr e) => e is Ref r ? r.Node
            : throw new InvalidOperationException("A factorization needs a named matrix operand.");
    }
}
