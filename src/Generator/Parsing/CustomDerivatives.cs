using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoGradGen.Generator.Parsing
{
    /// <summary>A method's custom derivatives, checked: the pullback's and the differential's names (null when absent).</summary>
    internal sealed record CustomRule(string Pullback, string? Differential, EquatableArray<int> Differentiated, ValueKind ReturnKind, string ElementType);

    /// <summary>
    /// [Pullback] and [Differential]: the contract of the methods they name, checked against the method that carries
    /// them. The analyzer reports the problems at the attribute (<see cref="Check"/>); a caller's lowering only asks
    /// whether the rule is usable (<see cref="Rule"/>), so the two agree by construction.
    /// </summary>
    internal static class CustomDerivatives
    {
        public const string PullbackAttribute = "AutoGradGen.PullbackAttribute";
        public const string DifferentialAttribute = "AutoGradGen.DifferentialAttribute";

        public static AttributeData? Attribute(IMethodSymbol method, string name)
            => method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == name);

        /// <summary>Whether [Pullback] or [Differential] is applied in <paramref name="syntax"/> (not on another part of a partial method).</summary>
        public static bool IsDeclaredOn(IMethodSymbol method, Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax syntax)
            => new[] { Attribute(method, PullbackAttribute), Attribute(method, DifferentialAttribute) }.Any(a =>
                a?.ApplicationSyntaxReference is { } at && at.SyntaxTree == syntax.SyntaxTree && syntax.Span.Contains(at.Span));

        public static bool HasPullback(IMethodSymbol method) => Attribute(method, PullbackAttribute) is not null;

        /// <summary>The checked rule of a method carrying [Pullback], or null when it (or its [Differential]) does not match.</summary>
        public static CustomRule? Rule(IMethodSymbol method)
        {
            var problems = new List<DiagnosticInfo>();
            var rule = Check(method, problems, null);
            return problems.Count == 0 ? rule : null;
        }

        /// <summary>
        /// Checks the [Pullback] and [Differential] of <paramref name="method"/>: AGG0027 (the named method does not exist) or
        /// AGG0028 (its signature does not match) at the attribute, each showing the expected signature in C#, with types
        /// written as at the method's declaration when <paramref name="semanticModel"/> is given.
        /// </summary>
        public static CustomRule? Check(IMethodSymbol method, List<DiagnosticInfo> diagnostics, SemanticModel? semanticModel)
        {
            var pullback = Attribute(method, PullbackAttribute);
            var differential = Attribute(method, DifferentialAttribute);
            if (pullback is null && differential is null)
            {
                return null;
            }
            if (!TryShape(method, out var kind, out var element, out var differentiated))
            {
                foreach (var attribute in new[] { pullback, differential }.Where(a => a is not null))
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.CustomTargetSignature, Where(attribute!, method), TargetName(attribute!) ?? "?",
                        AttributeName(attribute!), method.Name, "cannot be checked: '" + method.Name + "' itself must be a static, non-generic method " +
                        "with by-value parameters that returns float, double, Vector<T> or Matrix<T>", "the signature its documentation gives, once '" + method.Name + "' has that shape"));
                }
                return null;
            }
            var writer = new SignatureWriter(method, semanticModel, differentiated);
            string? pullbackName = pullback is null ? null : CheckTarget(method, pullback, writer, pull: true, diagnostics);
            string? differentialName = differential is null ? null : CheckTarget(method, differential, writer, pull: false, diagnostics);
            if (pullback is null && differential is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.CustomTargetSignature, Where(differential, method), TargetName(differential) ?? "?",
                    "Differential", method.Name, "is not used unless '" + method.Name + "' also has [Pullback]",
                    "[Pullback(nameof(" + method.Name + "Pullback))] on '" + method.Name + "' and " + writer.Pullback(method.Name + "Pullback")));
                return null;
            }
            return pullbackName is null ? null
                : new CustomRule(pullbackName, differentialName, differentiated.ToEquatableArray(), kind, element);
        }

        /// <summary>
        /// AGG0030 (information) at the first varying call with no forward-mode rule: the method then gets no FDifferential
        /// (nor second order; Emit.DifferentialEmitter checks <see cref="HasForwardMode"/>). Returns whether it reported it.
        /// </summary>
        public static bool CheckForwardMode(MethodModel model, Lowering lowering, Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax syntax,
            List<DiagnosticInfo> diagnostics)
        {
            if (!model.Nodes.Any(n => n.Op == Op.Call && !n.Callee!.Forward))
            {
                return false;
            }
            var plan = Differentiation.BackwardPlan.Build(model);
            var call = FirstWithoutForwardMode(model, plan);
            if (call is null)
            {
                return false;
            }
            var callee = call.Callee!;
            var missing = model.ReturnKind == ValueKind.Scalar
                ? "'" + model.Name + "Differential', '" + model.Name + "HessianVectorProduct' and '" + model.Name + "Hessian' are"
                : "'" + model.Name + "Differential' is";
            var why = callee.IsCustom
                ? "add [Differential(nameof(" + callee.Name + "Differential))] to '" + callee.Name + "' for forward mode"
                : "'" + callee.Name + "' calls a [Pullback] method without [Differential], so its forward mode is not assumed";
            var location = lowering.SyntaxOf(call.Id)?.GetLocation() ?? syntax.Identifier.GetLocation();
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.NoForwardMode, location, missing, callee.Name, why));
            return true;
        }

        /// <summary>The first call that varies and has no forward-mode rule, or null: then FDifferential can be generated.</summary>
        public static IrNode? FirstWithoutForwardMode(MethodModel model, Differentiation.BackwardPlan plan)
            => model.Nodes.FirstOrDefault(n => n.Op == Op.Call && !n.Callee!.Forward && plan.Live[n.Id] && plan.Varied[n.Id]);

        /// <summary>The kinds of a method that can carry custom derivatives, and its differentiated parameters.</summary>
        private static bool TryShape(IMethodSymbol method, out ValueKind kind, out string element, out List<int> differentiated)
        {
            differentiated = new List<int>();
            element = string.Empty;
            if (!method.IsStatic || method.IsGenericMethod || method.ReturnsByRef || method.ReturnsByRefReadonly
                || !TypeClassifier.TryClassify(method.ReturnType, out kind, out var returned, out _) || returned is null)
            {
                kind = ValueKind.Scalar;
                return false;
            }
            element = returned;
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                var p = method.Parameters[i];
                if (p.RefKind != RefKind.None || p.IsParams)
                {
                    return false;
                }
                if (TypeClassifier.TryClassify(p.Type, out var pk, out var pe, out _) && pk != ValueKind.Int && pe == element
                    && !TypeClassifier.HasAttribute(p, TypeClassifier.IsNoGradientAttribute))
                {
                    differentiated.Add(i);
                }
            }
            return true;
        }

        /// <summary>The target's name when it matches; else null after AGG0027 or AGG0028.</summary>
        private static string? CheckTarget(IMethodSymbol method, AttributeData attribute, SignatureWriter writer, bool pull, List<DiagnosticInfo> diagnostics)
        {
            var name = TargetName(attribute);
            var kind = AttributeName(attribute);
            if (string.IsNullOrEmpty(name))
            {
                return null; // the compiler reports the missing argument
            }
            var expected = pull ? writer.Pullback(name!) : writer.Differential(name!);
            var candidates = method.ContainingType.GetMembers(name!).OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToList();
            if (candidates.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.CustomTargetMissing, Where(attribute, method), name!, kind, method.Name,
                    method.ContainingType.Name, expected));
                return null;
            }
            var reasons = candidates.Select(c => Mismatch(c, writer.Expected(pull), pull ? null : method.ReturnType)).ToList();
            if (reasons.Any(r => r is null))
            {
                return name;
            }
            int closest = candidates.FindIndex(c => c.Parameters.Length == writer.Expected(pull).Count);
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.CustomTargetSignature, Where(attribute, method), name!, kind, method.Name,
                reasons[closest < 0 ? 0 : closest]!, expected));
            return null;
        }

        /// <summary>Why <paramref name="candidate"/> is not the expected method, or null when it is.</summary>
        private static string? Mismatch(IMethodSymbol candidate, IReadOnlyList<(ITypeSymbol Type, RefKind Ref, string Name)> expected, ITypeSymbol? returns)
        {
            if (!candidate.IsStatic)
            {
                return "is not static";
            }
            if (candidate.IsGenericMethod)
            {
                return "is generic";
            }
            if (candidate.Parameters.Length != expected.Count)
            {
                return "takes " + candidate.Parameters.Length + " parameter(s), expected " + expected.Count;
            }
            for (int i = 0; i < expected.Count; i++)
            {
                var p = candidate.Parameters[i];
                if (!SymbolEqualityComparer.Default.Equals(p.Type, expected[i].Type))
                {
                    return "has parameter " + (i + 1) + " ('" + p.Name + "') of type '" + p.Type.ToDisplayString() + "', expected '" + expected[i].Type.ToDisplayString() + "'";
                }
                if (p.RefKind != expected[i].Ref)
                {
                    return expected[i].Ref == RefKind.Ref
                        ? "takes parameter " + (i + 1) + " ('" + p.Name + "') " + (p.RefKind == RefKind.None ? "by value" : "as '" + p.RefKind.ToString().ToLowerInvariant() + "'") + ", expected 'ref'"
                        : "takes parameter " + (i + 1) + " ('" + p.Name + "') as '" + p.RefKind.ToString().ToLowerInvariant() + "', expected by value";
                }
            }
            if (returns is null ? !candidate.ReturnsVoid : !SymbolEqualityComparer.Default.Equals(candidate.ReturnType, returns) || candidate.ReturnsByRef)
            {
                return "returns '" + candidate.ReturnType.ToDisplayString() + "', expected '" + (returns?.ToDisplayString() ?? "void") + "'";
            }
            return null;
        }

        /// <summary>
        /// The name the attribute gives; for <c>nameof(FPullback)</c> of a method that does not exist yet (CS0103, no
        /// constant), the name written, so that AGG0027 and its code fix still apply.
        /// </summary>
        private static string? TargetName(AttributeData attribute)
        {
            if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
            {
                return name;
            }
            return attribute.ApplicationSyntaxReference?.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.AttributeSyntax
            {
                ArgumentList.Arguments: { Count: 1 } arguments,
            } && arguments[0].Expression is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax
            {
                Expression: Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax { Identifier.ValueText: "nameof" },
                ArgumentList.Arguments: { Count: 1 } inner,
            } && inner[0].Expression is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax written
                ? written.Identifier.ValueText
                : null;
        }

        private static string AttributeName(AttributeData attribute) => attribute.AttributeClass?.Name.Replace("Attribute", string.Empty) ?? "?";

        private static Location? Where(AttributeData attribute, IMethodSymbol method)
            => attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? method.Locations.FirstOrDefault();

        /// <summary>The expected parameters and their C# text.</summary>
        private sealed class SignatureWriter
        {
            private readonly IMethodSymbol _method;
            private readonly SemanticModel? _semanticModel;
            private readonly List<int> _differentiated;
            private readonly int _position;
            private readonly bool _nullable;
            private readonly List<string> _names = new();

            public SignatureWriter(IMethodSymbol method, SemanticModel? semanticModel, List<int> differentiated)
            {
                _method = method;
                _differentiated = differentiated;
                var syntax = method.DeclaringSyntaxReferences.FirstOrDefault();
                _semanticModel = syntax is not null && semanticModel?.SyntaxTree == syntax.SyntaxTree ? semanticModel : null;
                _position = syntax?.Span.Start ?? 0;
                _nullable = _semanticModel is null || (_semanticModel.GetNullableContext(_position) & NullableContext.AnnotationsEnabled) != 0;
                var taken = new HashSet<string>(method.Parameters.Select(p => p.Name));
                _names.AddRange(method.Parameters.Select(p => p.Name));
                _names.Add(Fresh("value", taken));
                _names.Add(Fresh("seed", taken));
                _names.AddRange(differentiated.Select(i => Fresh("d" + method.Parameters[i].Name, taken)));
            }

            private static string Fresh(string name, HashSet<string> taken)
            {
                while (!taken.Add(name))
                {
                    name += "_";
                }
                return name;
            }

            /// <summary>The parameters FPullback (or FDifferential) must take.</summary>
            public IReadOnlyList<(ITypeSymbol Type, RefKind Ref, string Name)> Expected(bool pull)
            {
                var list = _method.Parameters.Select(p => (p.Type, RefKind.None, p.Name)).ToList();
                list.Add((_method.ReturnType, RefKind.None, _names[_method.Parameters.Length]));
                if (pull)
                {
                    list.Add((_method.ReturnType, RefKind.None, _names[_method.Parameters.Length + 1]));
                }
                for (int k = 0; k < _differentiated.Count; k++)
                {
                    var p = _method.Parameters[_differentiated[k]];
                    bool scalar = p.Type.SpecialType is SpecialType.System_Double or SpecialType.System_Single;
                    list.Add((p.Type, pull && scalar ? RefKind.Ref : RefKind.None, _names[_method.Parameters.Length + 2 + k]));
                }
                return list;
            }

            public string Pullback(string name) => Text(name, pull: true);

            public string Differential(string name) => Text(name, pull: false);

            private string Text(string name, bool pull)
            {
                var parameters = Expected(pull).Select((p, i) =>
                {
                    bool buffer = pull && i >= _method.Parameters.Length + 2 && p.Ref == RefKind.None;
                    return (p.Ref == RefKind.Ref ? "ref " : string.Empty) + Type(p.Type) + (buffer && _nullable ? "?" : string.Empty) + " " + Parser.EscapeIdentifier(p.Name);
                });
                return Accessibility() + "static " + (pull ? "void" : Type(_method.ReturnType)) + " " + name + "(" + string.Join(", ", parameters) + ")";
            }

            private string Type(ITypeSymbol type)
                => _semanticModel is not null ? type.ToMinimalDisplayString(_semanticModel, _position) : type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

            private string Accessibility() => _method.DeclaredAccessibility switch
            {
                Microsoft.CodeAnalysis.Accessibility.Public => "public ",
                Microsoft.CodeAnalysis.Accessibility.Internal => "internal ",
                _ => "private ",
            };
        }
    }
}
