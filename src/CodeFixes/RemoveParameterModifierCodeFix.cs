using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoGradGen.CodeFixes
{
    /// <summary>
    /// AGG0008 (ref, out and in parameters are not supported): removes the parameter's <c>ref</c>,
    /// <c>out</c> or <c>in</c> (with <c>readonly</c> of <c>ref readonly</c> and <c>scoped</c>), so it is
    /// passed by value. Call sites that pass the argument with <c>ref</c>/<c>out</c>/<c>in</c> are
    /// left alone: the compiler points at them (CS1615).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveParameterModifierCodeFix)), Shared]
    public sealed class RemoveParameterModifierCodeFix : SyntaxFixProvider<ParameterSyntax>
    {
        /// <inheritdoc/>
        protected override string DiagnosticId => "AGG0008";

        /// <inheritdoc/>
        protected override ParameterSyntax? FindNode(SyntaxNode root, TextSpan span)
        {
            var parameter = Enclosing<ParameterSyntax>(root, span);
            return parameter is not null && parameter.Modifiers.Any(IsByReference) ? parameter : null;
        }

        /// <inheritdoc/>
        protected override string Title(ParameterSyntax node)
        {
            var modifier = node.Modifiers.First(IsByReference);
            return $"Remove '{modifier.Text}' from parameter '{node.Identifier.ValueText}'";
        }

        /// <inheritdoc/>
        protected override ParameterSyntax Fix(ParameterSyntax node)
        {
            var kept = new System.Collections.Generic.List<SyntaxToken>();
            SyntaxTriviaList pendingLeading = default;
            bool removedFirst = false;
            foreach (var modifier in node.Modifiers)
            {
                if (IsRemoved(modifier.Kind()))
                {
                    if (kept.Count == 0 && !removedFirst)
                    {
                        pendingLeading = modifier.LeadingTrivia;
                        removedFirst = true;
                    }
                    continue;
                }
                kept.Add(kept.Count == 0 && removedFirst ? modifier.WithLeadingTrivia(pendingLeading) : modifier);
            }
            var result = node.WithModifiers(SyntaxFactory.TokenList(kept));
            if (removedFirst && kept.Count == 0)
            {
                // The modifiers led the parameter (after its attributes): the type takes their leading trivia.
                if (result.Type is { } type)
                {
                    result = result.WithType(type.WithLeadingTrivia(pendingLeading));
                }
            }
            return result;
        }

        private static bool IsByReference(SyntaxToken token)
            => token.IsKind(SyntaxKind.RefKeyword) || token.IsKind(SyntaxKind.OutKeyword) || token.IsKind(SyntaxKind.InKeyword);

        private static bool IsRemoved(SyntaxKind kind)
            => kind is SyntaxKind.RefKeyword or SyntaxKind.OutKeyword or SyntaxKind.InKeyword
                or SyntaxKind.ReadOnlyKeyword or SyntaxKind.ScopedKeyword;
    }
}
