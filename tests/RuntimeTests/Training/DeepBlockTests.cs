using TrainDigits;
using Xunit;

namespace AutoGradGen.RuntimeTests.Training;

/// <summary>
/// The TrainDigits sample's deep-network layers (samples/TrainDigits/Models.Deep.cs, linked): the
/// generated pullback of the residual BatchNorm block against a closed form written here by hand,
/// and a chain of blocks (as the sample trains it) against central differences.
/// </summary>
public class DeepBlockTests
{
    private const double Eps = 1e-5;

    [Fact]
    public void ResidualBlockPullbackMatchesTheHandWrittenClosedForm()
    {
        var rng = new Random(7);
        int width = 6, batch = 9;
        var w = Random(width, width, rng);
        var b = RandomVector(width, rng);
        var gamma = RandomVector(width, rng, 1.0);
        var beta = RandomVector(width, rng);
        var h = Random(width, batch, rng);
        var seed = Random(width, batch, rng);

        var value = Models.ResidualBlockPullback(w, b, gamma, beta, h, seed,
            out var dW, out var db, out var dGamma, out var dBeta, out var dH);

        // By hand: Z = BN(H) row by row, A = relu(Z), out = H + W A + b𝟙ᵀ.
        var xHat = new double[width, batch];
        var sigma = new double[width];
        var a = new Matrix<double>(width, batch);
        for (int i = 0; i < width; i++)
        {
            double mean = 0, variance = 0;
            for (int j = 0; j < batch; j++) mean += h[i, j] / batch;
            for (int j = 0; j < batch; j++) variance += (h[i, j] - mean) * (h[i, j] - mean) / batch;
            sigma[i] = Math.Sqrt(variance + Eps);
            for (int j = 0; j < batch; j++)
            {
                xHat[i, j] = (h[i, j] - mean) / sigma[i];
                a[i, j] = Math.Max(0, (gamma[i] * xHat[i, j]) + beta[i]);
            }
        }

        for (int i = 0; i < width; i++)
        {
            for (int j = 0; j < batch; j++)
            {
                double expected = h[i, j] + b[i];
                for (int k = 0; k < width; k++) expected += w[i, k] * a[k, j];
                Assert.Equal(expected, value[i, j], 12);
            }
        }

        for (int i = 0; i < width; i++)
        {
            double rowSum = 0;
            for (int j = 0; j < batch; j++) rowSum += seed[i, j];
            Assert.Equal(rowSum, db[i], 12);
            for (int k = 0; k < width; k++)
            {
                double expected = 0;
                for (int j = 0; j < batch; j++) expected += seed[i, j] * a[k, j];
                Assert.Equal(expected, dW[i, k], 12);
            }
        }

        // dZ = (Wᵀ S) ⊙ [Z > 0]; BatchNorm's backward: dγ = Σⱼ dZ x̂, dβ = Σⱼ dZ,
        // dX = γ/(N σ) (N dZ − Σⱼ dZ − x̂ Σⱼ dZ x̂); the identity path adds S.
        for (int i = 0; i < width; i++)
        {
            var dz = new double[batch];
            double sum = 0, sumXHat = 0;
            for (int j = 0; j < batch; j++)
            {
                double da = 0;
                for (int k = 0; k < width; k++) da += w[k, i] * seed[k, j];
                dz[j] = a[i, j] > 0 ? da : 0;
                sum += dz[j];
                sumXHat += dz[j] * xHat[i, j];
            }

            Assert.Equal(sum, dBeta[i], 12);
            Assert.Equal(sumXHat, dGamma[i], 12);
            for (int j = 0; j < batch; j++)
            {
                double expected = seed[i, j] + (gamma[i] / (batch * sigma[i]) * ((batch * dz[j]) - sum - (xHat[i, j] * sumXHat)));
                Assert.Equal(expected, dH[i, j], 10);
            }
        }
    }

    [Fact]
    public void ChainedBlocksMatchCentralDifferences()
    {
        var rng = new Random(11);
        int width = 5, batch = 8, blocks = 3;
        var w = Enumerable.Range(0, blocks).Select(_ => Random(width, width, rng, 0.5)).ToArray();
        var b = Enumerable.Range(0, blocks).Select(_ => RandomVector(width, rng)).ToArray();
        var gamma = Enumerable.Range(0, blocks).Select(_ => RandomVector(width, rng, 1.0)).ToArray();
        var beta = Enumerable.Range(0, blocks).Select(_ => RandomVector(width, rng)).ToArray();
        var head = Random(3, width, rng);
        var headBias = RandomVector(3, rng);
        var x = Random(width, batch, rng);
        var y = new Matrix<double>(3, batch);
        for (int j = 0; j < batch; j++) y[j % 3, j] = 1;

        double Loss()
        {
            var h = x;
            for (int l = 0; l < blocks; l++) h = Models.ResidualBlock(w[l], b[l], gamma[l], beta[l], h);
            return Models.HeadLoss(head, headBias, h, y);
        }

        var inputs = new Matrix<double>[blocks + 1];
        inputs[0] = x;
        for (int l = 0; l < blocks; l++) inputs[l + 1] = Models.ResidualBlock(w[l], b[l], gamma[l], beta[l], inputs[l]);
        Models.HeadLossWithGradient(head, headBias, inputs[blocks], y, out var dHead, out var dHeadBias, out var seed);
        var dW = new Matrix<double>[blocks];
        var dGamma = new Vector<double>[blocks];
        for (int l = blocks - 1; l >= 0; l--)
        {
            Models.ResidualBlockPullback(w[l], b[l], gamma[l], beta[l], inputs[l], seed, out dW[l], out _, out dGamma[l], out _, out var dH);
            seed = dH;
        }

        var report = GradientCheck.Run(Loss,
        [
            GradientCheck.Parameter("W1", w[0], dW[0]), GradientCheck.Parameter("W3", w[2], dW[2]),
            GradientCheck.Parameter("γ1", gamma[0], dGamma[0]), GradientCheck.Parameter("head", head, dHead),
            GradientCheck.Parameter("head bias", headBias, dHeadBias),
        ]);
        Assert.True(report.Passed, report.ToString());
    }

    private static Matrix<double> Random(int rows, int cols, Random rng, double scale = 1)
    {
        var m = new Matrix<double>(rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m[i, j] = scale * ((2 * rng.NextDouble()) - 1);
        return m;
    }

    private static Vector<double> RandomVector(int length, Random rng, double center = 0)
    {
        var v = new Vector<double>(length);
        for (int i = 0; i < length; i++) v[i] = center + (0.5 * ((2 * rng.NextDouble()) - 1));
        return v;
    }
}
