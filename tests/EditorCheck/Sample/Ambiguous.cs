using System.Numerics;
using AutoGradGen;
using static AutoGradGen.Ops;

namespace EditorCheck;

public static partial class Numerics
{
    [Differentiable]
    public static double Norm(Vector<double> x) => SquaredNorm(x);
}
