using DigitsGan;
using Xunit;

namespace AutoGradGen.RuntimeTests.Training;

/// <summary>
/// The DigitsGan sample's losses (samples/DigitsGan/Gan.cs, linked): the generator's gradient,
/// which flows through the discriminator, against a closed form written here by hand and against
/// central differences; the discriminator's against central differences.
/// </summary>
public class GanGradientTests
{
    [Fact]
    public void GeneratorGradientMatchesTheHandWrittenClosedForm()
    {
        var rng = new Random(3);
        int noise = 4, hidden = 5, pixels = 6, n = 7;
        var w1 = Random(hidden, noise, rng); var b1 = RandomVector(hidden, rng);
        var w2 = Random(pixels, hidden, rng); var b2 = RandomVector(pixels, rng);
        var dw = Random(hidden, pixels, rng); var db = RandomVector(hidden, rng);
        var dv = Random(1, hidden, rng); var dc = RandomVector(1, rng);
        var z = Random(noise, n, rng);
        var ones = new Matrix<double>(1, n);
        ones.AsSpan().Fill(1);

        Gan.GeneratorLossWithGradient(w1, b1, w2, b2, dw, db, dv, dc, z, ones, out var gW1, out var gB1, out var gW2, out var gB2);

        // By hand: A = lrelu(W1 Z + b1), G = σ(W2 A + b2), P = W G + b, l = V lrelu(P) + c;
        // loss = mean_j softplus(l_j) − l_j, so ∂loss/∂l_j = (σ(l_j) − 1)/n, then back layer by layer.
        double Lrelu(double x) => x > 0 ? x : Gan.Slope * x;
        double Slope(double x) => x > 0 ? 1 : Gan.Slope;
        double Sigma(double x) => 1 / (1 + Math.Exp(-x));
        var expectedW1 = new double[hidden, noise]; var expectedB1 = new double[hidden];
        var expectedW2 = new double[pixels, hidden]; var expectedB2 = new double[pixels];
        for (int j = 0; j < n; j++)
        {
            var pre1 = new double[hidden]; var a = new double[hidden];
            for (int i = 0; i < hidden; i++)
            {
                pre1[i] = b1[i];
                for (int k = 0; k < noise; k++) pre1[i] += w1[i, k] * z[k, j];
                a[i] = Lrelu(pre1[i]);
            }

            var g = new double[pixels];
            for (int p = 0; p < pixels; p++)
            {
                double s = b2[p];
                for (int i = 0; i < hidden; i++) s += w2[p, i] * a[i];
                g[p] = Sigma(s);
            }

            var pre = new double[hidden];
            double logit = dc[0];
            for (int i = 0; i < hidden; i++)
            {
                pre[i] = db[i];
                for (int p = 0; p < pixels; p++) pre[i] += dw[i, p] * g[p];
                logit += dv[0, i] * Lrelu(pre[i]);
            }

            double dl = (Sigma(logit) - 1) / n;
            var dPre2 = new double[pixels];
            for (int p = 0; p < pixels; p++)
            {
                double dg = 0;
                for (int i = 0; i < hidden; i++) dg += dw[i, p] * dv[0, i] * dl * Slope(pre[i]);
                dPre2[p] = dg * g[p] * (1 - g[p]);
                expectedB2[p] += dPre2[p];
                for (int i = 0; i < hidden; i++) expectedW2[p, i] += dPre2[p] * a[i];
            }

            for (int i = 0; i < hidden; i++)
            {
                double da = 0;
                for (int p = 0; p < pixels; p++) da += w2[p, i] * dPre2[p];
                double dPre1 = da * Slope(pre1[i]);
                expectedB1[i] += dPre1;
                for (int k = 0; k < noise; k++) expectedW1[i, k] += dPre1 * z[k, j];
            }
        }

        for (int i = 0; i < hidden; i++)
        {
            Assert.Equal(expectedB1[i], gB1[i], 12);
            for (int k = 0; k < noise; k++) Assert.Equal(expectedW1[i, k], gW1[i, k], 12);
        }

        for (int p = 0; p < pixels; p++)
        {
            Assert.Equal(expectedB2[p], gB2[p], 12);
            for (int i = 0; i < hidden; i++) Assert.Equal(expectedW2[p, i], gW2[p, i], 12);
        }

        var report = GradientCheck.Run(() => Gan.GeneratorLoss(w1, b1, w2, b2, dw, db, dv, dc, z, ones),
            [GradientCheck.Parameter("W1", w1, gW1), GradientCheck.Parameter("W2", w2, gW2), GradientCheck.Parameter("b2", b2, gB2)]);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void DiscriminatorGradientMatchesCentralDifferences()
    {
        var rng = new Random(5);
        int hidden = 5, pixels = 6, n = 7;
        var w = Random(hidden, pixels, rng); var b = RandomVector(hidden, rng);
        var v = Random(1, hidden, rng); var c = RandomVector(1, rng);
        var real = Random(pixels, n, rng); var fake = Random(pixels, n, rng);
        var realLabels = new Matrix<double>(1, n);
        realLabels.AsSpan().Fill(0.9);
        var fakeLabels = new Matrix<double>(1, n);
        Gan.DiscriminatorLossWithGradient(w, b, v, c, real, fake, realLabels, fakeLabels, out var dW, out var dB, out var dV, out var dC);
        var report = GradientCheck.Run(() => Gan.DiscriminatorLoss(w, b, v, c, real, fake, realLabels, fakeLabels),
            [GradientCheck.Parameter("W", w, dW), GradientCheck.Parameter("b", b, dB), GradientCheck.Parameter("V", v, dV), GradientCheck.Parameter("c", c, dC)]);
        Assert.True(report.Passed, report.ToString());
    }

    private static Matrix<double> Random(int rows, int cols, Random rng)
    {
        var m = new Matrix<double>(rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m[i, j] = (2 * rng.NextDouble()) - 1;
        return m;
    }

    private static Vector<double> RandomVector(int length, Random rng)
    {
        var v = new Vector<double>(length);
        for (int i = 0; i < length; i++) v[i] = (2 * rng.NextDouble()) - 1;
        return v;
    }
}
