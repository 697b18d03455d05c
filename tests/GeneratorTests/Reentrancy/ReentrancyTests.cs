using Xunit;
using static AutoGradGen.GeneratorTests.Reentrancy.ReentrancyModels;

namespace AutoGradGen.GeneratorTests.Reentrancy;

/// <summary>
/// Generated code is reentrant: FWithGradient keeps no state, so many threads may call it at once on
/// shared inputs; FBackward keeps its state in the workspace, so threads with one workspace each may
/// too. Every concurrent result must be bit-identical to a single-threaded reference, and the shared
/// inputs must be left as they were. The net's matrices are large enough (≥ 128³ multiply-adds per
/// product) that the GEMM kernel itself runs Parallel.For inside each call.
/// </summary>
public class ReentrancyTests
{
    private const int Threads = 8;

    /// <summary>
    /// A model's arguments (inputs only), its differentiated parameters' positions, and how many calls
    /// each thread makes: 50 for example 4; 6 for the net, whose call runs five parallel GEMMs of
    /// ≈ 2.7M multiply-adds each (8 × 6 calls already interleave every thread with the GEMM workers).
    /// </summary>
    private sealed record Case(string Model, object[] Inputs, int[] Differentiated, int CallsPerThread);

    private static Case SigmoidForm()
    {
        var rng = new Random(4);
        const int n = 48;
        var B = RandomMatrix(rng, n, n);
        for (int i = 0; i < n; i++)
        {
            B[i, i] += n; // well conditioned
        }
        return new Case("SigmoidForm", [RandomVector(rng, n), RandomMatrix(rng, n, n), B, RandomVector(rng, n), RandomVector(rng, n)], [2, 3, 4], 50);
    }

    private static Case Net()
    {
        var rng = new Random(7);
        const int input = 136, hidden = 144, output = 132, batch = 140; // every product ≥ 128³ multiply-adds
        return new Case("Net",
            [RandomMatrix(rng, hidden, input, 0.1), RandomVector(rng, hidden, 0.1), RandomMatrix(rng, output, hidden, 0.1), RandomVector(rng, output, 0.1),
             RandomMatrix(rng, input, batch), RandomMatrix(rng, output, batch)],
            [0, 1, 2, 3], 6);
    }

    public static TheoryData<string> Models => new() { "SigmoidForm", "Net" };

    private static Case Of(string model) => model == "Net" ? Net() : SigmoidForm();

    /// <summary>FWithGradient: value then the out gradients, in parameter order.</summary>
    private static object[] WithGradient(Case c)
    {
        var args = c.Inputs.Concat(new object?[c.Differentiated.Length]).ToArray();
        var value = Invoke(Method(c.Model + "WithGradient"), args)!;
        return new[] { value }.Concat(args.Skip(c.Inputs.Length).Select(a => a!)).ToArray();
    }

    /// <summary>FBackward into zeroed buffers on the given workspace: value then the buffers.</summary>
    private static object[] Backward(Case c, object workspace, object[] buffers)
    {
        foreach (var buffer in buffers)
        {
            Span(buffer).Clear();
        }
        var args = c.Inputs.Append(workspace).Concat(buffers).ToArray();
        var value = Invoke(Method(c.Model + "Backward"), args)!;
        return new[] { value }.Concat(buffers).ToArray();
    }

    /// <summary>Runs <paramref name="call"/> on <see cref="Threads"/> dedicated threads released together; rethrows the first failure.</summary>
    private static void OnManyThreads(Action<int> call)
    {
        using var start = new Barrier(Threads);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                call(t);
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failures.TryPeek(out var first))
        {
            throw new Xunit.Sdk.XunitException($"{failures.Count} thread(s) failed; the first: {first}");
        }
    }

    private static void AssertSame(object[] reference, object[] got, string what)
    {
        AssertBitIdentical(reference[0], got[0], what + " value");
        for (int k = 1; k < reference.Length; k++)
        {
            AssertBitIdentical(reference[k], got[k], what + " gradient #" + k);
        }
    }

    [Theory, MemberData(nameof(Models))]
    public void WithGradient_FromManyThreadsOnSharedInputs_IsBitIdenticalToOneThread(string model)
    {
        var c = Of(model);
        var inputsBefore = c.Inputs.Select(Copy).ToArray();
        var reference = WithGradient(c);

        OnManyThreads(t =>
        {
            for (int call = 0; call < c.CallsPerThread; call++)
            {
                AssertSame(reference, WithGradient(c), $"thread {t}, call {call}:");
            }
        });

        for (int i = 0; i < c.Inputs.Length; i++)
        {
            AssertBitIdentical(inputsBefore[i], c.Inputs[i], "input #" + i);
        }
    }

    [Theory, MemberData(nameof(Models))]
    public void Backward_WithOneWorkspacePerThread_IsBitIdenticalToOneThread(string model)
    {
        var c = Of(model);
        var inputsBefore = c.Inputs.Select(Copy).ToArray();
        var like = c.Differentiated.Select(i => c.Inputs[i]).ToArray();
        var reference = Backward(c, NewWorkspace(c.Model), like.Select(l => Filled(l, 0)).ToArray());

        OnManyThreads(t =>
        {
            var workspace = NewWorkspace(c.Model);
            var buffers = like.Select(l => Filled(l, 0)).ToArray();
            for (int call = 0; call < c.CallsPerThread; call++)
            {
                AssertSame(reference, Backward(c, workspace, buffers), $"thread {t}, call {call}:");
            }
        });

        for (int i = 0; i < c.Inputs.Length; i++)
        {
            AssertBitIdentical(inputsBefore[i], c.Inputs[i], "input #" + i);
        }
    }

    [Theory, MemberData(nameof(Models))]
    public void Backward_AgreesWithWithGradient(string model)
    {
        // The two generated paths compute the same numbers; within rounding (different kernels may fuse differently).
        var c = Of(model);
        var viaOut = WithGradient(c);
        var viaWorkspace = Backward(c, NewWorkspace(c.Model), c.Differentiated.Select(i => Filled(c.Inputs[i], 0)).ToArray());
        Assert.Equal((double)viaOut[0], (double)viaWorkspace[0], 1e-12);
        for (int k = 1; k < viaOut.Length; k++)
        {
            var want = Span(viaOut[k]).ToArray();
            var got = Span(viaWorkspace[k]).ToArray();
            double scale = Math.Max(1, want.Max(Math.Abs));
            Assert.All(want.Zip(got), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-12 * scale, $"gradient #{k}: {p.Second:R} vs {p.First:R}"));
        }
    }
}
