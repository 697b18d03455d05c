using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Operations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGradGen.Generator.Parsing
{
    /// <summary>
    /// <c>if</c>/<c>else</c> and <c>c ? a : b</c>: the condition is evaluated once (a bool node that reads values but has no
    /// derivative), and each arm is a region lowered like a loop body that runs once when the arm is taken and not at all
    /// otherwise, with one phi per local it assigns. Forward and backward code run only the arm taken.
    /// </summary>
    internal sealed partial class Lowering
    {
        /// <summary>The names shown for the synthetic locals that hold a ?:'s value.</summary>
        private readonly Dictionary<ISymbol, string> _displayNames = new(SymbolEqualityComparer.Default);

        private int _chosenCount;

        private bool LowerIf(IConditionalOperation branch)
        {
            var syntax = (IfStatementSyntax)branch.Syntax;
            if (!CheckArm(branch.WhenTrue) || branch.WhenFalse is { } f && !CheckArm(f))
            {
                return false;
            }
            var condition = BranchCondition(branch.Condition);
            if (condition is null)
            {
                return false;
            }
            if (!Arm(condition.Value, true, CarriedSymbols(branch.WhenTrue), syntax.IfKeyword.GetLocation(), () => LowerStatement(branch.WhenTrue)))
            {
                return false;
            }
            return branch.WhenFalse is null
                   || Arm(condition.Value, false, CarriedSymbols(branch.WhenFalse), syntax.Else!.ElseKeyword.GetLocation(), () => LowerStatement(branch.WhenFalse));
        }

        /// <summary>One arm: a loop from 0 while below (condition ? 1 : 0), or (condition ? 0 : 1) for the else arm.</summary>
        private bool Arm(int condition, bool taken, List<ISymbol> carried, Location location, System.Func<bool> body)
        {
            int start = Add(Op.Literal, ValueKind.Int, EquatableArray<int>.Empty, value: 0);
            int step = Add(Op.Literal, ValueKind.Int, EquatableArray<int>.Empty, value: 1);
            int bound = Add(Op.Constant, ValueKind.Int, EquatableArray.From(condition), active: false);
            var marker = ConstantTemplate.Separator + "0" + ConstantTemplate.Separator;
            Nodes[bound] = Nodes[bound] with { Code = "(" + marker + (taken ? " ? 1 : 0)" : " ? 0 : 1)") };
            int counter = Name(Add(Op.Counter, ValueKind.Int, EquatableArray<int>.Empty), taken ? "taken" : "notTaken");
            return LowerRegion(counter, start, bound, "<", step, carried, location, body, branch: true);
        }

        /// <summary>AGG0036 at a return inside an arm.</summary>
        private bool CheckArm(IOperation arm)
        {
            foreach (var operation in arm.DescendantsAndSelf())
            {
                if (operation is IReturnOperation ret)
                {
                    Report(Descriptors.BranchBody, StatementLocation(ret.Syntax), "returns from inside an arm",
                        "assign the value to a local declared before the if (T y = …;), assign it in each arm, and return it after the if");
                    return false;
                }
            }
            return true;
        }

        /// <summary>
        /// The condition as one bool node printed from the source (values cut out as operands); AGG0037 when, inside a
        /// loop or an arm, it reads a differentiated value computed there (the backward pass recomputes the condition).
        /// </summary>
        private int? BranchCondition(IOperation condition)
        {
            if (WritesMethodValue(condition))
            {
                return null;
            }
            var printer = new ConstantPrinter(this) { LowerArrays = _openLoops.Count == 0 };
            var code = printer.Print(condition.Syntax);
            if (_openLoops.Count > 0)
            {
                int outermost = _regionStarts[_openLoops.Last()];
                if (printer.Operands.Where(o => IsActive(o) && o >= outermost).Select(o => (int?)o).FirstOrDefault() is { } read)
                {
                    var name = Nodes[read].Name ?? Nodes[read].Text ?? "a value";
                    Report(Descriptors.BranchCondition, condition.Syntax.GetLocation(), condition.Syntax.ToString(),
                        "reads '" + name + "', a differentiated value computed inside the enclosing loop or branch",
                        "branch on ints, bools, the loop counter and values computed before the loop (if (t % 2 == 0)), or write the choice as an element-wise op (Ops.Maximum, Ops.Relu)");
                    return null;
                }
            }
            int id = Add(Op.Constant, ValueKind.Int, printer.Operands.ToEquatableArray(), active: false);
            Nodes[id] = Nodes[id] with { Code = code, Text = Shorten(condition.Syntax.ToString()) };
            return Name(id, "condition");
        }

        /// <summary>
        /// c ? a : b as a synthetic local that starts as a plain arm (a local, parameter or literal: nothing is evaluated
        /// early) or as 0 for a T, and is assigned the computed arms in regions of their own.
        /// </summary>
        private int? LowerTernary(IConditionalOperation conditional)
        {
            var syntax = (ConditionalExpressionSyntax)conditional.Syntax;
            if (!TypeClassifier.TryClassify(conditional.Type, out var kind, out _, out _) || kind == ValueKind.Int)
            {
                Report(Descriptors.BranchBody, syntax.QuestionToken.GetLocation(), "is a ?: whose value is not a T, Vector<T> or Matrix<T> but reads a differentiated value",
                    "compute the choice from ints and bools, or branch with if/else on locals of the element type");
                return null;
            }
            var condition = BranchCondition(conditional.Condition);
            if (condition is null)
            {
                return null;
            }
            var whenTrue = conditional.WhenTrue;
            var whenFalse = conditional.WhenFalse!;
            bool thenArm = true, elseArm = true;
            int? init;
            if (IsPlain(whenFalse))
            {
                init = Lower(whenFalse);
                elseArm = false;
            }
            else if (IsPlain(whenTrue))
            {
                init = Lower(whenTrue);
                thenArm = false;
            }
            else if (kind == ValueKind.Scalar)
            {
                init = Add(Op.Literal, ValueKind.Scalar, EquatableArray<int>.Empty, value: 0);
            }
            else
            {
                Report(Descriptors.BranchBody, syntax.QuestionToken.GetLocation(), "is a ?: whose arms both compute a " + (kind == ValueKind.Vector ? "vector" : "matrix"),
                    "make one arm a local (var other = …; y = c ? … : other;), or declare the local first and assign it in an if/else: var y = …; if (c) y = …; else y = …;");
                return null;
            }
            if (init is null)
            {
                return null;
            }
            var chosen = _semanticModel.Compilation.CreateErrorTypeSymbol(null, "chosen" + (++_chosenCount), 0);
            _displayNames[chosen] = "chosen";
            _bindings[chosen] = init.Value;
            var carried = new List<ISymbol> { chosen };
            if (thenArm && !Arm(condition.Value, true, carried, syntax.QuestionToken.GetLocation(), () => Assign(chosen, whenTrue)))
            {
                return null;
            }
            if (elseArm && !Arm(condition.Value, false, carried, syntax.ColonToken.GetLocation(), () => Assign(chosen, whenFalse)))
            {
                return null;
            }
            return _bindings[chosen];
        }

        private bool Assign(ISymbol symbol, IOperation value)
        {
            var id = Lower(value);
            if (id is null)
            {
                return false;
            }
            _bindings[symbol] = id.Value;
            return true;
        }

        private static bool IsPlain(IOperation operation)
            => Unconverted(operation) is IParameterReferenceOperation or ILocalReferenceOperation || operation.ConstantValue.HasValue;
    }
}
