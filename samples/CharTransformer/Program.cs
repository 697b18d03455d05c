using System.Diagnostics;
using System.Globalization;
using AutoGradGen;

namespace CharTransformer;

/// <summary>One progress point: the step, the training and validation bits per character, and the time.</summary>
public sealed record ProgressPoint(int Step, double TrainBits, double ValidationBits, double Seconds);

/// <summary>
/// A character-level decoder-only transformer (2 blocks, 4 causal attention heads, LayerNorm, GELU
/// MLP, residual connections) on 1 MB of the King James Bible, trained with Adam through the
/// generated zero-allocation backward methods, on two threads. Prints progress, the validation bits
/// per character next to a bigram model fitted by counting, and 300 sampled characters; writes a
/// loss-curve PNG. Usage: <c>dotnet run -c Release --project samples/CharTransformer [-- steps [output.png]]</c>.
/// </summary>
internal static class Program
{
    private const int Seed = 2024;
    private const int Width = 64;
    private const int Heads = 4;
    private const int Context = 64;
    private const int Blocks = 2;
    private const int Batch = 16;
    private const int DefaultSteps = 2000;
    private const float PeakRate = 3e-3f;
    private const int Warmup = 100;
    private const int ReportEvery = 100;
    private const int ProbeWindows = 96;
    private const double Target = 2.3;

    private static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var total = Stopwatch.StartNew();
        int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : DefaultSteps;
        string png = Path.GetFullPath(args.Length > 1 ? args[1] : Path.Combine(AppContext.BaseDirectory, "char-transformer-loss.png"));

        var corpus = Corpus.Load(Corpus.DefaultPath);
        double bigram = corpus.BigramBitsPerCharacter();
        var size = new ModelSize(corpus.Alphabet.Length, Width, Heads, Context, Blocks);
        var model = new TransformerParameters(size, new Random(Seed));
        Console.WriteLine($"King James Bible, Genesis 1:1 – Judges 19:17 (public domain; Debian bible-kjv-text): {corpus.Train.Length + corpus.Validation.Length:N0} characters, "
            + $"{corpus.Alphabet.Length} distinct; the last 10 % ({corpus.Validation.Length:N0}) held out for validation.");
        Console.WriteLine($"Bigram model (counts + add-one smoothing): {bigram:F3} bits per character on the validation text.");
        Console.WriteLine($"Transformer: {Blocks} blocks, d = {Width}, {Heads} causal heads of {size.HeadWidth}, GELU MLP of {4 * Width}, pre-LayerNorm, residuals; "
            + $"context {Context}; {model.Count:N0} parameters; Adam η = {PeakRate} (warm-up {Warmup}, cosine), batch {Batch} sequences, {steps} steps, 2 threads.");
        Console.WriteLine();

        var workers = new[] { new SequenceWorker(size), new SequenceWorker(size) };
        var adam = new Adam<float>(model.Matrices, model.Vectors, PeakRate);
        var rng = new Random(Seed);
        var history = new List<ProgressPoint>();
        var clock = Stopwatch.StartNew();
        double windowBits = 0;
        int windowSteps = 0;
        Console.WriteLine("   step   train bits/char   validation bits/char (probe)   elapsed");
        for (int step = 1; step <= steps; step++)
        {
            adam.LearningRate = Schedule(step, steps);
            int[] starts = Enumerable.Range(0, Batch).Select(_ => rng.Next(corpus.Train.Length - Context - 1)).ToArray();
            windowBits += TrainStep(model, workers, adam, corpus.Train, starts) / Math.Log(2);
            windowSteps++;
            if (step % ReportEvery == 0 || step == steps)
            {
                double probe = Evaluate(model, workers, corpus.Validation, ProbeWindows);
                history.Add(new ProgressPoint(step, windowBits / windowSteps, probe, clock.Elapsed.TotalSeconds));
                Console.WriteLine($"  {step,5}   {windowBits / windowSteps,15:F3}   {probe,28:F3}   {clock.Elapsed.TotalSeconds,6:F1}s");
                windowBits = 0;
                windowSteps = 0;
            }
        }

        double trainingSeconds = clock.Elapsed.TotalSeconds;
        double validation = Evaluate(model, workers, corpus.Validation, int.MaxValue);
        bool met = validation <= Target && validation < bigram;
        Console.WriteLine();
        Console.WriteLine($"Validation: {validation:F3} bits per character on all {corpus.Validation.Length / (Context + 1):N0} windows of the held-out text "
            + $"(bigram: {bigram:F3}; target ≤ {Target} and below the bigram: {(met ? "met" : "MISSED")}).");
        Console.WriteLine($"Training time: {trainingSeconds:F1}s for {steps} steps ({steps * Batch * Context:N0} predicted characters).");
        Console.WriteLine();
        Console.WriteLine("300 sampled characters (temperature 0.8), after a held-out prompt:");
        Console.WriteLine(Sample(model, workers[0], corpus, 300, 0.8f, new Random(Seed)));
        Console.WriteLine();
        try
        {
            LossPlot.Save(png, history, bigram, Target);
            Console.WriteLine($"Loss curve: {png}");
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or IOException)
        {
            Console.WriteLine($"Could not write the PNG ({e.GetBaseException().Message}).");
        }

        Console.WriteLine($"Total time: {total.Elapsed.TotalSeconds:F1}s");
        return met ? 0 : 1;
    }

    /// <summary>Linear warm-up to the peak rate, then a half cosine down to a tenth of it.</summary>
    private static float Schedule(int step, int steps)
    {
        if (step <= Warmup)
        {
            return PeakRate * step / Warmup;
        }

        double progress = (double)(step - Warmup) / Math.Max(1, steps - Warmup);
        return (float)(PeakRate * (0.1 + (0.9 * 0.5 * (1 + Math.Cos(Math.PI * progress)))));
    }

    /// <summary>One Adam step on the mean loss over the batch; each thread takes every other sequence.</summary>
    private static double TrainStep(TransformerParameters model, SequenceWorker[] workers, Adam<float> adam, int[] text, int[] starts)
    {
        var losses = new double[workers.Length];
        Parallel.For(0, workers.Length, w =>
        {
            workers[w].Gradients.Clear();
            for (int s = w; s < starts.Length; s += workers.Length)
            {
                losses[w] += workers[w].Accumulate(model, text.AsSpan(starts[s], Context + 1));
            }
        });
        var gradients = workers[0].Gradients;
        for (int w = 1; w < workers.Length; w++)
        {
            gradients.Add(workers[w].Gradients);
        }

        float mean = 1f / starts.Length;
        foreach (var m in gradients.Matrices)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(m.AsSpan(), mean, m.AsSpan());
        }

        foreach (var v in gradients.Vectors)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(v.AsSpan(), mean, v.AsSpan());
        }

        adam.Step(gradients.Matrices, gradients.Vectors);
        return losses.Sum() / starts.Length;
    }

    /// <summary>Bits per character on up to <paramref name="windows"/> consecutive non-overlapping windows of T + 1 tokens.</summary>
    private static double Evaluate(TransformerParameters model, SequenceWorker[] workers, int[] text, int windows)
    {
        int count = Math.Min(windows, text.Length / (Context + 1));
        var sums = new double[workers.Length];
        Parallel.For(0, workers.Length, w =>
        {
            for (int i = w; i < count; i += workers.Length)
            {
                sums[w] += workers[w].Loss(model, text.AsSpan(i * (Context + 1), Context + 1));
            }
        });
        return sums.Sum() / count / Math.Log(2);
    }

    /// <summary>Samples characters one at a time from the model's next-character distribution over the last T characters.</summary>
    private static string Sample(TransformerParameters model, SequenceWorker worker, Corpus corpus, int count, float temperature, Random rng)
    {
        var tokens = corpus.Validation.Take(Context).ToList();
        Console.WriteLine($"[{corpus.Text(tokens).Replace("\n", " / ")}]");
        var generated = new List<int>();
        var probabilities = new float[corpus.Alphabet.Length];
        for (int i = 0; i < count; i++)
        {
            var logits = worker.Logits(model, tokens.Skip(tokens.Count - Context).ToArray());
            float max = float.NegativeInfinity;
            for (int v = 0; v < probabilities.Length; v++)
            {
                max = MathF.Max(max, logits[v, Context - 1]);
            }

            float sum = 0;
            for (int v = 0; v < probabilities.Length; v++)
            {
                probabilities[v] = MathF.Exp((logits[v, Context - 1] - max) / temperature);
                sum += probabilities[v];
            }

            double u = rng.NextDouble() * sum;
            int next = 0;
            while (next < probabilities.Length - 1 && (u -= probabilities[next]) > 0)
            {
                next++;
            }

            tokens.Add(next);
            generated.Add(next);
        }

        return corpus.Text(generated);
    }
}
