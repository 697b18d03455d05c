using System.Diagnostics;
using System.Globalization;
using AutoGradGen;
using TrainDigits;

namespace DigitsGan;

/// <summary>One logged point of the training: means over the last steps, and the classifier's score when evaluated.</summary>
public sealed record GanLogEntry(int Step, double DiscriminatorLoss, double GeneratorLoss, double RealProbability, double FakeProbability, GanScore? Score);

/// <summary>
/// A GAN on the UCI optical digits (8×8), both networks written as <c>[Differentiable]</c> methods
/// (<see cref="Gan"/>) and trained with their generated gradients and Adam. It is scored by the
/// TrainDigits CNN, trained here on the real digits: on 1,000 generated images, the mean top-class
/// probability (target ≥ 0.8) and each digit's share of the predicted labels (target ≥ 3 %: no mode
/// collapse). Writes a 10×10 grid of generated digits and the training curves as PNGs.
/// Usage: <c>dotnet run -c Release --project samples/DigitsGan [-- output-directory]</c>.
/// </summary>
internal static class Program
{
    private const int Seed = 2024;
    private const int TestCount = 360;
    private const int NoiseDimension = 16;
    private const int Hidden = 128;
    private const double LearningRate = 1e-3;
    private const int BatchSize = 64;
    private const int Steps = 8000;
    private const int LogEvery = 250;
    private const int ScoreEvery = 1000;
    private const int ScoredImages = 1000;

    private static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var total = Stopwatch.StartNew();
        string directory = Path.GetFullPath(args.Length > 0 ? args[0] : AppContext.BaseDirectory);
        Directory.CreateDirectory(directory);

        var all = Digits.Load(Digits.DefaultPath);
        var (train, test) = Digits.Split(all, TestCount, Seed);
        Console.WriteLine($"UCI optical digits: {all.Count} images of 8×8 (CC BY 4.0, Alpaydin & Kaynak); {train.Count} train the GAN and the scorer, {test.Count} are held out for the scorer.");
        Console.WriteLine();

        var scorer = TrainScorer(train, test);
        var gan = new GanModel(NoiseDimension, Hidden, LearningRate, Seed);
        bool checksPassed = CheckGradients(gan, train);
        var scoringNoise = gan.SampleNoise(ScoredImages, new Random(Seed + 7));
        var log = Train(gan, train, scorer, scoringNoise, out double trainingSeconds);

        var final = GanScore.Of(scorer, gan.Generate(scoringNoise));
        bool confident = final.MeanTopProbability >= 0.8, diverse = final.SmallestShare >= 0.03;
        Console.WriteLine();
        Console.WriteLine($"── Score of {ScoredImages} generated digits by the CNN trained on real digits ──");
        Console.WriteLine($"  mean top-class probability: {final.MeanTopProbability:F3}   (target ≥ 0.8: {(confident ? "met" : "MISSED")})");
        Console.WriteLine($"  predicted labels: {final.Shares()}");
        Console.WriteLine($"  smallest class share: {final.SmallestShare:P1}   (target ≥ 3 %: {(diverse ? "met" : "MISSED")})");
        Console.WriteLine($"  GAN training time: {trainingSeconds:F1}s for {Steps} steps of batch {BatchSize}");

        string grid = Path.Combine(directory, "gan-digits.png"), curves = Path.Combine(directory, "gan-curves.png");
        Pictures.SaveGrid(grid, gan.Generate(gan.SampleNoise(100, new Random(Seed + 11))), 10, 10);
        Console.WriteLine($"100 generated digits: {grid}");
        try
        {
            Pictures.SaveCurves(curves, log);
            Console.WriteLine($"Training curves: {curves}");
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or IOException)
        {
            Console.WriteLine($"Could not write the curves PNG ({e.GetBaseException().Message}).");
        }

        Console.WriteLine($"Total time: {total.Elapsed.TotalSeconds:F1}s");
        return checksPassed && confident && diverse ? 0 : 1;
    }

    /// <summary>The scorer: TrainDigits' small CNN, trained on the real digits with Adam.</summary>
    private static SmallCnn TrainScorer(DigitSet train, DigitSet test)
    {
        var cnn = new SmallCnn(8, Seed);
        var run = Trainer.Train("scorer: CNN 8×3×3 conv-ReLU-maxpool-dense on the real digits, Adam η = 0.005", "CNN", cnn,
            new Adam<double>(cnn.Matrices, cnn.Vectors, 0.005), train, test, 20, 32, Seed, 10, Console.Out);
        Console.WriteLine($"  scorer held-out accuracy: {run.Final.TestAccuracy:P1}");
        Console.WriteLine();
        return cnn;
    }

    private static bool CheckGradients(GanModel gan, DigitSet train)
    {
        var (discriminator, generator) = gan.CheckGradients(train.Take([0, 1, 2, 3, 4, 5, 6, 7]).X);
        Console.WriteLine("── Gradient check: generated gradients vs central differences, 8 images ──");
        Console.WriteLine("DiscriminatorLossWithGradient:");
        Console.WriteLine(discriminator);
        Console.WriteLine("GeneratorLossWithGradient (through the discriminator, whose weights are constants here):");
        Console.WriteLine(generator);
        Console.WriteLine();
        return discriminator.Passed && generator.Passed;
    }

    private static List<GanLogEntry> Train(GanModel gan, DigitSet train, IClassifier scorer, Matrix<double> scoringNoise, out double seconds)
    {
        var rng = new Random(Seed);
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        int position = order.Length;
        var log = new List<GanLogEntry>();
        double dSum = 0, gSum = 0;
        int window = 0;
        var clock = new Stopwatch();
        Console.WriteLine($"── GAN: generator {NoiseDimension}-{Hidden}-64 (leaky ReLU, sigmoid), discriminator 64-{Hidden}-1 (leaky ReLU), Adam η = {LearningRate}, β₁ = 0.5, batch {BatchSize} ──");
        Console.WriteLine("   step   D loss   G loss   D(real)   D(fake)   CNN top-prob   smallest class   train time");
        for (int step = 1; step <= Steps; step++)
        {
            if (position + BatchSize > order.Length)
            {
                rng.Shuffle(order);
                position = 0;
            }

            var real = train.Take(order.AsSpan(position, BatchSize)).X;
            position += BatchSize;
            clock.Start();
            var (d, g) = gan.Step(real);
            clock.Stop();
            dSum += d;
            gSum += g;
            window++;
            if (step % LogEvery == 0)
            {
                var score = step % ScoreEvery == 0 ? GanScore.Of(scorer, gan.Generate(scoringNoise)) : null;
                var entry = new GanLogEntry(step, dSum / window, gSum / window, gan.MeanRealProbability(real),
                    gan.MeanRealProbability(gan.Generate(gan.SampleNoise(BatchSize, rng))), score);
                log.Add(entry);
                dSum = gSum = 0;
                window = 0;
                if (score is not null)
                {
                    Console.WriteLine($"  {step,5}   {entry.DiscriminatorLoss,6:F3}   {entry.GeneratorLoss,6:F3}   {entry.RealProbability,7:F3}   {entry.FakeProbability,7:F3}   {score.MeanTopProbability,12:F3}   {score.SmallestShare,14:P1}   {clock.Elapsed.TotalSeconds,9:F1}s");
                }
            }
        }

        seconds = clock.Elapsed.TotalSeconds;
        return log;
    }
}
