using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Model;
using Microsoft.CodeAnalysis.Operations;

namespace AutoGradGen.Generator.Parsing
{
    // Element access: reads A[i, j] and v[i] lower to Op.Element (indices are Int nodes); writes are AGG0024.
    internal sealed partial class Lowering
    {
        /// <summary>Whether an indexer is the one of AutoGradGen's Matrix&lt;T&gt; or Vector&lt;T&gt;.</summary>
        private static bool IsOurs(IPropertyReferenceOperation property)
            => property.Property.ContainingType?.ContainingNamespace?.ToDisplayString() == TypeClassifier.AttributeNamespace;

        /// <summary>A[i, j] or v[i]: a scalar read of the (lowered) instance at int indices.</summary>
        private int? LowerElement(IPropertyReferenceOperation property)
        {
            var instance = Lower(property.Instance!);
            if (instance is null)
            {
                return null;
            }
            var args = new System.Collections.Generic.List<int> { instance.Value };
            foreach (var argument in property.Arguments)
            {
                var index = Lower(argument.Value);
                if (index is null)
                {
                    return null;
                }
                args.Add(index.Value);
            }
            return Add(Op.Element, ValueKind.Scalar, args.ToEquatableArray());
        }

        /// <summary>AGG0024 at an element write (A[i, j] = …, v[i] += …), with what to write instead.</summary>
        private void ReportElementWrite(IPropertyReferenceOperation element)
        {
            var vector = element.Arguments.Length == 1;
            Report(Descriptors.ElementWrite, element.Syntax.GetLocation(), element.Syntax.ToString(), vector
                ? "assemble the vector with ConcatRows of its unchanged slices (SliceRows) and the new entries as a vector, or compute it as one expression of whole vectors (Hadamard with a [NoGradient] mask, …)"
                : "assemble the matrix with ConcatRows/ConcatColumns of slices (SliceRows, SliceColumns), or compute it as one expression of whole matrices (Hadamard with a [NoGradient] mask, Outer, …)");
        }
    }
}
