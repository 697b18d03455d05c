// Consumer test of the AutoGradGen NuGet package: the generator (analyzers/), the runtime and
// the attributes (lib/) must all arrive through the one PackageReference.
// f(x, A, y) = xᵀ(Ay)  ⇒  ∇x = Ay,  ∇A = x yᵀ,  ∇y = Aᵀx.
using AutoGradGen;
using static AutoGradGen.Ops;

var x = Vector<double>.FromArray([1.0, -2.0, 0.5]);
var A = Matrix<double>.FromArray(new double[,] { { 2.0, 0.0, -1.0, 3.0 }, { 1.5, -0.5, 4.0, 1.0 }, { 0.0, 2.5, -3.0, 0.25 } });
var y = Vector<double>.FromArray([0.5, -1.0, 2.0, 1.5]);

double value = Bilinear.FWithGradient(x, A, y, out Vector<double> dx, out Matrix<double> dA, out Vector<double> dy);

var failures = new List<string>();
void Check(string what, double actual, double expected)
{
    if (!(Math.Abs(actual - expected) <= 1e-12 * Math.Max(1.0, Math.Abs(expected))))
        failures.Add($"{what}: got {actual:R}, expected {expected:R}");
}

// Hand-computed closed forms.
double expectedValue = 0;
for (int i = 0; i < A.Rows; i++)
    for (int j = 0; j < A.Cols; j++)
        expectedValue += x[i] * A[i, j] * y[j];
Check("f", value, expectedValue);

for (int i = 0; i < A.Rows; i++)
    for (int j = 0; j < A.Cols; j++)
        Check($"dA[{i},{j}] (x yᵀ)", dA[i, j], x[i] * y[j]);

for (int i = 0; i < A.Rows; i++)
{
    double ay = 0;
    for (int j = 0; j < A.Cols; j++) ay += A[i, j] * y[j];
    Check($"dx[{i}] (Ay)", dx[i], ay);
}

for (int j = 0; j < A.Cols; j++)
{
    double atx = 0;
    for (int i = 0; i < A.Rows; i++) atx += A[i, j] * x[i];
    Check($"dy[{j}] (Aᵀx)", dy[j], atx);
}

if (dA.Rows != A.Rows || dA.Cols != A.Cols || dx.Length != x.Length || dy.Length != y.Length)
    failures.Add("gradient shapes differ from parameter shapes");

if (failures.Count > 0)
{
    foreach (var f in failures) Console.Error.WriteLine("MISMATCH " + f);
    Console.WriteLine($"FAIL: {failures.Count} gradient entries differ from the closed form");
    return 1;
}
Console.WriteLine($"f = {value:R}; ∇A = x yᵀ, ∇x = Ay, ∇y = Aᵀx match the closed forms");
Console.WriteLine("OK");
return 0;

public static partial class Bilinear
{
    [Differentiable]
    public static double F(Vector<double> x, Matrix<double> A, Vector<double> y) => Dot(x, A * y);
}
