using AutoGradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AutoGradGen.Generator.Diagnostics
{
    /// <summary>
    /// A diagnostic as plain data (descriptor id, location as path and spans, message arguments), so
    /// that it can live in a cached model. <see cref="Location"/> holds a syntax tree and cannot.
    /// </summary>
    internal sealed record DiagnosticInfo(string Id, string? Path, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Args)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] args)
        {
            var path = location?.SourceTree?.FilePath;
            var span = location?.SourceSpan ?? default;
            var lineSpan = location is null ? default : location.GetLineSpan().Span;
            return new DiagnosticInfo(descriptor.Id, path, span, lineSpan, EquatableArray.From(args));
        }

        /// <summary>The diagnostic at an external location rebuilt from path and spans (no syntax tree, so #pragma does not apply).</summary>
        public Diagnostic ToDiagnostic()
            => ToDiagnostic(Path is null ? Location.None : Location.Create(Path, Span, LineSpan));

        /// <summary>The diagnostic at <paramref name="location"/>, the analyzer's location in the syntax tree.</summary>
        public Diagnostic ToDiagnostic(Location location)
            => Diagnostic.Create(Descriptors.ById(Id), location, Properties(), Args.Items.ToArrayCompat());

        /// <summary>The property the code fix of AGG0027 reads: the stub's signature (the message's last argument).</summary>
        public const string SignatureProperty = "Signature";

        private System.Collections.Immutable.ImmutableDictionary<string, string?>? Properties()
            => Id == Descriptors.CustomTargetMissing.Id && Args.Count > 0
                ? System.Collections.Immutable.ImmutableDictionary<string, string?>.Empty.Add(SignatureProperty, Args[Args.Count - 1])
                : null;
    }

    internal static class ArrayCompat
    {
        public static object[] ToArrayCompat(this System.Collections.Immutable.ImmutableArray<string> items)
        {
            var result = new object[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                result[i] = items[i];
            }
            return result;
        }
    }
}
