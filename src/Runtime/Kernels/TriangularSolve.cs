using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGradGen.Kernels;

/// <summary>
/// In-place triangular solves against packed LU factors (n×n, row-major: L strictly below the
/// diagonal with an implicit unit diagonal, U on and above it). The right-hand side is n rows of
/// width p, row-major. Every inner step is one vectorized <see cref="TensorPrimitives"/> call on a
/// contiguous span: a dot with a row of the factor for p = 1, an FMA of two right-hand-side rows
/// otherwise. No checks: <c>Compute.LuFactorization</c> validates.
/// </summary>
internal static class TriangularSolve
{
    /// <summary>X ← L⁻¹ X: row i −= Σ_{j&lt;i} lᵢⱼ row j.</summary>
    internal static void LowerUnit<T>(ReadOnlySpan<T> lu, Span<T> x, int n, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 1; i < n; i++)
        {
            Span<T> row = x.Slice(i * width, width);
            for (int j = 0; j < i; j++)
            {
                T l = lu[(i * n) + j];
                if (l != T.Zero)
                {
                    TensorPrimitives.FusedMultiplyAdd(x.Slice(j * width, width), -l, row, row);
                }
            }
        }
    }

    /// <summary>X ← U⁻¹ X: row i = (row i − Σ_{j&gt;i} uᵢⱼ row j) / uᵢᵢ, from the bottom up.</summary>
    internal static void Upper<T>(ReadOnlySpan<T> lu, Span<T> x, int n, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = n - 1; i >= 0; i--)
        {
            Span<T> row = x.Slice(i * width, width);
            for (int j = i + 1; j < n; j++)
            {
                T u = lu[(i * n) + j];
                if (u != T.Zero)
                {
                    TensorPrimitives.FusedMultiplyAdd(x.Slice(j * width, width), -u, row, row);
                }
            }

            TensorPrimitives.Divide(row, lu[(i * n) + i], row);
        }
    }

    /// <summary>X ← U⁻ᵀ X (Uᵀ is lower): row j /= uⱼⱼ, then row i −= uⱼᵢ row j for i &gt; j.</summary>
    internal static void UpperTransposed<T>(ReadOnlySpan<T> lu, Span<T> x, int n, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < n; j++)
        {
            Span<T> pivotRow = x.Slice(j * width, width);
            TensorPrimitives.Divide(pivotRow, lu[(j * n) + j], pivotRow);
            for (int i = j + 1; i < n; i++)
            {
                T u = lu[(j * n) + i];
                if (u != T.Zero)
                {
                    Span<T> row = x.Slice(i * width, width);
                    TensorPrimitives.FusedMultiplyAdd(pivotRow, -u, row, row);
                }
            }
        }
    }

    /// <summary>X ← L⁻ᵀ X (Lᵀ is unit upper): from the bottom, row i −= lⱼᵢ row j for i &lt; j.</summary>
    internal static void LowerUnitTransposed<T>(ReadOnlySpan<T> lu, Span<T> x, int n, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = n - 1; j > 0; j--)
        {
            Span<T> pivotRow = x.Slice(j * width, width);
            for (int i = 0; i < j; i++)
            {
                T l = lu[(j * n) + i];
                if (l != T.Zero)
                {
                    Span<T> row = x.Slice(i * width, width);
                    TensorPrimitives.FusedMultiplyAdd(pivotRow, -l, row, row);
                }
            }
        }
    }

    /// <summary>x ← L⁻¹ x: xᵢ −= L[i, 0..i) · x[0..i).</summary>
    internal static void LowerUnitVector<T>(ReadOnlySpan<T> lu, Span<T> x, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 1; i < n; i++)
        {
            x[i] -= TensorPrimitives.Dot(lu.Slice(i * n, i), x.Slice(0, i));
        }
    }

    /// <summary>x ← U⁻¹ x: xᵢ = (xᵢ − U[i, i+1..n) · x[i+1..n)) / uᵢᵢ, from the bottom up.</summary>
    internal static void UpperVector<T>(ReadOnlySpan<T> lu, Span<T> x, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = n - 1; i >= 0; i--)
        {
            int tail = n - i - 1;
            T dot = TensorPrimitives.Dot(lu.Slice((i * n) + i + 1, tail), x.Slice(i + 1, tail));
            x[i] = (x[i] - dot) / lu[(i * n) + i];
        }
    }

    /// <summary>x ← U⁻ᵀ x: xⱼ /= uⱼⱼ, then x[j+1..n) −= xⱼ U[j, j+1..n).</summary>
    internal static void UpperTransposedVector<T>(ReadOnlySpan<T> lu, Span<T> x, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < n; j++)
        {
            x[j] /= lu[(j * n) + j];
            int tail = n - j - 1;
            Span<T> rest = x.Slice(j + 1, tail);
            TensorPrimitives.FusedMultiplyAdd(lu.Slice((j * n) + j + 1, tail), -x[j], rest, rest);
        }
    }

    /// <summary>x ← L⁻ᵀ x: from the bottom, x[0..j) −= xⱼ L[j, 0..j).</summary>
    internal static void LowerUnitTransposedVector<T>(ReadOnlySpan<T> lu, Span<T> x, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = n - 1; j > 0; j--)
        {
            Span<T> head = x.Slice(0, j);
            TensorPrimitives.FusedMultiplyAdd(lu.Slice(j * n, j), -x[j], head, head);
        }
    }
}
