using System.Collections;
using System.Reflection;
using AutoGradGen.Generator;
using AutoGradGen.Generator.Model;
using AutoGradGen.GeneratorTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace AutoGradGen.GeneratorTests.Model;

/// <summary>
/// The parse stage's output is plain, value-equatable data (as System.Text.Json's
/// SourceGenModelDoesNotEncapsulateSymbolsOrCompilationData): no symbol, syntax, semantic model,
/// compilation or location anywhere in the graph, so the incremental pipeline can cache it and
/// does not keep compilations alive.
/// </summary>
public class ModelContractTests
{
    /// <summary>Covers every model shape: the four lecture examples, int and bool parameters, a layer, a call, literals, diagnostics.</summary>
    private const string Source = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        namespace Seed.Models;
        public static partial class Lecture
        {
            [Differentiable]
            public static double Bilinear(Vector<double> x, Matrix<double> A, Vector<double> y) => Dot(x, A * y);
            [Differentiable]
            public static double LeastSquares([NoGradient] Matrix<double> X, Vector<double> w, [NoGradient] Vector<double> y) => SquaredNorm(X * w - y);
            [Differentiable]
            public static double GaussianNll(Matrix<double> Sigma, Vector<double> mu, [NoGradient] Matrix<double> X) { int N = X.Cols; var C = X - mu; return N * LogDet(Sigma) + Sum(Hadamard(C, Solve(Sigma, C))); }
            [Differentiable]
            public static double SigmoidForm([NoGradient] Vector<double> x, [NoGradient] Matrix<double> A, Matrix<double> B, Vector<double> z, Vector<double> b) { var h = Inverse(B) * z + b; return Dot(x, A * Sigmoid(h)); }
            [Differentiable]
            internal static Vector<double> Layer(Matrix<double> W, Vector<double> b, [NoGradient] Vector<double> x, int n, bool flag) { var h = W * x + b; h += 0.5 * h; return Tanh(h) / n; }
            [Differentiable]
            public static double Caller(Matrix<double> W, Vector<double> b, [NoGradient] Vector<double> x) => Sum(Layer(W, b, x, 2, true)) - 3.0;
            [Differentiable]
            public static double Broken(Matrix<double> A) => Sum(A) % 2.0;
            [Differentiable]
            public static double Constant([NoGradient] Matrix<double> A) => Sum(A);
        }
        public partial struct Outer<T>
        {
            private partial record Inner
            {
                [Differentiable]
                private static float F(Vector<float> v) => Sum(Exp(v)) * 2.0f;
            }
        }
        """;

    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SemanticModel), typeof(Compilation), typeof(Location),
        typeof(SyntaxToken), typeof(SyntaxTrivia), typeof(SyntaxReference), typeof(AttributeData), typeof(IOperation),
        typeof(Diagnostic), typeof(Microsoft.CodeAnalysis.Text.SourceText),
    };

    private static List<ParseResult> ParseResults(string source)
    {
        var compilation = GeneratorHarness.CreateCompilation(source);
        var result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return result.TrackedSteps[DifferentiableGenerator.Steps.Parse]
            .SelectMany(s => s.Outputs)
            .Select(o => Assert.IsType<ParseResult>(o.Value))
            .ToList();
    }

    [Fact]
    public void ParseResults_CoverModelsAndDiagnostics()
    {
        var results = ParseResults(Source);
        Assert.Equal(9, results.Count);
        Assert.Equal(7, results.Count(r => r.Model is not null));
        Assert.Contains(results, r => r.Model?.Nodes.Any(n => n.Callee is not null) == true);
        Assert.Contains(results, r => r.Diagnostics.Count > 0 && r.Model is null);
    }

    [Fact]
    public void ModelGraph_DoesNotEncapsulateSymbolsOrCompilationData()
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var violations = new List<string>();
        foreach (var (result, i) in ParseResults(Source).Select((r, i) => (r, i)))
        {
            Walk(result, "ParseResult[" + i + "]", visited, violations);
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.True(visited.Count > 100, "the walk visited only " + visited.Count + " objects");
    }

    [Fact]
    public void ModelTypes_DeclareNoSymbolOrCompilationMembers()
    {
        // Catches a forbidden member even when it happens to be null in every test value.
        var violations = new List<string>();
        WalkType(typeof(ParseResult), "ParseResult", new HashSet<Type>(), violations);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void ParsingTheSameSourceTwice_GivesEqualModels()
    {
        var first = ParseResults(Source);
        var second = ParseResults(Source);
        Assert.Equal(first.Count, second.Count);
        for (int i = 0; i < first.Count; i++)
        {
            Assert.NotSame(first[i], second[i]);
            Assert.Equal(first[i], second[i]);
            Assert.Equal(first[i].GetHashCode(), second[i].GetHashCode());
            if (first[i].Model is { } model)
            {
                Assert.Equal(model, second[i].Model);
                Assert.True(model.Nodes == second[i].Model!.Nodes);
            }
        }
    }

    [Fact]
    public void ADifferentBody_GivesADifferentModel()
    {
        var first = ParseResults(Source);
        var second = ParseResults(Source.Replace("Dot(x, A * y)", "Dot(y, A * x)"));
        Assert.Equal(first.Count, second.Count);
        Assert.Equal(1, first.Zip(second).Count(p => !p.First.Equals(p.Second)));
    }

    private static void Walk(object? value, string path, HashSet<object> visited, List<string> violations)
    {
        if (value is null)
        {
            return;
        }
        var type = value.GetType();
        if (Forbidden.FirstOrDefault(f => f.IsAssignableFrom(type)) is { } bad)
        {
            violations.Add(path + " is a " + type.FullName + " (" + bad.Name + ")");
            return;
        }
        if (type.IsPrimitive || type.IsEnum || value is string or decimal || (!type.IsValueType && !visited.Add(value)))
        {
            return;
        }
        if (value is Op op)
        {
            // An op is a static descriptor (code, not data): the model refers to it by identity.
            if (!Op.All.Contains(op))
            {
                violations.Add(path + " is an Op that is not one of the declared singletons");
            }
            return;
        }
        if (type.IsValueType)
        {
            visited.Add(value); // boxed copy: counts the visit, never matches again
        }
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (var item in items)
            {
                Walk(item, path + "[" + i++ + "]", visited, violations);
            }
        }
        foreach (var field in AllInstanceFields(type))
        {
            Walk(field.GetValue(value), path + "." + field.Name, visited, violations);
        }
    }

    private static void WalkType(Type type, string path, HashSet<Type> seen, List<string> violations)
    {
        if (!seen.Add(type))
        {
            return;
        }
        if (Forbidden.FirstOrDefault(f => f.IsAssignableFrom(type)) is { } bad)
        {
            violations.Add(path + " has type " + type.FullName + " (" + bad.Name + ")");
            return;
        }
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return; // the rules and notation of an op: static code, never compilation data
        }
        if (type == typeof(object))
        {
            violations.Add(path + " is typed object, which could hold anything");
            return;
        }
        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes)
        {
            WalkType(argument, path + "<" + argument.Name + ">", seen, violations);
        }
        if (type.IsArray)
        {
            WalkType(type.GetElementType()!, path + "[]", seen, violations);
        }
        if (type.Assembly == typeof(ParseResult).Assembly)
        {
            foreach (var field in AllInstanceFields(type))
            {
                WalkType(field.FieldType, path + "." + field.Name, seen, violations);
            }
        }
    }

    private static IEnumerable<FieldInfo> AllInstanceFields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }
}
