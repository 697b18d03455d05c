using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGradGen.Generator.Parsing
{
    /// <summary>
    /// <c>for</c> loops: the body is lowered once into a contiguous range of nodes, headed by the counter and one
    /// phi per local the body reassigns (its value at the start of each iteration, and after the loop).
    /// </summary>
    internal sealed partial class Lowering
    {
        public List<LoopModel> Loops { get; } = new();

        private readonly Stack<int> _openLoops = new();

        /// <summary>The first node of each region, by index in <see cref="Loops"/> (known while the region is still open).</summary>
        private readonly List<int> _regionStarts = new();

        private bool LowerFor(IForLoopOperation loop)
        {
            var syntax = (ForStatementSyntax)loop.Syntax;
            if (!Header(loop, syntax, out var counter, out var start, out var bound, out var comparison, out var step))
            {
                return false;
            }
            if (!CheckBody(loop.Body, counter!))
            {
                return false;
            }
            int counterNode = Name(Add(Op.Counter, ValueKind.Int, EquatableArray<int>.Empty), counter!.Name);
            _bindings[counter] = counterNode;
            return LowerRegion(counterNode, start, bound, comparison, step, CarriedSymbols(loop.Body), syntax.ForKeyword.GetLocation(),
                () => LowerStatement(loop.Body), branch: false);
        }

        /// <summary>
        /// Lowers a region (a loop body, or a branch arm as a loop that runs once or not at all): one phi per carried
        /// local, the body, and the loop model tying each phi to its value at the end of the body.
        /// </summary>
        private bool LowerRegion(int counterNode, int start, int bound, string comparison, int step, List<ISymbol> carried, Location location,
            System.Func<bool> body, bool branch)
        {
            int bodyStart = counterNode;
            var descriptor = branch ? Descriptors.BranchBody : Descriptors.LoopBody;
            if (carried.FirstOrDefault(c => Nodes[_bindings[c]].Kind == ValueKind.Int) is { } intLocal)
            {
                Report(descriptor, location, "reassigns the int '" + intLocal.Name + "'",
                    branch ? "compute the int with a conditional expression that reads no differentiated value (int k = flag ? 1 : 2;), or use a local of the element type"
                           : "compute it from the counter instead (int k = 2 * t + 1;), or use a local of the element type");
                return false;
            }
            var phis = new List<(ISymbol Symbol, int Phi, int Init)>();
            foreach (var symbol in carried)
            {
                var init = _bindings[symbol];
                var kind = Nodes[init].Kind;
                var phi = Name(Add(Op.Phi, kind, EquatableArray.From(init), active: kind != ValueKind.Int), _displayNames.TryGetValue(symbol, out var shown) ? shown : symbol.Name);
                _bindings[symbol] = phi;
                phis.Add((symbol, phi, init));
            }
            int index = Loops.Count;
            Loops.Add(null!);
            _regionStarts.Add(bodyStart);
            LoopLocations.Add(location);
            _openLoops.Push(index);
            bool ok = body();
            _openLoops.Pop();
            if (!ok)
            {
                return false;
            }
            if (!CheckBodyOps(bodyStart, location, branch))
            {
                return false;
            }
            var triples = phis.Select(p => new CarriedModel(p.Phi, p.Init, _bindings[p.Symbol])).ToList();
            if (triples.FirstOrDefault(c => c.Next != c.Phi && phis.Any(p => p.Phi == c.Next)) is { } swap)
            {
                Report(descriptor, location, "ends with '" + phis.First(p => p.Phi == swap.Phi).Symbol.Name + "' holding the value another carried local had at the start of the " + (branch ? "branch (a swap)" : "iteration (a swap)"),
                    branch ? "give each local the branch assigns a newly computed value in it, or keep the swap out of the branch"
                           : "give each carried local a newly computed value in the body, or keep the swap out of the loop");
                return false;
            }
            foreach (var (symbol, phi, _) in phis)
            {
                _bindings[symbol] = phi;
            }
            if (Loops.Skip(index + 1).Any(l => l.BodyEnd == Nodes.Count))
            {
                // The body ends with a nested region: end it with a node of its own, so that the carried adjoints' site
                // (the body's last node) is in this region's iteration, not in the nested one's.
                Add(Op.Literal, ValueKind.Int, EquatableArray<int>.Empty, value: 0);
            }
            Loops[index] = new LoopModel(counterNode, start, bound, comparison, step, bodyStart, Nodes.Count, triples.ToEquatableArray(),
                _openLoops.Count > 0 ? _openLoops.Peek() : -1, branch);
            return true;
        }

        /// <summary>The syntax of each loop's for keyword, by index in <see cref="Loops"/> (for diagnostics at the loop).</summary>
        public List<Location> LoopLocations { get; } = new();

        /// <summary>AGG0034 at an op the loop support does not handle yet: an LU factorization or a call inside the body.</summary>
        private bool CheckBodyOps(int bodyStart, Location location, bool branch)
        {
            for (int id = bodyStart; id < Nodes.Count; id++)
            {
                var node = Nodes[id];
                if (node.Op.Factorizes || node.Op == Op.Call)
                {
                    var what = node.Op == Op.Call ? "calls '" + node.Callee!.Name + "'" : "computes " + node.Op.Name + " (through an LU factorization)";
                    Report(branch ? Descriptors.BranchBody : Descriptors.LoopBody, SyntaxOf(id)?.GetLocation() ?? location,
                        what + (branch ? " in a branch, which branches do not support yet" : " in its body, which loops do not support yet"),
                        branch ? "compute it before the branch (it is evaluated whichever way the branch goes), or branch on a value outside the method"
                               : "compute it before the loop if it does not change, or write the iterations out");
                    return false;
                }
            }
            return true;
        }

        /// <summary>The locals (declared before the loop) and parameters the body assigns, in order of first assignment.</summary>
        private List<ISymbol> CarriedSymbols(IOperation body)
        {
            var result = new List<ISymbol>();
            foreach (var operation in body.DescendantsAndSelf())
            {
                var target = operation switch
                {
                    ISimpleAssignmentOperation a => a.Target,
                    ICompoundAssignmentOperation c => c.Target,
                    _ => null,
                };
                ISymbol? symbol = target switch
                {
                    ILocalReferenceOperation l => l.Local,
                    IParameterReferenceOperation p => p.Parameter,
                    _ => null,
                };
                if (symbol is not null && _bindings.ContainsKey(symbol) && !result.Contains(symbol, SymbolEqualityComparer.Default))
                {
                    result.Add(symbol);
                }
            }
            return result;
        }

        /// <summary>AGG0033 at a jump out of or within the loop; AGG0032 at an assignment to the counter.</summary>
        private bool CheckBody(IOperation body, ILocalSymbol counter)
        {
            foreach (var operation in body.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IBranchOperation jump:
                        var keyword = jump.Syntax is BreakStatementSyntax ? "break" : jump.Syntax is ContinueStatementSyntax ? "continue" : "goto";
                        Report(Descriptors.LoopJump, StatementLocation(jump.Syntax), keyword,
                            keyword == "continue" ? "put the rest of the body under an if instead" : "give the loop the trip count it needs in its condition");
                        return false;
                    case IReturnOperation ret:
                        Report(Descriptors.LoopJump, StatementLocation(ret.Syntax), "return", "assign the value to a local declared before the loop and return it after the loop");
                        return false;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation l } when SymbolEqualityComparer.Default.Equals(l.Local, counter):
                    case ICompoundAssignmentOperation { Target: ILocalReferenceOperation l2 } when SymbolEqualityComparer.Default.Equals(l2.Local, counter):
                    case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation l3 } when SymbolEqualityComparer.Default.Equals(l3.Local, counter):
                        Report(Descriptors.LoopHeader, operation.Syntax.GetLocation(), "the body assigns the counter '" + counter.Name + "'",
                            "change the counter only in the loop's header (t++, t += k)");
                        return false;
                }
            }
            return true;
        }

        private bool Header(IForLoopOperation loop, ForStatementSyntax syntax, out ILocalSymbol? counter, out int start, out int bound, out string comparison, out int step)
        {
            counter = null;
            start = bound = step = -1;
            comparison = string.Empty;
            const string Form = "write for (int t = start; t < bound; t++) with int bounds (also <=, >, >=; t--, t += k, t -= k)";
            if (syntax.Declaration is not { Variables.Count: 1 } declaration || loop.Before.Length != 1
                || loop.Before[0] is not IVariableDeclarationGroupOperation group || group.Declarations.Length != 1
                || group.Declarations[0].Declarators.Length != 1)
            {
                Report(Descriptors.LoopHeader, syntax.ForKeyword.GetLocation(), "the loop does not declare one counter in its header", Form);
                return false;
            }
            var declarator = group.Declarations[0].Declarators[0];
            counter = declarator.Symbol;
            if (counter.Type.SpecialType != SpecialType.System_Int32)
            {
                Report(Descriptors.LoopHeader, declaration.GetLocation(), "the counter '" + counter.Name + "' is a " + counter.Type.ToDisplayString() + ", not an int", Form);
                return false;
            }
            var init = declarator.Initializer?.Value ?? group.Declarations[0].Initializer?.Value;
            if (init is null || IntExpression(init) is not { } s)
            {
                if (init is null)
                {
                    Report(Descriptors.LoopHeader, declaration.GetLocation(), "the counter has no start value", Form);
                }
                return false;
            }
            start = s;
            if (!Condition(loop, syntax, counter, out bound, out comparison, Form))
            {
                return false;
            }
            return Increment(loop, syntax, counter, comparison, out step, Form);
        }

        private bool Condition(IForLoopOperation loop, ForStatementSyntax syntax, ILocalSymbol counter, out int bound, out string comparison, string form)
        {
            bound = -1;
            comparison = string.Empty;
            var condition = loop.Condition;
            if (condition is not IBinaryOperation binary || Unconverted(binary.LeftOperand) is not ILocalReferenceOperation left
                || !SymbolEqualityComparer.Default.Equals(left.Local, counter))
            {
                Report(Descriptors.LoopHeader, condition?.Syntax.GetLocation() ?? syntax.ForKeyword.GetLocation(),
                    condition is null ? "the loop has no condition" : "the condition '" + condition.Syntax + "' does not compare the counter '" + counter.Name + "' with a bound", form);
                return false;
            }
            comparison = binary.OperatorKind switch
            {
                BinaryOperatorKind.LessThan => "<",
                BinaryOperatorKind.LessThanOrEqual => "<=",
                BinaryOperatorKind.GreaterThan => ">",
                BinaryOperatorKind.GreaterThanOrEqual => ">=",
                _ => string.Empty,
            };
            if (comparison.Length == 0)
            {
                Report(Descriptors.LoopHeader, condition.Syntax.GetLocation(), "the condition '" + condition.Syntax + "' is not <, <=, > or >=", form);
                return false;
            }
            var b = IntExpression(Unconverted(binary.RightOperand));
            bound = b ?? -1;
            return b is not null;
        }

        private bool Increment(IForLoopOperation loop, ForStatementSyntax syntax, ILocalSymbol counter, string comparison, out int step, string form)
        {
            step = -1;
            bool up = comparison[0] == '<';
            var at = loop.AtLoopBottom.Length == 1 && loop.AtLoopBottom[0] is IExpressionStatementOperation statement ? statement.Operation : null;
            bool? increasing = null;
            int? amount = null;
            switch (at)
            {
                case IIncrementOrDecrementOperation inc when inc.Target is ILocalReferenceOperation l && SymbolEqualityComparer.Default.Equals(l.Local, counter):
                    increasing = inc.Kind == OperationKind.Increment;
                    amount = Add(Op.Literal, ValueKind.Int, EquatableArray<int>.Empty, value: 1);
                    break;
                case ICompoundAssignmentOperation c when c.Target is ILocalReferenceOperation l && SymbolEqualityComparer.Default.Equals(l.Local, counter)
                                                         && c.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract:
                    increasing = c.OperatorKind == BinaryOperatorKind.Add;
                    amount = IntExpression(c.Value);
                    if (amount is null)
                    {
                        return false;
                    }
                    if (c.Value.ConstantValue is { HasValue: true, Value: int k } && k <= 0)
                    {
                        Report(Descriptors.LoopHeader, c.Value.Syntax.GetLocation(), "the step " + k + " is not positive", "step by a positive int: t += k counts up, t -= k counts down");
                        return false;
                    }
                    break;
            }
            if (increasing is null)
            {
                var where = at?.Syntax.GetLocation() ?? syntax.ForKeyword.GetLocation();
                Report(Descriptors.LoopHeader, where, at is null ? "the loop does not step its counter" : "the step '" + at.Syntax + "' is not t++, t--, t += k or t -= k", form);
                return false;
            }
            if (increasing != up)
            {
                Report(Descriptors.LoopHeader, at!.Syntax.GetLocation(), "the counter counts " + (increasing.Value ? "up" : "down") + " but the condition '" + loop.Condition!.Syntax + "' bounds it from " + (up ? "above" : "below"),
                    up ? "count up (t++, t += k) with < or <=" : "count down (t--, t -= k) with > or >=");
                return false;
            }
            step = amount!.Value;
            return true;
        }

        /// <summary>The operand of an implicit conversion (t in t &lt; x, compared as doubles), else the operation itself.</summary>
        private static IOperation Unconverted(IOperation operation)
            => operation is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : operation;

        /// <summary>An int expression of int parameters, shapes, constants and enclosing counters; null after AGG0032.</summary>
        private int? IntExpression(IOperation operation)
        {
            if (!TypeClassifier.TryClassify(operation.Type, out var kind, out _, out var isBool) || kind != ValueKind.Int || isBool)
            {
                Report(Descriptors.LoopHeader, operation.Syntax.GetLocation(), "'" + operation.Syntax + "' is not an int", "give the loop int bounds: int parameters, shapes (A.Rows, A.Cols, v.Length) and constants");
                return null;
            }
            return Lower(operation);
        }
    }
}
