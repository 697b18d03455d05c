using AutoGradGen;
using static AutoGradGen.Ops;

namespace TrainDigits;

/// <summary>
/// The layers of the 20-layer networks (the lecture's roadmap: batch normalization and residual
/// connections). Each block is its own <c>[Differentiable]</c> layer; the training code chains their
/// generated pullbacks from the loss back to the input, as a layer library would.
/// </summary>
public static partial class Models
{
    /// <summary>
    /// A pre-activation residual block: H + W relu(BN(H)) + b𝟙ᵀ, with BN the batch normalization of
    /// each feature (row) over the batch (training statistics), scaled by γ and shifted by β.
    /// The identity path carries the gradient past the block unchanged: ∂(H + …) = ∂H + ….
    /// </summary>
    [Differentiable]
    public static Matrix<double> ResidualBlock(Matrix<double> W, Vector<double> b, Vector<double> gamma, Vector<double> beta,
                                               Matrix<double> H)
        => H + Dense(W, b, Relu(BatchNorm(H, gamma, beta)));

    /// <summary>A plain block of the same depth, with neither normalization nor a residual path: relu(W H + b𝟙ᵀ).</summary>
    [Differentiable]
    public static Matrix<double> PlainBlock(Matrix<double> W, Vector<double> b, Matrix<double> H)
        => Relu(Dense(W, b, H));

    /// <summary>The output layer and the loss: the mean cross-entropy of W H + b𝟙ᵀ against the one-hot labels Y.</summary>
    [Differentiable]
    public static double HeadLoss(Matrix<double> W, Vector<double> b, Matrix<double> H, [NoGradient] Matrix<double> Y)
        => CrossEntropy(Dense(W, b, H), Y);
}
