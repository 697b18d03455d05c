using AutoGradGen;
using static AutoGradGen.Ops;

namespace TrainDigits;

/// <summary>
/// The sequential-image task: an Elman recurrent network reads each 8×8 digit one image row at a
/// time (8 time steps of 8 pixels) and classifies it from its last hidden state. The recurrence is a
/// plain <c>for</c> loop; the generator runs it backwards over a tape of the hidden states.
/// </summary>
public static partial class Models
{
    /// <summary>The number of time steps: one per image row.</summary>
    public const int Steps = 8;

    /// <summary>
    /// The last hidden state H₈ of the Elman network, Hₜ = tanh(Wx Xₜ + Wh Hₜ₋₁ + b𝟙ᵀ) with H₀ = 0,
    /// where Xₜ (8 × N) is row t of every image: rows 8t … 8t + 7 of X.
    /// </summary>
    [Differentiable]
    public static Matrix<double> RnnFeatures(Matrix<double> Wx, Matrix<double> Wh, Vector<double> b, [NoGradient] Matrix<double> X)
    {
        var H = Tanh(Wx * SliceRows(X, 0, Side) + b);
        for (int t = 1; t < Steps; t++)
        {
            H = Tanh(Wx * SliceRows(X, Side * t, Side) + Wh * H + b);
        }

        return H;
    }

    /// <summary>The RNN's training loss: the mean cross-entropy of V H₈ + c𝟙ᵀ against the one-hot labels Y.</summary>
    /// <remarks>
    /// The recurrence is written here again rather than called through <see cref="RnnFeatures"/>: a layer with a
    /// loop has no <c>FForward</c>/<c>FBackward</c> yet (AGG0035), so only a loss that holds the loop itself gets
    /// the zero-allocation <c>RnnLossBackward</c> the training step uses.
    /// </remarks>
    [Differentiable]
    public static double RnnLoss(Matrix<double> Wx, Matrix<double> Wh, Vector<double> b, Matrix<double> V, Vector<double> c,
                                 [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
    {
        var H = Tanh(Wx * SliceRows(X, 0, Side) + b);
        for (int t = 1; t < Steps; t++)
        {
            H = Tanh(Wx * SliceRows(X, Side * t, Side) + Wh * H + b);
        }

        return CrossEntropy(V * H + c, Y);
    }
}
