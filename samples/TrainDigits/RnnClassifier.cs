using AutoGradGen;

namespace TrainDigits;

/// <summary>
/// The Elman network of <see cref="Models.RnnLoss"/>: reads each image row by row (8 steps of 8
/// pixels) into a hidden state of width <c>hidden</c>, then a dense layer to the 10 logits.
/// </summary>
public sealed class RnnClassifier : IClassifier
{
    private readonly Matrix<double> _wx, _wh, _v;
    private readonly Vector<double> _b, _c;

    // The training step's zero-allocation path: the generated RnnLossBackward writes into these
    // buffers, and its workspace keeps the tape of hidden states between steps.
    private readonly Models.RnnLossWorkspace _workspace = new();
    private readonly Matrix<double> _dWx, _dWh, _dV;
    private readonly Vector<double> _db, _dc;

    /// <summary>Glorot-normal input and output weights, an orthogonal-scale recurrent matrix (N(0, 1/hidden)), zero biases.</summary>
    public RnnClassifier(int hidden, int seed)
    {
        var rng = new Random(seed);
        _wx = Init.Glorot(hidden, Models.Side, rng);
        _wh = Init.Normal(hidden, hidden, Math.Sqrt(1.0 / hidden), rng);
        _b = new Vector<double>(hidden);
        _v = Init.Glorot(Models.Classes, hidden, rng);
        _c = new Vector<double>(Models.Classes);
        (_dWx, _dWh, _dV) = (new(hidden, Models.Side), new(hidden, hidden), new(Models.Classes, hidden));
        (_db, _dc) = (new(hidden), new(Models.Classes));
    }

    /// <inheritdoc/>
    public Matrix<double>[] Matrices => [_wx, _wh, _v];

    /// <inheritdoc/>
    public Vector<double>[] Vectors => [_b, _c];

    /// <inheritdoc/>
    public double Step(DigitSet batch, Optimizer<double> optimizer)
    {
        double loss = Models.RnnLossBackward(_wx, _wh, _b, _v, _c, batch.X, batch.Y, _workspace, _dWx, _dWh, _db, _dV, _dc, accumulate: false);
        optimizer.Step([_dWx, _dWh, _dV], [_db, _dc]);
        return loss;
    }

    /// <inheritdoc/>
    public double Loss(DigitSet set) => Models.RnnLoss(_wx, _wh, _b, _v, _c, set.X, set.Y);

    /// <inheritdoc/>
    public Matrix<double> Logits(Matrix<double> x) => Models.Dense(_v, _c, Models.RnnFeatures(_wx, _wh, _b, x));

    /// <summary>Checks the generated gradients (through the loop) against central differences on a small batch.</summary>
    public GradientCheckReport CheckGradients(DigitSet batch)
    {
        Models.RnnLossWithGradient(_wx, _wh, _b, _v, _c, batch.X, batch.Y, out var dWx, out var dWh, out var db, out var dV, out var dc);
        return GradientCheck.Run(
            () => Models.RnnLoss(_wx, _wh, _b, _v, _c, batch.X, batch.Y),
            [
                GradientCheck.Parameter("Wx", _wx, dWx), GradientCheck.Parameter("Wh", _wh, dWh), GradientCheck.Parameter("b", _b, db),
                GradientCheck.Parameter("V", _v, dV), GradientCheck.Parameter("c", _c, dc),
            ]);
    }
}
