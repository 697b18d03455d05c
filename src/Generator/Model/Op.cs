namespace AutoGradGen.Generator.Model
{
    /// <summary>The kind of a value: what the generated code stores it in.</summary>
    internal enum ValueKind
    {
        /// <summary>An element-type scalar (<c>double</c> or <c>float</c>).</summary>
        Scalar,
        /// <summary>A column vector, <c>Vector&lt;T&gt;</c>.</summary>
        Vector,
        /// <summary>A matrix, <c>Matrix&lt;T&gt;</c>.</summary>
        Matrix,
        /// <summary>An <c>int</c>: a dimension or integer parameter, always a constant.</summary>
        Int,
    }

    /// <summary>
    /// Operations of the IR and of the symbolic expressions built from it. Forward ops come first;
    /// the ops after <see cref="SumColumns"/> only appear in pullbacks (adjoint expressions).
    /// </summary>
    internal enum Op
    {
        // ── leaves ──
        Parameter,
        Literal,
        // ── integers (constants) ──
        Rows,
        Cols,
        Length,
        ToReal,
        // ── linear ──
        Add,
        Subtract,
        Negate,
        Multiply,
        Divide,
        AddColumns,
        SubtractColumns,
        Transpose,
        // ── matrix functions ──
        Inverse,
        Solve,
        Outer,
        Trace,
        Det,
        LogDet,
        Dot,
        Sum,
        Mean,
        SquaredNorm,
        // ── element-wise ──
        Hadamard,
        Exp,
        Log,
        Sigmoid,
        Tanh,
        Relu,
        Square,
        Sqrt,
        // ── classification (columns are samples) ──
        Softmax,
        LogSoftmax,
        CrossEntropy,
        /// <summary>−yᵀ log softmax(h) as the user spelled it: any y, not only distributions.</summary>
        SoftmaxLoss,
        // ── convolution and pooling (single image, or channel-stacked batches) ──
        Conv2D,
        MaxPool2D,
        AvgPool2D,
        // ── calls to other [Differentiable] methods ──
        Call,
        // ── pullback-only ──
        SumColumns,
        ElementwiseDivide,
        InverseTransposed,
        SolveTransposed,
        Filled,
        Identity,
        Count,
        SigmoidBackward,
        TanhBackward,
        ReluBackward,
        ExpBackward,
        LogBackward,
        SqrtBackward,
        SquareBackward,
        CallGradient,
        SoftmaxBackward,
        LogSoftmaxBackward,
        CrossEntropyBackward,
        Conv2DBackwardInput,
        Conv2DBackwardKernel,
        MaxPool2DBackward,
        AvgPool2DBackward,
    }
}
