using System;
using System.Linq;
using AutoGradGen.GeneratorTests.Infrastructure;
using Xunit;
using static AutoGradGen.GeneratorTests.Infrastructure.Ref;

namespace AutoGradGen.GeneratorTests.ControlFlow;

/// <summary>
/// for loops: each generated gradient against central finite differences and against backpropagation through
/// time written here by hand (the recurrence stored per step, then the adjoint run from the last step back).
/// </summary>
public class LoopGradientTests
{
    public const string Rnn = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W, Matrix<double> U, Vector<double> b, [NoGradient] Vector<double> x, Vector<double> h0, int n)
            {
                var h = h0;
                for (int t = 0; t < n; t++)
                {
                    h = Tanh(W * h + U * x + b);
                }
                return Sum(Square(h));
            }
        }
        """;

    /// <summary>hₜ₊₁ = tanh(W hₜ + U x + b), f = ‖hₙ‖²; BPTT: aₜ = gₜ₊₁ ⊙ (1 − hₜ₊₁²), ∇W = Σ aₜ hₜᵀ, ∇U = Σ aₜ xᵀ, ∇b = Σ aₜ, gₜ = Wᵀ aₜ.</summary>
    [Theory]
    [InlineData("double", 4)]
    [InlineData("float", 4)]
    [InlineData("double", 1)]
    [InlineData("double", 0)]
    [InlineData("float", 0)]
    public void ElmanRnn_MatchesHandWrittenBptt(string type, int n)
    {
        var p = new Inputs(type, seed: 11).Matrix("W", 3, 3).Matrix("U", 3, 2).Vector("b", 3).Vector("x", 2).Vector("h0", 3).Int("n", n);
        double[,] W = p.M("W"), U = p.M("U");
        double[] b = p.V("b"), x = p.V("x");
        var hs = new double[n + 1][];
        hs[0] = p.V("h0");
        for (int t = 0; t < n; t++)
        {
            hs[t + 1] = Map(Add(Add(Mul(W, hs[t]), Mul(U, x)), b), Math.Tanh);
        }
        var g = Scale(2, hs[n]);
        double[,] dW = Zeros(3, 3), dU = Zeros(3, 2);
        var db = new double[3];
        for (int t = n - 1; t >= 0; t--)
        {
            var a = Zip(g, hs[t + 1], (gi, hi) => gi * (1 - hi * hi));
            dW = Add(dW, Outer(a, hs[t]));
            dU = Add(dU, Outer(a, x));
            db = Add(db, a);
            g = Mul(T(W), a);
        }
        GradientAssert.Gradient(Rnn, p, Dot(hs[n], hs[n]), ("W", dW), ("U", dU), ("b", db), ("h0", g));
    }

    public const string LocalFromBeforeTheLoop = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W, Vector<double> h0, int n)
            {
                var V = W + W;
                var h = h0;
                for (int t = 0; t < n; t++)
                {
                    h = Tanh(V * h);
                }
                return Sum(h);
            }
        }
        """;

    /// <summary>
    /// A matrix local computed before the loop (V = 2W) gets adjoint from every iteration: h_{t+1} = tanh(V h_t), a = g ⊙ (1 − h²_{t+1}),
    /// ∇V += a h_tᵀ, g ← Vᵀ a from g = 𝟙; ∇W = 2∇V, ∇h0 = g. FBackward's ∇V += … was an Add into the buffer ∇V already held from the
    /// iteration before (ArgumentException: the destination aliases an input), found by the random-program test.
    /// </summary>
    [Theory]
    [InlineData("double", 3)]
    [InlineData("float", 3)]
    [InlineData("double", 1)]
    [InlineData("double", 0)]
    public void LocalComputedBeforeTheLoop_AccumulatesOverIterations(string type, int n)
    {
        var p = new Inputs(type, seed: 12).Matrix("W", 3, 3).Vector("h0", 3).Int("n", n);
        var V = Scale(2, p.M("W"));
        var hs = new double[n + 1][];
        hs[0] = p.V("h0");
        for (int t = 0; t < n; t++)
        {
            hs[t + 1] = Map(Mul(V, hs[t]), Math.Tanh);
        }
        var g = Fill(3, 1.0);
        var dV = Zeros(3, 3);
        for (int t = n - 1; t >= 0; t--)
        {
            var a = Zip(g, hs[t + 1], (gi, hi) => gi * (1 - hi * hi));
            dV = Add(dV, Outer(a, hs[t]));
            g = Mul(T(V), a);
        }
        GradientAssert.Gradient(LocalFromBeforeTheLoop, p, Sum(hs[n]), ("W", Scale(2, dV)), ("h0", g));
        GradientAssert.Workspace(LocalFromBeforeTheLoop, "F", p, "W", "h0");
    }

    public const string MatrixRecurrence = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> S0, Matrix<double> A, Matrix<double> B, int n)
            {
                var S = S0;
                for (int k = 0; k < n; k++)
                {
                    S = S * A + B;
                }
                return Sum(Hadamard(S, S));
            }
        }
        """;

    /// <summary>Sₖ₊₁ = Sₖ A + B, f = ‖Sₙ‖²: Gₙ = 2Sₙ, ∇A = Σ Sₖᵀ Gₖ₊₁, ∇B = Σ Gₖ₊₁, Gₖ = Gₖ₊₁ Aᵀ, ∇S₀ = G₀.</summary>
    [Theory]
    [InlineData("double", 3)]
    [InlineData("float", 3)]
    public void LoopCarriedMatrix_MatchesHandWrittenRecurrence(string type, int n)
    {
        var p = new Inputs(type, seed: 12).Matrix("S0", 2, 3).Matrix("A", 3, 3, -0.6, 0.6).Matrix("B", 2, 3).Int("n", n);
        double[,] A = p.M("A"), B = p.M("B");
        var S = new double[n + 1][,];
        S[0] = p.M("S0");
        for (int k = 0; k < n; k++)
        {
            S[k + 1] = Add(Mul(S[k], A), B);
        }
        var G = Scale(2, S[n]);
        double[,] dA = Zeros(3, 3), dB = Zeros(2, 3);
        for (int k = n - 1; k >= 0; k--)
        {
            dA = Add(dA, Mul(T(S[k]), G));
            dB = Add(dB, G);
            G = Mul(G, T(A));
        }
        GradientAssert.Gradient(MatrixRecurrence, p, Sum(Had(S[n], S[n])), ("S0", G), ("A", dA), ("B", dB));
    }

    public const string Accumulation = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W, Vector<double> x, int n)
            {
                double loss = 0;
                var h = x;
                for (int i = 0; i < n; i++)
                {
                    h = Sigmoid(W * h);
                    loss += Sum(Square(W * h));
                }
                return loss;
            }
        }
        """;

    /// <summary>hᵢ₊₁ = σ(W hᵢ), f = Σ ‖W hᵢ₊₁‖²: the loss's adjoint is 1 in every iteration, h's is carried.</summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void ScalarAccumulation_MatchesHandWrittenBptt(string type)
    {
        const int n = 3;
        var p = new Inputs(type, seed: 13).Matrix("W", 3, 3).Vector("x", 3).Int("n", n);
        var W = p.M("W");
        var hs = new double[n + 1][];
        hs[0] = p.V("x");
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            hs[i + 1] = Map(Mul(W, hs[i]), Sigmoid);
            var z = Mul(W, hs[i + 1]);
            loss += Dot(z, z);
        }
        var dW = Zeros(3, 3);
        var g = new double[3];
        for (int i = n - 1; i >= 0; i--)
        {
            var dz = Scale(2, Mul(W, hs[i + 1]));
            dW = Add(dW, Outer(dz, hs[i + 1]));
            var gh = Add(g, Mul(T(W), dz));
            var a = Zip(gh, hs[i + 1], (gi, s) => gi * s * (1 - s));
            dW = Add(dW, Outer(a, hs[i]));
            g = Mul(T(W), a);
        }
        GradientAssert.Gradient(Accumulation, p, loss, ("W", dW), ("x", g));
    }

    public const string CountingDown = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W, Vector<double> b, Vector<double> h0, int n)
            {
                var h = h0;
                for (int t = n - 1; t >= 0; t -= 2)
                {
                    h = Tanh(W * h) + (double)t * b;
                }
                return Dot(h, h);
            }
        }
        """;

    /// <summary>t = n − 1, n − 3, …, ≥ 0: h ← tanh(W h) + t b; the backward loop runs t upwards over the same values.</summary>
    [Theory]
    [InlineData("double", 5)]
    [InlineData("double", 6)]
    [InlineData("float", 5)]
    public void CountingDownByTwo_MatchesHandWrittenBptt(string type, int n)
    {
        var p = new Inputs(type, seed: 14).Matrix("W", 3, 3).Vector("b", 3).Vector("h0", 3).Int("n", n);
        double[,] W = p.M("W");
        var b = p.V("b");
        var ts = Enumerable.Range(0, n).Reverse().Where(t => (n - 1 - t) % 2 == 0).ToArray();
        var hs = new double[ts.Length + 1][];
        hs[0] = p.V("h0");
        for (int k = 0; k < ts.Length; k++)
        {
            hs[k + 1] = Add(Map(Mul(W, hs[k]), Math.Tanh), Scale(ts[k], b));
        }
        var g = Scale(2, hs[ts.Length]);
        var dW = Zeros(3, 3);
        var db = new double[3];
        for (int k = ts.Length - 1; k >= 0; k--)
        {
            db = Add(db, Scale(ts[k], g));
            var th = Map(Mul(W, hs[k]), Math.Tanh);
            var a = Zip(g, th, (gi, y) => gi * (1 - y * y));
            dW = Add(dW, Outer(a, hs[k]));
            g = Mul(T(W), a);
        }
        GradientAssert.Gradient(CountingDown, p, Dot(hs[ts.Length], hs[ts.Length]), ("W", dW), ("b", db), ("h0", g));
    }

    public const string RnnLayer = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static Vector<double> F(Matrix<double> W, Vector<double> b, Vector<double> h0, int n)
            {
                var h = h0;
                for (int t = 1; t <= n; t++)
                {
                    h = Tanh(W * h + b);
                }
                return h;
            }
        }
        """;

    /// <summary>A layer: the pullback seedᵀJ, the same BPTT started from the seed.</summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void LayerWithLoop_PullbackMatchesHandWrittenBptt(string type)
    {
        const int n = 3;
        var p = new Inputs(type, seed: 15).Matrix("W", 3, 3).Vector("b", 3).Vector("h0", 3).Int("n", n);
        var seedInputs = new Inputs(type, seed: 16).Vector("s", 3);
        double[,] W = p.M("W");
        var b = p.V("b");
        var hs = new double[n + 1][];
        hs[0] = p.V("h0");
        for (int t = 0; t < n; t++)
        {
            hs[t + 1] = Map(Add(Mul(W, hs[t]), b), Math.Tanh);
        }
        var g = seedInputs.V("s");
        var dW = Zeros(3, 3);
        var db = new double[3];
        for (int t = n - 1; t >= 0; t--)
        {
            var a = Zip(g, hs[t + 1], (gi, hi) => gi * (1 - hi * hi));
            dW = Add(dW, Outer(a, hs[t]));
            db = Add(db, a);
            g = Mul(T(W), a);
        }
        GradientAssert.Pullback(RnnLayer, "F", p, seedInputs.V("s"), hs[n], ("W", dW), ("b", db), ("h0", g));
    }
}

/// <summary>Nested loops (the inner trip count depends on the outer counter) against the same method written out by hand.</summary>
public class NestedLoopTests
{
    public const string Nested = """
        using AutoGradGen;
        using static AutoGradGen.Ops;
        public static partial class M
        {
            [Differentiable]
            public static double F(Matrix<double> W, Vector<double> x, double c)
            {
                var h = x;
                double s = 0;
                for (int i = 0; i < 2; i++)
                {
                    var g = h;
                    for (int j = 0; j <= i; j++)
                    {
                        g = Tanh(W * g) * c;
                    }
                    h = Hadamard(g, h) + h;
                    s += Dot(g, x);
                }
                return s + Sum(h);
            }

            [Differentiable]
            public static double G(Matrix<double> W, Vector<double> x, double c)
            {
                var h = x;
                double s = 0;
                var g = h;
                g = Tanh(W * g) * c;
                h = Hadamard(g, h) + h;
                s += Dot(g, x);
                var g1 = h;
                g1 = Tanh(W * g1) * c;
                g1 = Tanh(W * g1) * c;
                h = Hadamard(g1, h) + h;
                s += Dot(g1, x);
                return s + Sum(h);
            }
        }
        """;

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void NestedLoops_MatchTheUnrolledMethod(string type)
    {
        var p = new Inputs(type, seed: 21).Matrix("W", 3, 3).Vector("x", 3).Scalar("c", 0.5, 1.5);
        var assembly = GradientAssert.Compile(Nested, type);
        var g = GeneratorHarness.Method(assembly, GradientAssert.TypeName, "GWithGradient");
        var args = Values.ToArgs(p.Items, p.IsFloat).Concat(new object?[3]).ToArray();
        double value = Convert.ToDouble(Values.FromRuntime(g.Invoke(null, args)));
        int n = p.Items.Count;
        GradientAssert.Gradient(Nested, p, value,
            ("W", Values.FromRuntime(args[n])), ("x", Values.FromRuntime(args[n + 1])), ("c", Values.FromRuntime(args[n + 2])));
    }
}

/// <summary>FDifferential through loops: the differential carried alongside each carried local, against central differences and, by adjointness, the reverse sweep.</summary>
public class LoopDifferentialTests
{
    [Theory]
    [InlineData("double", 4)]
    [InlineData("float", 4)]
    [InlineData("double", 0)]
    public void ElmanRnn_Differential(string type, int n)
    {
        var p = new Inputs(type, seed: 31).Matrix("W", 3, 3).Matrix("U", 3, 2).Vector("b", 3).Vector("x", 2).Vector("h0", 3).Int("n", n);
        GradientAssert.Tangent(LoopGradientTests.Rnn, "F", p);
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void Accumulation_MatrixRecurrence_CountingDown_Differential(string type)
    {
        GradientAssert.Tangent(LoopGradientTests.Accumulation, "F", new Inputs(type, seed: 32).Matrix("W", 3, 3).Vector("x", 3).Int("n", 3));
        GradientAssert.Tangent(LoopGradientTests.MatrixRecurrence, "F", new Inputs(type, seed: 33).Matrix("S0", 2, 3).Matrix("A", 3, 3, -0.6, 0.6).Matrix("B", 2, 3).Int("n", 3));
        GradientAssert.Tangent(LoopGradientTests.CountingDown, "F", new Inputs(type, seed: 34).Matrix("W", 3, 3).Vector("b", 3).Vector("h0", 3).Int("n", 5));
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void NestedLoops_AndALayer_Differential(string type)
    {
        GradientAssert.Tangent(NestedLoopTests.Nested, "F", new Inputs(type, seed: 35).Matrix("W", 3, 3).Vector("x", 3).Scalar("c", 0.5, 1.5));
        GradientAssert.Tangent(LoopGradientTests.RnnLayer, "F", new Inputs(type, seed: 36).Matrix("W", 3, 3).Vector("b", 3).Vector("h0", 3).Int("n", 3));
    }
}

/// <summary>FBackward through loops: the tape lives in the workspace; a warmed-up call allocates nothing.</summary>
public class LoopWorkspaceTests
{
    // FBackward against FWithGradient to 1e-10 (the helper's bound): in double, where the fused accumulations
    // (OuterAddTo) round like the separate operations; float is checked against finite differences below.
    [Theory]
    [InlineData("Rnn")]
    [InlineData("MatrixRecurrence")]
    [InlineData("Accumulation")]
    [InlineData("CountingDown")]
    [InlineData("Nested")]
    public void FBackward_MatchesFWithGradient_AndAccumulates(string which)
    {
        const string type = "double";
        switch (which)
        {
            case "Rnn":
                GradientAssert.Workspace(LoopGradientTests.Rnn, "F", new Inputs(type, seed: 41).Matrix("W", 3, 3).Matrix("U", 3, 2).Vector("b", 3).Vector("x", 2).Vector("h0", 3).Int("n", 4), "W", "U", "b", "h0");
                break;
            case "MatrixRecurrence":
                GradientAssert.Workspace(LoopGradientTests.MatrixRecurrence, "F", new Inputs(type, seed: 42).Matrix("S0", 2, 3).Matrix("A", 3, 3, -0.6, 0.6).Matrix("B", 2, 3).Int("n", 3), "S0", "A", "B");
                break;
            case "Accumulation":
                GradientAssert.Workspace(LoopGradientTests.Accumulation, "F", new Inputs(type, seed: 43).Matrix("W", 3, 3).Vector("x", 3).Int("n", 3), "W", "x");
                break;
            case "CountingDown":
                GradientAssert.Workspace(LoopGradientTests.CountingDown, "F", new Inputs(type, seed: 44).Matrix("W", 3, 3).Vector("b", 3).Vector("h0", 3).Int("n", 5), "W", "b", "h0");
                break;
            default:
                GradientAssert.Workspace(NestedLoopTests.Nested, "F", new Inputs(type, seed: 45).Matrix("W", 3, 3).Vector("x", 3).Scalar("c", 0.5, 1.5), "W", "x", "c");
                break;
        }
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void FBackward_OnAWorkspaceThatSawFewerIterations_GrowsItsTape(string type)
    {
        var assembly = GradientAssert.Compile(LoopGradientTests.Rnn, type);
        var backward = GeneratorHarness.Method(assembly, GradientAssert.TypeName, "FBackward");
        var g = GeneratorHarness.Method(assembly, GradientAssert.TypeName, "FWithGradient");
        var workspace = Activator.CreateInstance(assembly.GetType(GradientAssert.TypeName + "+FWorkspace")!)!;
        foreach (var n in new[] { 2, 9, 0, 5 })
        {
            var p = new Inputs(type, seed: 47 + n).Matrix("W", 3, 3).Matrix("U", 3, 2).Vector("b", 3).Vector("x", 2).Vector("h0", 3).Int("n", n);
            var inputs = Values.ToArgs(p.Items, p.IsFloat);
            var args = inputs.Concat(new object?[4]).ToArray();
            double value = Convert.ToDouble(Values.FromRuntime(g.Invoke(null, args)));
            var buffers = args.Skip(inputs.Length).Select(a => Values.ToRuntime(Values.Unflatten(new double[Values.Flatten(Values.FromRuntime(a)).Length], Values.FromRuntime(a)), p.IsFloat)).ToArray();
            var call = inputs.Append(workspace).Concat(buffers).Append((object)false).ToArray();
            double got = Convert.ToDouble(Values.FromRuntime(backward.Invoke(null, call)));
            double tol = p.IsFloat ? 1e-5 : 1e-9;
            Assert.True(Math.Abs(value - got) <= tol * Math.Max(1, Math.Abs(value)), "n = " + n + ": value " + got + " vs " + value);
            for (int k = 0; k < 4; k++)
            {
                var want = Values.Flatten(Values.FromRuntime(args[inputs.Length + k]));
                var have = Values.Flatten(Values.FromRuntime(call[inputs.Length + 1 + k]));
                Assert.Equal(want.Length, have.Length);
                for (int i = 0; i < want.Length; i++)
                {
                    Assert.True(Math.Abs(want[i] - have[i]) <= tol * Math.Max(1, Math.Abs(want[i])), "n = " + n + ", gradient " + k + " entry " + i + ": " + have[i] + " vs " + want[i]);
                }
            }
        }
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void WarmedUpFBackward_WithALoop_AllocatesNothing(string type)
    {
        GradientAssert.NoSteadyStateAllocation(LoopGradientTests.Rnn, "F", new Inputs(type, seed: 48).Matrix("W", 8, 8).Matrix("U", 8, 4).Vector("b", 8).Vector("x", 4).Vector("h0", 8).Int("n", 12), 4);
        GradientAssert.NoSteadyStateAllocation(LoopGradientTests.MatrixRecurrence, "F", new Inputs(type, seed: 49).Matrix("S0", 4, 5).Matrix("A", 5, 5, -0.4, 0.4).Matrix("B", 4, 5).Int("n", 10), 3);
        GradientAssert.NoSteadyStateAllocation(LoopGradientTests.Accumulation, "F", new Inputs(type, seed: 50).Matrix("W", 6, 6).Vector("x", 6).Int("n", 7), 2);
        GradientAssert.NoSteadyStateAllocation(NestedLoopTests.Nested, "F", new Inputs(type, seed: 51).Matrix("W", 3, 3).Vector("x", 3).Scalar("c", 0.5, 1.5), 3);
    }
}
