using AutoGradGen;
using TrainDigits;

namespace DigitsGan;

/// <summary>The parameters of both networks, their optimizers, and one adversarial training step.</summary>
public sealed class GanModel
{
    private readonly Matrix<double> _gW1, _gW2, _dW, _dV;
    private readonly Vector<double> _gB1, _gB2, _dB, _dC;
    private readonly Adam<double> _generatorOptimizer, _discriminatorOptimizer;
    private readonly Random _rng;

    /// <summary>Fixed-seed weights (He-normal for the leaky-ReLU layers, Glorot for the output layers) and Adam (β₁ = 0.5) for each network.</summary>
    /// <param name="noise">The dimension of the noise z.</param>
    /// <param name="hidden">The hidden width of both networks.</param>
    /// <param name="learningRate">Adam's step size for both networks.</param>
    /// <param name="seed">The seed of the weights and of the noise.</param>
    public GanModel(int noise, int hidden, double learningRate, int seed)
    {
        _rng = new Random(seed);
        Noise = noise;
        _gW1 = Init.Normal(hidden, noise, Math.Sqrt(2.0 / noise), _rng);
        _gB1 = new Vector<double>(hidden);
        _gW2 = Init.Glorot(Digits.Pixels, hidden, _rng);
        _gB2 = new Vector<double>(Digits.Pixels);
        _dW = Init.Normal(hidden, Digits.Pixels, Math.Sqrt(2.0 / Digits.Pixels), _rng);
        _dB = new Vector<double>(hidden);
        _dV = Init.Glorot(1, hidden, _rng);
        _dC = new Vector<double>(1);
        _generatorOptimizer = new Adam<double>([_gW1, _gW2], [_gB1, _gB2], learningRate, 0.5, 0.999, 1e-8);
        _discriminatorOptimizer = new Adam<double>([_dW, _dV], [_dB, _dC], learningRate, 0.5, 0.999, 1e-8);
    }

    /// <summary>The dimension of the noise z.</summary>
    public int Noise { get; }

    /// <summary>A noise batch: N(0, 1) entries, one column per sample.</summary>
    public Matrix<double> SampleNoise(int count, Random rng) => Init.Normal(Noise, count, 1.0, rng);

    /// <summary>Generated images for the noise columns of <paramref name="z"/>.</summary>
    public Matrix<double> Generate(Matrix<double> z) => Gan.Generator(_gW1, _gB1, _gW2, _gB2, z);

    /// <summary>The discriminator's probability that each column of <paramref name="x"/> is a real image.</summary>
    public double MeanRealProbability(Matrix<double> x)
    {
        var logits = Gan.Discriminator(_dW, _dB, _dV, _dC, x);
        double sum = 0;
        for (int j = 0; j < logits.Cols; j++)
        {
            sum += 1 / (1 + Math.Exp(-logits[0, j]));
        }

        return sum / logits.Cols;
    }

    /// <summary>
    /// One step of each network on a batch of real images: the discriminator on the real batch
    /// (labels 0.9, one-sided smoothing) and a fresh generated batch (labels 0), then the generator
    /// on another fresh batch with the non-saturating loss.
    /// </summary>
    /// <returns>The discriminator's and the generator's losses before their steps.</returns>
    public (double Discriminator, double Generator) Step(Matrix<double> real)
    {
        int n = real.Cols;
        var realLabels = Filled(1, n, 0.9);
        var fakeLabels = new Matrix<double>(1, n);
        var fake = Generate(SampleNoise(n, _rng));
        double dLoss = Gan.DiscriminatorLossWithGradient(_dW, _dB, _dV, _dC, real, fake, realLabels, fakeLabels,
            out var dW, out var dB, out var dV, out var dC);
        _discriminatorOptimizer.Step([dW, dV], [dB, dC]);

        var ones = Filled(1, n, 1.0);
        double gLoss = Gan.GeneratorLossWithGradient(_gW1, _gB1, _gW2, _gB2, _dW, _dB, _dV, _dC, SampleNoise(n, _rng), ones,
            out var gW1, out var gB1, out var gW2, out var gB2);
        _generatorOptimizer.Step([gW1, gW2], [gB1, gB2]);
        return (dLoss, gLoss);
    }

    /// <summary>Checks both losses' generated gradients against central differences on a small batch.</summary>
    public (GradientCheckReport Discriminator, GradientCheckReport Generator) CheckGradients(Matrix<double> real)
    {
        int n = real.Cols;
        var realLabels = Filled(1, n, 0.9);
        var fakeLabels = new Matrix<double>(1, n);
        var fake = Generate(SampleNoise(n, new Random(1)));
        var z = SampleNoise(n, new Random(2));
        var ones = Filled(1, n, 1.0);
        Gan.DiscriminatorLossWithGradient(_dW, _dB, _dV, _dC, real, fake, realLabels, fakeLabels, out var dW, out var dB, out var dV, out var dC);
        var discriminator = GradientCheck.Run(
            () => Gan.DiscriminatorLoss(_dW, _dB, _dV, _dC, real, fake, realLabels, fakeLabels),
            [GradientCheck.Parameter("W", _dW, dW), GradientCheck.Parameter("b", _dB, dB), GradientCheck.Parameter("V", _dV, dV), GradientCheck.Parameter("c", _dC, dC)]);
        Gan.GeneratorLossWithGradient(_gW1, _gB1, _gW2, _gB2, _dW, _dB, _dV, _dC, z, ones, out var gW1, out var gB1, out var gW2, out var gB2);
        var generator = GradientCheck.Run(
            () => Gan.GeneratorLoss(_gW1, _gB1, _gW2, _gB2, _dW, _dB, _dV, _dC, z, ones),
            [GradientCheck.Parameter("W1", _gW1, gW1), GradientCheck.Parameter("b1", _gB1, gB1), GradientCheck.Parameter("W2", _gW2, gW2), GradientCheck.Parameter("b2", _gB2, gB2)]);
        return (discriminator, generator);
    }

    private static Matrix<double> Filled(int rows, int cols, double value)
    {
        var m = new Matrix<double>(rows, cols);
        m.AsSpan().Fill(value);
        return m;
    }
}
