// The lecture's examples of sections 1–3, differentiated at compile time by AutoGradGen.
// For each: the function and the generated closed-form gradients (read from the generated
// method's [ClosedForm] attributes), the value at fixed-seed random inputs, and the max relative
// error of every generated gradient against central finite differences of the user's method.
// Exit code 1 if any generated gradient is off by more than 1e-6.
using SeedExamples;

Console.OutputEncoding = System.Text.Encoding.UTF8;
Console.WriteLine("AutoGradGen: the lecture's examples (sections 1–3), differentiated at compile time");
Console.WriteLine();
Console.WriteLine("  Inputs: entries uniform in [−1, 1) from Random(" + Examples.Seed + "); matrices that are inverted are random + n·I.");
Console.WriteLine("  Check:  central finite differences of the user's method, h = " + FiniteDifferences.Step.ToString("0e+0", System.Globalization.CultureInfo.InvariantCulture) +
                  "; error = max|g − fd| / max(1, max|fd|).");

var rng = new Inputs(Examples.Seed);
var errors = new List<double>();
errors.AddRange(Report.Print(Examples.Bilinear(rng)));
errors.AddRange(Report.Print(Examples.LeastSquares(rng)));
errors.AddRange(Report.Print(Examples.Gaussian(rng, out var gaussian)));
Console.WriteLine();
GaussianErrata.Print(gaussian, rng);
errors.AddRange(Report.Print(Examples.SigmoidForm(rng)));

Console.WriteLine();
Console.WriteLine(new string('─', 100));
int failed = errors.Count(e => !(e <= Report.Tolerance));
Console.WriteLine(failed == 0
    ? $"All {errors.Count} generated gradients agree with finite differences (worst {errors.Max():0.0e+00} ≤ {Report.Tolerance:0e+0})."
    : $"{failed} of {errors.Count} generated gradients disagree with finite differences (worst {errors.Max():0.0e+00} > {Report.Tolerance:0e+0}).");
return failed == 0 ? 0 : 1;
