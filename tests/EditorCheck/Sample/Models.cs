using AutoGradGen;
using static AutoGradGen.Ops;

namespace EditorCheck;

public partial class Models
{
    [Differentiable]
    public double NotStatic(Vector<double> x) => Sum(x);

    [Differentiable]
    public static double Element(Matrix<double> A) => A[0, 1] * Sum(A);

    [Differentiable]
    public static double Loop(Vector<double> x)
    {
        var s = Sum(x);
        for (int i = 0; i < 3; i++) { s += Sum(x); }
        return s;
    }

    [Differentiable]
    public static double Constant([NoGradient] Vector<double> x) => Sum(x);

    [Differentiable]
    public static double Good(Vector<double> x) => Dot(x, x);
}
