using AutoGradGen;
using static AutoGradGen.Ops;

namespace DigitsGan;

/// <summary>
/// The GAN, one image per column (64 pixels in [0, 1]). The generator maps noise Z (one column per
/// sample) through a leaky-ReLU hidden layer to sigmoid pixels; the discriminator maps images to one
/// logit each. Both losses are <c>BinaryCrossEntropyWithLogits</c> of the discriminator's logits; the
/// generator's is the non-saturating form, −log D(G(z)). The generator adds the gradients.
/// </summary>
public static partial class Gan
{
    /// <summary>The slope of the leaky ReLUs for negative inputs.</summary>
    public const double Slope = 0.2;

    /// <summary>G(Z) = σ(W₂ lrelu(W₁ Z + b₁𝟙ᵀ) + b₂𝟙ᵀ): 64 × N images.</summary>
    [Differentiable]
    public static Matrix<double> Generator(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2,
                                           [NoGradient] Matrix<double> Z)
        => Sigmoid(W2 * LeakyRelu(W1 * Z + b1, Slope) + b2);

    /// <summary>D(X) = v lrelu(W X + b𝟙ᵀ) + c𝟙ᵀ: one logit per image (1 × N).</summary>
    [Differentiable]
    public static Matrix<double> Discriminator(Matrix<double> W, Vector<double> b, Matrix<double> V, Vector<double> c, Matrix<double> X)
        => V * LeakyRelu(W * X + b, Slope) + c;

    /// <summary>
    /// The discriminator's loss on a batch of real and a batch of generated images: real ones labelled
    /// <paramref name="realLabels"/> (1, or 0.9 with one-sided label smoothing), generated ones 0.
    /// </summary>
    [Differentiable]
    public static double DiscriminatorLoss(Matrix<double> W, Vector<double> b, Matrix<double> V, Vector<double> c,
                                           [NoGradient] Matrix<double> real, [NoGradient] Matrix<double> fake,
                                           [NoGradient] Matrix<double> realLabels, [NoGradient] Matrix<double> fakeLabels)
        => BinaryCrossEntropyWithLogits(Discriminator(W, b, V, c, real), realLabels)
           + BinaryCrossEntropyWithLogits(Discriminator(W, b, V, c, fake), fakeLabels);

    /// <summary>
    /// The generator's loss: the discriminator's cross-entropy of its images against the label "real"
    /// (the non-saturating loss −log D(G(z))); the discriminator's weights are constants here.
    /// </summary>
    [Differentiable]
    public static double GeneratorLoss(Matrix<double> W1, Vector<double> b1, Matrix<double> W2, Vector<double> b2,
                                       [NoGradient] Matrix<double> DW, [NoGradient] Vector<double> Db,
                                       [NoGradient] Matrix<double> DV, [NoGradient] Vector<double> Dc,
                                       [NoGradient] Matrix<double> Z, [NoGradient] Matrix<double> ones)
        => BinaryCrossEntropyWithLogits(Discriminator(DW, Db, DV, Dc, Generator(W1, b1, W2, b2, Z)), ones);
}
