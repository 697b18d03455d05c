using TrainDigits;
using Xunit;

namespace AutoGradGen.RuntimeTests.Training;

/// <summary>
/// The TrainDigits sample's Elman network (samples/TrainDigits/Models.Rnn.cs, linked): a <c>for</c>
/// loop over the 8 image rows. Its generated gradients against backpropagation through time written
/// here by hand and against central differences, and its zero-allocation training step.
/// </summary>
public class RnnTests
{
    private const int Hidden = 6, Batch = 5;

    [Fact]
    public void GradientMatchesHandWrittenBackpropagationThroughTime()
    {
        var (wx, wh, b, v, c, x, y) = Problem(1);
        Models.RnnLossWithGradient(wx, wh, b, v, c, x, y, out var dWx, out var dWh, out var db, out var dV, out var dc);

        // By hand: H₀ = 0, Hₜ = tanh(Wx Xₜ + Wh Hₜ₋₁ + b𝟙ᵀ) for t = 1..8 with Xₜ rows 8(t−1)…8t−1 of X;
        // loss = mean over columns of −log softmax(V H₈ + c𝟙ᵀ)·y. Then back through the 8 steps.
        var h = new double[Models.Steps + 1][,];
        h[0] = new double[Hidden, Batch];
        for (int t = 1; t <= Models.Steps; t++)
        {
            h[t] = new double[Hidden, Batch];
            for (int i = 0; i < Hidden; i++)
                for (int j = 0; j < Batch; j++)
                {
                    double z = b[i];
                    for (int k = 0; k < Models.Side; k++) z += wx[i, k] * x[(Models.Side * (t - 1)) + k, j];
                    for (int k = 0; k < Hidden; k++) z += wh[i, k] * h[t - 1][k, j];
                    h[t][i, j] = Math.Tanh(z);
                }
        }

        var dh = new double[Hidden, Batch];
        var expectedDV = new double[Models.Classes, Hidden];
        var expectedDc = new double[Models.Classes];
        for (int j = 0; j < Batch; j++)
        {
            var logits = new double[Models.Classes];
            for (int r = 0; r < Models.Classes; r++)
            {
                logits[r] = c[r];
                for (int k = 0; k < Hidden; k++) logits[r] += v[r, k] * h[Models.Steps][k, j];
            }

            double max = logits.Max(), sum = logits.Sum(l => Math.Exp(l - max));
            for (int r = 0; r < Models.Classes; r++)
            {
                double g = ((Math.Exp(logits[r] - max) / sum) - y[r, j]) / Batch;
                expectedDc[r] += g;
                for (int k = 0; k < Hidden; k++)
                {
                    expectedDV[r, k] += g * h[Models.Steps][k, j];
                    dh[k, j] += v[r, k] * g;
                }
            }
        }

        var expectedDWx = new double[Hidden, Models.Side];
        var expectedDWh = new double[Hidden, Hidden];
        var expectedDb = new double[Hidden];
        for (int t = Models.Steps; t >= 1; t--)
        {
            var dz = new double[Hidden, Batch];
            for (int i = 0; i < Hidden; i++)
                for (int j = 0; j < Batch; j++)
                {
                    dz[i, j] = dh[i, j] * (1 - (h[t][i, j] * h[t][i, j]));
                    expectedDb[i] += dz[i, j];
                    for (int k = 0; k < Models.Side; k++) expectedDWx[i, k] += dz[i, j] * x[(Models.Side * (t - 1)) + k, j];
                    for (int k = 0; k < Hidden; k++) expectedDWh[i, k] += dz[i, j] * h[t - 1][k, j];
                }

            dh = new double[Hidden, Batch];
            for (int k = 0; k < Hidden; k++)
                for (int j = 0; j < Batch; j++)
                    for (int i = 0; i < Hidden; i++) dh[k, j] += wh[i, k] * dz[i, j];
        }

        AssertClose(expectedDWx, dWx);
        AssertClose(expectedDWh, dWh);
        AssertClose(expectedDV, dV);
        for (int i = 0; i < Hidden; i++) Assert.Equal(expectedDb[i], db[i], 12);
        for (int r = 0; r < Models.Classes; r++) Assert.Equal(expectedDc[r], dc[r], 12);
    }

    [Fact]
    public void GradientMatchesCentralDifferences()
    {
        var (wx, wh, b, v, c, x, y) = Problem(2);
        Models.RnnLossWithGradient(wx, wh, b, v, c, x, y, out var dWx, out var dWh, out var db, out var dV, out var dc);
        var report = GradientCheck.Run(() => Models.RnnLoss(wx, wh, b, v, c, x, y),
        [
            GradientCheck.Parameter("Wx", wx, dWx), GradientCheck.Parameter("Wh", wh, dWh), GradientCheck.Parameter("b", b, db),
            GradientCheck.Parameter("V", v, dV), GradientCheck.Parameter("c", c, dc),
        ]);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void TrainingStepAllocatesNothingAndEqualsTheAllocatingGradient()
    {
        var (wx, wh, b, v, c, x, y) = Problem(3);
        var workspace = new Models.RnnLossWorkspace();
        Matrix<double> dWx = new(Hidden, Models.Side), dWh = new(Hidden, Hidden), dV = new(Models.Classes, Hidden);
        Vector<double> db = new(Hidden), dc = new(Models.Classes);
        Models.RnnLossBackward(wx, wh, b, v, c, x, y, workspace, dWx, dWh, db, dV, dc, accumulate: false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double loss = Models.RnnLossBackward(wx, wh, b, v, c, x, y, workspace, dWx, dWh, db, dV, dc, accumulate: false);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);

        double expected = Models.RnnLossWithGradient(wx, wh, b, v, c, x, y, out var eWx, out var eWh, out var eb, out var eV, out var ec);
        Assert.Equal(expected, loss, 12);
        AssertClose(eWx, dWx);
        AssertClose(eWh, dWh);
        AssertClose(eV, dV);
        for (int i = 0; i < Hidden; i++) Assert.Equal(eb[i], db[i], 12);
        for (int r = 0; r < Models.Classes; r++) Assert.Equal(ec[r], dc[r], 12);
    }

    /// <summary>
    /// The workspace's tape keeps what a tape-based framework keeps for this cell: the hidden state before each
    /// step (Hidden × Batch values). The tanh output of step t is the state before step t + 1, read back from it,
    /// and the row slice of X is read again, not taped.
    /// </summary>
    [Fact]
    public void TapeKeepsOneHiddenStatePerTimeStep()
    {
        var (wx, wh, b, v, c, x, y) = Problem(4);
        var workspace = new Models.RnnLossWorkspace();
        Models.RnnLossBackward(wx, wh, b, v, c, x, y, workspace, null, new Matrix<double>(Hidden, Hidden), null, null, null);
        long taped = 0;
        int tapes = 0;
        foreach (var field in typeof(Models.RnnLossWorkspace).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public))
        {
            if (field.FieldType == typeof(Matrix<double>[]) && field.GetValue(workspace) is Matrix<double>?[] tape)
            {
                tapes++;
                foreach (var m in tape)
                {
                    taped += m is null ? 0 : (long)m.Rows * m.Cols * sizeof(double);
                }
            }
        }
        Assert.Equal(1, tapes);
        int steps = Models.Steps - 1;   // the loop runs over t = 1 .. Steps − 1; step 0 is before it
        Assert.Equal((long)steps * Hidden * Batch * sizeof(double), taped);
    }

    private static (Matrix<double> Wx, Matrix<double> Wh, Vector<double> B, Matrix<double> V, Vector<double> C, Matrix<double> X, Matrix<double> Y) Problem(int seed)
    {
        var rng = new Random(seed);
        Matrix<double> M(int r, int cols, double scale) { var m = new Matrix<double>(r, cols); for (int i = 0; i < r; i++) for (int j = 0; j < cols; j++) m[i, j] = scale * ((2 * rng.NextDouble()) - 1); return m; }
        Vector<double> Vec(int n) { var u = new Vector<double>(n); for (int i = 0; i < n; i++) u[i] = 0.3 * ((2 * rng.NextDouble()) - 1); return u; }
        var x = M(Models.Side * Models.Steps, Batch, 1);
        for (int i = 0; i < x.Rows; i++) for (int j = 0; j < Batch; j++) x[i, j] = Math.Abs(x[i, j]);
        var y = new Matrix<double>(Models.Classes, Batch);
        for (int j = 0; j < Batch; j++) y[(3 * j) % Models.Classes, j] = 1;
        return (M(Hidden, Models.Side, 0.5), M(Hidden, Hidden, 0.5), Vec(Hidden), M(Models.Classes, Hidden, 0.5), Vec(Models.Classes), x, y);
    }

    private static void AssertClose(double[,] expected, Matrix<double> actual)
    {
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.Equal(expected[i, j], actual[i, j], 12);
    }

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual)
    {
        for (int i = 0; i < expected.Rows; i++)
            for (int j = 0; j < expected.Cols; j++)
                Assert.Equal(expected[i, j], actual[i, j], 12);
    }
}
