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
        text.Append(CultureInfo.InvariantCulture, $"FDifferential (F and Layer) checked on {Differentials}\n");
        text.Append(CultureInfo.InvariantCulture, $"FHessianVectorProduct checked on {HessianVectorProducts}; {NoSecondOrder} without second order (AGG0020 at a differentiated call, as predicted)\n");
        text.Append(CultureInfo.InvariantCulture, $"FHessian present on {WithHessian}, checked on {Hessians}\n");
        text.Append("time: ").AppendJoin(", ", _time.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value.TotalSeconds:F1} s"))).Append('\n');
        text.Append("largest relative errors:");
        foreach (var (check, error) in _worst)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {check}: {error:E1}");
        }
        return text.ToString();
    }
}
