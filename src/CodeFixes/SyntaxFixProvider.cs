using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace AutoGradGen.CodeFixes
{
    /// <summary>
    /// A fix that rewrites one syntax node per diagnostic, in place, with no semantic analysis: find
    /// the node at the diagnostic's span, rewrite it. One implementation serves the single fix and
    /// Fix All (document, project, solution): every flagged node of a document is rewritten in one
    /// <see cref="SyntaxNode.ReplaceNodes{TNode}"/> pass, so that nested nodes (an outer and an inner
    /// type) and repeated diagnostics on one node (two methods of one class) combine correctly.
    /// </summary>
    /// <remarks>
    /// The diagnostics come from AutoGradGen's DiagnosticAnalyzer, at locations in the document's syntax
    /// tree; only <see cref="Location.SourceSpan"/> is used, so the fix needs no semantic model.
    /// </remarks>
    public abstract class SyntaxFixProvider<TNode> : CodeFixProvider
        where TNode : SyntaxNode
    {
        /// <summary>The diagnostic this provider fixes.</summary>
        protected abstract string DiagnosticId { get; }

        /// <summary>The node that the diagnostic at <paramref name="span"/> is about, or null when there is nothing to fix.</summary>
        protected abstract TNode? FindNode(SyntaxNode root, TextSpan span);

        /// <summary>The code action's title for this node.</summary>
        protected abstract string Title(TNode node);

        /// <summary>The node, fixed; <paramref name="node"/> may already hold fixes of nodes nested in it.</summary>
        protected abstract TNode Fix(TNode node);

        /// <inheritdoc/>
        public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

        /// <inheritdoc/>
        public sealed override FixAllProvider GetFixAllProvider()
            => FixAllProvider.Create((context, document, diagnostics) => FixDocumentAsync(document, diagnostics, context.CancellationToken));

        /// <inheritdoc/>
        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }
            foreach (var diagnostic in context.Diagnostics)
            {
                var node = FindNode(root, diagnostic.Location.SourceSpan);
                if (node is null)
                {
                    continue;
                }
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title(node),
                        async ct => await FixDocumentAsync(document, ImmutableArray.Create(diagnostic), ct).ConfigureAwait(false) ?? document,
                        equivalenceKey: DiagnosticId),
                    diagnostic);
                return; // one action: further diagnostics in the context are on the same span
            }
        }

        private async Task<Document?> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return null;
            }
            var nodes = new HashSet<TNode>();
            foreach (var diagnostic in diagnostics)
            {
                if (FindNode(root, diagnostic.Location.SourceSpan) is { } node)
                {
                    nodes.Add(node);
                }
            }
            if (nodes.Count == 0)
            {
                return null;
            }
            var fixedRoot = root.ReplaceNodes(nodes, (_, rewritten) => Fix(rewritten));
            return document.WithSyntaxRoot(fixedRoot);
        }

        /// <summary>The innermost <typeparamref name="TMatch"/> whose span contains <paramref name="span"/>.</summary>
        protected static TMatch? Enclosing<TMatch>(SyntaxNode root, TextSpan span)
            where TMatch : SyntaxNode
        {
            if (span.End > root.FullSpan.End)
            {
                return null;
            }
            var token = root.FindToken(span.Start);
            return token.Parent?.AncestorsAndSelf().OfType<TMatch>().FirstOrDefault(n => n.Span.Contains(span));
        }
    }
}
