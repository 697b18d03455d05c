using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;

namespace AutoGradGen;

/// <summary>
/// Checks analytic gradients against finite differences, like JAX's <c>check_grads</c>: each entry
/// of each parameter is perturbed in place by ±h, the function re-evaluated, and the difference
/// quotient compared with the analytic gradient entry. Parameters are restored afterwards (also
/// when the function throws).
/// </summary>
/// <example>
/// <code>
/// double loss = Model.LossWithGradient(W, b, X, Y, out var dW, out var db);
/// var report = GradientCheck.Run(() =&gt; Model.Loss(W, b, X, Y),
///     [GradientCheck.Parameter("W", W, dW), GradientCheck.Parameter("b", b, db)]);
/// Console.WriteLine(report);   // one row per parameter
/// report.EnsurePassed();       // throws with the table when an entry is off
/// </code>
/// </example>
public static class GradientCheck
{
    /// <summary>A matrix parameter, read by the function through a closure, and its analytic gradient.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The name shown in the report.</param>
    /// <param name="value">The parameter (perturbed in place during the check, then restored).</param>
    /// <param name="gradient">∂f/∂value, of the same shape.</param>
    /// <returns>The parameter description for <see cref="Run{T}"/>.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static GradientCheckParameter<T> Parameter<T>(string name, Matrix<T> value, Matrix<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(gradient);
        ThrowHelper.RequireSameShape(value, gradient, "GradientCheck " + name, "the parameter", "its gradient");
        int cols = value.Cols;
        return new(name, ThrowHelper.Shape(value), value.Data.Length,
            i => value.Data[i], (i, v) => value.Data[i] = v, i => gradient.Data[i],
            i => string.Create(CultureInfo.InvariantCulture, $"({i / cols}, {i % cols})"));
    }

    /// <summary>A vector parameter, read by the function through a closure, and its analytic gradient.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The name shown in the report.</param>
    /// <param name="value">The parameter (perturbed in place during the check, then restored).</param>
    /// <param name="gradient">∂f/∂value, of the same length.</param>
    /// <returns>The parameter description for <see cref="Run{T}"/>.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static GradientCheckParameter<T> Parameter<T>(string name, Vector<T> value, Vector<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(gradient);
        ThrowHelper.RequireSameLength(value, gradient, "GradientCheck " + name, "the parameter", "its gradient");
        return new(name, ThrowHelper.Shape(value), value.Length,
            i => value.Data[i], (i, v) => value.Data[i] = v, i => gradient.Data[i],
            i => string.Create(CultureInfo.InvariantCulture, $"[{i}]"));
    }

    /// <summary>
    /// A scalar parameter, reached through a getter and a setter (e.g. of a captured local:
    /// <c>() =&gt; s, v =&gt; s = v</c>), and its analytic derivative.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The name shown in the report.</param>
    /// <param name="get">Reads the parameter.</param>
    /// <param name="set">Writes the parameter (the function must see the new value).</param>
    /// <param name="gradient">∂f/∂s.</param>
    /// <returns>The parameter description for <see cref="Run{T}"/>.</returns>
    public static GradientCheckParameter<T> Parameter<T>(string name, Func<T> get, Action<T> set, T gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(set);
        return new(name, "scalar", 1, _ => get(), (_, v) => set(v), _ => gradient, _ => "");
    }

    /// <summary>
    /// Compares every entry of every parameter's analytic gradient with a finite difference of
    /// <paramref name="function"/>: central (f(x + h) − f(x − h)) / 2h by default, forward
    /// (f(x + h) − f(x)) / h on request. An entry passes when |analytic − numeric| ≤ tol · (1 + |numeric|).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="function">The scalar function, reading the parameters (by closure) on every call.</param>
    /// <param name="parameters">The parameters and their analytic gradients.</param>
    /// <param name="options">Step, tolerance and scheme; defaults depend on <typeparamref name="T"/> (see <see cref="GradientCheckOptions"/>).</param>
    /// <returns>A report with one row per parameter.</returns>
    public static GradientCheckReport Run<T>(
        Func<T> function, ReadOnlySpan<GradientCheckParameter<T>> parameters, GradientCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        foreach (var parameter in parameters)
        {
            ArgumentNullException.ThrowIfNull(parameter, nameof(parameters));
        }

        options ??= new GradientCheckOptions();
        bool isFloat = typeof(T) == typeof(float);
        double step = options.Step ?? (isFloat ? 1e-2 : 1e-6);
        double tolerance = options.Tolerance ?? (isFloat ? 2e-2 : 1e-6);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tolerance, nameof(options));
        double baseline = options.Central ? 0 : double.CreateChecked(function());
        var results = new List<GradientCheckResult>(parameters.Length);
        foreach (var parameter in parameters)
        {
            results.Add(Check(function, parameter, step, tolerance, options.Central, baseline));
        }

        return new GradientCheckReport(results, tolerance, step, options.Central);
    }

    private static GradientCheckResult Check<T>(
        Func<T> function, GradientCheckParameter<T> p, double step, double tolerance, bool central, double baseline)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double maxAbsolute = 0, maxRelative = 0, worstRatio = -1;
        int worst = -1;
        double worstAnalytic = 0, worstNumeric = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double numeric = Difference(function, p, i, step, central, baseline);
            double analytic = double.CreateChecked(p.Gradient(i));
            double error = Math.Abs(analytic - numeric);
            double scale = Math.Max(Math.Abs(analytic), Math.Abs(numeric));
            double relative = error == 0 ? 0 : error / scale;
            double ratio = double.IsNaN(error) ? double.PositiveInfinity : error / (tolerance * (1 + Math.Abs(numeric)));
            maxAbsolute = double.IsNaN(error) ? double.NaN : Math.Max(maxAbsolute, error);
            maxRelative = double.IsNaN(relative) ? double.NaN : Math.Max(maxRelative, relative);
            if (ratio > worstRatio)
            {
                (worstRatio, worst, worstAnalytic, worstNumeric) = (ratio, i, analytic, numeric);
            }
        }

        return new GradientCheckResult(
            p.Name, p.Shape, maxAbsolute, maxRelative, worst < 0 ? "" : p.Describe(worst),
            worstAnalytic, worstNumeric, worstRatio <= 1);
    }

    /// <summary>The difference quotient in entry i; the entry is restored even if the function throws.</summary>
    private static double Difference<T>(Func<T> function, GradientCheckParameter<T> p, int i, double step, bool central, double baseline)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T saved = p.Get(i);
        double x = double.CreateChecked(saved);
        double h = step * Math.Max(1, Math.Abs(x)); // relative step for large entries
        try
        {
            // Use the steps actually representable in T, so that the quotient divides by the true distance.
            T plus = T.CreateChecked(x + h);
            p.Set(i, plus);
            double fPlus = double.CreateChecked(function());
            if (!central)
            {
                return (fPlus - baseline) / (double.CreateChecked(plus) - x);
            }

            T minus = T.CreateChecked(x - h);
            p.Set(i, minus);
            double fMinus = double.CreateChecked(function());
            return (fPlus - fMinus) / (double.CreateChecked(plus) - double.CreateChecked(minus));
        }
        finally
        {
            p.Set(i, saved);
        }
    }
}

/// <summary>One parameter of a <see cref="GradientCheck"/>: how to read and write its entries, and its analytic gradient.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>Made by <see cref="GradientCheck.Parameter{T}(string, Matrix{T}, Matrix{T})"/> and its overloads.</remarks>
public sealed class GradientCheckParameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal GradientCheckParameter(
        string name, string shape, int length, Func<int, T> get, Action<int, T> set, Func<int, T> gradient, Func<int, string> describe)
    {
        Name = name;
        Shape = shape;
        Length = length;
        Get = get;
        Set = set;
        Gradient = gradient;
        Describe = describe;
    }

    /// <summary>The name shown in the report.</summary>
    public string Name { get; }

    /// <summary>"rows×cols", "n×1" or "scalar".</summary>
    public string Shape { get; }

    internal int Length { get; }

    internal Func<int, T> Get { get; }

    internal Action<int, T> Set { get; }

    internal Func<int, T> Gradient { get; }

    internal Func<int, string> Describe { get; }
}
