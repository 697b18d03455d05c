using System.Diagnostics;
using AutoGradGen;

namespace SecondOrder;

/// <summary>One method's run: how it stopped, what it cost, the weights it found and ‖∇f‖ at every iterate.</summary>
/// <param name="Name">The method, as the table and the plot name it.</param>
/// <param name="Converged">True when ‖∇f‖ fell to the tolerance.</param>
/// <param name="Status">Why it stopped, in words.</param>
/// <param name="Iterations">The steps taken.</param>
/// <param name="Value">f at the last iterate.</param>
/// <param name="GradientNorm">‖∇f‖ at the last iterate.</param>
/// <param name="Work">The evaluations it made (line-search trials included), in words.</param>
/// <param name="Seconds">Wall time of the minimization (progress printing excluded).</param>
/// <param name="Weights">The last iterate w.</param>
/// <param name="GradientNorms">‖∇f‖ at iterate 0, 1, …, <paramref name="Iterations"/>.</param>
public sealed record MethodRun(
    string Name, bool Converged, string Status, int Iterations, double Value, double GradientNorm, string Work,
    double Seconds, Vector<double> Weights, IReadOnlyList<double> GradientNorms);

/// <summary>
/// Runs the three minimizers of the runtime on <see cref="LogisticModel.Loss"/> from w = 0, printing progress
/// lines as they go. The clock is paused while a line is printed, so the times are the minimizations' own.
/// </summary>
/// <param name="train">The training set.</param>
/// <param name="lambda">λ of the loss.</param>
/// <param name="tolerance">Stop when ‖∇f‖ ≤ this.</param>
/// <param name="output">Where progress goes (null: nowhere, for the warm-up runs).</param>
public sealed class Runs(BreastCancerSet train, double lambda, double tolerance, TextWriter? output)
{
    private int Dimension => train.Columns;

    /// <summary>
    /// Steepest descent with Armijo backtracking (<see cref="GradientDescent"/>) on the generated
    /// <c>LossWithGradient</c>, for at most <paramref name="maxIterations"/> steps.
    /// </summary>
    /// <param name="maxIterations">The cap on steps.</param>
    /// <returns>The run, with ‖∇f‖ at every iterate.</returns>
    /// <remarks>
    /// <see cref="GradientDescent.Minimize{T}(Func{Vector{T}, ValueTuple{T, Vector{T}}}, Vector{T}, T, int)"/> reports
    /// only where it ended. For the convergence curve, the callback records ‖∇f‖ whenever it is called at the
    /// iterate: the minimizer keeps its iterate in one vector (the one it first evaluates) and puts line-search
    /// trials in another. The record is checked against the result's step count and final gradient norm.
    /// </remarks>
    public MethodRun GradientDescentArmijo(int maxIterations)
    {
        var norms = new List<double>();
        var clock = new Stopwatch();
        Vector<double>? iterate = null;
        int evaluations = 0;

        (double Value, Vector<double> Gradient) Evaluate(Vector<double> w)
        {
            evaluations++;
            double value = LogisticModel.LossWithGradient(w, train.X, train.Y, lambda, out var gradient);
            iterate ??= w;
            if (ReferenceEquals(w, iterate))
            {
                norms.Add(Norm(gradient));
                int k = norms.Count - 1;
                if (IsCheckpoint(k))
                {
                    clock.Stop();
                    Progress(k, value, norms[k], $"{evaluations,6} f, ∇f", clock);
                    clock.Start();
                }
            }

            return (value, gradient);
        }

        Header("gradient descent + Armijo (GradientDescent.Minimize on LossWithGradient)", "evaluations");
        clock.Start();
        var result = GradientDescent.Minimize(Evaluate, new Vector<double>(Dimension), tolerance, maxIterations);
        clock.Stop();
        if (norms.Count != result.Iterations + 1 || norms[^1] != result.GradientNorm)
        {
            throw new InvalidOperationException(
                $"The recorded gradient norms ({norms.Count}, last {norms[^1]:G3}) do not match the result "
                + $"({result.Iterations} steps, ‖∇f‖ = {result.GradientNorm:G3}): GradientDescent no longer evaluates its iterate in one vector.");
        }

        if (!IsCheckpoint(result.Iterations))
        {
            Progress(result.Iterations, result.Value, result.GradientNorm, $"{evaluations,6} f, ∇f", clock);
        }

        string status = result.Converged ? "converged"
            : result.Iterations >= maxIterations ? $"NOT converged: stopped at the cap of {maxIterations} iterations"
            : "NOT converged: the line search stalled";
        Footer(status);
        return new MethodRun("gradient descent + Armijo", result.Converged, status, result.Iterations, result.Value,
            result.GradientNorm, $"{evaluations} f, ∇f", clock.Elapsed.TotalSeconds, result.Minimizer, norms);
    }

    /// <summary>
    /// Newton's method (<see cref="Newton{T}"/>) on <c>LossHessian</c>: the dense Hessian, solved by Cholesky. The
    /// zero-allocation twin writes ∇f and H into the optimizer's own buffers, on a workspace, so a step allocates nothing.
    /// </summary>
    /// <param name="maxIterations">The cap on steps.</param>
    /// <returns>The run.</returns>
    public MethodRun Newton(int maxIterations)
    {
        var workspace = new LogisticModel.LossWorkspace();
        var newton = new Newton<double>(
            Dimension,
            (w, gradient, hessian) => LogisticModel.LossHessian(w, train.X, train.Y, lambda, workspace, gradient, hessian, accumulate: false),
            tolerance, maxIterations);
        Header("Newton (dense Hessian from LossHessian, Cholesky)", "evaluations");
        return Run("Newton", newton, () => $"{newton.Evaluations,3} f, ∇f, H");
    }

    /// <summary>Newton–CG (<see cref="NewtonCG{T}"/>) on <c>LossHessianVectorProduct</c>: H is never formed.</summary>
    /// <param name="maxIterations">The cap on outer steps.</param>
    /// <returns>The run.</returns>
    public MethodRun NewtonCG(int maxIterations)
    {
        // The zero-allocation twins: LossBackward for f and ∇f, LossHessianVectorProduct for H·v (no gradient wanted: null).
        var workspace = new LogisticModel.LossWorkspace();
        var newtonCG = new NewtonCG<double>(
            Dimension,
            (w, gradient) => LogisticModel.LossBackward(w, train.X, train.Y, lambda, workspace, gradient, accumulate: false),
            (w, v, product) => LogisticModel.LossHessianVectorProduct(w, train.X, train.Y, lambda, v, workspace, null, product, accumulate: false),
            tolerance, maxIterations);
        Header("Newton–CG (Hessian-vector products from LossHessianVectorProduct)", "evaluations");
        return Run("Newton–CG", newtonCG, () => $"{newtonCG.Evaluations,3} f, ∇f; {newtonCG.ProductCount,3} H·v");
    }

    /// <summary>Start, then Step until a stopping rule fires, printing each iterate.</summary>
    private MethodRun Run(string name, SecondOrderMinimizer<double> minimizer, Func<string> work)
    {
        var clock = Stopwatch.StartNew();
        minimizer.Start(new Vector<double>(Dimension));
        clock.Stop();
        PrintRow(minimizer, work(), clock);
        bool more = minimizer.Status == SecondOrderStatus.Running;
        while (more)
        {
            int before = minimizer.Iterations;
            clock.Start();
            more = minimizer.Step();
            clock.Stop();
            if (minimizer.Iterations > before)
            {
                PrintRow(minimizer, work(), clock);
            }
        }

        var norms = new List<double>();
        foreach (var row in minimizer.History)
        {
            norms.Add(row.GradientNorm);
        }

        bool converged = minimizer.Status == SecondOrderStatus.Converged;
        string status = converged ? "converged" : "NOT converged: " + minimizer.Status;
        Footer(status);
        return new MethodRun(name, converged, status, minimizer.Iterations, minimizer.Value, minimizer.GradientNorm,
            work().Trim(), clock.Elapsed.TotalSeconds, Vector<double>.FromArray(minimizer.Point.ToArray()), norms);
    }

    private void PrintRow(SecondOrderMinimizer<double> minimizer, string work, Stopwatch clock)
    {
        var row = minimizer.History[^1];
        string step = row.Iteration == 0 ? "" : $"   α = {row.StepLength:G3}, {row.Direction}"
            + (row.InnerIterations > 0 ? $" ({row.InnerIterations} CG step{(row.InnerIterations == 1 ? "" : "s")})" : "");
        Progress(row.Iteration, row.Value, row.GradientNorm, work, clock, step);
    }

    private void Header(string title, string workHeader)
    {
        output?.WriteLine($"── {title} ──");
        output?.WriteLine($"  {"iteration",9}  {"f(w)",18}  {"‖∇f‖",9}  {workHeader,-22}  {"time",8}");
    }

    private void Progress(int k, double value, double norm, string work, Stopwatch clock, string note = "") =>
        output?.WriteLine($"  {k,9}  {value,18:F15}  {norm,9:0.00e+00}  {work,-22}  {clock.Elapsed.TotalMilliseconds,6:F1}ms{note}");

    private void Footer(string status)
    {
        output?.WriteLine($"  → {status}");
        output?.WriteLine();
    }

    /// <summary>Iterations 0, 1, 2, 5, 10, 20, 50, …: log-spaced progress lines for a long run.</summary>
    private static bool IsCheckpoint(int k)
    {
        if (k == 0)
        {
            return true;
        }

        int decade = 1;
        while (decade * 10 <= k)
        {
            decade *= 10;
        }

        return k == decade || k == 2 * decade || k == 5 * decade;
    }

    /// <summary>The Euclidean norm.</summary>
    public static double Norm(Vector<double> v) => Math.Sqrt(Ops.SquaredNorm(v));
}
