using System.Numerics.Tensors;

// Float (float32) twin of HandKernels.cs, derived mechanically (double → float, literals → f) so that
// every workload runs in both precisions; keep the two in step when a workload changes.

namespace AutoGradGen.Benchmarks.Workloads;

/// <summary>
/// Allocation-free span kernels for the hand-written baselines, for the operations that have no
/// destination-passing <c>AutoGradGen.Compute</c> form (column-wise softmax / cross-entropy, batched convolution). Matrices are
/// row-major with one sample per column, as in the runtime. Every scratch buffer is the caller's.
/// </summary>
internal static class HandKernelsFloat
{
    public static Span<float> Row(Matrix<float> m, int i) => m.AsSpan().Slice(i * m.Cols, m.Cols);

    /// <summary>M += b𝟙ᵀ in place.</summary>
    public static void AddColumnsInPlace(Matrix<float> m, Vector<float> b)
    {
        var bs = b.AsSpan();
        for (int i = 0; i < m.Rows; i++)
        {
            TensorPrimitives.Add(Row(m, i), bs[i], Row(m, i));
        }
    }

    /// <summary>The maximum of each column of m into <paramref name="max"/> (length m.Cols).</summary>
    private static void ColumnMax(Matrix<float> m, Span<float> max)
    {
        Row(m, 0).CopyTo(max);
        for (int i = 1; i < m.Rows; i++)
        {
            TensorPrimitives.Max(max, Row(m, i), max);
        }
    }

    /// <summary>
    /// Mean cross-entropy over the columns of Z against Y, and G = (softmax(Z) − Y)/N (column-wise,
    /// max subtracted). <paramref name="colA"/>, <paramref name="colB"/> are scratch of length N.
    /// </summary>
    public static float CrossEntropyWithGradient(Matrix<float> z, Matrix<float> y, Matrix<float> g,
                                                  Span<float> colA, Span<float> colB)
    {
        int n = z.Cols;
        Span<float> max = colA, sum = colB;
        ColumnMax(z, max);
        sum.Clear();
        for (int i = 0; i < z.Rows; i++)
        {
            var gi = Row(g, i);
            TensorPrimitives.Subtract(Row(z, i), max, gi);
            TensorPrimitives.Exp(gi, gi);
            TensorPrimitives.Add(sum, gi, sum);
        }
        // loss = (1/N) Σ_ij Y_ij (lse_j − Z_ij), lse = max + log(sum)
        float loss = 0;
        for (int i = 0; i < z.Rows; i++)
        {
            loss -= TensorPrimitives.Dot<float>(Row(y, i), Row(z, i));
        }
        // lse into max (max + log sum); 1/(N·sum) into sum.
        for (int j = 0; j < n; j++)
        {
            float s = sum[j];
            max[j] += MathF.Log(s);
            sum[j] = 1.0f / (n * s);
        }
        for (int i = 0; i < z.Rows; i++)
        {
            var yi = Row(y, i);
            loss += TensorPrimitives.Dot<float>(yi, max);
            var gi = Row(g, i);
            TensorPrimitives.Multiply(gi, sum, gi);
            TensorPrimitives.MultiplyAdd(yi, -1.0f / n, gi, gi);
        }
        return loss / n;
    }

    /// <summary>Mean cross-entropy over the columns of Z against Y; scratch: a row and two columns of length N.</summary>
    public static float CrossEntropy(Matrix<float> z, Matrix<float> y, Span<float> colA, Span<float> colB, Span<float> row)
    {
        int n = z.Cols;
        Span<float> max = colA, sum = colB;
        ColumnMax(z, max);
        sum.Clear();
        float loss = 0;
        for (int i = 0; i < z.Rows; i++)
        {
            TensorPrimitives.Subtract(Row(z, i), max, row);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Add(sum, row, sum);
            loss -= TensorPrimitives.Dot<float>(Row(y, i), Row(z, i));
        }
        for (int j = 0; j < n; j++)
        {
            max[j] += MathF.Log(sum[j]);
        }
        for (int i = 0; i < z.Rows; i++)
        {
            loss += TensorPrimitives.Dot<float>(Row(y, i), max);
        }
        return loss / n;
    }

    /// <summary>Column-wise softmax of S in place; scratch: two columns of length N.</summary>
    public static void SoftmaxColumnsInPlace(Matrix<float> s, Span<float> colA, Span<float> colB)
    {
        Span<float> max = colA, sum = colB;
        ColumnMax(s, max);
        sum.Clear();
        for (int i = 0; i < s.Rows; i++)
        {
            var si = Row(s, i);
            TensorPrimitives.Subtract(si, max, si);
            TensorPrimitives.Exp(si, si);
            TensorPrimitives.Add(sum, si, sum);
        }
        TensorPrimitives.Reciprocal(sum, sum);
        for (int i = 0; i < s.Rows; i++)
        {
            TensorPrimitives.Multiply(Row(s, i), sum, Row(s, i));
        }
    }

    /// <summary>gS = scale · P ⊙ (gP − 𝟙 (colsum(P ⊙ gP))), in place over gP; scratch: one column.</summary>
    public static void SoftmaxBackwardInPlace(Matrix<float> p, Matrix<float> gp, float scale, Span<float> col)
    {
        col.Clear();
        for (int i = 0; i < p.Rows; i++)
        {
            TensorPrimitives.MultiplyAdd(Row(p, i), Row(gp, i), col, col);
        }
        for (int i = 0; i < p.Rows; i++)
        {
            var gi = Row(gp, i);
            TensorPrimitives.Subtract(gi, col, gi);
            TensorPrimitives.Multiply(gi, Row(p, i), gi);
            TensorPrimitives.Multiply(gi, scale, gi);
        }
    }

    /// <summary>Single-image valid correlation H = X ⋆ K (stride 1, no padding), H overwritten.</summary>
    public static void Conv2DSingle(Matrix<float> x, Matrix<float> k, Matrix<float> h)
    {
        h.AsSpan().Clear();
        int ow = h.Cols;
        for (int i = 0; i < h.Rows; i++)
        {
            var hi = Row(h, i);
            for (int a = 0; a < k.Rows; a++)
            {
                var xr = Row(x, i + a);
                for (int b = 0; b < k.Cols; b++)
                {
                    TensorPrimitives.MultiplyAdd(xr.Slice(b, ow), k[a, b], hi, hi);
                }
            }
        }
    }

    /// <summary>dK[a, b] = Σ_ij G[i, j] X[i + a, j + b] (overwrites dK).</summary>
    public static void Conv2DSingleBackwardKernel(Matrix<float> x, Matrix<float> g, Matrix<float> dk)
    {
        int ow = g.Cols;
        for (int a = 0; a < dk.Rows; a++)
        {
            for (int b = 0; b < dk.Cols; b++)
            {
                float s = 0;
                for (int i = 0; i < g.Rows; i++)
                {
                    s += TensorPrimitives.Dot<float>(Row(g, i), Row(x, i + a).Slice(b, ow));
                }
                dk[a, b] = s;
            }
        }
    }

    /// <summary>
    /// Batched 1-channel valid correlation on channel-stacked columns: X is (h·w)×N, K is C_out×(kₕ·k_w),
    /// H is (C_out·h'·w')×N; row o·h'w' + p of H = Σ_t K[o, t] · row pix(p, t) of X (N-long FMAs).
    /// </summary>
    public static void Conv2DBatched(Matrix<float> x, Matrix<float> k, int height, int width, int kh, int kw, Matrix<float> h)
    {
        h.AsSpan().Clear();
        int oh = height - kh + 1, ow = width - kw + 1, outPix = oh * ow;
        var ks = k.AsSpan();
        for (int i = 0; i < oh; i++)
        {
            for (int j = 0; j < ow; j++)
            {
                int p = i * ow + j;
                for (int a = 0; a < kh; a++)
                {
                    for (int b = 0; b < kw; b++)
                    {
                        var xr = Row(x, (i + a) * width + j + b);
                        int t = a * kw + b;
                        for (int o = 0; o < k.Rows; o++)
                        {
                            var hr = Row(h, o * outPix + p);
                            TensorPrimitives.MultiplyAdd(xr, ks[o * k.Cols + t], hr, hr);
                        }
                    }
                }
            }
        }
    }

    /// <summary>dK[o, t] = Σ_p ⟨G row (o, p), X row pix(p, t)⟩ (overwrites dK).</summary>
    public static void Conv2DBatchedBackwardKernel(Matrix<float> x, Matrix<float> g, int height, int width, int kh, int kw, Matrix<float> dk)
    {
        int oh = height - kh + 1, ow = width - kw + 1, outPix = oh * ow;
        var ds = dk.AsSpan();
        ds.Clear();
        for (int i = 0; i < oh; i++)
        {
            for (int j = 0; j < ow; j++)
            {
                int p = i * ow + j;
                for (int a = 0; a < kh; a++)
                {
                    for (int b = 0; b < kw; b++)
                    {
                        var xr = Row(x, (i + a) * width + j + b);
                        int t = a * kw + b;
                        for (int o = 0; o < dk.Rows; o++)
                        {
                            ds[o * dk.Cols + t] += TensorPrimitives.Dot<float>(Row(g, o * outPix + p), xr);
                        }
                    }
                }
            }
        }
    }
}
