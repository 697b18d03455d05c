using System.Linq.Expressions;
using System.Reflection;
using Xunit;

namespace AutoGradGen.GeneratorTests.Infrastructure;

/// <summary>
/// Plain-loop double references for the lecture's section 4 (softmax, cross-entropy, convolution,
/// pooling), written from the definitions (docs/convolution.md, README op table), independent of
/// the runtime and the generator. Matrices are <c>double[,]</c>, vectors <c>double[]</c>; on a
/// matrix every column is one sample. Batched images are channel-stacked: pixel (c, y, x) of image n
/// is row c·h·w + y·w + x of column n; filter o, channel c, tap (a, b) is K[o, c·kₕ·k_w + a·k_w + b].
/// </summary>
public static class DeepRef
{
    // ── softmax family ──────────────────────────────────────────────────────────────

    /// <summary>softmax(x)ᵢ = exp(xᵢ − m) / Σₖ exp(xₖ − m), m = max x (the shift cancels; it keeps ±1000 finite).</summary>
    public static double[] Softmax(double[] x)
    {
        double m = x.Max();
        var e = x.Select(v => Math.Exp(v - m)).ToArray();
        double s = e.Sum();
        return e.Select(v => v / s).ToArray();
    }

    /// <summary>log softmax(x)ᵢ = (xᵢ − m) − log Σₖ exp(xₖ − m).</summary>
    public static double[] LogSoftmax(double[] x)
    {
        double m = x.Max();
        double lse = Math.Log(x.Sum(v => Math.Exp(v - m)));
        return x.Select(v => v - m - lse).ToArray();
    }

    /// <summary>−Σᵢ yᵢ log softmax(h)ᵢ.</summary>
    public static double CrossEntropy(double[] h, double[] y) => -Ref.Dot(y, LogSoftmax(h));

    /// <summary>Column-wise softmax.</summary>
    public static double[,] Softmax(double[,] a) => Columnwise(a, Softmax);

    /// <summary>Column-wise log softmax.</summary>
    public static double[,] LogSoftmax(double[,] a) => Columnwise(a, LogSoftmax);

    /// <summary>(1/N) Σⱼ −yⱼᵀ log softmax(hⱼ), N = the number of columns.</summary>
    public static double CrossEntropy(double[,] h, double[,] y)
    {
        double total = 0;
        for (int j = 0; j < Ref.Cols(h); j++)
        {
            total += CrossEntropy(Ref.Col(h, j), Ref.Col(y, j));
        }
        return total / Ref.Cols(h);
    }

    /// <summary>The Jacobian ∂softmax(h)/∂h = diag(s) − s sᵀ, s = softmax(h), as an explicit matrix.</summary>
    public static double[,] SoftmaxJacobian(double[] h)
    {
        var s = Softmax(h);
        var j = Ref.Neg(Ref.Outer(s, s));
        for (int i = 0; i < s.Length; i++)
        {
            j[i, i] += s[i];
        }
        return j;
    }

    /// <summary>The Jacobian ∂log softmax(h)/∂h = I − 𝟙 sᵀ, s = softmax(h), as an explicit matrix.</summary>
    public static double[,] LogSoftmaxJacobian(double[] h)
        => Ref.Sub(Ref.Identity(h.Length), Ref.Outer(Ref.Fill(h.Length, 1), Softmax(h)));

    /// <summary>Column by column: Jᵀ(hⱼ) gⱼ, for a per-column Jacobian.</summary>
    public static double[,] ColumnwiseVjp(double[,] h, double[,] g, Func<double[], double[,]> jacobian)
    {
        var r = new double[Ref.Rows(h), Ref.Cols(h)];
        for (int j = 0; j < Ref.Cols(h); j++)
        {
            var v = Ref.Mul(Ref.T(jacobian(Ref.Col(h, j))), Ref.Col(g, j));
            for (int i = 0; i < v.Length; i++)
            {
                r[i, j] = v[i];
            }
        }
        return r;
    }

    /// <summary>A rows×cols matrix whose columns are probability vectors (one-hot when <paramref name="oneHot"/>).</summary>
    public static double[,] Distributions(int rows, int cols, bool oneHot, int seed)
    {
        var rng = new Random(seed);
        var y = new double[rows, cols];
        for (int j = 0; j < cols; j++)
        {
            if (oneHot)
            {
                y[rng.Next(rows), j] = 1;
                continue;
            }
            var w = Enumerable.Range(0, rows).Select(_ => 0.1 + rng.NextDouble()).ToArray();
            double s = w.Sum();
            for (int i = 0; i < rows; i++)
            {
                y[i, j] = w[i] / s;
            }
        }
        return y;
    }

    private static double[,] Columnwise(double[,] a, Func<double[], double[]> f)
    {
        var r = new double[Ref.Rows(a), Ref.Cols(a)];
        for (int j = 0; j < Ref.Cols(a); j++)
        {
            var c = f(Ref.Col(a, j));
            for (int i = 0; i < c.Length; i++)
            {
                r[i, j] = c[i];
            }
        }
        return r;
    }

    // ── convolution of one image ────────────────────────────────────────────────────

    /// <summary>Output side ⌊(n + 2p − k)/s⌋ + 1.</summary>
    public static int OutSize(int n, int k, int s, int p) => ((n + (2 * p) - k) / s) + 1;

    /// <summary>X with p zeros on every side.</summary>
    public static double[,] Pad(double[,] x, int p)
    {
        var r = new double[Ref.Rows(x) + (2 * p), Ref.Cols(x) + (2 * p)];
        for (int i = 0; i < Ref.Rows(x); i++)
        {
            for (int j = 0; j < Ref.Cols(x); j++)
            {
                r[i + p, j + p] = x[i, j];
            }
        }
        return r;
    }

    /// <summary>H[i, j] = Σ_{a,b} X̃[i·s + a, j·s + b] K[a, b] with X̃ = X zero-padded by p (cross-correlation).</summary>
    public static double[,] Conv2D(double[,] x, double[,] k, int s, int p)
    {
        var xp = Pad(x, p);
        int ho = OutSize(Ref.Rows(x), Ref.Rows(k), s, p), wo = OutSize(Ref.Cols(x), Ref.Cols(k), s, p);
        var h = new double[ho, wo];
        for (int i = 0; i < ho; i++)
        {
            for (int j = 0; j < wo; j++)
            {
                for (int a = 0; a < Ref.Rows(k); a++)
                {
                    for (int b = 0; b < Ref.Cols(k); b++)
                    {
                        h[i, j] += xp[(i * s) + a, (j * s) + b] * k[a, b];
                    }
                }
            }
        }
        return h;
    }

    /// <summary>
    /// ∇K = X ⋆ G, the valid correlation of the (padded) input with the output gradient, taken with stride s:
    /// ∇K[a, b] = Σ_{i,j} X̃[a + i·s, b + j·s] G[i, j].
    /// </summary>
    public static double[,] Conv2DGradKernel(double[,] x, double[,] g, int kh, int kw, int s, int p)
    {
        var xp = Pad(x, p);
        var dk = new double[kh, kw];
        for (int a = 0; a < kh; a++)
        {
            for (int b = 0; b < kw; b++)
            {
                for (int i = 0; i < Ref.Rows(g); i++)
                {
                    for (int j = 0; j < Ref.Cols(g); j++)
                    {
                        dk[a, b] += xp[a + (i * s), b + (j * s)] * g[i, j];
                    }
                }
            }
        }
        return dk;
    }

    /// <summary>rot180(K): K flipped in both directions.</summary>
    public static double[,] Rot180(double[,] k)
    {
        int m = Ref.Rows(k), n = Ref.Cols(k);
        var r = new double[m, n];
        for (int a = 0; a < m; a++)
        {
            for (int b = 0; b < n; b++)
            {
                r[a, b] = k[m - 1 - a, n - 1 - b];
            }
        }
        return r;
    }

    /// <summary>
    /// ∇X = G ∗full rot180(K): G dilated by s − 1 zeros between entries, zero-padded by (kₕ − 1, k_w − 1), valid
    /// correlation with rot180(K) (that is the full convolution with K), giving the gradient of the padded input
    /// (rows/columns the windows never reach stay zero); then the p border is cropped.
    /// </summary>
    public static double[,] Conv2DGradInput(double[,] k, double[,] g, int height, int width, int s, int p)
    {
        int kh = Ref.Rows(k), kw = Ref.Cols(k);
        int dh = ((Ref.Rows(g) - 1) * s) + 1, dw = ((Ref.Cols(g) - 1) * s) + 1;
        var dilated = new double[dh + (2 * (kh - 1)), dw + (2 * (kw - 1))];
        for (int i = 0; i < Ref.Rows(g); i++)
        {
            for (int j = 0; j < Ref.Cols(g); j++)
            {
                dilated[(kh - 1) + (i * s), (kw - 1) + (j * s)] = g[i, j];
            }
        }
        var full = Conv2D(dilated, Rot180(k), 1, 0); // (dh + kh − 1)×(dw + kw − 1) ≤ padded input
        var dx = new double[height, width];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int u = y + p, v = x + p;
                dx[y, x] = u < Ref.Rows(full) && v < Ref.Cols(full) ? full[u, v] : 0;
            }
        }
        return dx;
    }

    // ── channel-stacked batches ─────────────────────────────────────────────────────

    /// <summary>Plane c (h×w) of image n of a channel-stacked batch.</summary>
    public static double[,] Plane(double[,] batch, int n, int c, int h, int w)
    {
        var r = new double[h, w];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                r[y, x] = batch[(c * h * w) + (y * w) + x, n];
            }
        }
        return r;
    }

    /// <summary>Adds <paramref name="plane"/> into plane c of image n.</summary>
    public static void AddPlane(double[,] batch, int n, int c, double[,] plane)
    {
        int h = Ref.Rows(plane), w = Ref.Cols(plane);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                batch[(c * h * w) + (y * w) + x, n] += plane[y, x];
            }
        }
    }

    /// <summary>Filter o, input channel c (kₕ×k_w) of a C_out×(C_in·kₕ·k_w) filter matrix.</summary>
    public static double[,] Filter(double[,] k, int o, int c, int kh, int kw)
    {
        var r = new double[kh, kw];
        for (int a = 0; a < kh; a++)
        {
            for (int b = 0; b < kw; b++)
            {
                r[a, b] = k[o, (c * kh * kw) + (a * kw) + b];
            }
        }
        return r;
    }

    private static void AddFilter(double[,] k, int o, int c, double[,] f)
    {
        int kh = Ref.Rows(f), kw = Ref.Cols(f);
        for (int a = 0; a < kh; a++)
        {
            for (int b = 0; b < kw; b++)
            {
                k[o, (c * kh * kw) + (a * kw) + b] += f[a, b];
            }
        }
    }

    /// <summary>H[n, o] = Σ_c X[n, c] ∗ K[o, c].</summary>
    public static double[,] Conv2D(double[,] x, double[,] k, int channels, int h, int w, int kh, int kw, int s, int p)
    {
        int ho = OutSize(h, kh, s, p), wo = OutSize(w, kw, s, p), cout = Ref.Rows(k);
        var r = new double[cout * ho * wo, Ref.Cols(x)];
        for (int n = 0; n < Ref.Cols(x); n++)
        {
            for (int o = 0; o < cout; o++)
            {
                for (int c = 0; c < channels; c++)
                {
                    AddPlane(r, n, o, Conv2D(Plane(x, n, c, h, w), Filter(k, o, c, kh, kw), s, p));
                }
            }
        }
        return r;
    }

    /// <summary>∇K[o, c] = Σ_n X[n, c] ⋆ G[n, o].</summary>
    public static double[,] Conv2DGradKernel(double[,] x, double[,] g, int channels, int h, int w, int kh, int kw, int s, int p)
    {
        int ho = OutSize(h, kh, s, p), wo = OutSize(w, kw, s, p), cout = Ref.Rows(g) / (ho * wo);
        var dk = new double[cout, channels * kh * kw];
        for (int n = 0; n < Ref.Cols(x); n++)
        {
            for (int o = 0; o < cout; o++)
            {
                for (int c = 0; c < channels; c++)
                {
                    AddFilter(dk, o, c, Conv2DGradKernel(Plane(x, n, c, h, w), Plane(g, n, o, ho, wo), kh, kw, s, p));
                }
            }
        }
        return dk;
    }

    /// <summary>∇X[n, c] = Σ_o G[n, o] ∗full rot180(K[o, c]).</summary>
    public static double[,] Conv2DGradInput(double[,] k, double[,] g, int channels, int h, int w, int kh, int kw, int s, int p)
    {
        int ho = OutSize(h, kh, s, p), wo = OutSize(w, kw, s, p);
        var dx = new double[channels * h * w, Ref.Cols(g)];
        for (int n = 0; n < Ref.Cols(g); n++)
        {
            for (int o = 0; o < Ref.Rows(k); o++)
            {
                for (int c = 0; c < channels; c++)
                {
                    AddPlane(dx, n, c, Conv2DGradInput(Filter(k, o, c, kh, kw), Plane(g, n, o, ho, wo), h, w, s, p));
                }
            }
        }
        return dx;
    }

    // ── pooling ──────────────────────────────────────────────────────────────────────

    /// <summary>Y[i, j] = max over the size×size window at (i·s, j·s); with the window's argmax (first in row-major order).</summary>
    public static (double[,] Y, (int Row, int Col)[,] ArgMax) MaxPool2D(double[,] x, int size, int s)
    {
        int ho = ((Ref.Rows(x) - size) / s) + 1, wo = ((Ref.Cols(x) - size) / s) + 1;
        var y = new double[ho, wo];
        var arg = new (int, int)[ho, wo];
        for (int i = 0; i < ho; i++)
        {
            for (int j = 0; j < wo; j++)
            {
                double best = double.NegativeInfinity;
                for (int a = 0; a < size; a++)
                {
                    for (int b = 0; b < size; b++)
                    {
                        double v = x[(i * s) + a, (j * s) + b];
                        if (v > best)
                        {
                            best = v;
                            arg[i, j] = ((i * s) + a, (j * s) + b);
                        }
                    }
                }
                y[i, j] = best;
            }
        }
        return (y, arg);
    }

    /// <summary>∇X[argmax of window (i, j)] += G[i, j].</summary>
    public static double[,] MaxPool2DGrad(double[,] x, double[,] g, int size, int s)
    {
        var (_, arg) = MaxPool2D(x, size, s);
        var dx = new double[Ref.Rows(x), Ref.Cols(x)];
        for (int i = 0; i < Ref.Rows(g); i++)
        {
            for (int j = 0; j < Ref.Cols(g); j++)
            {
                dx[arg[i, j].Row, arg[i, j].Col] += g[i, j];
            }
        }
        return dx;
    }

    /// <summary>Y[i, j] = (1/size²) Σ over the size×size window at (i·s, j·s).</summary>
    public static double[,] AvgPool2D(double[,] x, int size, int s)
    {
        int ho = ((Ref.Rows(x) - size) / s) + 1, wo = ((Ref.Cols(x) - size) / s) + 1;
        var y = new double[ho, wo];
        for (int i = 0; i < ho; i++)
        {
            for (int j = 0; j < wo; j++)
            {
                double sum = 0;
                for (int a = 0; a < size; a++)
                {
                    for (int b = 0; b < size; b++)
                    {
                        sum += x[(i * s) + a, (j * s) + b];
                    }
                }
                y[i, j] = sum / (size * size);
            }
        }
        return y;
    }

    /// <summary>∇X[i·s + a, j·s + b] += G[i, j] / size² (the adjoint spreads evenly).</summary>
    public static double[,] AvgPool2DGrad(double[,] g, int height, int width, int size, int s)
    {
        var dx = new double[height, width];
        for (int i = 0; i < Ref.Rows(g); i++)
        {
            for (int j = 0; j < Ref.Cols(g); j++)
            {
                for (int a = 0; a < size; a++)
                {
                    for (int b = 0; b < size; b++)
                    {
                        dx[(i * s) + a, (j * s) + b] += g[i, j] / (size * size);
                    }
                }
            }
        }
        return dx;
    }

    /// <summary>A batched pooling, plane by plane (<paramref name="plane"/> maps an input plane to an output plane).</summary>
    public static double[,] PerPlane(double[,] x, int channels, int h, int w, int outH, int outW, Func<int, int, double[,], double[,]> plane)
    {
        var r = new double[channels * outH * outW, Ref.Cols(x)];
        for (int n = 0; n < Ref.Cols(x); n++)
        {
            for (int c = 0; c < channels; c++)
            {
                AddPlane(r, n, c, plane(n, c, Plane(x, n, c, h, w)));
            }
        }
        return r;
    }

    // ── inputs away from kinks ───────────────────────────────────────────────────────

    /// <summary>
    /// A rows×cols matrix of distinct values: a random permutation of lo, lo + gap, …, scaled into [lo, hi], so
    /// that no two entries of any pooling window are within <c>(hi − lo)/(rows·cols)</c> (no near-ties for max).
    /// </summary>
    public static double[,] DistinctValues(int rows, int cols, int seed, double lo = -1, double hi = 1)
    {
        var rng = new Random(seed);
        int n = rows * cols;
        var order = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        var m = new double[rows, cols];
        for (int k = 0; k < n; k++)
        {
            m[k / cols, k % cols] = lo + ((hi - lo) * order[k] / Math.Max(1, n - 1));
        }
        return m;
    }

    /// <summary>Guards a test's own inputs: every entry of <paramref name="a"/> is at least <paramref name="margin"/> from 0 (relu's kink).</summary>
    public static void RequireAwayFromZero(double[,] a, double margin, string what)
    {
        foreach (var v in a)
        {
            if (Math.Abs(v) < margin)
            {
                throw new ArgumentException("Test bug: " + what + " has an entry " + v + " within " + margin + " of relu's kink; change the seed");
            }
        }
    }

    /// <summary>Guards a test's own inputs: in every positive max-pool window the top two values differ by at least <paramref name="margin"/>.</summary>
    public static void RequireNoNearTies(double[,] x, int size, int s, double margin, string what)
    {
        int ho = ((Ref.Rows(x) - size) / s) + 1, wo = ((Ref.Cols(x) - size) / s) + 1;
        for (int i = 0; i < ho; i++)
        {
            for (int j = 0; j < wo; j++)
            {
                var window = new List<double>();
                for (int a = 0; a < size; a++)
                {
                    for (int b = 0; b < size; b++)
                    {
                        window.Add(x[(i * s) + a, (j * s) + b]);
                    }
                }
                window.Sort();
                double top = window[^1], second = window[^2];
                if (top > 0 && top - second < margin)
                {
                    throw new ArgumentException("Test bug: " + what + " has a near tie " + top + " / " + second + " in window (" + i + ", " + j + "); change the seed");
                }
            }
        }
    }
}

/// <content>The zero-allocation path: <c>FBackward</c> against <c>FWithGradient</c>.</content>
public static partial class GradientAssert
{
    /// <summary>
    /// <c><paramref name="method"/>Backward(params…, new <paramref name="method"/>Workspace(), zeroed buffers…)</c>
    /// must return <c><paramref name="method"/>WithGradient</c>'s value and gradients (relative 1e-10), twice on the same
    /// workspace; a third call into the second call's buffers, not zeroed, must leave twice the gradient (the buffers
    /// accumulate). <paramref name="names"/> are the differentiated parameters, in order.
    /// </summary>
    public static void Workspace(string source, string method, Inputs inputs, params string[] names)
    {
        var ctx = new Context(source, inputs, method + "Backward");
        var assembly = Compile(source, inputs.ElementType);
        var g = GeneratorHarness.Method(assembly, TypeName, method + "WithGradient");
        var backward = GeneratorHarness.Method(assembly, TypeName, method + "Backward");
        var workspaceType = assembly.GetType(TypeName + "+" + method + "Workspace")
                            ?? throw new InvalidOperationException("no nested type " + method + "Workspace");

        int n = inputs.Items.Count;
        var inputsArgs = Values.ToArgs(inputs.Items, inputs.IsFloat);
        var args = inputsArgs.Concat(new object?[names.Length]).ToArray();
        double value = (double)Values.FromRuntime(g.Invoke(null, args));
        var want = args.Skip(n).Select(Values.FromRuntime).ToArray();

        var bp = backward.GetParameters();
        var expectedSignature = g.GetParameters().Take(n).Select(Values.Describe)
            .Append(method + "Workspace workspace")
            .Concat(g.GetParameters().Skip(n).Select(p => Values.TypeName(p.ParameterType.GetElementType()!) + " " + p.Name))
            .Append("Boolean accumulate")
            .ToArray();
        var haveSignature = bp.Select(Values.Describe).ToArray();
        if (!expectedSignature.SequenceEqual(haveSignature))
        {
            Fail(ctx, "FBackward signature differs.\n  expected: (" + string.Join(", ", expectedSignature) + ")\n  got:      (" + string.Join(", ", haveSignature) + ")");
        }

        var workspace = Activator.CreateInstance(workspaceType)!;
        object?[] buffers = Array.Empty<object?>();
        for (int round = 1; round <= 3; round++)
        {
            if (round < 3)
            {
                buffers = args.Skip(n).Select(Zeroed).ToArray();
            }
            var call = inputsArgs.Append(workspace).Concat(buffers).Append(true).ToArray();
            double got = (double)Values.FromRuntime(backward.Invoke(null, call));
            buffers = call.Skip(n + 1).Take(names.Length).ToArray();
            double factor = round == 3 ? 2 : 1;
            CloseArrays(ctx, method + "Backward value (call " + round + ") vs " + method + "WithGradient", value, got, 1e-10, Math.Max(1, Math.Abs(value)));
            for (int k = 0; k < names.Length; k++)
            {
                var expected = Values.Unflatten(Values.Flatten(want[k]).Select(v => factor * v).ToArray(), want[k]);
                CloseArrays(ctx, "d" + names[k] + " of " + method + "Backward (call " + round + (round == 3 ? ", accumulated onto call 2's" : ", zeroed buffer") +
                                 ") vs " + method + "WithGradient" + (round == 3 ? " × 2" : ""),
                            expected, Values.FromRuntime(buffers[k]), 1e-10, Math.Max(1, Values.MaxAbs(expected)));
            }
        }
    }

    /// <summary>
    /// Bytes allocated on this thread by one <c><paramref name="method"/>Backward</c> call on a workspace that has already
    /// seen the shapes (two warm-up calls), called through a compiled delegate (no reflection boxing).
    /// </summary>
    public static long WorkspaceSteadyStateAllocation(string source, string method, Inputs inputs, int gradients)
    {
        var assembly = Compile(source, inputs.ElementType);
        var backward = GeneratorHarness.Method(assembly, TypeName, method + "Backward");
        var g = GeneratorHarness.Method(assembly, TypeName, method + "WithGradient");
        int n = inputs.Items.Count;
        var probe = Values.ToArgs(inputs.Items, inputs.IsFloat).Concat(new object?[gradients]).ToArray();
        g.Invoke(null, probe);
        var workspace = Activator.CreateInstance(assembly.GetType(TypeName + "+" + method + "Workspace")!)!;
        var ps = backward.GetParameters();
        var locals = new List<ParameterExpression>();
        var init = new List<Expression>();
        var callArgs = new List<Expression>();
        var inputArgs = Values.ToArgs(inputs.Items, inputs.IsFloat);
        for (int i = 0; i < ps.Length; i++)
        {
            object? value = i < n ? inputArgs[i] : i == n ? workspace : ps[i].ParameterType == typeof(bool) ? true : Zeroed(probe[i - 1]);
            var type = ps[i].ParameterType.IsByRef ? ps[i].ParameterType.GetElementType()! : ps[i].ParameterType;
            if (ps[i].ParameterType.IsByRef)
            {
                var local = Expression.Variable(type);
                locals.Add(local);
                init.Add(Expression.Assign(local, Expression.Constant(value, type)));
                callArgs.Add(local);
            }
            else
            {
                callArgs.Add(Expression.Constant(value, type));
            }
        }
        var body = Expression.Block(locals, init.Append(Expression.Call(backward, callArgs)).Append(Expression.Empty()));
        var run = Expression.Lambda<Action>(body).Compile();
        run();
        run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        run();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Ops that return a scalar and allocate nothing (not listed as suspects).</summary>
    private static readonly string[] ScalarOps = { "SquaredNorm", "Dot", "Sum", "Mean", "Trace" };

    /// <summary>
    /// The zero-allocation contract of docs/workspace.md: a warmed-up <c><paramref name="method"/>Backward</c> allocates
    /// 0 bytes. On failure, lists the statements of the generated <c>Backward</c> method that call an allocating form
    /// (<c>Ops.…</c> returning a matrix or vector, or an allocating <c>Compute</c> backward step, instead of
    /// <c>Compute.Family.…(…, ref workspace.…)</c>; or <c>new</c> outside a one-time <c>??=</c>).
    /// </summary>
    public static void NoSteadyStateAllocation(string source, string method, Inputs inputs, int gradients)
    {
        long bytes = WorkspaceSteadyStateAllocation(source, method, inputs, gradients);
        if (bytes == 0)
        {
            return;
        }
        var generated = GeneratorHarness.Run(For(source, inputs.ElementType)).Generated.Values;
        var suspects = generated
            .SelectMany(text => text.Split('\n').SkipWhile(l => !l.Contains(" " + method + "Backward(", StringComparison.Ordinal) || l.TrimStart().StartsWith("///", StringComparison.Ordinal)))
            .Select(l => l.Trim())
            .Where(l => !l.StartsWith("//", StringComparison.Ordinal) && !l.Contains("??= new", StringComparison.Ordinal) &&
                        !ScalarOps.Any(op => l.Contains("= global::AutoGradGen.Ops." + op + "(", StringComparison.Ordinal)) &&
                        (l.Contains("global::AutoGradGen.Ops.", StringComparison.Ordinal) ||
                         l.Contains("Compute.Classification.", StringComparison.Ordinal) && !l.Contains(", ref ", StringComparison.Ordinal) ||
                         l.Contains("Compute.Convolution.", StringComparison.Ordinal) && !l.Contains(", ref ", StringComparison.Ordinal) ||
                         l.Contains("Compute.Pooling.", StringComparison.Ordinal) && !l.Contains(", ref ", StringComparison.Ordinal) ||
                         l.Contains("new global::", StringComparison.Ordinal)))
            .Distinct();
        Assert.Fail("[" + inputs.ElementType + "] a warmed-up " + method + "Backward allocated " + bytes + " bytes (expected 0).\n" +
                    "Statements of the generated " + method + "Backward that call allocating forms:\n  " + string.Join("\n  ", suspects) +
                    "\n--- source ---\n" + For(source, inputs.ElementType));
    }

    private static object? Zeroed(object? like) => like switch
    {
        null => null,
        double => 0.0,
        float => 0f,
        Vector<double> v => new Vector<double>(v.Length),
        Vector<float> v => new Vector<float>(v.Length),
        Matrix<double> m => new Matrix<double>(m.Rows, m.Cols),
        Matrix<float> m => new Matrix<float>(m.Rows, m.Cols),
        _ => throw new ArgumentException("unexpected gradient " + like.GetType()),
    };
}
