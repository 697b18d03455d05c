// The examples of sections 1–3 of the lecture "Backpropagation – A Perspective of Matrix Calculus" (Yu Chen, TU Munich, 2023),
// differentiated at compile time by AutoGradGen.
// For each: the function and the generated closed-form gradients (read from the generated
// method's [ClosedForm] attributes), the value at fixed-seed random inputs, and the max relative
// error of every generated gradient against central finite differences of the user's method,
// computed by the runtime's AutoGradGen.GradientCheck.
// Exit code 1 if any generated gradient fails the check (an entry off by more than 1e-6·(1 + |fd|)).
using SeedExamples;

Console.OutputEncoding = System.Text.Encoding.UTF8;
Console.WriteLine("AutoGradGen: the examples of \"Backpropagation – A Perspective of Matrix Calculus\"");
Console.WriteLine("(Yu Chen, TU Munich, 2023), sections 1–3, differentiated at compile time");
Console.WriteLine();
Console.WriteLine("  Inputs: entries uniform in [−1, 1) from Random(" + Examples.Seed + "); matrices that are inverted are random + n·I.");
Console.WriteLine(FormattableString.Invariant(
    $"  Check:  AutoGradGen.GradientCheck, central finite differences of the user's method, h = {Report.Check.Step:0e+0};"));
Console.WriteLine(FormattableString.Invariant(
    $"          error = max over entries of |g − fd| / max(|g|, |fd|); ✓ when every |g − fd| ≤ {Report.Check.Tolerance:0e+0}·(1 + |fd|)."));

var rng = new Inputs(Examples.Seed);
var checks = new List<AutoGradGen.GradientCheckResult>();
checks.AddRange(Report.Print(Examples.Bilinear(rng)));
checks.AddRange(Report.Print(Examples.LeastSquares(rng)));
checks.AddRange(Report.Print(Examples.Gaussian(rng, out var gaussian)));
Console.WriteLine();
GaussianErrata.Print(gaussian, rng);
checks.AddRange(Report.Print(Examples.SigmoidForm(rng)));

Console.WriteLine();
Console.WriteLine(new string('─', 100));
int failed = checks.Count(c => !c.Passed);
double worst = checks.Max(c => c.MaxRelativeError);
Console.WriteLine(failed == 0
    ? FormattableString.Invariant($"All {checks.Count} generated gradients agree with finite differences (worst relative error {worst:0.0e+00}).")
    : FormattableString.Invariant($"{failed} of {checks.Count} generated gradients disagree with finite differences (worst relative error {worst:0.0e+00}): {string.Join(", ", checks.Where(c => !c.Passed).Select(c => "∇" + c.Name))}."));
return failed == 0 ? 0 : 1;
