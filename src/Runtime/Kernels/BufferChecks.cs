using System;
using System.Numerics;

namespace AutoGradGen.Kernels
{
    public static partial class Into
    {
        /// <summary>
        /// For generated <c>FBackward</c> methods: checks, before anything is written, that a caller-owned
        /// gradient buffer has its parameter's shape. A null buffer means that gradient is not wanted.
        /// </summary>
        /// <param name="buffer">The gradient buffer (for example <c>dW</c>).</param>
        /// <param name="parameter">The parameter it is the gradient of.</param>
        /// <param name="bufferName">The buffer's parameter name, for the message.</param>
        /// <param name="parameterName">The parameter's name, for the message.</param>
        /// <exception cref="ArgumentNullException">The parameter is null.</exception>
        /// <exception cref="ArgumentException">The shapes differ; the message names both.</exception>
        public static void RequireSameShape<T>(Matrix<T>? buffer, Matrix<T> parameter, string bufferName, string parameterName)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            ArgumentNullException.ThrowIfNull(parameter, parameterName);
            if (buffer is not null && (buffer.Rows != parameter.Rows || buffer.Cols != parameter.Cols))
            {
                ThrowHelper.ThrowShapeMismatch("Gradient buffer", bufferName, ThrowHelper.Shape(buffer), parameterName,
                    ThrowHelper.Shape(parameter), "they must have the same shape", bufferName);
            }
        }

        /// <inheritdoc cref="RequireSameShape{T}(Matrix{T}, Matrix{T}, string, string)"/>
        public static void RequireSameShape<T>(Vector<T>? buffer, Vector<T> parameter, string bufferName, string parameterName)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            ArgumentNullException.ThrowIfNull(parameter, parameterName);
            if (buffer is not null && buffer.Length != parameter.Length)
            {
                ThrowHelper.ThrowShapeMismatch("Gradient buffer", bufferName, ThrowHelper.Shape(buffer), parameterName,
                    ThrowHelper.Shape(parameter), "they must have the same shape", bufferName);
            }
        }
    }
}
