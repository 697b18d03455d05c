using AutoGradGen;
using TrainDigits;

namespace DigitsGan;

/// <summary>How a classifier trained on real digits sees a set of generated images.</summary>
/// <param name="MeanTopProbability">The mean over images of the classifier's largest class probability.</param>
/// <param name="ClassShares">The fraction of images predicted as each digit 0–9.</param>
public sealed record GanScore(double MeanTopProbability, double[] ClassShares)
{
    /// <summary>The smallest class share.</summary>
    public double SmallestShare => ClassShares.Min();

    /// <summary>Scores <paramref name="images"/> (one per column) with the logits of a classifier.</summary>
    public static GanScore Of(IClassifier classifier, Matrix<double> images)
    {
        var logits = classifier.Logits(images);
        var shares = new double[logits.Rows];
        double top = 0;
        for (int j = 0; j < logits.Cols; j++)
        {
            int best = 0;
            double max = double.NegativeInfinity;
            for (int i = 0; i < logits.Rows; i++)
            {
                if (logits[i, j] > max)
                {
                    max = logits[i, j];
                    best = i;
                }
            }

            double sum = 0;
            for (int i = 0; i < logits.Rows; i++)
            {
                sum += Math.Exp(logits[i, j] - max);
            }

            top += 1 / sum;
            shares[best]++;
        }

        for (int i = 0; i < shares.Length; i++)
        {
            shares[i] /= logits.Cols;
        }

        return new GanScore(top / logits.Cols, shares);
    }

    /// <summary>The class shares as "0: 9.8 %  1: 10.2 % …".</summary>
    public string Shares() => string.Join("  ", ClassShares.Select((s, i) => $"{i}: {s:P1}"));
}
