using System.Diagnostics;
using System.Globalization;
using AutoGradGen;

namespace TrainDigits;

/// <summary>
/// Trains the models of <see cref="Models"/> on the UCI optical digits with their generated gradients:
/// a gradient check; gradient descent with Armijo line search on softmax regression, as in §0 of the
/// lecture "Backpropagation – A Perspective of Matrix Calculus" (Yu Chen, TU Munich, 2023); the
/// two-layer network with SGD and with Adam, and a small CNN with Adam. Writes a loss-curve PNG.
/// Usage: <c>dotnet run -c Release --project samples/TrainDigits [-- output.png]</c>.
/// </summary>
internal static class Program
{
    private const int Seed = 2024;
    private const int TestCount = 360;
    private const int Hidden = 32;
    private const double Lambda = 1e-4;
    private const int BatchSize = 32;
    private const int NetworkEpochs = 30;
    private const int CnnChannels = 8;
    private const int CnnEpochs = 20;
    private const int DeepDepth = 20;
    private const int DeepWidth = 64;
    private const int DeepEpochs = 30;
    private const int RnnHidden = 64;
    private const int RnnEpochs = 30;

    private static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var total = Stopwatch.StartNew();
        string pngPath = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "loss-curves.png"));

        var all = Digits.Load(Digits.DefaultPath);
        var (train, test) = Digits.Split(all, TestCount, Seed);
        Console.WriteLine($"UCI optical digits: {all.Count} images of 8×8 (CC BY 4.0, Alpaydin & Kaynak); "
            + $"split with seed {Seed}: {train.Count} for training, {test.Count} held out.");
        Console.WriteLine();

        bool checksPassed = CheckGradients(train);
        var gradientDescent = SoftmaxRegressionByGradientDescent(train, test);

        var runs = new List<TrainingRun>
        {
            Trainer.Train($"two-layer network 64-{Hidden}-10, SGD η = 0.5", "network, SGD", Net(out var sgdNet),
                new Sgd<double>(sgdNet.Matrices, sgdNet.Vectors, 0.5), train, test, NetworkEpochs, BatchSize, Seed, 5, Console.Out),
            Trainer.Train($"two-layer network 64-{Hidden}-10, Adam η = 0.005", "network, Adam", Net(out var adamNet),
                new Adam<double>(adamNet.Matrices, adamNet.Vectors, 0.005), train, test, NetworkEpochs, BatchSize, Seed, 5, Console.Out),
            Trainer.Train($"CNN {CnnChannels}×3×3 conv-ReLU-maxpool-dense, Adam η = 0.005", "CNN, Adam", Cnn(out var cnn),
                new Adam<double>(cnn.Matrices, cnn.Vectors, 0.005), train, test, CnnEpochs, BatchSize, Seed, 4, Console.Out),
            Trainer.Train($"Elman RNN, 8 rows of 8 pixels, hidden {RnnHidden}, Adam η = 0.005 cosine", "RNN (row by row)", Rnn(out var rnn),
                new Adam<double>(rnn.Matrices, rnn.Vectors, 0.005), train, test, RnnEpochs, BatchSize, Seed, 5, Console.Out, cosineDecay: true),
            Trainer.Train($"{DeepDepth}-layer MLP (width {DeepWidth}), plain ReLU blocks, Adam η = 0.002 cosine", $"{DeepDepth} layers, plain", Deep(false, out var plain),
                new Adam<double>(plain.Matrices, plain.Vectors, 0.002), train, test, DeepEpochs, BatchSize, Seed, 5, Console.Out, cosineDecay: true),
            Trainer.Train($"{DeepDepth}-layer MLP (width {DeepWidth}), residual + BN blocks, Adam η = 0.002 cosine", $"{DeepDepth} layers, residual + BN", Deep(true, out var residual),
                new Adam<double>(residual.Matrices, residual.Vectors, 0.002), train, test, DeepEpochs, BatchSize, Seed, 5, Console.Out, cosineDecay: true),
        };

        Console.WriteLine("── Summary (held-out: 360 images never used for training) ──");
        Console.WriteLine($"  {"model and optimizer",-72} {"epochs",6}  {"held-out acc",12}  {"train time",10}");
        Console.WriteLine($"  {"softmax regression, full-batch GD + Armijo",-72} {gradientDescent.Iterations,6}  {gradientDescent.TestAccuracy,12:P1}  {gradientDescent.Seconds,9:F2}s");
        foreach (var run in runs)
        {
            Console.WriteLine($"  {run.Label,-72} {run.Final.Epoch,6}  {run.Final.TestAccuracy,12:P1}  {run.Final.TrainingSeconds,9:F2}s");
        }

        Console.WriteLine("  (iterations instead of epochs for gradient descent; train time counts gradient steps only)");
        Console.WriteLine();
        try
        {
            LossPlot.Save(pngPath, runs, gradientDescent.Curve);
            Console.WriteLine($"Loss curves: {pngPath}");
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or IOException)
        {
            Console.WriteLine($"Could not write the PNG ({e.GetBaseException().Message}).");
        }

        Console.WriteLine($"Total time: {total.Elapsed.TotalSeconds:F1}s");
        return checksPassed ? 0 : 1;

        static TwoLayerNetwork Net(out TwoLayerNetwork net) => net = new TwoLayerNetwork(Hidden, Lambda, Seed);
        static SmallCnn Cnn(out SmallCnn cnn) => cnn = new SmallCnn(CnnChannels, Seed);
        static RnnClassifier Rnn(out RnnClassifier model) => model = new RnnClassifier(RnnHidden, Seed);
        static DeepMlp Deep(bool residual, out DeepMlp deep) => deep = new DeepMlp(DeepDepth, DeepWidth, residual, Seed);
    }

    /// <summary>Verifies the generated gradients of both models against central differences on 8 training images.</summary>
    private static bool CheckGradients(DigitSet train)
    {
        var tiny = train.Take([0, 1, 2, 3, 4, 5, 6, 7]);
        Console.WriteLine("── Gradient check: generated gradients vs central differences, 8 images ──");
        var network = new TwoLayerNetwork(Hidden, 1e-3, Seed + 1).CheckGradients(tiny);
        Console.WriteLine("NetworkLossWithGradient (two-layer network, λ = 1e-3):");
        Console.WriteLine(network);
        var cnn = new SmallCnn(CnnChannels, Seed + 1).CheckGradients(tiny);
        Console.WriteLine("CnnLossWithGradient (conv-ReLU-maxpool-dense):");
        Console.WriteLine(cnn);
        var rnn = new RnnClassifier(8, Seed + 1).CheckGradients(tiny);
        Console.WriteLine("RnnLossWithGradient (Elman RNN, a for loop over the 8 image rows; hidden width 8 for the check):");
        Console.WriteLine(rnn);
        var residual = new DeepMlp(DeepDepth, DeepWidth, residual: true, Seed + 1).CheckGradients(tiny);
        Console.WriteLine($"{DeepDepth}-layer residual MLP with BatchNorm (HeadLossWithGradient, then ResidualBlockPullback ×{DeepDepth - 2}, DensePullback):");
        Console.WriteLine(residual);
        Console.WriteLine();
        return network.Passed && cnn.Passed && rnn.Passed && residual.Passed;
    }

    /// <summary>
    /// §0 of Chen's lecture: steepest descent x ← x − α∇f(x) with a backtracking (Armijo) line search,
    /// full batch, on softmax regression (bias folded into W through a row of ones).
    /// </summary>
    private static (int Iterations, double TestAccuracy, double Seconds, List<(int, double)> Curve) SoftmaxRegressionByGradientDescent(
        DigitSet train, DigitSet test)
    {
        const int chunk = 5, iterations = 50;
        var x1 = WithOnesRow(train.X);
        var x1Test = WithOnesRow(test.X);
        int evaluations = 0;
        (double, Matrix<double>) ValueAndGradient(Matrix<double> w)
        {
            evaluations++;
            return (Models.SoftmaxRegressionLossWithGradient(w, x1, train.Y, out var g), g);
        }

        Console.WriteLine("── §0: gradient descent with Armijo backtracking, softmax regression (W is 10×65), full batch ──");
        Console.WriteLine("  iteration   train loss     ‖∇f‖   held-out acc   f evaluations   elapsed");
        var w = new Matrix<double>(Models.Classes, Digits.Pixels + 1);
        double loss = Models.SoftmaxRegressionLoss(w, x1, train.Y);
        var curve = new List<(int, double)> { (0, loss) };
        var clock = Stopwatch.StartNew();
        int done = 0;
        while (done < iterations)
        {
            var result = GradientDescent.Minimize(ValueAndGradient, w, 1e-6, chunk);
            w = result.Minimizer;
            done += result.Iterations;
            curve.Add((done, result.Value));
            double accuracy = Metrics.Accuracy(w * x1Test, test.Labels);
            Console.WriteLine($"  {done,9}   {result.Value,10:F4}   {result.GradientNorm,6:F4}   {accuracy,12:P1}   {evaluations,13}   {clock.Elapsed.TotalSeconds,6:F2}s");
            if (result.Converged || result.Iterations < chunk)
            {
                break;
            }
        }

        clock.Stop();
        Console.WriteLine("  (each line restarts Minimize from the last iterate for 5 more steps; α₀ = twice the previous accepted step)");
        Console.WriteLine();
        return (done, Metrics.Accuracy(w * x1Test, test.Labels), clock.Elapsed.TotalSeconds, curve);
    }

    /// <summary>X with a row of ones appended, so that W·[X; 1ᵀ] = W₀X + b1ᵀ.</summary>
    private static Matrix<double> WithOnesRow(Matrix<double> x)
    {
        var x1 = new Matrix<double>(x.Rows + 1, x.Cols);
        x.AsSpan().CopyTo(x1.AsSpan());
        x1.AsSpan()[(x.Rows * x.Cols)..].Fill(1);
        return x1;
    }
}
