using AutoGradGen;

namespace TrainDigits;

/// <summary>
/// A deep MLP on the digits: an input layer 64 → width, <c>depth − 2</c> hidden blocks width → width,
/// and an output layer width → 10, so <c>depth</c> weight layers in all. With <c>residual</c> each
/// hidden block is <see cref="Models.ResidualBlock"/> (batch normalization + identity path), without
/// it <see cref="Models.PlainBlock"/>. The step runs the forward pass block by block, keeping each
/// block's input, then the generated pullbacks from the loss back to the first layer.
/// </summary>
public sealed class DeepMlp : IClassifier
{
    private const double Epsilon = 1e-5;
    private readonly bool _residual;
    private readonly Matrix<double>[] _w;
    private readonly Vector<double>[] _b;
    private readonly Vector<double>[] _gamma;
    private readonly Vector<double>[] _beta;
    private readonly BatchNormStatistics<double>[] _statistics;

    /// <summary>He-normal weights (Glorot for the output layer) from <paramref name="seed"/>, zero biases, γ = 1, β = 0.</summary>
    /// <param name="depth">The number of weight layers (≥ 3).</param>
    /// <param name="width">The width of every hidden layer.</param>
    /// <param name="residual">Residual blocks with batch normalization, or plain ReLU blocks.</param>
    /// <param name="seed">The initialization seed.</param>
    public DeepMlp(int depth, int width, bool residual, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 3);
        var rng = new Random(seed);
        _residual = residual;
        int blocks = depth - 2;
        _w = new Matrix<double>[depth];
        _b = new Vector<double>[depth];
        _w[0] = Init.Normal(width, Digits.Pixels, Math.Sqrt(2.0 / Digits.Pixels), rng);
        for (int l = 1; l <= blocks; l++)
        {
            // A residual branch starts small (He scaled by 1/√blocks) so that the sum of the blocks keeps its variance.
            double sigma = Math.Sqrt(2.0 / width) * (residual ? 1 / Math.Sqrt(blocks) : 1);
            _w[l] = Init.Normal(width, width, sigma, rng);
        }

        _w[depth - 1] = Init.Glorot(Models.Classes, width, rng);
        for (int l = 0; l < depth; l++)
        {
            _b[l] = new Vector<double>(_w[l].Rows);
        }

        _gamma = new Vector<double>[residual ? blocks : 0];
        _beta = new Vector<double>[_gamma.Length];
        _statistics = new BatchNormStatistics<double>[_gamma.Length];
        for (int l = 0; l < _gamma.Length; l++)
        {
            _gamma[l] = new Vector<double>(width);
            _gamma[l].AsSpan().Fill(1.0);
            _beta[l] = new Vector<double>(width);
            _statistics[l] = new BatchNormStatistics<double>(width);
        }
    }

    /// <inheritdoc/>
    public Matrix<double>[] Matrices => _w;

    /// <inheritdoc/>
    public Vector<double>[] Vectors => [.. _b, .. _gamma, .. _beta];

    private int Blocks => _w.Length - 2;

    /// <inheritdoc/>
    public double Step(DigitSet batch, Optimizer<double> optimizer)
    {
        double loss = Gradients(batch, update: true, out var dMatrices, out var dVectors);
        optimizer.Step(dMatrices, dVectors);
        return loss;
    }

    /// <summary>
    /// The training loss on a batch and its gradients, in the order of <see cref="Matrices"/> and
    /// <see cref="Vectors"/>; with <paramref name="update"/> the running statistics take in the batch.
    /// </summary>
    private double Gradients(DigitSet batch, bool update, out Matrix<double>[] dMatrices, out Vector<double>[] dVectors)
    {
        // Forward: keep every block's input (the values the pullbacks read).
        var inputs = new Matrix<double>[Blocks + 1];
        inputs[0] = Models.Dense(_w[0], _b[0], batch.X);
        for (int l = 1; l <= Blocks; l++)
        {
            var h = inputs[l - 1];
            if (_residual)
            {
                if (update)
                {
                    _statistics[l - 1].Update(h);
                }


                inputs[l] = Models.ResidualBlock(_w[l], _b[l], _gamma[l - 1], _beta[l - 1], h);
            }
            else
            {
                inputs[l] = Models.PlainBlock(_w[l], _b[l], h);
            }
        }

        // Backward: the loss's gradient, then each block's pullback from the last to the first.
        int last = _w.Length - 1;
        var dW = new Matrix<double>[_w.Length];
        var db = new Vector<double>[_w.Length];
        var dGamma = new Vector<double>[_gamma.Length];
        var dBeta = new Vector<double>[_beta.Length];
        double loss = Models.HeadLossWithGradient(_w[last], _b[last], inputs[Blocks], batch.Y, out dW[last], out db[last], out var seed);
        for (int l = Blocks; l >= 1; l--)
        {
            Matrix<double> dH;
            if (_residual)
            {
                Models.ResidualBlockPullback(_w[l], _b[l], _gamma[l - 1], _beta[l - 1], inputs[l - 1], seed,
                    out dW[l], out db[l], out dGamma[l - 1], out dBeta[l - 1], out dH);
            }
            else
            {
                Models.PlainBlockPullback(_w[l], _b[l], inputs[l - 1], seed, out dW[l], out db[l], out dH);
            }

            seed = dH;
        }

        Models.DensePullback(_w[0], _b[0], batch.X, seed, out dW[0], out db[0], out _);
        dMatrices = dW;
        dVectors = [.. db, .. dGamma, .. dBeta];
        return loss;
    }

    /// <inheritdoc/>
    public double Loss(DigitSet set)
    {
        int last = _w.Length - 1;
        return Models.HeadLoss(_w[last], _b[last], Features(set.X), set.Y);
    }

    /// <inheritdoc/>
    public Matrix<double> Logits(Matrix<double> x)
    {
        int last = _w.Length - 1;
        return Models.Dense(_w[last], _b[last], Features(x));
    }

    /// <summary>The last hidden layer, for evaluation: batch normalization uses the running statistics.</summary>
    private Matrix<double> Features(Matrix<double> x)
    {
        var h = Models.Dense(_w[0], _b[0], x);
        for (int l = 1; l <= Blocks; l++)
        {
            if (_residual)
            {
                var s = _statistics[l - 1];
                var normalized = Ops.BatchNormInference(h, _gamma[l - 1], _beta[l - 1], s.Mean, s.Variance, Epsilon);
                h = h + Models.Dense(_w[l], _b[l], Ops.Relu(normalized));
            }
            else
            {
                h = Models.PlainBlock(_w[l], _b[l], h);
            }
        }

        return h;
    }

    /// <summary>Checks the chained generated pullbacks against central differences of the training loss on a small batch.</summary>
    public GradientCheckReport CheckGradients(DigitSet batch)
    {
        Gradients(batch, update: false, out var dMatrices, out var dVectors);
        double TrainingLoss()
        {
            var h = Models.Dense(_w[0], _b[0], batch.X);
            for (int l = 1; l <= Blocks; l++)
            {
                h = _residual ? Models.ResidualBlock(_w[l], _b[l], _gamma[l - 1], _beta[l - 1], h) : Models.PlainBlock(_w[l], _b[l], h);
            }

            return Models.HeadLoss(_w[^1], _b[^1], h, batch.Y);
        }

        var parameters = new List<GradientCheckParameter<double>>
        {
            GradientCheck.Parameter("W1", _w[0], dMatrices[0]),
            GradientCheck.Parameter($"W{Blocks / 2 + 1}", _w[Blocks / 2], dMatrices[Blocks / 2]),
            GradientCheck.Parameter($"W{_w.Length}", _w[^1], dMatrices[^1]),
            GradientCheck.Parameter("b1", _b[0], dVectors[0]),
        };
        if (_residual)
        {
            parameters.Add(GradientCheck.Parameter("γ1", _gamma[0], dVectors[_b.Length]));
            parameters.Add(GradientCheck.Parameter("β1", _beta[0], dVectors[_b.Length + _gamma.Length]));
        }

        return GradientCheck.Run(TrainingLoss, parameters.ToArray());
    }
}
