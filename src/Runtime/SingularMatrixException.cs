using System;

namespace AutoGradGen;

/// <summary>
/// Thrown when an operation needs the inverse of a matrix that is exactly singular: its LU
/// factorization with partial pivoting met a pivot equal to zero (as LAPACK <c>getrf</c> reports).
/// The message names the operation, e.g. "Inverse: the matrix is singular (zero pivot in column 3)."
/// (columns are 0-based). <see cref="Ops.Det{T}(Matrix{T})"/> and
/// <see cref="Ops.LogDet{T}(Matrix{T})"/> do not throw: they return 0 and −∞.
/// </summary>
public sealed class SingularMatrixException : InvalidOperationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public SingularMatrixException()
        : base("The matrix is singular.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What was singular and in which operation.</param>
    public SingularMatrixException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and inner exception.</summary>
    /// <param name="message">What was singular and in which operation.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SingularMatrixException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
