using AutoGradGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoGradGen.Generator.Parsing
{
    /// <summary>Maps Roslyn types to value kinds: T, Vector&lt;T&gt;, Matrix&lt;T&gt;, int, bool.</summary>
    internal static class TypeClassifier
    {
        public const string AttributeNamespace = "AutoGradGen";

        /// <summary>The value kind of <paramref name="type"/> and its element type (null for int/bool).</summary>
        public static bool TryClassify(ITypeSymbol? type, out ValueKind kind, out string? element, out bool isBool)
        {
            kind = ValueKind.Int;
            element = null;
            isBool = false;
            if (type is null)
            {
                return false;
            }
            switch (type.SpecialType)
            {
                case SpecialType.System_Double:
                    kind = ValueKind.Scalar;
                    element = "double";
                    return true;
                case SpecialType.System_Single:
                    kind = ValueKind.Scalar;
                    element = "float";
                    return true;
                case SpecialType.System_Int32:
                    kind = ValueKind.Int;
                    return true;
                case SpecialType.System_Boolean:
                    kind = ValueKind.Int;
                    isBool = true;
                    return true;
            }
            if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
                && named.ContainingNamespace?.ToDisplayString() == AttributeNamespace
                && named.ContainingType is null)
            {
                var arg = named.TypeArguments[0].SpecialType;
                element = arg == SpecialType.System_Double ? "double" : arg == SpecialType.System_Single ? "float" : null;
                if (element is null)
                {
                    return false;
                }
                if (named.Name == "Matrix")
                {
                    kind = ValueKind.Matrix;
                    return true;
                }
                if (named.Name == "Vector")
                {
                    kind = ValueKind.Vector;
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// For a type that C# could not resolve because the name is ambiguous (CS0104) and one candidate is
        /// AutoGradGen's Vector&lt;T&gt; or Matrix&lt;T&gt;: the candidates, as "AutoGradGen.Vector&lt;T&gt;' and
        /// 'System.Numerics.Vector&lt;T&gt;" (quoted by the message). Null for any other type.
        /// </summary>
        public static string? AmbiguousCandidates(ITypeSymbol? type)
        {
            if (type is not IErrorTypeSymbol { CandidateReason: CandidateReason.Ambiguous } error)
            {
                return null;
            }
            var names = new System.Collections.Generic.List<string>();
            bool ours = false;
            foreach (var candidate in error.CandidateSymbols)
            {
                if (candidate is not INamedTypeSymbol named)
                {
                    continue;
                }
                var definition = named.OriginalDefinition;
                ours |= definition.ContainingNamespace?.ToDisplayString() == AttributeNamespace && definition.ContainingType is null
                        && definition.Name is "Vector" or "Matrix";
                names.Add(definition.ToDisplayString());
            }
            if (!ours || names.Count < 2)
            {
                return null;
            }
            names.Sort((a, b) => Ours(b).CompareTo(Ours(a)) is var c && c != 0 ? c : string.CompareOrdinal(a, b));
            return string.Join("' and '", names);
        }

        private static bool Ours(string name) => name.StartsWith(AttributeNamespace + ".", System.StringComparison.Ordinal);

        /// <summary>
        /// Whether a parameter of this type is a constant the generated methods pass through as it is: any type that is not
        /// T, Vector&lt;T&gt;, Matrix&lt;T&gt;, int or bool (those are classified), nor one that cannot be a plain by-value
        /// parameter of every generated method (an unresolved, pointer, ref-like or dynamic type, or our own types with
        /// another element type).
        /// </summary>
        public static bool IsPassedThrough(ITypeSymbol type)
        {
            if (TryClassify(type, out _, out _, out _) || type is IErrorTypeSymbol || type.IsRefLikeType
                || type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Dynamic or TypeKind.Error)
            {
                return false;
            }
            return !(type is INamedTypeSymbol named && named.ContainingNamespace?.ToDisplayString() == AttributeNamespace
                     && named.ContainingType is null && named.Name is "Vector" or "Matrix");
        }

        public static bool IsDifferentiableAttribute(AttributeData attribute)
            => attribute.AttributeClass?.ToDisplayString() == "AutoGradGen.DifferentiableAttribute";

        public static bool IsNoGradientAttribute(AttributeData attribute)
            => attribute.AttributeClass?.ToDisplayString() == "AutoGradGen.NoGradientAttribute";

        public static bool HasAttribute(ISymbol symbol, System.Func<AttributeData, bool> predicate)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (predicate(attribute))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>Whether the parameter is differentiated: a T, Vector or Matrix without [NoGradient].</summary>
        public static bool IsDifferentiated(IParameterSymbol parameter)
            => TryClassify(parameter.Type, out var kind, out _, out _)
               && kind != ValueKind.Int
               && !HasAttribute(parameter, IsNoGradientAttribute);
    }
}
