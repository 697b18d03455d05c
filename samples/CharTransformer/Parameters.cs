using AutoGradGen;

namespace CharTransformer;

/// <summary>The sizes of the model.</summary>
/// <param name="Vocabulary">The number of distinct characters V.</param>
/// <param name="Width">The model width d.</param>
/// <param name="Heads">The number of attention heads (the model is written with four).</param>
/// <param name="Context">The context length T (tokens per sequence).</param>
/// <param name="Blocks">The number of transformer blocks.</param>
public sealed record ModelSize(int Vocabulary, int Width, int Heads, int Context, int Blocks)
{
    /// <summary>The width of one head, d / heads.</summary>
    public int HeadWidth => Width / Heads;
}

/// <summary>One block's parameters (or their gradients: the same shapes).</summary>
public sealed class BlockParameters
{
    /// <summary>LayerNorm before attention: γ, β.</summary>
    public Vector<float> G1, B1;
    /// <summary>Per head h: Wq, Wk, Wv (d/h × d) and Wo (d × d/h).</summary>
    public Matrix<float>[] Wq, Wk, Wv, Wo;
    /// <summary>The attention output's bias.</summary>
    public Vector<float> Bo;
    /// <summary>LayerNorm before the MLP: γ, β.</summary>
    public Vector<float> G2, B2;
    /// <summary>The MLP: W₁ (4d × d), c₁, W₂ (d × 4d), c₂.</summary>
    public Matrix<float> W1, W2;
    /// <summary>The MLP's biases.</summary>
    public Vector<float> C1, C2;

    /// <summary>Zero parameters of the given size (a gradient buffer), or, with <paramref name="rng"/>, an initialization.</summary>
    public BlockParameters(ModelSize size, Random? rng)
    {
        int d = size.Width, k = size.HeadWidth, f = 4 * d;
        // GPT-2's initialization: N(0, 0.02²), the projections into the residual stream scaled by 1/√(2 · blocks).
        float std = 0.02f, residual = std / MathF.Sqrt(2 * size.Blocks);
        G1 = Ones(d, rng); B1 = new Vector<float>(d);
        Wq = Heads(size, k, d, std, rng); Wk = Heads(size, k, d, std, rng); Wv = Heads(size, k, d, std, rng);
        Wo = Heads(size, d, k, residual, rng);
        Bo = new Vector<float>(d);
        G2 = Ones(d, rng); B2 = new Vector<float>(d);
        W1 = Weights.Normal(f, d, std, rng); C1 = new Vector<float>(f);
        W2 = Weights.Normal(d, f, residual, rng); C2 = new Vector<float>(d);
    }

    /// <summary>The matrices, in a fixed order (for the optimizer).</summary>
    public IEnumerable<Matrix<float>> Matrices => [.. Wq, .. Wk, .. Wv, .. Wo, W1, W2];

    /// <summary>The vectors, in a fixed order (for the optimizer).</summary>
    public IEnumerable<Vector<float>> Vectors => [G1, B1, Bo, G2, B2, C1, C2];

    private static Matrix<float>[] Heads(ModelSize size, int rows, int cols, float std, Random? rng)
        => Enumerable.Range(0, size.Heads).Select(_ => Weights.Normal(rows, cols, std, rng)).ToArray();

    private static Vector<float> Ones(int n, Random? rng)
    {
        var v = new Vector<float>(n);
        if (rng is not null)
        {
            v.AsSpan().Fill(1);
        }

        return v;
    }
}

/// <summary>All parameters: embeddings, blocks, and the output layer.</summary>
public sealed class TransformerParameters
{
    /// <summary>Token embeddings (d × V) and position embeddings (d × T).</summary>
    public Matrix<float> E, P;
    /// <summary>The blocks.</summary>
    public BlockParameters[] Blocks;
    /// <summary>The final LayerNorm: γ, β, and the output layer's bias.</summary>
    public Vector<float> G, Beta, B;
    /// <summary>The output layer (V × d).</summary>
    public Matrix<float> W;

    /// <summary>Zero parameters (a gradient buffer), or, with <paramref name="rng"/>, an initialization.</summary>
    public TransformerParameters(ModelSize size, Random? rng)
    {
        E = Weights.Normal(size.Width, size.Vocabulary, 0.02f, rng);
        P = Weights.Normal(size.Width, size.Context, 0.02f, rng);
        Blocks = Enumerable.Range(0, size.Blocks).Select(_ => new BlockParameters(size, rng)).ToArray();
        G = new Vector<float>(size.Width);
        if (rng is not null)
        {
            G.AsSpan().Fill(1);
        }

        Beta = new Vector<float>(size.Width);
        W = Weights.Normal(size.Vocabulary, size.Width, 0.02f, rng);
        B = new Vector<float>(size.Vocabulary);
    }

    /// <summary>The matrices, in a fixed order (for the optimizer).</summary>
    public Matrix<float>[] Matrices => [E, P, .. Blocks.SelectMany(b => b.Matrices), W];

    /// <summary>The vectors, in a fixed order (for the optimizer).</summary>
    public Vector<float>[] Vectors => [.. Blocks.SelectMany(b => b.Vectors), G, Beta, B];

    /// <summary>The number of scalars.</summary>
    public int Count => Matrices.Sum(m => m.Rows * m.Cols) + Vectors.Sum(v => v.Length);

    /// <summary>Sets every entry to 0 (for gradient buffers).</summary>
    public void Clear()
    {
        foreach (var m in Matrices)
        {
            m.AsSpan().Clear();
        }

        foreach (var v in Vectors)
        {
            v.AsSpan().Clear();
        }
    }

    /// <summary>Adds <paramref name="other"/> (same sizes) into this one.</summary>
    public void Add(TransformerParameters other)
    {
        var (a, b) = (Matrices, other.Matrices);
        for (int i = 0; i < a.Length; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(a[i].AsSpan(), b[i].AsSpan(), a[i].AsSpan());
        }

        var (u, w) = (Vectors, other.Vectors);
        for (int i = 0; i < u.Length; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(u[i].AsSpan(), w[i].AsSpan(), u[i].AsSpan());
        }
    }
}

/// <summary>Fixed-seed initialization.</summary>
public static class Weights
{
    /// <summary>A rows × cols matrix of N(0, σ²) entries (Box–Muller), or zeros without <paramref name="rng"/>.</summary>
    public static Matrix<float> Normal(int rows, int cols, float sigma, Random? rng)
    {
        var m = new Matrix<float>(rows, cols);
        if (rng is null)
        {
            return m;
        }

        Span<float> data = m.AsSpan();
        for (int i = 0; i < data.Length; i++)
        {
            double u = 1 - rng.NextDouble(), v = rng.NextDouble();
            data[i] = sigma * (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }

        return m;
    }
}
