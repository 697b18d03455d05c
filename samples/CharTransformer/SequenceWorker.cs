using AutoGradGen;

namespace CharTransformer;

/// <summary>
/// Runs the model on one sequence at a time with the generated zero-allocation methods
/// (<c>…Forward</c> into a workspace, <c>…Backward</c> adding into gradient buffers), and owns
/// everything that needs: the workspaces, the input token ids, the one-hot targets, the seeds, and its own
/// gradient sums. Each training thread has one.
/// </summary>
public sealed class SequenceWorker
{
    private readonly ModelSize _size;
    private readonly float _scale;
    private readonly Model.EmbedWorkspace _embed = new();
    private readonly Model.BlockWorkspace[] _blocks;
    private readonly Model.OutputLossWorkspace _output = new();
    private readonly int[] _ids;
    private readonly Matrix<float> _targets;
    private readonly Matrix<float>[] _inputs, _seeds;

    /// <summary>A worker for sequences of <c>size.Context</c> tokens.</summary>
    public SequenceWorker(ModelSize size)
    {
        _size = size;
        _scale = 1 / MathF.Sqrt(size.HeadWidth);
        _blocks = Enumerable.Range(0, size.Blocks).Select(_ => new Model.BlockWorkspace()).ToArray();
        _ids = new int[size.Context];
        _targets = new Matrix<float>(size.Vocabulary, size.Context);
        _inputs = new Matrix<float>[size.Blocks + 1];
        _seeds = Enumerable.Range(0, size.Blocks + 1).Select(_ => new Matrix<float>(size.Width, size.Context)).ToArray();
        Gradients = new TransformerParameters(size, rng: null);
    }

    /// <summary>The gradient sums since the last <see cref="TransformerParameters.Clear"/>.</summary>
    public TransformerParameters Gradients { get; }

    /// <summary>
    /// Adds the gradient of the mean next-character cross-entropy on <paramref name="tokens"/>
    /// (T + 1 tokens: inputs 0..T−1, targets 1..T) into <see cref="Gradients"/>.
    /// </summary>
    /// <returns>The loss in nats per character.</returns>
    public float Accumulate(TransformerParameters p, ReadOnlySpan<int> tokens)
    {
        Load(tokens);
        var x = Forward(p);
        var g = Gradients;
        _seeds[^1].AsSpan().Clear();
        float loss = Model.OutputLossBackward(x, p.G, p.Beta, p.W, p.B, _targets, _output, _seeds[^1], g.G, g.Beta, g.W, g.B);
        for (int l = _size.Blocks - 1; l >= 0; l--)
        {
            _seeds[l].AsSpan().Clear();
            BlockBackward(p.Blocks[l], g.Blocks[l], _blocks[l], _inputs[l], _seeds[l + 1], _seeds[l]);
        }

        Model.EmbedBackward(p.E, p.P, _ids, _seeds[0], _embed, g.E, g.P);
        return loss;
    }

    /// <summary>The loss on <paramref name="tokens"/> without gradients, in nats per character.</summary>
    public float Loss(TransformerParameters p, ReadOnlySpan<int> tokens)
    {
        Load(tokens);
        return Model.OutputLoss(Forward(p), p.G, p.Beta, p.W, p.B, _targets);
    }

    /// <summary>The logits of the next character after each of the T tokens of <paramref name="context"/> (V × T).</summary>
    public Matrix<float> Logits(TransformerParameters p, ReadOnlySpan<int> context)
    {
        context[.._size.Context].CopyTo(_ids);

        return Model.Logits(Forward(p), p.G, p.Beta, p.W, p.B);
    }

    private void Load(ReadOnlySpan<int> tokens)
    {
        tokens[.._size.Context].CopyTo(_ids);
        _targets.AsSpan().Clear();
        for (int t = 0; t < _size.Context; t++)
        {
            _targets[tokens[t + 1], t] = 1;
        }
    }

    private Matrix<float> Forward(TransformerParameters p)
    {
        _inputs[0] = Model.EmbedForward(p.E, p.P, _ids, _embed);
        for (int l = 0; l < _size.Blocks; l++)
        {
            var b = p.Blocks[l];
            _inputs[l + 1] = Model.BlockForward(_inputs[l], b.G1, b.B1,
                b.Wq[0], b.Wk[0], b.Wv[0], b.Wo[0], b.Wq[1], b.Wk[1], b.Wv[1], b.Wo[1],
                b.Wq[2], b.Wk[2], b.Wv[2], b.Wo[2], b.Wq[3], b.Wk[3], b.Wv[3], b.Wo[3],
                b.Bo, b.G2, b.B2, b.W1, b.C1, b.W2, b.C2, _scale, _blocks[l]);
        }

        return _inputs[^1];
    }

    private void BlockBackward(BlockParameters b, BlockParameters d, Model.BlockWorkspace workspace, Matrix<float> x, Matrix<float> seed, Matrix<float> dX)
        => Model.BlockBackward(x, b.G1, b.B1,
            b.Wq[0], b.Wk[0], b.Wv[0], b.Wo[0], b.Wq[1], b.Wk[1], b.Wv[1], b.Wo[1],
            b.Wq[2], b.Wk[2], b.Wv[2], b.Wo[2], b.Wq[3], b.Wk[3], b.Wv[3], b.Wo[3],
            b.Bo, b.G2, b.B2, b.W1, b.C1, b.W2, b.C2, _scale, seed, workspace,
            dX, d.G1, d.B1,
            d.Wq[0], d.Wk[0], d.Wv[0], d.Wo[0], d.Wq[1], d.Wk[1], d.Wv[1], d.Wo[1],
            d.Wq[2], d.Wk[2], d.Wv[2], d.Wo[2], d.Wq[3], d.Wk[3], d.Wv[3], d.Wo[3],
            d.Bo, d.G2, d.B2, d.W1, d.C1, d.W2, d.C2);
}
