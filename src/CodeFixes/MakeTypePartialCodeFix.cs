using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoGradGen.CodeFixes
{
    /// <summary>
    /// AGG0004 (containing type must be partial): adds <c>partial</c> to the flagged type declaration.
    /// The analyzer flags every non-partial type of the containing chain, so Fix All makes the whole
    /// chain partial. <c>partial</c> goes last, right before <c>class</c>/<c>struct</c>/<c>record</c>/<c>interface</c>,
    /// where C# requires it.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypePartialCodeFix)), Shared]
    public sealed class MakeTypePartialCodeFix : SyntaxFixProvider<TypeDeclarationSyntax>
    {
        /// <inheritdoc/>
        protected override string DiagnosticId => "AGG0004";

        /// <inheritdoc/>
        protected override TypeDeclarationSyntax? FindNode(SyntaxNode root, TextSpan span)
        {
            var type = Enclosing<TypeDeclarationSyntax>(root, span);
            return type is null || type.Modifiers.Any(SyntaxKind.PartialKeyword) ? null : type;
        }

        /// <inheritdoc/>
        protected override string Title(TypeDeclarationSyntax node) => $"Make '{node.Identifier.ValueText}' partial";

        /// <inheritdoc/>
        protected override TypeDeclarationSyntax Fix(TypeDeclarationSyntax node)
        {
            if (node.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return node;
            }
            if (node.Modifiers.Count > 0)
            {
                return node.WithModifiers(node.Modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
            }
            // No modifiers: partial takes the keyword's leading trivia (indentation, comments).
            var partial = SyntaxFactory.Token(node.Keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return node.WithKeyword(node.Keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial));
        }
    }
}
