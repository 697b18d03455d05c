using System;
using System.Linq;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;

namespace AutoGradGen.GeneratorTests.ControlFlow;

/// <summary>
/// What the backward loops keep: a carried local's value at the end of an iteration is not taped when its value at
/// the start of each iteration is (it is the start of the next one), and a read of a parameter is read again instead
/// of taped. Nested loops carrying matrices whose end values the backward pass reads (tanh and σ outputs), against
/// the same method unrolled by hand (no loops, so no tapes), finite differences, and FBackward's workspace tapes.
/// </summary>
public class LoopTapeTests
{
    public const string Source = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W, Matrix<double> X, Matrix<double> Y)
            {
                var H = X;
                double s = 0;
                for (int i = 0; i < 2; i++)
                {
                    var G = H;
                    for (int j = 0; j <= i; j++)
                    {
                        G = Tanh(W * G + Outer(Row(Y, j), Row(Y, i)) * Y[i, j] + SliceRows(Y, j, 3));
                    }
                    H = Sigmoid(G + H);
                    s += Sum(Hadamard(G, G));
                }
                return s + Sum(H);
            }

            [Differentiable]
            public static double U(Matrix<double> W, Matrix<double> X, Matrix<double> Y)
            {
                var H = X;
                var G = Tanh(W * H + Outer(Row(Y, 0), Row(Y, 0)) * Y[0, 0] + SliceRows(Y, 0, 3));
                H = Sigmoid(G + H);
                double s = Sum(Hadamard(G, G));
                var G1 = Tanh(W * H + Outer(Row(Y, 0), Row(Y, 1)) * Y[1, 0] + SliceRows(Y, 0, 3));
                G1 = Tanh(W * G1 + Outer(Row(Y, 1), Row(Y, 1)) * Y[1, 1] + SliceRows(Y, 1, 3));
                H = Sigmoid(G1 + H);
                s += Sum(Hadamard(G1, G1));
                return s + Sum(H);
            }
        }
        """;

    private static Inputs Problem(string type, int seed)
        => new Inputs(type, seed).Matrix("W", 3, 3, -0.8, 0.8).Matrix("X", 3, 3).Matrix("Y", 4, 3);

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void NestedCarriedMatrices_MatchTheUnrolledMethod_AndFiniteDifferences(string type)
    {
        var p = Problem(type, 61);
        var assembly = GradientAssert.Compile(Source, type);
        var u = GeneratorHarness.Method(assembly, GradientAssert.TypeName, "UWithGradient");
        var args = Values.ToArgs(p.Items, p.IsFloat).Concat(new object?[3]).ToArray();
        double value = Convert.ToDouble(Values.FromRuntime(u.Invoke(null, args)));
        int n = p.Items.Count;
        GradientAssert.Gradient(Source, "F", p, value,
            ("W", Values.FromRuntime(args[n])), ("X", Values.FromRuntime(args[n + 1])), ("Y", Values.FromRuntime(args[n + 2])));
    }

    [Fact]
    public void NestedCarriedMatrices_FBackward_MatchesFWithGradient()
        => GradientAssert.Workspace(Source, "F", Problem("double", 62), "W", "X", "Y");

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void NestedCarriedMatrices_Differential(string type)
        => GradientAssert.Tangent(Source, "F", Problem(type, 63));

    [Fact]
    public void EndValuesAreReadFromTheCarriedLocal_AndParameterReadsAreReadAgain()
    {
        var run = GeneratorHarness.Run(GradientAssert.For(Source, "double"));
        var code = run.Generated.Single(s => s.Key.Contains(".F_", StringComparison.Ordinal)).Value;
        // the inner loop's tanh output G3 is G2 at the start of the next iteration (in FWithGradient and FBackward);
        // the outer loop's H is not read by its backward pass (H enters a sum), so only its σ output H3 is taped
        Assert.Equal(2, CodeText.Occurrences(code, "var G3 = G2;   // G3 at the end of this iteration is G2 at the start of the next"));
        Assert.DoesNotContain("G3Tape", code);
        Assert.Contains("H3Tape", code);
        // the rows and the element of Y that the rules of Outer and of the scalar product read are read again
        Assert.DoesNotContain("rowYTape", code);
        Assert.DoesNotContain("rowY_2Tape", code);
        Assert.DoesNotContain("elementYTape", code);
        // read in the forward and the backward loop of FWithGradient and FBackward, and in FDifferential's forward loop
        Assert.Equal(5, CodeText.Occurrences(code, "var elementY = Y[i, j];"));
    }

    public const string InlineBound = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> A, int n)
            {
                var E = A;
                for (int i = 1; i <= n + 1; i++)
                {
                    for (int j = 3 - 1; j >= 0; j--)
                    {
                        E = Tanh(A * E + A);
                    }
                }
                return Sum(E);
            }
        }
        """;

    /// <summary>
    /// A nested loop whose start is an unnamed int expression (3 − 1), printed inline in both loop headers: the backward
    /// outer loop declared it as an unused variable too (CS0219, a warning as error in users' builds; found by the
    /// random-program test). By hand: E ← tanh(AE + A) 3(n + 1) times; backwards from G = 𝟙, a = G ⊙ (1 − E²ₖ₊₁),
    /// ∇A += a Eₖᵀ + a, G ← Aᵀa; finally ∇A += G (E₀ = A).
    /// </summary>
    [Theory]
    [InlineData("double", 1)]
    [InlineData("float", 0)]
    public void NestedLoopWithAnInlineStart_CompilesCleanly_AndMatchesBptt(string type, int n)
    {
        var p = new Inputs(type, seed: 65).Matrix("A", 3, 3, -0.6, 0.6).Int("n", n);
        var A = p.M("A");
        int steps = 3 * (n + 1);
        var E = new double[steps + 1][,];
        E[0] = A;
        for (int k = 0; k < steps; k++)
        {
            E[k + 1] = Ref.Map(Ref.Add(Ref.Mul(A, E[k]), A), Math.Tanh);
        }
        var G = Ref.Fill(3, 3, 1.0);
        var dA = Ref.Fill(3, 3, 0.0);
        for (int k = steps - 1; k >= 0; k--)
        {
            var a = Ref.Zip(G, E[k + 1], (g, e) => g * (1 - (e * e)));
            dA = Ref.Add(dA, Ref.Add(Ref.Mul(a, Ref.T(E[k])), a));
            G = Ref.Mul(Ref.T(A), a);
        }
        GradientAssert.Gradient(InlineBound, p, Ref.Sum(E[steps]), ("A", Ref.Add(dA, G)));
    }
}
