using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Rules
{
    /// <summary>
    /// The rule table: one small pullback per op kind, in the style of JAX's defjvp/deflinear and
    /// ChainRules' rrule. Each rule reads the gradient off the differential, ∂f = Tr(Ḡᵀ ∂Y), and
    /// reuses forward values (Y) instead of recomputing them.
    /// </summary>
    internal static class RuleTable
    {
        /// <summary>The pullback of <c>context.Node</c>, or null for ops that carry no gradient (int dimensions, literals, parameters).</summary>
        public static Pullback? Pullback(RuleContext c) => c.Node.Op switch
        {
            Op.Add => LinearRules.Add(c),
            Op.Subtract => LinearRules.Subtract(c),
            Op.Negate => LinearRules.Negate(c),
            Op.AddColumns => LinearRules.AddColumns(c),
            Op.SubtractColumns => LinearRules.SubtractColumns(c),
            Op.Multiply => LinearRules.Multiply(c),
            Op.Divide => LinearRules.Divide(c),
            Op.Transpose => LinearRules.Transpose(c),
            Op.Inverse => MatrixRules.Inverse(c),
            Op.Solve => MatrixRules.Solve(c),
            Op.Outer => MatrixRules.Outer(c),
            Op.Trace => MatrixRules.Trace(c),
            Op.Det => MatrixRules.Det(c),
            Op.LogDet => MatrixRules.LogDet(c),
            Op.Dot => ReductionRules.Dot(c),
            Op.Sum => ReductionRules.Sum(c),
            Op.Mean => ReductionRules.Mean(c),
            Op.SquaredNorm => ReductionRules.SquaredNorm(c),
            Op.Hadamard => ElementwiseRules.Hadamard(c),
            Op.Exp => ElementwiseRules.Exp(c),
            Op.Log => ElementwiseRules.Log(c),
            Op.Sigmoid => ElementwiseRules.Sigmoid(c),
            Op.Tanh => ElementwiseRules.Tanh(c),
            Op.Relu => ElementwiseRules.Relu(c),
            Op.Square => ElementwiseRules.Square(c),
            Op.Sqrt => ElementwiseRules.Sqrt(c),
            Op.Softmax => ClassificationRules.Softmax(c),
            Op.LogSoftmax => ClassificationRules.LogSoftmax(c),
            Op.CrossEntropy => ClassificationRules.CrossEntropy(c),
            Op.SoftmaxLoss => ClassificationRules.SoftmaxLoss(c),
            Op.Conv2D => ConvolutionRules.Conv2D(c),
            Op.MaxPool2D => ConvolutionRules.MaxPool2D(c),
            Op.AvgPool2D => ConvolutionRules.AvgPool2D(c),
            Op.Call => CallRules.Call(c),
            _ => null,
        };
    }
}
