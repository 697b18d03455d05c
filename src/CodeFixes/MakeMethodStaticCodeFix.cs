using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoGradGen.CodeFixes
{
    /// <summary>
    /// AGG0003 (differentiable method must be static): adds <c>static</c> after the accessibility
    /// modifiers. Not offered for abstract, virtual or override methods, where static is no mechanical fix.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeMethodStaticCodeFix)), Shared]
    public sealed class MakeMethodStaticCodeFix : SyntaxFixProvider<MethodDeclarationSyntax>
    {
        /// <inheritdoc/>
        protected override string DiagnosticId => "AGG0003";

        /// <inheritdoc/>
        protected override MethodDeclarationSyntax? FindNode(SyntaxNode root, TextSpan span)
        {
            var method = Enclosing<MethodDeclarationSyntax>(root, span);
            if (method is null || method.Modifiers.Any(SyntaxKind.StaticKeyword) || method.Modifiers.Any(SyntaxKind.AbstractKeyword)
                || method.Modifiers.Any(SyntaxKind.VirtualKeyword) || method.Modifiers.Any(SyntaxKind.OverrideKeyword))
            {
                return null;
            }
            return method;
        }

        /// <inheritdoc/>
        protected override string Title(MethodDeclarationSyntax node) => $"Make '{node.Identifier.ValueText}' static";

        /// <inheritdoc/>
        protected override MethodDeclarationSyntax Fix(MethodDeclarationSyntax node)
        {
            if (node.Modifiers.Any(SyntaxKind.StaticKeyword))
            {
                return node;
            }
            var modifiers = node.Modifiers;
            int index = 0;
            while (index < modifiers.Count && IsAccessibility(modifiers[index].Kind()))
            {
                index++;
            }
            if (modifiers.Count > 0)
            {
                var staticToken = SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(SyntaxFactory.Space);
                if (index == 0)
                {
                    // static goes first: it takes over the first modifier's leading trivia.
                    staticToken = staticToken.WithLeadingTrivia(modifiers[0].LeadingTrivia);
                    modifiers = modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia());
                }
                return node.WithModifiers(modifiers.Insert(index, staticToken));
            }
            // No modifiers: static takes the return type's leading trivia.
            var first = node.ReturnType.GetFirstToken();
            var token = SyntaxFactory.Token(first.LeadingTrivia, SyntaxKind.StaticKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return node.WithReturnType(node.ReturnType.WithoutLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(token));
        }

        private static bool IsAccessibility(SyntaxKind kind)
            => kind is SyntaxKind.PublicKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.InternalKeyword or SyntaxKind.ProtectedKeyword;
    }
}
