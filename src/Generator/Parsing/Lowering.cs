using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGradGen.Generator.Parsing
{
    /// <summary>
    /// Lowers a method body (through Roslyn's IOperation tree, which has resolved overloads and
    /// implicit conversions) to SSA IR nodes. Locals are renamed on reassignment, so every node is
    /// defined once. Unsupported constructs report a diagnostic at their own node and lower to null.
    /// </summary>
    internal sealed partial class Lowering
    {
        private readonly IMethodSymbol _method;
        private readonly SemanticModel _semanticModel;
        private readonly string _element;
        private readonly List<DiagnosticInfo> _diagnostics;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<ISymbol, int> _bindings = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<string, int> _nameCounts = new();
        private readonly List<bool> _active = new();

        public Lowering(IMethodSymbol method, SemanticModel semanticModel, string element, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            _method = method;
            _semanticModel = semanticModel;
            _element = element;
            _diagnostics = diagnostics;
            _cancellationToken = cancellationToken;
        }

        public List<IrNode> Nodes { get; } = new();

        // Each node's syntax, for diagnostics at the operation (shape mismatches). Kept here, never in the
        // model: the model stores only the operation's short source text (IrNode.Text).
        private readonly Dictionary<int, SyntaxNode> _syntax = new();

        /// <summary>The syntax a node was lowered from, or null (parameters, nodes made by the lowering itself).</summary>
        public SyntaxNode? SyntaxOf(int id) => _syntax.TryGetValue(id, out var node) ? node : null;

        /// <summary>Records the syntax of a forward op's node, and its source text on the node.</summary>
        private void Remember(int id, SyntaxNode syntax)
        {
            if (_syntax.ContainsKey(id) || Nodes[id].Op.Role != OpRole.Forward)
            {
                return;
            }
            _syntax[id] = syntax;
            Nodes[id] = Nodes[id] with { Text = Shorten(syntax.ToString()) };
        }

        private static string Shorten(string text)
        {
            var flat = string.Join(" ", text.Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
            return flat.Length <= 80 ? flat : flat.Substring(0, 77) + "...";
        }

        /// <summary>Lowers the body; returns the id of the returned value, or null after a diagnostic.</summary>
        public int? LowerBody(MethodDeclarationSyntax syntax, List<ParamModel> parameters)
        {
            foreach (var p in parameters)
            {
                var id = Add(Op.Parameter, p.Kind, EquatableArray<int>.Empty, p.Name, active: p.Differentiated);
                _bindings[_method.Parameters[p.Node]] = id;
                _nameCounts[p.Name] = 1;
            }
            if (syntax.Body is null && syntax.ExpressionBody is null)
            {
                Report(Descriptors.BadBody, syntax.Identifier.GetLocation(), _method.Name, "has no body; give it an expression body or a block ending in return");
                return null;
            }
            if (HasCompileErrors(syntax))
            {
                Report(Descriptors.BadBody, syntax.Identifier.GetLocation(), _method.Name, "does not compile; its gradient is generated once the compile errors are fixed");
                return null;
            }
            if (_semanticModel.GetOperation(syntax, _cancellationToken) is not IMethodBodyOperation body)
            {
                Report(Descriptors.BadBody, syntax.Identifier.GetLocation(), _method.Name, "could not be analyzed");
                return null;
            }
            var block = body.BlockBody ?? body.ExpressionBody;
            return block is null ? null : LowerBlock(block, syntax);
        }

        private bool HasCompileErrors(MethodDeclarationSyntax syntax)
        {
            var span = (SyntaxNode?)syntax.Body ?? syntax.ExpressionBody;
            return span is not null && _semanticModel.GetDiagnostics(span.Span, _cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);
        }

        private int? LowerBlock(IBlockOperation block, MethodDeclarationSyntax syntax)
        {
            var statements = block.Operations;
            for (int i = 0; i < statements.Length; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var statement = statements[i];
                if (statement is IReturnOperation ret)
                {
                    if (i != statements.Length - 1)
                    {
                        Report(Descriptors.BadBody, statement.Syntax.GetLocation(), _method.Name, "has a return before its last statement; keep one final return");
                        return null;
                    }
                    return ret.ReturnedValue is null ? null : Lower(ret.ReturnedValue);
                }
                if (!LowerStatement(statement))
                {
                    return null;
                }
            }
            Report(Descriptors.BadBody, syntax.Identifier.GetLocation(), _method.Name, "must end with a return statement");
            return null;
        }

        private bool LowerStatement(IOperation statement)
        {
            switch (statement)
            {
                case IVariableDeclarationGroupOperation group:
                    foreach (var declaration in group.Declarations)
                    {
                        foreach (var declarator in declaration.Declarators)
                        {
                            var init = declarator.Initializer ?? declaration.Initializer;
                            if (init is null)
                            {
                                Report(Descriptors.BadBody, declarator.Syntax.GetLocation(), _method.Name, "declares '" + declarator.Symbol.Name + "' without a value; initialize every local where it is declared");
                                return false;
                            }
                            if (!Bind(declarator.Symbol, init.Value))
                            {
                                return false;
                            }
                        }
                    }
                    return true;
                case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment }:
                    return Target(assignment.Target) is { } target && Bind(target, assignment.Value);
                case IExpressionStatementOperation { Operation: ICompoundAssignmentOperation compound }:
                    return LowerCompound(compound);
                case IForLoopOperation loop:
                    return LowerFor(loop);
                case IConditionalOperation { Syntax: IfStatementSyntax } branch:
                    return LowerIf(branch);
                case IBlockOperation inner when _openLoops.Count > 0:
                    return inner.Operations.All(LowerStatement);
                case IWhileLoopOperation:
                    Report(Descriptors.UnsupportedLoop, StatementLocation(statement.Syntax), StatementName(statement.Syntax));
                    return false;
                case IBranchOperation or IReturnOperation when _openLoops.Count > 0:
                    Report(Descriptors.LoopJump, StatementLocation(statement.Syntax), statement.Syntax.GetFirstToken().ValueText, "let the loop run its whole trip count");
                    return false;
                default:
                    Report(Descriptors.UnsupportedStatement, StatementLocation(statement.Syntax), StatementName(statement.Syntax));
                    return false;
            }
        }

        private ISymbol? Target(IOperation target)
        {
            switch (target)
            {
                case ILocalReferenceOperation local:
                    return local.Local;
                case IParameterReferenceOperation parameter:
                    return parameter.Parameter;
                case IPropertyReferenceOperation { Property.IsIndexer: true } element when IsOurs(element):
                    ReportElementWrite(element);
                    return null;
                default:
                    Report(Descriptors.UnsupportedExpression, target.Syntax.GetLocation(), "Assigning to '" + target.Syntax + "'", "assign only to locals and parameters");
                    return null;
            }
        }

        private bool Bind(ISymbol symbol, IOperation value)
        {
            var id = Lower(value);
            if (id is null)
            {
                return false;
            }
            _bindings[symbol] = Name(id.Value, symbol.Name);
            return true;
        }

        private bool LowerCompound(ICompoundAssignmentOperation compound)
        {
            var symbol = Target(compound.Target);
            if (symbol is null)
            {
                return false;
            }
            var left = Lower(compound.Target);
            var right = Lower(compound.Value);
            if (left is null || right is null)
            {
                return false;
            }
            int before = Nodes.Count;
            var id = Binary(compound.OperatorKind, left.Value, right.Value, compound.Syntax, compound.Type);
            if (id is null)
            {
                return false;
            }
            if (id.Value >= before)
            {
                Remember(id.Value, compound.Syntax);
            }
            _bindings[symbol] = Name(id.Value, symbol.Name);
            return true;
        }

        /// <summary>Gives a node the user's name; a reassigned local gets a numbered SSA name (h, h2, h3).</summary>
        private int Name(int id, string name)
        {
            var node = Nodes[id];
            _nameCounts.TryGetValue(name, out var count);
            _nameCounts[name] = count + 1;
            var ssaName = count == 0 ? Parser.EscapeIdentifier(name) : name + (count + 1);
            if (node.Name is not null || node.Op == Op.Literal)
            {
                // Already named (an alias such as var y = x): introduce no copy, keep the first name.
                return id;
            }
            Nodes[id] = node with { Name = ssaName };
            return id;
        }

        private int Add(Op op, ValueKind kind, EquatableArray<int> args, string? name = null, double value = 0, CalleeInfo? callee = null, bool? active = null)
        {
            int id = Nodes.Count;
            Nodes.Add(new IrNode(id, op, args, kind, name, value, callee));
            _active.Add(active ?? (kind != ValueKind.Int && args.Any(a => _active[a])));
            return id;
        }

        private int Add(Op op, ValueKind kind, params int[] args) => Add(op, kind, EquatableArray.From(args));

        private bool IsActive(int id) => _active[id];

        private void Report(DiagnosticDescriptor descriptor, Location? location, params string[] args)
            => _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));

        private static Location StatementLocation(SyntaxNode syntax)
        {
            var first = syntax.GetFirstToken();
            return first.GetLocation();
        }

        private static string StatementName(SyntaxNode syntax)
        {
            var kind = syntax.Kind();
            return kind switch
            {
                SyntaxKind.ForEachStatement => "foreach",
                SyntaxKind.LocalFunctionStatement => "local function",
                SyntaxKind.ExpressionStatement => "expression",
                SyntaxKind.LocalDeclarationStatement => "local declaration",
                _ => kind.ToString().Replace("Statement", string.Empty).ToLowerInvariant(),
            };
        }
    }
}
