using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace AutoGradGen.Generator.Parsing
{
    /// <summary>
    /// Names the generator gives to what it adds for a method, decided from the method's symbol so that the
    /// method's own model and every caller's <see cref="Model.CalleeInfo"/> agree.
    /// </summary>
    internal static class GeneratedNaming
    {
        /// <summary>Generated file names stay under this length (Windows' path limit leaves little room under obj/).</summary>
        public const int MaxHintLength = 100;

        /// <summary>
        /// The workspace class: <c>FWorkspace</c>, or, when the type has several [Differentiable] overloads of F,
        /// F followed by the parameter types (<c>LossMatrixDoubleWorkspace</c>, <c>LossVectorDoubleWorkspace</c>),
        /// so that overloads never declare one type twice.
        /// </summary>
        public static string WorkspaceName(IMethodSymbol method)
        {
            int overloads = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>()
                .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "AutoGradGen.DifferentiableAttribute"));
            if (overloads < 2)
            {
                return method.Name + "Workspace";
            }
            var sb = new StringBuilder(method.Name);
            foreach (var p in method.Parameters)
            {
                AppendTypeWord(sb, p.Type);
            }
            return sb.Append("Workspace").ToString();
        }

        private static void AppendTypeWord(StringBuilder sb, ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol array)
            {
                AppendTypeWord(sb, array.ElementType);
                sb.Append("Array");
                return;
            }
            sb.Append(type.MetadataName.Split('`')[0]);
            if (type is INamedTypeSymbol { IsGenericType: true } generic)
            {
                foreach (var argument in generic.TypeArguments)
                {
                    AppendTypeWord(sb, argument);
                }
            }
        }

        /// <summary>
        /// A file name unique per method and at most <see cref="MaxHintLength"/> characters: the readable
        /// Type.Method, shortened if need be, and a 64-bit FNV-1a hash of the full signature (distinct
        /// signatures never share a file; a method declared twice, CS0111 while editing, gets its index).
        /// </summary>
        public static string HintName(IMethodSymbol method)
        {
            var signature = method.ContainingType.ToDisplayString() + "." + method.Name + "(" +
                            string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString())) + ")";
            var twins = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>()
                .Where(m => m.Parameters.Select(p => p.Type.ToDisplayString()).SequenceEqual(method.Parameters.Select(p => p.Type.ToDisplayString())))
                .ToList();
            var suffix = "_" + Fnv1a(signature).ToString("x16", CultureInfo.InvariantCulture)
                         + (twins.Count > 1 ? "_" + twins.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method)).ToString(CultureInfo.InvariantCulture) : string.Empty)
                         + ".g.cs";
            var readable = new StringBuilder();
            foreach (var c in method.ContainingType.ToDisplayString() + "." + method.Name)
            {
                readable.Append(c < 128 && (char.IsLetterOrDigit(c) || c == '.') ? c : '_');
            }
            int room = MaxHintLength - suffix.Length;
            return (readable.Length > room ? readable.ToString(0, room) : readable.ToString()) + suffix;
        }

        private static ulong Fnv1a(string text)
        {
            ulong hash = 14695981039346656037UL;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }
            return hash;
        }
    }
}
