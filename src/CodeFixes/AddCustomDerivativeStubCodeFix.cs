using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGradGen.CodeFixes
{
    /// <summary>
    /// AGG0027 (the method named by [Pullback] or [Differential] does not exist): adds it after the method carrying the
    /// attribute, with the signature the analyzer computed (the diagnostic's "Signature" property, the one its message
    /// shows) and a body that throws <see cref="System.NotImplementedException"/>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddCustomDerivativeStubCodeFix)), Shared]
    public sealed class AddCustomDerivativeStubCodeFix : CodeFixProvider
    {
        private const string SignatureProperty = "Signature";

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("AGG0027");

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider()
            => FixAllProvider.Create((context, document, diagnostics) => AddAllAsync(document, diagnostics, context.CancellationToken));

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(SignatureProperty, out var signature) || signature is null
                    || Carrier(root, diagnostic) is null || Stub(signature) is not { } stub)
                {
                    continue;
                }
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create("Add '" + stub.Identifier.ValueText + "'", ct => AddAsync(document, diagnostic, ct), equivalenceKey: "AGG0027"),
                    diagnostic);
            }
        }

        private static MethodDeclarationSyntax? Carrier(SyntaxNode root, Diagnostic diagnostic)
        {
            var span = diagnostic.Location.SourceSpan;
            if (span.End > root.FullSpan.End)
            {
                return null;
            }
            return root.FindToken(span.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Span.Contains(span))
                is { Parent: TypeDeclarationSyntax } method ? method : null;
        }

        /// <summary>The stub: the expected signature and a body that throws.</summary>
        private static MethodDeclarationSyntax? Stub(string signature)
            => SyntaxFactory.ParseMemberDeclaration(signature + " { throw new System.NotImplementedException(); }") is MethodDeclarationSyntax method
               && !method.ContainsDiagnostics
                ? method
                : null;

        private static Task<Document> AddAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
            => AddAllAsync(document, ImmutableArray.Create(diagnostic), cancellationToken)!;

        /// <summary>The stub laid out as a block, after a blank line, indented as the method it follows.</summary>
        private static MemberDeclarationSyntax Laid(MethodDeclarationSyntax stub, MethodDeclarationSyntax carrier, string eol)
        {
            var indent = carrier.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
            var lines = stub.NormalizeWhitespace("    ", eol).ToFullString().Split(new[] { eol }, System.StringSplitOptions.None);
            var text = eol + string.Join(eol, lines.Select(l => indent.ToString() + l)) + eol;
            return SyntaxFactory.ParseMemberDeclaration(text)!;
        }

        /// <summary>Every stub of the document in one pass: each after the method that names it (a name given twice gets one stub).</summary>
        private static async Task<Document?> AddAllAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }
            var stubs = diagnostics
                .Select(d => (Carrier: Carrier(root, d), Stub: d.Properties.TryGetValue(SignatureProperty, out var text) && text is not null ? Stub(text) : null))
                .Where(s => s.Carrier is not null && s.Stub is not null)
                .GroupBy(s => s.Carrier!)
                .ToDictionary(g => g.Key, g => g.Select(s => s.Stub!).ToList());
            if (stubs.Count == 0)
            {
                return document;
            }
            var eol = root.ToFullString().Contains("\r\n") ? "\r\n" : "\n";
            var newRoot = root.ReplaceNodes(stubs.Keys.Select(c => (TypeDeclarationSyntax)c.Parent!).Distinct(), (original, type) =>
            {
                var members = type.Members;
                var taken = new System.Collections.Generic.HashSet<string>(members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText));
                foreach (var carrier in original.Members.OfType<MethodDeclarationSyntax>().Where(stubs.ContainsKey).Reverse())
                {
                    var index = original.Members.IndexOf(carrier);
                    var added = stubs[carrier].Where(s => taken.Add(s.Identifier.ValueText)).Select(s => Laid(s, carrier, eol));
                    members = members.InsertRange(index + 1, added);
                }
                return type.WithMembers(members);
            });
            return document.WithSyntaxRoot(newRoot);
        }
    }
}
