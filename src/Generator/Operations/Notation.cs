using System;
using System.Linq;
using AutoGradGen.Generator.Emit;
using AutoGradGen.Generator.Formula;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Operations
{
    /// <summary>The differential rule of an op: ∂Y, linear in the operands' differentials; null when ∂Y = 0.</summary>
    internal delegate Expr? TangentRule(Rules.TangentContext c);

    /// <summary>For an op linear in <paramref name="operand"/>: that operand's cotangent Jᵀ Ḡ, given the result's cotangent.</summary>
    internal delegate Expr TransposeRule(Fn f, int operand, Expr cotangent);

    /// <summary>A hand-tuned pullback: the steps that add Jᵀ Ḡ to each operand's adjoint.</summary>
    internal delegate Rules.Pullback PullbackRule(Rules.RuleContext c);

    /// <summary>A runtime method, typed: the family class of the runtime's destination-passing API and the method's name.</summary>
    internal sealed record Kernel(RuntimeFamily Family, string Method);

    /// <summary>Printed C#, and whether it is one term (a call, a name) that needs no parentheses as an operand.</summary>
    internal readonly struct Printed
    {
        public Printed(string text, bool atomic)
        {
            Text = text;
            Atomic = atomic;
        }

        public string Text { get; }

        public bool Atomic { get; }

        public static implicit operator Printed(string call) => new(call, true);
    }

    /// <summary>How an op is printed in C#.</summary>
    internal sealed class CodeForm
    {
        private readonly Func<CodePrinter, Fn, Printed>? _allocating;
        private readonly Func<CodePrinter, Fn, Func<string>, string>? _into;
        private readonly Func<CodePrinter, Fn, string>? _scalar;

        private CodeForm(Func<CodePrinter, Fn, Printed>? allocating, Func<CodePrinter, Fn, Func<string>, string>? into, Func<CodePrinter, Fn, string>? scalar)
        {
            _allocating = allocating;
            _into = into;
            _scalar = scalar;
        }

        /// <summary>Leaves and ops the printer never meets as an expression.</summary>
        public static readonly CodeForm None = new(null, null, null);

        /// <summary>The allocating form: an expression that returns a new value.</summary>
        public Printed Allocating(CodePrinter p, Fn f)
            => _allocating is null ? throw new InvalidOperationException("The op " + f.Op + " has no C# form.") : _allocating(p, f);

        /// <summary>Whether the op has a destination-passing form (it then has one for every vector or matrix result).</summary>
        public bool HasInto => _into is not null;

        /// <summary>The destination-passing form writing into the slot <paramref name="slot"/> gives (asked for after the operands are printed).</summary>
        public string Into(CodePrinter p, Fn f, Func<string> slot) => _into!(p, f, slot);

        /// <summary>Whether the op has a plain-arithmetic form for scalar operands (used when the result is a scalar).</summary>
        public bool HasScalar => _scalar is not null;

        /// <summary>The plain-arithmetic form on scalars (never one term: it is parenthesized as an operand).</summary>
        public string Scalar(CodePrinter p, Fn f) => _scalar!(p, f);

        /// <summary>One runtime method with both forms: <c>K(args)</c> and <c>K(args, ref slot)</c>.</summary>
        public static CodeForm Call(Kernel kernel, Func<CodePrinter, Fn, string>? scalar = null)
            => new((p, f) => p.Call(kernel, f.Args.Items), (p, f, slot) => p.CallInto(kernel, f.Args.Items, slot), scalar);

        /// <summary>An <c>AutoGradGen.Ops</c> function as the user wrote it, and the runtime method's destination form.</summary>
        public static CodeForm OpsCall(string function, Kernel into)
            => new((p, f) => p.CallOps(function, f.Args.Items), (p, f, slot) => p.CallInto(into, f.Args.Items, slot), null);

        /// <summary>A C# operator for the allocating form (<c>A + B</c>, <c>-A</c>), a runtime method for the destination form.</summary>
        public static CodeForm Operator(string symbol, Kernel into)
            => new(
                (p, f) => new Printed(f.Args.Count == 1 ? symbol + p.Atom(f[0]) : p.Atom(f[0]) + " " + symbol + " " + p.Atom(f[1]), false),
                (p, f, slot) => p.CallInto(into, f.Args.Items, slot),
                null);

        /// <summary>Forms written out by hand, next to the op they belong to.</summary>
        public static CodeForm Custom(Func<CodePrinter, Fn, Printed> allocating, Func<CodePrinter, Fn, Func<string>, string>? into = null, Func<CodePrinter, Fn, string>? scalar = null)
            => new(allocating, into, scalar);
    }

    /// <summary>How an op is printed in Chen's lecture's notation.</summary>
    internal sealed class MathForm
    {
        private readonly Func<MathPrinter, Fn, (string Text, int Level)>? _print;

        private MathForm(Func<MathPrinter, Fn, (string Text, int Level)>? print)
        {
            _print = print;
        }

        /// <summary>Leaves: the printer names them itself.</summary>
        public static readonly MathForm None = new(null);

        public string Print(MathPrinter p, Fn f, out int level)
        {
            if (_print is null)
            {
                level = MathPrinter.Atom;
                return f.Op.Name + "(" + string.Join(", ", f.Args.Select(p.Print)) + ")";
            }
            var (text, l) = _print(p, f);
            level = l;
            return text;
        }

        /// <summary>A function of its operands, <c>σ(h)</c>; only the first <paramref name="shown"/> operands are printed (geometry is not).</summary>
        public static MathForm Function(string name, int shown = int.MaxValue)
            => new((p, f) => (name + "(" + string.Join(", ", f.Args.Take(shown).Select(p.Print)) + ")", MathPrinter.Atom));

        /// <summary>Notation written out by hand.</summary>
        public static MathForm Custom(Func<MathPrinter, Fn, (string Text, int Level)> print) => new(print);
    }
}
