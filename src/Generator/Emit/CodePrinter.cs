using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Operations;
using Printed = AutoGradGen.Generator.Operations.Printed;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// Prints expressions as C# that calls the runtime. The printer knows no op: each op's
    /// declaration (<see cref="Op.Code"/>) says how it is written, in its allocating and its
    /// destination-passing form; the printer supplies names, literals and parentheses.
    /// </summary>
    internal sealed class CodePrinter
    {
        public const string Ops = "global::AutoGradGen.Ops";

        private readonly MethodModel _model;
        private readonly Func<int, string> _value;
        private readonly Func<int, string> _adjoint;
        private readonly Func<Tmp, string> _temp;
        private readonly Func<int, string> _lu;
        private readonly Func<int, int, string> _callGradient;
        private readonly Func<int, string> _differential;
        private readonly Func<ValueKind, string>? _slot;

        /// <summary>Names the differential of an adjoint or temporary (second order); unset elsewhere.</summary>
        public Func<Tan, string>? TangentOf { get; set; }

        /// <param name="slot">
        /// In workspace mode, returns a fresh workspace field for the result of one operation (for
        /// example <c>workspace.s4</c>); every allocating operation is then printed in its
        /// destination-passing form, <c>Family.Op(…, ref workspace.s4)</c>. Null: ordinary allocating calls.
        /// </param>
        public CodePrinter(MethodModel model, Func<int, string> value, Func<int, string> adjoint, Func<Tmp, string> temp,
            Func<int, string> lu, Func<int, int, string> callGradient, Func<ValueKind, string>? slot = null, Func<int, string>? differential = null)
        {
            _slot = slot;
            _model = model;
            _value = value;
            _adjoint = adjoint;
            _temp = temp;
            _lu = lu;
            _callGradient = callGradient;
            _differential = differential ?? (n => "d" + value(n));
        }

        /// <summary>The element type, <c>double</c> or <c>float</c>.</summary>
        public string Element => _model.ElementType;

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
        public string Print(Expr e) => Printed(e).Text;

        /// <summary>An operand: parenthesized unless it prints as one term.</summary>
        public string Atom(Expr e)
        {
            var printed = Printed(e);
            return printed.Atomic ? printed.Text : "(" + printed.Text + ")";
        }

        private Printed Printed(Expr e) => e switch
        {
            Num n => n.Value < 0 ? "(" + Literal(n.Value) + ")" : Literal(n.Value),
            Ref r => _value(r.Node),
            Adj a => _adjoint(a.Node),
            Tmp t => _temp(t),
            Dif d => _differential(d.Node),
            Tan t when TangentOf is not null => TangentOf(t),
            Fn f => PrintFn(f),
            _ => throw new InvalidOperationException("Unknown expression " + e.GetType().Name),
        };

        /// <summary>A call of a runtime method's allocating form (an <c>Ops</c> function keeps the name the user wrote).</summary>
        public string Call(Kernel kernel, IEnumerable<Expr> args) => RuntimeApi.Allocating(kernel) + "(" + string.Join(", ", args.Select(Print)) + ")";

        /// <summary>A call of an <c>AutoGradGen.Ops</c> function.</summary>
        public string CallOps(string function, IEnumerable<Expr> args) => Ops + "." + function + "(" + string.Join(", ", args.Select(Print)) + ")";

        /// <summary>A call of a runtime method's destination-passing form.</summary>
        public string CallInto(Kernel kernel, IEnumerable<Expr> args, Func<string> slot)
        {
            var operands = args.Select(Print).ToList();
            return RuntimeApi.Into(kernel) + "(" + string.Join(", ", operands.Concat(new[] { "ref " + slot() })) + ")";
        }

        /// <summary>A constant node's expression (<see cref="IrNode.Code"/>), its operands printed in the cut-out places.</summary>
        public string Constant(Fn f) => ConstantTemplate.Fill(_model.Nodes[f.Index].Code ?? string.Empty, i => Atom(f[i]));

        /// <summary>The shared LU factorization of a matrix operand.</summary>
        public string Lu(Expr operand) => operand is Ref r ? _lu(r.Node)
            : throw new InvalidOperationException("A factorization needs a named matrix operand.");

        /// <summary>The gradient a scalar callee returned for one of its parameters.</summary>
        public string CallGradient(int callNode, int parameter) => _callGradient(callNode, parameter);

        /// <summary>A member call on the LU of operand 0: <c>luA.Solve(b)</c>, or its destination form.</summary>
        public string LuCall(string member, Fn f, Func<string>? slot)
        {
            var args = f.Args.Skip(1).Select(Print).ToList();
            if (slot is not null)
            {
                args.Add("ref " + slot());
            }
            return Lu(f[0]) + "." + member + "(" + string.Join(", ", args) + ")";
        }

        private Printed PrintFn(Fn f)
        {
            var code = f.Op.Code;
            if (_slot is not null && f.Kind is ValueKind.Matrix or ValueKind.Vector && code.HasInto)
            {
                return code.Into(this, f, () => _slot(f.Kind));
            }
            if (f.Kind == ValueKind.Scalar && code.HasScalar)
            {
                return new Printed(code.Scalar(this, f), false);
            }
            return code.Allocating(this, f);
        }
    }
}
