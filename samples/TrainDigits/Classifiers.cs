using AutoGradGen;

namespace TrainDigits;

/// <summary>A model trained with minibatches: its parameters, one gradient step, and its logits.</summary>
public interface IClassifier
{
    /// <summary>The matrix parameters (updated in place by the optimizer).</summary>
    Matrix<double>[] Matrices { get; }

    /// <summary>The vector parameters (updated in place by the optimizer).</summary>
    Vector<double>[] Vectors { get; }

    /// <summary>Evaluates the loss and its generated gradients on a batch and lets the optimizer take one step.</summary>
    /// <returns>The batch loss before the step.</returns>
    double Step(DigitSet batch, Optimizer<double> optimizer);

    /// <summary>The training loss on a set (no gradient).</summary>
    double Loss(DigitSet set);

    /// <summary>The 10×N logits.</summary>
    Matrix<double> Logits(Matrix<double> x);
}

/// <summary>The two-layer network 64 → hidden (sigmoid) → 10, with weight decay λ.</summary>
public sealed class TwoLayerNetwork : IClassifier
{
    private readonly Matrix<double> _w1, _w2;
    private readonly Vector<double> _b1, _b2;
    private readonly double _lambda;

    /// <summary>Glorot-normal weights from <paramref name="seed"/>, zero biases.</summary>
    public TwoLayerNetwork(int hidden, double lambda, int seed)
    {
        var rng = new Random(seed);
        _w1 = Init.Glorot(hidden, Digits.Pixels, rng);
        _b1 = new Vector<double>(hidden);
        _w2 = Init.Glorot(Models.Classes, hidden, rng);
        _b2 = new Vector<double>(Models.Classes);
        _lambda = lambda;
    }

    /// <inheritdoc/>
    public Matrix<double>[] Matrices => [_w1, _w2];

    /// <inheritdoc/>
    public Vector<double>[] Vectors => [_b1, _b2];

    /// <inheritdoc/>
    public double Step(DigitSet batch, Optimizer<double> optimizer)
    {
        double loss = Models.NetworkLossWithGradient(_w1, _b1, _w2, _b2, batch.X, batch.Y, _lambda,
            out var dW1, out var db1, out var dW2, out var db2);
        optimizer.Step([dW1, dW2], [db1, db2]);
        return loss;
    }

    /// <inheritdoc/>
    public double Loss(DigitSet set) => Models.NetworkLoss(_w1, _b1, _w2, _b2, set.X, set.Y, _lambda);

    /// <inheritdoc/>
    public Matrix<double> Logits(Matrix<double> x) => Models.Network(_w1, _b1, _w2, _b2, x);

    /// <summary>Checks the generated gradients against central differences on a small batch.</summary>
    public GradientCheckReport CheckGradients(DigitSet batch)
    {
        Models.NetworkLossWithGradient(_w1, _b1, _w2, _b2, batch.X, batch.Y, _lambda,
            out var dW1, out var db1, out var dW2, out var db2);
        return GradientCheck.Run(
            () => Models.NetworkLoss(_w1, _b1, _w2, _b2, batch.X, batch.Y, _lambda),
            [
                GradientCheck.Parameter("W1", _w1, dW1), GradientCheck.Parameter("b1", _b1, db1),
                GradientCheck.Parameter("W2", _w2, dW2), GradientCheck.Parameter("b2", _b2, db2),
            ]);
    }
}

/// <summary>The small CNN: C 3×3 filters (padding 1) + ReLU + 2×2 max pooling → dense → 10 logits.</summary>
public sealed class SmallCnn : IClassifier
{
    private readonly Matrix<double> _k, _w;
    private readonly Vector<double> _b;

    /// <summary>He-normal filters, Glorot-normal dense weights from <paramref name="seed"/>, zero bias.</summary>
    public SmallCnn(int channels, int seed)
    {
        var rng = new Random(seed);
        _k = Init.Normal(channels, 9, Math.Sqrt(2.0 / 9), rng);
        _w = Init.Glorot(Models.Classes, channels * 16, rng);
        _b = new Vector<double>(Models.Classes);
    }

    /// <inheritdoc/>
    public Matrix<double>[] Matrices => [_k, _w];

    /// <inheritdoc/>
    public Vector<double>[] Vectors => [_b];

    /// <inheritdoc/>
    public double Step(DigitSet batch, Optimizer<double> optimizer)
    {
        double loss = Models.CnnLossWithGradient(_k, _w, _b, batch.X, batch.Y, out var dK, out var dW, out var db);
        optimizer.Step([dK, dW], [db]);
        return loss;
    }

    /// <inheritdoc/>
    public double Loss(DigitSet set) => Models.CnnLoss(_k, _w, _b, set.X, set.Y);

    /// <inheritdoc/>
    public Matrix<double> Logits(Matrix<double> x) => Models.Cnn(_k, _w, _b, x);

    /// <summary>Checks the generated gradients against central differences on a small batch.</summary>
    public GradientCheckReport CheckGradients(DigitSet batch)
    {
        Models.CnnLossWithGradient(_k, _w, _b, batch.X, batch.Y, out var dK, out var dW, out var db);
        return GradientCheck.Run(
            () => Models.CnnLoss(_k, _w, _b, batch.X, batch.Y),
            [GradientCheck.Parameter("K", _k, dK), GradientCheck.Parameter("W", _w, dW), GradientCheck.Parameter("b", _b, db)]);
    }
}

/// <summary>Fixed-seed weight initialization.</summary>
public static class Init
{
    /// <summary>A rows×cols matrix of N(0, σ²) entries (Box–Muller).</summary>
    public static Matrix<double> Normal(int rows, int cols, double sigma, Random rng)
    {
        var m = new Matrix<double>(rows, cols);
        Span<double> data = m.AsSpan();
        for (int i = 0; i < data.Length; i++)
        {
            double u = 1 - rng.NextDouble(), v = rng.NextDouble();
            data[i] = sigma * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
        }

        return m;
    }

    /// <summary>Glorot (Xavier) normal: σ² = 2 / (fan_in + fan_out).</summary>
    public static Matrix<double> Glorot(int rows, int cols, Random rng) => Normal(rows, cols, Math.Sqrt(2.0 / (rows + cols)), rng);
}

/// <summary>Classification accuracy.</summary>
public static class Metrics
{
    /// <summary>The fraction of columns whose largest logit is at the true label.</summary>
    public static double Accuracy(Matrix<double> logits, int[] labels)
    {
        int correct = 0;
        for (int j = 0; j < logits.Cols; j++)
        {
            int best = 0;
            for (int i = 1; i < logits.Rows; i++)
            {
                if (logits[i, j] > logits[best, j])
                {
                    best = i;
                }
            }

            correct += best == labels[j] ? 1 : 0;
        }

        return (double)correct / logits.Cols;
    }
}
