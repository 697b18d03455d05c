using AutoGradGen;
using static AutoGradGen.Ops;

namespace EditorCheck;

public static class Outer
{
    [Differentiable]
    public static double F(Vector<double> x, in Matrix<double> A) => Dot(x, A * x);
}
