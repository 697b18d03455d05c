using System.Reflection;
using AutoGradGen;

namespace SecondOrder;

/// <summary>What the sample prints besides progress: closed forms, the second-order check, the results table.</summary>
internal static class Report
{
    /// <summary>
    /// The [ClosedForm] lines of the public method <paramref name="name"/> of <see cref="LogisticModel"/>, read by
    /// reflection (of the first overload that carries any).
    /// </summary>
    /// <param name="name">A generated method, such as <c>LossWithGradient</c>.</param>
    /// <returns>Its closed-form lines; empty when it has none.</returns>
    /// <exception cref="InvalidOperationException">No such method exists.</exception>
    public static IReadOnlyList<string> ClosedForm(string name)
    {
        var overloads = typeof(LogisticModel).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == name).ToList();
        if (overloads.Count == 0)
        {
            throw new InvalidOperationException($"LogisticModel.{name} does not exist.");
        }

        return overloads.Select(m => m.GetCustomAttributes<ClosedFormAttribute>().Select(a => a.Formula).ToList())
            .FirstOrDefault(lines => lines.Count > 0) ?? [];
    }

    /// <summary>Prints the closed forms of the gradient (LossWithGradient) and of the Hessian (LossHessian).</summary>
    public static void ClosedForms()
    {
        Console.WriteLine("── The model and its derivatives, as the generator printed them ([ClosedForm] attributes, read by reflection) ──");
        Console.WriteLine("  you write:  BinaryCrossEntropyWithLogits(X * w, y) / X.Rows + lambda / 2 * SquaredNorm(w)");
        Print("LossWithGradient", ClosedForm("LossWithGradient"));
        Print("LossHessian", ClosedForm("LossHessian"));
        Console.WriteLine();

        static void Print(string method, IReadOnlyList<string> lines)
        {
            Console.WriteLine($"  {method}:");
            foreach (var line in lines.Count > 0 ? lines : ["(no [ClosedForm] attribute)"])
            {
                Console.WriteLine("      " + line);
            }
        }
    }

    /// <summary>
    /// Checks the second-order methods against the generated gradient at a fixed-seed random w: every column of
    /// LossHessian's H against central differences of LossWithGradient, and LossHessianVectorProduct's H v against H v.
    /// </summary>
    /// <returns>True when both agree to 1e-6 (relative to the largest entry).</returns>
    public static bool CheckSecondOrder(BreastCancerSet train, double lambda)
    {
        const double step = 1e-5, tolerance = 1e-6;
        int n = train.Columns;
        var random = new Random(7);
        var w = Vector<double>.FromArray(Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray());
        var v = Vector<double>.FromArray(Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray());
        LogisticModel.LossHessian(w, train.X, train.Y, lambda, out _, out var h);
        double scale = h.AsSpan().ToArray().Max(Math.Abs), columnError = 0;
        for (int j = 0; j < n; j++)
        {
            var plus = w.Clone();
            var minus = w.Clone();
            plus[j] += step;
            minus[j] -= step;
            LogisticModel.LossWithGradient(plus, train.X, train.Y, lambda, out var gPlus);
            LogisticModel.LossWithGradient(minus, train.X, train.Y, lambda, out var gMinus);
            for (int i = 0; i < n; i++)
            {
                columnError = Math.Max(columnError, Math.Abs(((gPlus[i] - gMinus[i]) / (2 * step)) - h[i, j]) / scale);
            }
        }

        LogisticModel.LossHessianVectorProduct(w, train.X, train.Y, lambda, v, out _, out var hv);
        var dense = h * v;
        double productError = Enumerable.Range(0, n).Max(i => Math.Abs(hv[i] - dense[i])) / scale;
        bool passed = columnError <= tolerance && productError <= tolerance;
        Console.WriteLine("── Check at a random w: the second-order methods against the generated gradient ──");
        Console.WriteLine($"  LossHessian, {n} columns vs central differences of LossWithGradient:  max error {columnError:0.0e+00} × max|H|  {Mark(columnError <= tolerance)}");
        Console.WriteLine($"  LossHessianVectorProduct's H·v vs LossHessian's H times v:          max error {productError:0.0e+00} × max|H|  {Mark(productError <= tolerance)}");
        Console.WriteLine();
        return passed;

        static string Mark(bool ok) => ok ? "✓" : "✗ (above 1e-6)";
    }

    /// <summary>Prints one row per method: iterations, evaluations, ‖∇f‖, wall time and accuracy.</summary>
    public static void Table(IReadOnlyList<MethodRun> runs, BreastCancerSet train, BreastCancerSet test, double tolerance, int timedRuns)
    {
        Console.WriteLine($"── Results: from w = 0 to ‖∇f‖ ≤ {tolerance:0e+00} ──");
        int nameWidth = runs.Max(r => r.Name.Length) + 2, workWidth = runs.Max(r => r.Work.Length) + 2;
        Console.WriteLine($"  {"method".PadRight(nameWidth)}{"iterations",10}  {"reached?",8}  {"final ‖∇f‖",10}  {"evaluations".PadRight(workWidth)}{"wall time",9}  {"train acc",9}  {"held-out acc",12}");
        foreach (var r in runs)
        {
            Console.WriteLine($"  {r.Name.PadRight(nameWidth)}{r.Iterations,10}  {(r.Converged ? "yes" : "NO"),8}  {r.GradientNorm,10:0.00e+00}  "
                + $"{r.Work.PadRight(workWidth)}{Milliseconds(r.Seconds),9}  {train.Accuracy(r.Weights),9:P2}  {test.Accuracy(r.Weights),12:P2}");
        }

        Console.WriteLine($"  (wall time: the median of {timedRuns} runs of each method, JIT compilation excluded; evaluations count line-search trials)");
        var newton = runs.First(r => r.Name == "Newton");
        foreach (var r in runs.Where(r => r != newton))
        {
            Console.WriteLine($"  max |w − w_Newton| over the {newton.Weights.Length} weights, {r.Name}: {MaxDifference(r.Weights, newton.Weights):0.0e+00}");
        }
        Console.WriteLine();
    }

    /// <summary>Wall time in milliseconds, as the table prints it.</summary>
    public static string Milliseconds(double seconds) => $"{seconds * 1000:F1} ms";

    /// <summary>The largest entry-wise difference of two vectors of the same length.</summary>
    public static double MaxDifference(Vector<double> a, Vector<double> b) =>
        Enumerable.Range(0, a.Length).Max(i => Math.Abs(a[i] - b[i]));

    /// <summary>
    /// The extreme eigenvalues of a symmetric matrix, by cyclic Jacobi rotations (fine for the 31×31 Hessian):
    /// their ratio is the condition number that sets how slowly gradient descent converges.
    /// </summary>
    public static (double Smallest, double Largest) ExtremeEigenvalues(Matrix<double> symmetric)
    {
        int n = symmetric.Rows;
        var a = symmetric.ToArray();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    off += a[p, q] * a[p, q];
                }
            }

            if (off < 1e-30)
            {
                break;
            }

            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    Rotate(a, p, q);
                }
            }
        }

        var diagonal = Enumerable.Range(0, n).Select(i => a[i, i]).ToArray();
        return (diagonal.Min(), diagonal.Max());
    }

    /// <summary>One Jacobi rotation in the (p, q) plane that zeroes a[p, q] (a stays symmetric).</summary>
    private static void Rotate(double[,] a, int p, int q)
    {
        if (a[p, q] == 0)
        {
            return;
        }

        int n = a.GetLength(0);
        double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
        double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
        double c = 1 / Math.Sqrt((t * t) + 1), s = t * c;
        for (int k = 0; k < n; k++)
        {
            (double akp, double akq) = (a[k, p], a[k, q]);
            a[k, p] = (c * akp) - (s * akq);
            a[k, q] = (s * akp) + (c * akq);
        }

        for (int k = 0; k < n; k++)
        {
            (double apk, double aqk) = (a[p, k], a[q, k]);
            a[p, k] = (c * apk) - (s * aqk);
            a[q, k] = (s * apk) + (c * aqk);
        }
    }
}
