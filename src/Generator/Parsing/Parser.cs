using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using AutoGradGen.Generator.Diagnostics;
using AutoGradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoGradGen.Generator.Parsing
{
    /// <summary>
    /// The only stage that sees symbols and syntax: checks the method's signature and containing
    /// types, then lowers its body to the IR. Returns plain data (a model and diagnostics).
    /// </summary>
    internal static class Parser
    {
        /// <summary>A result with neither a model nor diagnostics (the target is not a method declaration).</summary>
        public static readonly ParseResult Nothing = new(null, EquatableArray<DiagnosticInfo>.Empty);

        /// <summary>
        /// The one analysis of a [Differentiable] method, shared by the generator's transform and by
        /// <see cref="Analysis.DifferentiableAnalyzer"/>, so that they agree by construction: a model
        /// when the method can be differentiated, and the diagnostics that say why not.
        /// </summary>
        public static ParseResult Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            try
            {
                var model = ParseMethod(method, syntax, semanticModel, diagnostics, cancellationToken);
                return new ParseResult(diagnostics.Any(IsError) ? null : model, diagnostics.ToEquatableArray());
            }
            catch (System.OperationCanceledException)
            {
                throw;
            }
            catch (System.Exception ex)
            {
                // Never throws: an internal failure becomes one diagnostic on this method.
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.InternalError, syntax.Identifier.GetLocation(), method.Name, ex.GetType().Name + ": " + ex.Message));
                return new ParseResult(null, diagnostics.ToEquatableArray());
            }
        }

        /// <summary>
        /// Whether <paramref name="method"/> is a target as the generator's ForAttributeWithMetadataName
        /// sees it: [Differentiable] applied in the tree of <paramref name="syntax"/> (a partial method's
        /// other part, with the attribute, is the target instead).
        /// </summary>
        public static bool IsTarget(IMethodSymbol method, MethodDeclarationSyntax syntax)
        {
            if (syntax.AttributeLists.Count == 0)
            {
                return false;
            }
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.ApplicationSyntaxReference?.SyntaxTree == syntax.SyntaxTree && TypeClassifier.IsDifferentiableAttribute(attribute)
                    && syntax.Span.Contains(attribute.ApplicationSyntaxReference.Span))
                {
                    return true;
                }
            }
            return false;
        }

        private static bool IsError(DiagnosticInfo d) => Descriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error;

        private static MethodModel? ParseMethod(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel,
            List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var types = CheckContainingTypes(method, diagnostics);
            if (!method.IsStatic)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.NotStatic, syntax.Identifier.GetLocation(), method.Name));
            }
            if (method.IsGenericMethod)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.GenericMethod, syntax.TypeParameterList?.GetLocation() ?? syntax.Identifier.GetLocation(), method.Name));
            }
            var element = CheckReturnType(method, syntax, diagnostics, out var returnKind);
            var parameters = CheckParameters(method, syntax, element, diagnostics);
            CheckNameCollision(method, syntax, returnKind, diagnostics);
            if (diagnostics.Count > 0 || element is null || parameters is null)
            {
                return null;
            }
            if (!parameters.Any(p => p.Differentiated))
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.NothingToDifferentiate, syntax.Identifier.GetLocation(), method.Name));
                return null;
            }
            var lowering = new Lowering(method, semanticModel, element, diagnostics, cancellationToken);
            var result = lowering.LowerBody(syntax, parameters);
            if (result is null || diagnostics.Count > 0)
            {
                return null;
            }
            var containing = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            var model = new MethodModel(
                GeneratedNaming.HintName(method), ns, types, containing, method.Name, Accessibility(method), element, returnKind,
                parameters.ToEquatableArray(), lowering.Nodes.ToEquatableArray(), result.Value, GeneratedNaming.WorkspaceName(method),
                lowering.Loops.ToEquatableArray());
            CheckShapes(model, lowering, syntax, diagnostics);
            if (!CustomDerivatives.CheckForwardMode(model, lowering, syntax, diagnostics))
            {
                CheckSecondOrder(model, lowering, syntax, diagnostics);
            }
            if (model.HasRegions && diagnostics.All(d => Descriptors.ById(d.Id).DefaultSeverity != DiagnosticSeverity.Error))
            {
                // A for loop says AGG0035 at the first loop; a method whose only regions are branches, AGG0038 at the first branch.
                int loop = model.Loops.Items.ToList().FindIndex(l => !l.Branch);
                diagnostics.Add(DiagnosticInfo.Create(loop >= 0 ? Descriptors.NoLoopForwardMode : Descriptors.NoBranchSecondOrder,
                    lowering.LoopLocations[loop >= 0 ? loop : 0], model.Name, GeneratedName(model.Name, model.ReturnKind)));
            }
            return model;
        }

        /// <summary>
        /// The AGG0004 diagnostics of <paramref name="method"/>, as <see cref="Parse"/> reports them: one per
        /// containing type that is not partial. The analyzer reports them from the type's declaration.
        /// </summary>
        public static List<DiagnosticInfo> ContainingTypeDiagnostics(IMethodSymbol method)
        {
            var diagnostics = new List<DiagnosticInfo>();
            CheckContainingTypes(method, diagnostics);
            return diagnostics;
        }

        internal static EquatableArray<TypeDecl> CheckContainingTypes(IMethodSymbol method, List<DiagnosticInfo> diagnostics)
        {
            var chain = new List<TypeDecl>();
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().ToList();
                bool isPartial = declarations.Count > 0 && declarations.All(d => d.Modifiers.Any(SyntaxKind.PartialKeyword));
                if (!isPartial)
                {
                    var location = declarations.FirstOrDefault()?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault();
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.TypeNotPartial, location, type.Name, method.Name));
                }
                chain.Insert(0, new TypeDecl(Keyword(type, declarations.FirstOrDefault()), NameWithTypeParameters(type)));
            }
            return chain.ToEquatableArray();
        }

        private static string Keyword(INamedTypeSymbol type, TypeDeclarationSyntax? declaration)
        {
            if (declaration is RecordDeclarationSyntax record)
            {
                return record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record";
            }
            return type.TypeKind switch
            {
                TypeKind.Struct => "struct",
                TypeKind.Interface => "interface",
                _ => "class",
            };
        }

        private static string NameWithTypeParameters(INamedTypeSymbol type)
            => type.TypeParameters.Length == 0
                ? EscapeIdentifier(type.Name)
                : EscapeIdentifier(type.Name) + "<" + string.Join(", ", type.TypeParameters.Select(t => EscapeIdentifier(t.Name))) + ">";

        internal static string EscapeIdentifier(string name)
            => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        private static string? CheckReturnType(IMethodSymbol method, MethodDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics, out ValueKind kind)
        {
            if (TypeClassifier.AmbiguousCandidates(method.ReturnType) is { } candidates)
            {
                kind = ValueKind.Scalar;
                diagnostics.Add(AmbiguousType(syntax.ReturnType, candidates));
                return null;
            }
            if (!TypeClassifier.TryClassify(method.ReturnType, out kind, out var element, out _) || element is null || method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnsupportedReturnType, syntax.ReturnType.GetLocation(), method.Name, method.ReturnType.ToDisplayString()));
                return null;
            }
            return element;
        }

        private static List<ParamModel>? CheckParameters(IMethodSymbol method, MethodDeclarationSyntax syntax, string? element, List<DiagnosticInfo> diagnostics)
        {
            var result = new List<ParamModel>();
            bool ok = true;
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                var p = method.Parameters[i];
                var pSyntax = i < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[i] : null;
                if (p.RefKind != RefKind.None)
                {
                    var modifier = p.RefKind switch { RefKind.Out => "out", RefKind.In => "in", _ => "ref" };
                    var token = pSyntax?.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword));
                    var location = token is { } t && t != default ? t.GetLocation() : p.Locations.FirstOrDefault();
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.RefParameter, location, p.Name, modifier));
                    ok = false;
                    continue;
                }
                if (pSyntax?.Type is { } typeSyntax && TypeClassifier.AmbiguousCandidates(p.Type) is { } candidates)
                {
                    diagnostics.Add(AmbiguousType(typeSyntax, candidates));
                    ok = false;
                    continue;
                }
                if (!p.IsParams && TypeClassifier.IsPassedThrough(p.Type))
                {
                    // Any other type (int[] token ids, a settings record, a string) is a constant, passed through as it is.
                    result.Add(new ParamModel(EscapeIdentifier(p.Name), p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), ValueKind.Int, false, i));
                    continue;
                }
                if (p.IsParams || !TypeClassifier.TryClassify(p.Type, out var kind, out var pElement, out _))
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnsupportedParameterType, pSyntax?.Type?.GetLocation() ?? p.Locations.FirstOrDefault(), p.Name, p.Type.ToDisplayString()));
                    ok = false;
                    continue;
                }
                if (pElement is not null && element is not null && pElement != element)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.MixedElementTypes, pSyntax?.Type?.GetLocation() ?? p.Locations.FirstOrDefault(), p.Name, pElement, method.Name, element));
                    ok = false;
                    continue;
                }
                var shape = ShapeOf(p, kind, diagnostics);
                ok &= shape is not null;
                result.Add(new ParamModel(EscapeIdentifier(p.Name), p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), kind, TypeClassifier.IsDifferentiated(p), i,
                    shape ?? EquatableArray<string>.Empty));
            }
            return ok ? result : null;
        }

        /// <summary>
        /// The entries of the parameter's [Shape] attribute (empty without one), or null after AGG0019 when
        /// their number is not the parameter's rank (one for a vector, two for a matrix).
        /// </summary>
        private static EquatableArray<string>? ShapeOf(IParameterSymbol parameter, ValueKind kind, List<DiagnosticInfo> diagnostics)
        {
            var attribute = parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "AutoGradGen.ShapeAttribute");
            if (attribute is null)
            {
                return EquatableArray<string>.Empty;
            }
            var entries = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
                ? attribute.ConstructorArguments[0].Values.Select(v => (v.Value as string ?? string.Empty).Trim()).ToArray()
                : new string[0];
            int rank = kind == ValueKind.Matrix ? 2 : kind == ValueKind.Vector ? 1 : 0;
            if (entries.Length != rank || entries.Any(e => e.Length == 0))
            {
                var what = kind == ValueKind.Matrix ? "matrix" : kind == ValueKind.Vector ? "vector" : "scalar";
                var fix = rank == 2 ? "[Shape(\"rows\", \"cols\")]" : rank == 1 ? "[Shape(\"n\")]" : "no [Shape]";
                var location = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? parameter.Locations.FirstOrDefault();
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.BadShapeAttribute, location, parameter.Name,
                    entries.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), what,
                    rank.ToString(System.Globalization.CultureInfo.InvariantCulture), fix));
                return null;
            }
            return entries.ToEquatableArray();
        }

        /// <summary>AGG0018 at each operation whose operands' shapes provably disagree.</summary>
        private static void CheckShapes(MethodModel model, Lowering lowering, MethodDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
        {
            foreach (var mismatch in Shapes.ShapeInference.Infer(model).Mismatches)
            {
                var location = lowering.SyntaxOf(mismatch.Node)?.GetLocation() ?? syntax.Identifier.GetLocation();
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.ShapeMismatch, location, mismatch.Message));
            }
        }

        /// <summary>
        /// AGG0020 (information) at the first call that keeps a scalar method from its second order: a call the
        /// backward sweep differentiates, whose pullback has no differential of its own (Emit.HessianEmitter then writes none).
        /// </summary>
        private static void CheckSecondOrder(MethodModel model, Lowering lowering, MethodDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
        {
            if (model.ReturnKind != ValueKind.Scalar || !model.Nodes.Any(n => n.Op == Op.Call))
            {
                return;
            }
            var plan = Differentiation.BackwardPlan.Build(model);
            var call = model.Nodes.FirstOrDefault(n => n.Op == Op.Call && plan.NeedsAdjoint(n.Id));
            if (call is not null)
            {
                var location = lowering.SyntaxOf(call.Id)?.GetLocation() ?? syntax.Identifier.GetLocation();
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.NoSecondOrder, location, model.Name, call.Callee!.Name));
            }
        }

        /// <summary>AGG0017 at a type written as 'Vector&lt;double&gt;' that C# cannot resolve (CS0104) because two imported namespaces declare it.</summary>
        private static DiagnosticInfo AmbiguousType(TypeSyntax type, string candidates)
        {
            var written = type.ToString();
            var simple = type is GenericNameSyntax generic ? generic.Identifier.ValueText : written;
            return DiagnosticInfo.Create(Descriptors.AmbiguousType, type.GetLocation(), written, candidates, simple);
        }

        private static void CheckNameCollision(IMethodSymbol method, MethodDeclarationSyntax syntax, ValueKind returnKind, List<DiagnosticInfo> diagnostics)
        {
            foreach (var generated in GeneratedNames(method.Name, returnKind))
            {
                if (method.ContainingType.GetMembers(generated).Any(m => !GeneratedByThisGenerator(m)))
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.GradientNameCollision, syntax.Identifier.GetLocation(), generated, method.ContainingType.Name));
                    return;
                }
            }
        }

        /// <summary>
        /// Whether <paramref name="member"/> was added by this generator. The analyzer sees the compilation
        /// after generators ran (on build, and in the IDE), so FWithGradient is then already there; only a
        /// member declared outside the generator's own files is a collision. Generated files have paths
        /// ending in ".../AutoGradGen.Generator.DifferentiableGenerator/HintName.g.cs".
        /// </summary>
        private static bool GeneratedByThisGenerator(ISymbol member)
        {
            var references = member.DeclaringSyntaxReferences;
            return references.Length > 0 && references.All(r => IsGeneratedPath(r.SyntaxTree.FilePath));
        }

        internal static bool IsGeneratedPath(string path)
        {
            var normalized = path.Replace('\\', '/');
            return normalized.EndsWith(".g.cs", System.StringComparison.Ordinal)
                   && normalized.Contains("/" + typeof(DifferentiableGenerator).FullName + "/");
        }

        /// <summary>Every member the generator adds for a method: the gradient or pullback, and the workspace API.</summary>
        public static IEnumerable<string> GeneratedNames(string name, ValueKind returnKind)
        {
            yield return GeneratedName(name, returnKind);
            yield return name + "Backward";
            yield return name + "Differential";
            yield return name + "Workspace";
            if (returnKind != ValueKind.Scalar)
            {
                yield return name + "Forward";
            }
            else
            {
                yield return name + "HessianVectorProduct";
                yield return name + "Hessian";
            }
        }

        public static string GeneratedName(string name, ValueKind returnKind)
            => name + (returnKind == ValueKind.Scalar ? "WithGradient" : "Pullback");

        private static string Accessibility(IMethodSymbol method) => method.DeclaredAccessibility switch
        {
            Microsoft.CodeAnalysis.Accessibility.Public => "public",
            Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
            Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
            Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
            Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };
    }
}
