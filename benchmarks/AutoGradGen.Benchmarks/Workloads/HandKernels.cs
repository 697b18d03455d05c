using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Benchmarks.Workloads;

/// <summary>
/// Allocation-free span kernels for the hand-written baselines, for the operations that had no
/// destination-passing form when the baselines were written (column-wise softmax / cross-entropy, batched
/// convolution). Matrices are row-major with one sample per column, as in the runtime. Every scratch buffer
/// is the caller's. Generic over the element type: the same kernels serve the double and the float workloads.
/// </summary>
internal static class HandKernels
{
    public static Span<T> Row<T>(Matrix<T> m, int i)
        where T : unmanaged, IFloatingPointIeee754<T> => m.AsSpan().Slice(i * m.Cols, m.Cols);

    /// <summary>M += b𝟙ᵀ in place.</summary>
    public static void AddColumnsInPlace<T>(Matrix<T> m, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bs = b.AsSpan();
        for (int i = 0; i < m.Rows; i++)
        {
            TensorPrimitives.Add(Row(m, i), bs[i], Row(m, i));
        }
    }

    /// <summary>The maximum of each column of m into <paramref name="max"/> (length m.Cols).</summary>
    private static void ColumnMax<T>(Matrix<T> m, Span<T> max)
        where T : unmanaged, IFloatingPointIeee754<T>
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
    public static T CrossEntropyWithGradient<T>(Matrix<T> z, Matrix<T> y, Matrix<T> g,
                                             Span<T> colA, Span<T> colB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = z.Cols;
        Span<T> max = colA, sum = colB;
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
        T loss = T.Zero;
        for (int i = 0; i < z.Rows; i++)
        {
            loss -= TensorPrimitives.Dot<T>(Row(y, i), Row(z, i));
        }
        // lse into max (max + log sum); 1/(N·sum) into sum.
        for (int j = 0; j < n; j++)
        {
            T s = sum[j];
            max[j] += T.Log(s);
            sum[j] = T.One / (T.CreateTruncating(n) * s);
        }
        for (int i = 0; i < z.Rows; i++)
        {
            var yi = Row(y, i);
            loss += TensorPrimitives.Dot<T>(yi, max);
            var gi = Row(g, i);
            TensorPrimitives.Multiply(gi, sum, gi);
            TensorPrimitives.MultiplyAdd(yi, -T.One / T.CreateTruncating(n), gi, gi);
        }
        return loss / T.CreateTruncating(n);
    }

    /// <summary>Mean cross-entropy over the columns of Z against Y; scratch: a row and two columns of length N.</summary>
    public static T CrossEntropy<T>(Matrix<T> z, Matrix<T> y, Span<T> colA, Span<T> colB, Span<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = z.Cols;
        Span<T> max = colA, sum = colB;
        ColumnMax(z, max);
        sum.Clear();
        T loss = T.Zero;
        for (int i = 0; i < z.Rows; i++)
        {
            TensorPrimitives.Subtract(Row(z, i), max, row);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Add(sum, row, sum);
            loss -= TensorPrimitives.Dot<T>(Row(y, i), Row(z, i));
        }
        for (int j = 0; j < n; j++)
        {
            max[j] += T.Log(sum[j]);
        }
        for (int i = 0; i < z.Rows; i++)
        {
            loss += TensorPrimitives.Dot<T>(Row(y, i), max);
        }
        return loss / T.CreateTruncating(n);
    }

    /// <summary>Column-wise softmax of S in place; scratch: two columns of length N.</summary>
    public static void SoftmaxColumnsInPlace<T>(Matrix<T> s, Span<T> colA, Span<T> colB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> max = colA, sum = colB;
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
    public static void SoftmaxBackwardInPlace<T>(Matrix<T> p, Matrix<T> gp, T scale, Span<T> col)
        where T : unmanaged, IFloatingPointIeee754<T>
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
    public static void Conv2DSingle<T>(Matrix<T> x, Matrix<T> k, Matrix<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
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
    public static void Conv2DSingleBackwardKernel<T>(Matrix<T> x, Matrix<T> g, Matrix<T> dk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = g.Cols;
        for (int a = 0; a < dk.Rows; a++)
        {
            for (int b = 0; b < dk.Cols; b++)
            {
                T s = T.Zero;
                for (int i = 0; i < g.Rows; i++)
                {
                    s += TensorPrimitives.Dot<T>(Row(g, i), Row(x, i + a).Slice(b, ow));
                }
                dk[a, b] = s;
            }
        }
    }

    /// <summary>
    /// Batched 1-channel valid correlation on channel-stacked columns: X is (h·w)×N, K is C_out×(kₕ·k_w),
    /// H is (C_out·h'·w')×N; row o·h'w' + p of H = Σ_t K[o, t] · row pix(p, t) of X (N-long FMAs).
    /// </summary>
    public static void Conv2DBatched<T>(Matrix<T> x, Matrix<T> k, int height, int width, int kh, int kw, Matrix<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
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
    public static void Conv2DBatchedBackwardKernel<T>(Matrix<T> x, Matrix<T> g, int height, int width, int kh, int kw, Matrix<T> dk)
        where T : unmanaged, IFloatingPointIeee754<T>
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
                            ds[o * dk.Cols + t] += TensorPrimitives.Dot<T>(Row(g, o * outPix + p), xr);
                        }
                    }
                }
            }
        }
    }
}
