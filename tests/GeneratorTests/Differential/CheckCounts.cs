using System.Globalization;
using System.Text;

namespace AutoGradGen.GeneratorTests.Differential;

/// <summary>What <see cref="ProgramChecker"/> checked over a run, and the largest error each comparison saw.</summary>
public sealed class CheckCounts
{
    private readonly SortedDictionary<string, double> _worst = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _time = new(StringComparer.Ordinal);
    private readonly System.Diagnostics.Stopwatch _clock = new();

    /// <summary>Programs compiled and checked.</summary>
    public int Programs { get; set; }

    /// <summary>Programs whose F is not finite or above 1e8 at the drawn inputs: only their static checks are made.</summary>
    public int OutOfRegion { get; set; }

    /// <summary>Programs whose F is finite through an intermediate ∞ or a √0 (<see cref="Intermediates"/>): only their static checks are made.</summary>
    public int OutOfDomain { get; set; }

    /// <summary>Programs within the margin of a kink (<see cref="Intermediates"/>): only their static checks are made.</summary>
    public int NearKink { get; set; }

    /// <summary>Programs without second order through a loop (AGG0035, as predicted).</summary>
    public int NoSecondOrderLoop { get; set; }

    /// <summary>Programs without second order through a branch and no loop (AGG0038, as predicted).</summary>
    public int NoSecondOrderBranch { get; set; }

    /// <summary>Programs whose only region is a ?: that reads no differentiated value (a constant; second order checked).</summary>
    public int ConstantConditionals { get; set; }

    /// <summary>Programs with a constant ?: (evaluated as written, with the arrays it computes: FBackward's allocation is not checked).</summary>
    public int ConstantConditionalsAsWritten { get; set; }

    /// <summary>The ops of the second grammar counted by <see cref="Exercised"/>.</summary>
    public static readonly string[] Ops =
    {
        "LayerNorm", "BatchNorm", "Gelu", "Softplus", "Abs", "LeakyRelu", "Maximum", "Minimum", "Divide", "Pow", "LogSumExp", "RowSums",
        "RowMeans", "ColumnSums", "ColumnMeans", "CausalSoftmax", "BinaryCrossEntropyWithLogits", "Conv2D", "Column", "Row", "SliceRows",
        "SliceColumns", "ConcatRows", "ConcatColumns", "Diagonal", "Embedding",
    };

    private readonly SortedDictionary<string, int> _exercised = new(StringComparer.Ordinal);

    /// <summary>How many programs compared with finite differences had <paramref name="feature"/> (a construct or an op of <see cref="Ops"/>).</summary>
    public int Exercised(string feature) => _exercised.GetValueOrDefault(feature);

    /// <summary>Counts the constructs and ops of a program whose derivatives are compared with finite differences.</summary>
    public void Exercised(RandomProgram program)
    {
        var features = program.Features.Concat(Ops.Where(op => System.Text.RegularExpressions.Regex.IsMatch(program.Body, @"\b" + op + @"\(")));
        foreach (var feature in features)
        {
            _exercised[feature] = _exercised.GetValueOrDefault(feature) + 1;
        }
        _exercised["(any second-grammar statement)"] = _exercised.GetValueOrDefault("(any second-grammar statement)") + (program.Parameters.Any(p => p.Kind == "I") ? 1 : 0);
    }

    /// <summary>Programs whose FDifferential (and the layer's) was checked.</summary>
    public int Differentials { get; set; }

    /// <summary>Programs whose FHessianVectorProduct was checked.</summary>
    public int HessianVectorProducts { get; set; }

    /// <summary>Programs without second order, with AGG0020 at a differentiated call, as <see cref="Activity"/> predicts.</summary>
    public int NoSecondOrder { get; set; }

    /// <summary>Programs whose FHessian was checked.</summary>
    public int Hessians { get; set; }

    /// <summary>Programs with FHessian (checked or out of the region).</summary>
    public int WithHessian { get; set; }

    /// <summary>Records the relative error of one comparison.</summary>
    public void Observe(string check, double error)
    {
        if (!_worst.TryGetValue(check, out var worst) || !(error <= worst))
        {
            _worst[check] = error;
        }
    }

    /// <summary>Starts timing a phase.</summary>
    public void Restart() => _clock.Restart();

    /// <summary>Adds the time since <see cref="Restart"/> or the last lap to <paramref name="phase"/>.</summary>
    public void Lap(string phase)
    {
        _time[phase] = _time.GetValueOrDefault(phase) + _clock.Elapsed;
        _clock.Restart();
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Programs} programs; out of the well-conditioned region (static checks only): {OutOfRegion} with |F| > 1e8 or not finite, {OutOfDomain} with an intermediate not finite or a √ of (nearly) 0\n");
        text.Append(CultureInfo.InvariantCulture, $"{NearKink} within {Intermediates.Margin:G} of a kink (static checks only)\n");
        text.Append(CultureInfo.InvariantCulture, $"FDifferential (F and Layer) checked on {Differentials}\n");
        text.Append(CultureInfo.InvariantCulture, $"FHessianVectorProduct checked on {HessianVectorProducts}; without second order, as predicted: {NoSecondOrder} with AGG0020 at a differentiated call, {NoSecondOrderLoop} with AGG0035 (a loop), {NoSecondOrderBranch} with AGG0038 (a branch, no loop); {ConstantConditionals} whose ?: are constants\n");
        text.Append(CultureInfo.InvariantCulture, $"{ConstantConditionalsAsWritten} with a constant ?:, evaluated as written (FBackward's allocation not checked)\n");
        text.Append(CultureInfo.InvariantCulture, $"FHessian present on {WithHessian}, checked on {Hessians}\n");
        text.Append("compared with finite differences, programs with: ").AppendJoin(", ", _exercised.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {e.Value}"))).Append('\n');
        text.Append("time: ").AppendJoin(", ", _time.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value.TotalSeconds:F1} s"))).Append('\n');
        text.Append("largest relative errors:");
        foreach (var (check, error) in _worst)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {check}: {error:E1}");
        }
        return text.ToString();
    }
}
