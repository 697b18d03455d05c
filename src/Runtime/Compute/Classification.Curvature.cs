using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// The second-derivative kernels of the classification functions (see <see cref="Classification"/>), for
/// Hessian-vector products (forward mode over the reverse sweep): each is the differential of a backward or tangent
/// kernel along the differential of the forward value it reads, its other operands held fixed. Column-wise (each
/// column one sample; a vector is one column), allocating and destination-passing; per-column sums live in the
/// per-thread scratch of the softmax kernels, so nothing is allocated in steady state.
/// </summary>
public static partial class Classification
{
    /// <summary>∂y ⊙ (g − 𝟙 yᵀg) − y (∂yᵀg) per column, y = softmax(x): the differential of SoftmaxBackward(y, g) along ∂y (g held fixed).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output softmax(x).</param>
    /// <param name="g">The adjoint g that SoftmaxBackward takes, of the same shape.</param>
    /// <param name="dy">The differential ∂y of the output (SoftmaxBackward(y, ∂x), softmax's Jacobian being symmetric), of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> SoftmaxCurvature<T>(Matrix<T> y, Matrix<T> g, Matrix<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return SoftmaxCurvature(y, g, dy, ref result);
    }

    /// <summary>∂y ⊙ (g − 𝟙 yᵀg) − y (∂yᵀg) per column, y = softmax(x): the differential of SoftmaxBackward(y, g) along ∂y (g held fixed), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output softmax(x).</param>
    /// <param name="g">The adjoint g that SoftmaxBackward takes, of the same shape.</param>
    /// <param name="dy">The differential ∂y of the output (SoftmaxBackward(y, ∂x), softmax's Jacobian being symmetric), of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> SoftmaxCurvature<T>(Matrix<T> y, Matrix<T> g, Matrix<T> dy, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ColumnwiseOfThree(y, g, dy, T.Zero, ref destination, CurvatureKernel<T>.SoftmaxCurvature,
            new Operands3("SoftmaxCurvature", nameof(y), nameof(g), nameof(dy)));

    /// <summary>∂y ⊙ (g − 𝟙 yᵀg) − y (∂yᵀg), y = softmax(x): the differential of SoftmaxBackward(y, g) along ∂y (g held fixed).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output softmax(x).</param>
    /// <param name="g">The adjoint g that SoftmaxBackward takes, of the same length.</param>
    /// <param name="dy">The differential ∂y of the output (SoftmaxBackward(y, ∂x), softmax's Jacobian being symmetric), of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> SoftmaxCurvature<T>(Vector<T> y, Vector<T> g, Vector<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return SoftmaxCurvature(y, g, dy, ref result);
    }

    /// <summary>∂y ⊙ (g − 𝟙 yᵀg) − y (∂yᵀg), y = softmax(x): the differential of SoftmaxBackward(y, g) along ∂y (g held fixed), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output softmax(x).</param>
    /// <param name="g">The adjoint g that SoftmaxBackward takes, of the same length.</param>
    /// <param name="dy">The differential ∂y of the output (SoftmaxBackward(y, ∂x), softmax's Jacobian being symmetric), of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> SoftmaxCurvature<T>(Vector<T> y, Vector<T> g, Vector<T> dy, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ColumnwiseOfThree(y, g, dy, T.Zero, ref destination, CurvatureKernel<T>.SoftmaxCurvature,
            new Operands3("SoftmaxCurvature", nameof(y), nameof(g), nameof(dy)));

    /// <summary>−(𝟙ᵀg) s ⊙ (∂h − 𝟙 sᵀ∂h) per column, s = exp(y), y = log softmax(h): the differential of LogSoftmaxBackward(y, g) along ∂h (g held fixed).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(h).</param>
    /// <param name="g">The adjoint g that LogSoftmaxBackward takes, of the same shape.</param>
    /// <param name="dh">The differential ∂h of the logits, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> LogSoftmaxBackwardCurvature<T>(Matrix<T> y, Matrix<T> g, Matrix<T> dh)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LogSoftmaxBackwardCurvature(y, g, dh, ref result);
    }

    /// <summary>−(𝟙ᵀg) s ⊙ (∂h − 𝟙 sᵀ∂h) per column, s = exp(y), y = log softmax(h): the differential of LogSoftmaxBackward(y, g) along ∂h (g held fixed), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(h).</param>
    /// <param name="g">The adjoint g that LogSoftmaxBackward takes, of the same shape.</param>
    /// <param name="dh">The differential ∂h of the logits, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> LogSoftmaxBackwardCurvature<T>(Matrix<T> y, Matrix<T> g, Matrix<T> dh, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ColumnwiseOfThree(y, g, dh, T.Zero, ref destination, CurvatureKernel<T>.LogSoftmaxBackwardCurvature,
            new Operands3("LogSoftmaxBackwardCurvature", nameof(y), nameof(g), nameof(dh)));

    /// <summary>−(𝟙ᵀg) s ⊙ (∂h − 𝟙 sᵀ∂h), s = exp(y), y = log softmax(h): the differential of LogSoftmaxBackward(y, g) along ∂h (g held fixed).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(h).</param>
    /// <param name="g">The adjoint g that LogSoftmaxBackward takes, of the same length.</param>
    /// <param name="dh">The differential ∂h of the logits, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> LogSoftmaxBackwardCurvature<T>(Vector<T> y, Vector<T> g, Vector<T> dh)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return LogSoftmaxBackwardCurvature(y, g, dh, ref result);
    }

    /// <summary>−(𝟙ᵀg) s ⊙ (∂h − 𝟙 sᵀ∂h), s = exp(y), y = log softmax(h): the differential of LogSoftmaxBackward(y, g) along ∂h (g held fixed), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(h).</param>
    /// <param name="g">The adjoint g that LogSoftmaxBackward takes, of the same length.</param>
    /// <param name="dh">The differential ∂h of the logits, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> LogSoftmaxBackwardCurvature<T>(Vector<T> y, Vector<T> g, Vector<T> dh, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ColumnwiseOfThree(y, g, dh, T.Zero, ref destination, CurvatureKernel<T>.LogSoftmaxBackwardCurvature,
            new Operands3("LogSoftmaxBackwardCurvature", nameof(y), nameof(g), nameof(dh)));

    /// <summary>−𝟙 (∂sᵀg) per column, s = exp(y), ∂s = s ⊙ (∂h − 𝟙 sᵀ∂h), y = log softmax(h): the differential of LogSoftmaxTangent(y, g) along ∂h (g held fixed).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(h).</param>
    /// <param name="g">The direction g that LogSoftmaxTangent takes, of the same shape.</param>
    /// <param name="dh">The differential ∂h of the logits, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> LogSoftmaxTangentCurvature<T>(Matrix<T> y, Matrix<T> g, Matrix<T> dh)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return LogSoftmaxTangentCurvature(y, g, dh, ref result);
    }

    /// <summary>−𝟙 (∂sᵀg) per column, s = exp(y), ∂s = s ⊙ (∂h − 𝟙 sᵀ∂h), y = log softmax(h): the differential of LogSoftmaxTangent(y, g) along ∂h (g held fixed), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(h).</param>
    /// <param name="g">The direction g that LogSoftmaxTangent takes, of the same shape.</param>
    /// <param name="dh">The differential ∂h of the logits, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> LogSoftmaxTangentCurvature<T>(Matrix<T> y, Matrix<T> g, Matrix<T> dh, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ColumnwiseOfThree(y, g, dh, T.Zero, ref destination, CurvatureKernel<T>.LogSoftmaxTangentCurvature,
            new Operands3("LogSoftmaxTangentCurvature", nameof(y), nameof(g), nameof(dh)));

    /// <summary>−𝟙 (∂sᵀg), s = exp(y), ∂s = s ⊙ (∂h − 𝟙 sᵀ∂h), y = log softmax(h): the differential of LogSoftmaxTangent(y, g) along ∂h (g held fixed).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(h).</param>
    /// <param name="g">The direction g that LogSoftmaxTangent takes, of the same length.</param>
    /// <param name="dh">The differential ∂h of the logits, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> LogSoftmaxTangentCurvature<T>(Vector<T> y, Vector<T> g, Vector<T> dh)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return LogSoftmaxTangentCurvature(y, g, dh, ref result);
    }

    /// <summary>−𝟙 (∂sᵀg), s = exp(y), ∂s = s ⊙ (∂h − 𝟙 sᵀ∂h), y = log softmax(h): the differential of LogSoftmaxTangent(y, g) along ∂h (g held fixed), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="y">The forward output log softmax(h).</param>
    /// <param name="g">The direction g that LogSoftmaxTangent takes, of the same length.</param>
    /// <param name="dh">The differential ∂h of the logits, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> LogSoftmaxTangentCurvature<T>(Vector<T> y, Vector<T> g, Vector<T> dh, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ColumnwiseOfThree(y, g, dh, T.Zero, ref destination, CurvatureKernel<T>.LogSoftmaxTangentCurvature,
            new Operands3("LogSoftmaxTangentCurvature", nameof(y), nameof(g), nameof(dh)));

    /// <summary>scale · (s ⊙ (∂H − 𝟙 sᵀ∂H)) diag(𝟙ᵀY) / N per column, s = softmax(logits), N = the number of columns: the differential of CrossEntropyBackward(logits, Y, scale) along ∂H (Y and scale held fixed).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The forward input, one sample per column.</param>
    /// <param name="y">The targets (any weights, as CrossEntropyBackward takes them), of the same shape.</param>
    /// <param name="dLogits">The differential ∂H of the logits, of the same shape.</param>
    /// <param name="scale">The incoming adjoint ∂L/∂CE that CrossEntropyBackward takes.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> CrossEntropyCurvature<T>(Matrix<T> logits, Matrix<T> y, Matrix<T> dLogits, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return CrossEntropyCurvature(logits, y, dLogits, scale, ref result);
    }

    /// <summary>scale · (s ⊙ (∂H − 𝟙 sᵀ∂H)) diag(𝟙ᵀY) / N per column, s = softmax(logits), N = the number of columns: the differential of CrossEntropyBackward(logits, Y, scale) along ∂H (Y and scale held fixed), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The forward input, one sample per column.</param>
    /// <param name="y">The targets (any weights, as CrossEntropyBackward takes them), of the same shape.</param>
    /// <param name="dLogits">The differential ∂H of the logits, of the same shape.</param>
    /// <param name="scale">The incoming adjoint ∂L/∂CE that CrossEntropyBackward takes.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> CrossEntropyCurvature<T>(Matrix<T> logits, Matrix<T> y, Matrix<T> dLogits, T scale, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ColumnwiseOfThree(logits, y, dLogits, scale, ref destination, CurvatureKernel<T>.CrossEntropyCurvature,
            new Operands3("CrossEntropyCurvature", nameof(logits), nameof(y), nameof(dLogits)));

    /// <summary>scale · (𝟙ᵀy) s ⊙ (∂h − 𝟙 sᵀ∂h), s = softmax(logits): the differential of CrossEntropyBackward(logits, y, scale) along ∂h (y and scale held fixed).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The forward input.</param>
    /// <param name="y">The targets (any weights, as CrossEntropyBackward takes them), of the same length.</param>
    /// <param name="dLogits">The differential ∂H of the logits, of the same length.</param>
    /// <param name="scale">The incoming adjoint ∂L/∂CE that CrossEntropyBackward takes.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> CrossEntropyCurvature<T>(Vector<T> logits, Vector<T> y, Vector<T> dLogits, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return CrossEntropyCurvature(logits, y, dLogits, scale, ref result);
    }

    /// <summary>scale · (𝟙ᵀy) s ⊙ (∂h − 𝟙 sᵀ∂h), s = softmax(logits): the differential of CrossEntropyBackward(logits, y, scale) along ∂h (y and scale held fixed), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="logits">The forward input.</param>
    /// <param name="y">The targets (any weights, as CrossEntropyBackward takes them), of the same length.</param>
    /// <param name="dLogits">The differential ∂H of the logits, of the same length.</param>
    /// <param name="scale">The incoming adjoint ∂L/∂CE that CrossEntropyBackward takes.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> CrossEntropyCurvature<T>(Vector<T> logits, Vector<T> y, Vector<T> dLogits, T scale, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ColumnwiseOfThree(logits, y, dLogits, scale, ref destination, CurvatureKernel<T>.CrossEntropyCurvature,
            new Operands3("CrossEntropyCurvature", nameof(logits), nameof(y), nameof(dLogits)));

    /// <summary>destination = f(first, second, third, scalar) column by column, all rows×cols row-major.</summary>
    private delegate void ColumnZip3<T>(
        ReadOnlySpan<T> first, ReadOnlySpan<T> second, ReadOnlySpan<T> third, T scalar, int rows, int cols, Span<T> destination);

    /// <summary>A three-operand operation's name and its operands' parameter names (null checks, shape and aliasing messages).</summary>
    private readonly record struct Operands3(string Operation, string First, string Second, string Third);

    /// <summary>
    /// A column-wise kernel of three same-shape operands and a scalar, into the destination: null operands, then each
    /// later operand's shape against the first (both shapes named), then aliasing, are checked before anything is written.
    /// </summary>
    private static TDense ColumnwiseOfThree<T, TDense>(
        TDense first, TDense second, TDense third, T scalar, ref TDense? destination, ColumnZip3<T> kernel, in Operands3 names)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDense : class, IDenseOperand<TDense, T>
    {
        ArgumentNullException.ThrowIfNull(first, names.First);
        ArgumentNullException.ThrowIfNull(second, names.Second);
        ArgumentNullException.ThrowIfNull(third, names.Third);
        ThrowHelper.RequireSameShape(first.Rows, first.Cols, second.Rows, second.Cols, names.Operation, names.First, names.Second);
        ThrowHelper.RequireSameShape(first.Rows, first.Cols, third.Rows, third.Cols, names.Operation, names.First, names.Third);
        ThrowHelper.RequireNotAliased(destination, first, names.Operation, names.First);
        ThrowHelper.RequireNotAliased(destination, second, names.Operation, names.Second);
        ThrowHelper.RequireNotAliased(destination, third, names.Operation, names.Third);
        var result = Ensure<T, TDense>(ref destination, first.Rows, first.Cols);
        kernel(first.Data, second.Data, third.Data, scalar, first.Rows, first.Cols, result.Data);
        return result;
    }

    /// <summary>
    /// The span kernels of the curvature terms, rows×cols row-major with one sample per column. A single column is one
    /// contiguous span (TensorPrimitives reductions over it); several are walked row by row, one span operation per row
    /// over all the columns, with the per-column sums in <see cref="ColumnScratch{T}"/> (taken after any softmax kernel
    /// that uses it has returned). No validation: the destination aliases no input.
    /// </summary>
    private static class CurvatureKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly ColumnZip3<T> SoftmaxCurvature = static (y, g, dy, _, rows, cols, d) => Softmax(y, g, dy, rows, cols, d);

        public static readonly ColumnZip3<T> LogSoftmaxBackwardCurvature =
            static (y, g, dh, _, rows, cols, d) => LogSoftmaxBackward(y, g, dh, rows, cols, d);

        public static readonly ColumnZip3<T> LogSoftmaxTangentCurvature =
            static (y, g, dh, _, rows, cols, d) => LogSoftmaxTangent(y, g, dh, rows, cols, d);

        public static readonly ColumnZip3<T> CrossEntropyCurvature =
            static (logits, y, dLogits, scale, rows, cols, d) => CrossEntropy(logits, y, dLogits, scale, rows, cols, d);

        /// <summary>∂y ⊙ (g − a) − b y per column, a = yᵀg, b = ∂yᵀg: (g + (−a)) ⊙ ∂y, then + y ⊙ (−b).</summary>
        private static void Softmax(ReadOnlySpan<T> y, ReadOnlySpan<T> g, ReadOnlySpan<T> dy, int rows, int cols, Span<T> d)
        {
            if (rows == 0 || cols == 0)
            {
                return;
            }

            if (cols == 1)
            {
                T a = TensorPrimitives.Dot<T>(y, g), b = TensorPrimitives.Dot<T>(dy, g);
                TensorPrimitives.AddMultiply<T>(g, -a, dy, d);
                TensorPrimitives.MultiplyAdd<T>(y, -b, d, d);
                return;
            }

            Span<T> scratch = ColumnScratch<T>.Get(2 * cols);
            Span<T> minusA = scratch[..cols], minusB = scratch[cols..]; // yᵀg and ∂yᵀg of each column, negated below
            scratch.Clear();
            for (int i = 0; i < rows; i++)
            {
                ReadOnlySpan<T> gi = g.Slice(i * cols, cols);
                TensorPrimitives.MultiplyAdd<T>(y.Slice(i * cols, cols), gi, minusA, minusA);
                TensorPrimitives.MultiplyAdd<T>(dy.Slice(i * cols, cols), gi, minusB, minusB);
            }

            TensorPrimitives.Negate<T>(scratch, scratch);
            for (int i = 0; i < rows; i++)
            {
                Span<T> row = d.Slice(i * cols, cols);
                TensorPrimitives.AddMultiply<T>(g.Slice(i * cols, cols), minusA, dy.Slice(i * cols, cols), row);
                TensorPrimitives.MultiplyAdd<T>(y.Slice(i * cols, cols), minusB, row, row);
            }
        }

        /// <summary>−(𝟙ᵀg) s ⊙ (∂h − sᵀ∂h) per column, s = exp(y) written into d first.</summary>
        private static void LogSoftmaxBackward(ReadOnlySpan<T> y, ReadOnlySpan<T> g, ReadOnlySpan<T> dh, int rows, int cols, Span<T> d)
        {
            if (rows == 0 || cols == 0)
            {
                return;
            }

            if (cols == 1)
            {
                Transcendental.Exp<T>(y, d);
                T minusSum = -TensorPrimitives.Sum<T>(g), minusDot = -TensorPrimitives.Dot<T>(d, dh);
                TensorPrimitives.AddMultiply<T>(dh, minusDot, d, d);
                TensorPrimitives.Multiply<T>(d, minusSum, d);
                return;
            }

            Span<T> scratch = ColumnScratch<T>.Get(2 * cols);
            Span<T> minusSums = scratch[..cols], minusDots = scratch[cols..]; // 𝟙ᵀg and sᵀ∂h of each column, negated below
            scratch.Clear();
            for (int i = 0; i < rows; i++)
            {
                Span<T> row = d.Slice(i * cols, cols);
                Transcendental.Exp<T>(y.Slice(i * cols, cols), row);
                TensorPrimitives.Add<T>(minusSums, g.Slice(i * cols, cols), minusSums);
                TensorPrimitives.MultiplyAdd<T>(row, dh.Slice(i * cols, cols), minusDots, minusDots);
            }

            TensorPrimitives.Negate<T>(scratch, scratch);
            for (int i = 0; i < rows; i++)
            {
                Span<T> row = d.Slice(i * cols, cols);
                TensorPrimitives.AddMultiply<T>(dh.Slice(i * cols, cols), minusDots, row, row);
                TensorPrimitives.Multiply<T>(row, minusSums, row);
            }
        }

        /// <summary>
        /// −𝟙 (∂sᵀg) per column, ∂s = s ⊙ (∂h − sᵀ∂h), s = exp(y): two passes (sᵀ∂h first, then ∂s in d and ∂sᵀg), so the
        /// centring is exact and no cancellation of E[g ∂h] − E[g]E[∂h] enters.
        /// </summary>
        private static void LogSoftmaxTangent(ReadOnlySpan<T> y, ReadOnlySpan<T> g, ReadOnlySpan<T> dh, int rows, int cols, Span<T> d)
        {
            if (rows == 0 || cols == 0)
            {
                return;
            }

            if (cols == 1)
            {
                Transcendental.Exp<T>(y, d);
                TensorPrimitives.AddMultiply<T>(dh, -TensorPrimitives.Dot<T>(d, dh), d, d);
                d.Fill(-TensorPrimitives.Dot<T>(d, g));
                return;
            }

            Span<T> scratch = ColumnScratch<T>.Get(2 * cols);
            Span<T> minusDots = scratch[..cols], results = scratch[cols..]; // sᵀ∂h and ∂sᵀg of each column, each negated once summed
            scratch.Clear();
            for (int i = 0; i < rows; i++)
            {
                Span<T> row = d.Slice(i * cols, cols);
                Transcendental.Exp<T>(y.Slice(i * cols, cols), row);
                TensorPrimitives.MultiplyAdd<T>(row, dh.Slice(i * cols, cols), minusDots, minusDots);
            }

            TensorPrimitives.Negate<T>(minusDots, minusDots);
            for (int i = 0; i < rows; i++)
            {
                Span<T> row = d.Slice(i * cols, cols);
                TensorPrimitives.AddMultiply<T>(dh.Slice(i * cols, cols), minusDots, row, row);
                TensorPrimitives.MultiplyAdd<T>(row, g.Slice(i * cols, cols), results, results);
            }

            TensorPrimitives.Negate<T>(results, results);
            for (int i = 0; i < rows; i++)
            {
                results.CopyTo(d.Slice(i * cols, cols));
            }
        }

        /// <summary>
        /// scale · (s ⊙ (∂H − sᵀ∂H)) (𝟙ᵀY) / N per column, s = softmax(logits) written into d first, N = cols (1 for a
        /// vector, as CrossEntropyBackward).
        /// </summary>
        private static void CrossEntropy(
            ReadOnlySpan<T> logits, ReadOnlySpan<T> y, ReadOnlySpan<T> dLogits, T scale, int rows, int cols, Span<T> d)
        {
            if (rows == 0 || cols == 0)
            {
                return;
            }

            SoftmaxCore.Softmax(logits, rows, cols, d); // uses the column scratch: taken below, after it returns
            if (cols == 1)
            {
                TensorPrimitives.AddMultiply<T>(dLogits, -TensorPrimitives.Dot<T>(d, dLogits), d, d);
                TensorPrimitives.Multiply<T>(d, scale * TensorPrimitives.Sum<T>(y), d);
                return;
            }

            Span<T> scratch = ColumnScratch<T>.Get(2 * cols);
            Span<T> minusDots = scratch[..cols], factors = scratch[cols..]; // sᵀ∂H (negated below), 𝟙ᵀY (then scale·𝟙ᵀY/N)
            scratch.Clear();
            for (int i = 0; i < rows; i++)
            {
                TensorPrimitives.MultiplyAdd<T>(d.Slice(i * cols, cols), dLogits.Slice(i * cols, cols), minusDots, minusDots);
                TensorPrimitives.Add<T>(factors, y.Slice(i * cols, cols), factors);
            }

            TensorPrimitives.Negate<T>(minusDots, minusDots);
            TensorPrimitives.Multiply<T>(factors, scale / T.CreateChecked(cols), factors);
            for (int i = 0; i < rows; i++)
            {
                Span<T> row = d.Slice(i * cols, cols);
                TensorPrimitives.AddMultiply<T>(dLogits.Slice(i * cols, cols), minusDots, row, row);
                TensorPrimitives.Multiply<T>(row, factors, row);
            }
        }
    }
}
