using AutoGradGen;
using static AutoGradGen.Ops;

namespace TrainDigits;

/// <summary>
/// The models trained on the 8×8 digits, written as plain matrix code with one sample per column.
/// The generator adds <c>…WithGradient</c> (for the losses) and <c>…Pullback</c> (for the layers)
/// to this partial class at compile time; the losses chain through the layers' pullbacks.
/// This file is shared with tests/RuntimeTests/Training (linked, not copied).
/// </summary>
public static partial class Models
{
    /// <summary>The side of one image (8×8 pixels).</summary>
    public const int Side = 8;

    /// <summary>The number of classes (digits 0–9).</summary>
    public const int Classes = 10;

    /// <summary>A fully connected layer W X + b 1ᵀ: b is added to every column (sample).</summary>
    [Differentiable]
    public static Matrix<double> Dense(Matrix<double> W, Vector<double> b, Matrix<double> X)
        => W * X + b;

    /// <summary>
    /// The two-layer network of the lecture "Backpropagation – A Perspective of Matrix Calculus" (Yu Chen, TU Munich, 2023): H = σ(W₁X + b₁1ᵀ), logits = W₂H + b₂1ᵀ. Two calls of the
    /// same <see cref="Dense"/> layer with different weights.
    /// </summary>
    [Differentiable]
    public static Matrix<double> Network(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2,
                                         [NoGradient] Matrix<double> X)
    {
        var H = Sigmoid(Dense(W1, b1, X));
        return Dense(W2, b2, H);
    }

    /// <summary>
    /// The network's training loss: the mean cross-entropy of its logits against the one-hot
    /// labels Y, plus λ(‖W₁‖² + ‖W₂‖²) (weight decay; biases are not penalized).
    /// </summary>
    [Differentiable]
    public static double NetworkLoss(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2,
                                     [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y,
                                     [NoGradient] double lambda)
        => CrossEntropy(Network(W1, b1, W2, b2, X), Y) + lambda * (SquaredNorm(W1) + SquaredNorm(W2));

    /// <summary>
    /// Softmax regression with the bias folded into the weights: X1 is X with a row of ones
    /// appended, so W = [W b] is the only parameter (as gradient descent over one matrix needs).
    /// </summary>
    [Differentiable]
    public static double SoftmaxRegressionLoss(Matrix<double> W, [NoGradient] Matrix<double> X1, [NoGradient] Matrix<double> Y)
        => CrossEntropy(W * X1, Y);

    /// <summary>
    /// The convolutional features: K.Rows 3×3 filters over the one-channel 8×8 image (padding 1,
    /// so 8×8 planes), ReLU, then 2×2 max pooling with stride 2: a (K.Rows·4·4)×N matrix, ready
    /// for a dense layer.
    /// </summary>
    [Differentiable]
    public static Matrix<double> ConvFeatures(Matrix<double> K, [NoGradient] Matrix<double> X)
    {
        var H = Relu(Conv2D(X, K, 1, 8, 8, 3, 3, 1, 1));
        return MaxPool2D(H, K.Rows, 8, 8, 2, 2);
    }

    /// <summary>The small CNN: convolutional features, then a dense layer to the 10 logits.</summary>
    [Differentiable]
    public static Matrix<double> Cnn(Matrix<double> K, Matrix<double> W, Vector<double> b, [NoGradient] Matrix<double> X)
        => Dense(W, b, ConvFeatures(K, X));

    /// <summary>The CNN's training loss: the mean cross-entropy of its logits against Y.</summary>
    [Differentiable]
    public static double CnnLoss(Matrix<double> K, Matrix<double> W, Vector<double> b,
                                 [NoGradient] Matrix<double> X, [NoGradient] Matrix<double> Y)
        => CrossEntropy(Cnn(K, W, b, X), Y);
}
