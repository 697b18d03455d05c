using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace AutoGradGen.Kernels;

/// <summary>
/// In-place triangular solves against packed LU factors (n×n, row-major: L strictly below the
/// diagonal with an implicit unit diagonal, U on and above it). The right-hand side is n rows of
/// width p, row-major. Every inner step is one vectorized <see cref="TensorPrimitives"/> call on a
/// contiguous span: a dot with a row of the factor for p = 1, an FMA of two right-hand-side rows
/// otherwise. No checks: <c>Compute.LuFactorization</c> validates.
/// </summary>
internal static unsafe class TriangularSolve
{
    /// <summary>Right-hand sides up to this many elements (4 MB of float) are staged on aligned rows; larger ones run in place.</summary>
    private const int MaxStagedElements = 1 << 20;

    /// <summary>
    /// Runs the two substitutions of <paramref name="pair"/> on X (n rows of width p, row-major, p ≥ 2) with every row
    /// starting on a 64-byte line. Each step is an FMA of whole rows, and a row that straddles lines costs every
    /// 512-bit load and store two line accesses: a 128×128 inverse in float took 165 µs with rows off the line against
    /// 106 µs on it, depending only on where the allocator put the array. So unless X's rows are already on lines,
    /// they are copied to a per-thread aligned buffer whose row stride is padded to whole lines, solved there and
    /// copied back: 2·n·p copies against n²·p multiply-adds, and the same operations in the same order (the same bits).
    /// </summary>
    internal static void Rows<T>(ReadOnlySpan<T> factor, Span<T> x, int n, int width, TriangularPair pair)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int stride = GemmScratch<T>.RoundToLines(width);
        long staged = (long)n * stride;
        bool onLines = stride == width && GemmScratch<T>.OffsetInLine(ref MemoryMarshal.GetReference(x)) == 0;
        if (onLines || n < 8 || staged > MaxStagedElements)
        {
            Run(factor, x, n, width, width, pair);
            return;
        }

        var rows = new Span<T>(GemmScratch<T>.GetStaging((int)staged), (int)staged);
        for (int i = 0; i < n; i++)
        {
            x.Slice(i * width, width).CopyTo(rows.Slice(i * stride, width));
        }
        Run(factor, rows, n, width, stride, pair);
        for (int i = 0; i < n; i++)
        {
            rows.Slice(i * stride, width).CopyTo(x.Slice(i * width, width));
        }
    }

    private static void Run<T>(ReadOnlySpan<T> factor, Span<T> x, int n, int width, int stride, TriangularPair pair)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (pair)
        {
            case TriangularPair.LowerUnitThenUpper:
                LowerUnit(factor, x, n, width, stride);
                Upper(factor, x, n, width, stride);
                break;
            case TriangularPair.UpperTransposedThenLowerUnitTransposed:
                UpperTransposed(factor, x, n, width, stride);
                LowerUnitTransposed(factor, x, n, width, stride);
                break;
            default: // Cholesky, A = UᵀU: U⁻ᵀ then U⁻¹
                UpperTransposed(factor, x, n, width, stride);
                Upper(factor, x, n, width, stride);
                break;
        }
    }

    /// <summary>X ← L⁻¹ X: row i −= Σ_{j&lt;i} lᵢⱼ row j.</summary>
    internal static void LowerUnit<T>(ReadOnlySpan<T> lu, Span<T> x, int n, int width, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 1; i < n; i++)
        {
            Span<T> row = x.Slice(i * stride, width);
            for (int j = 0; j < i; j++)
            {
                T l = lu[(i * n) + j];
                if (l != T.Zero)
                {
                    TensorPrimitives.FusedMultiplyAdd(x.Slice(j * stride, width), -l, row, row);
                }
            }
        }
    }

    /// <summary>X ← U⁻¹ X: row i = (row i − Σ_{j&gt;i} uᵢⱼ row j) / uᵢᵢ, from the bottom up.</summary>
    internal static void Upper<T>(ReadOnlySpan<T> lu, Span<T> x, int n, int width, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = n - 1; i >= 0; i--)
        {
            Span<T> row = x.Slice(i * stride, width);
            for (int j = i + 1; j < n; j++)
            {
                T u = lu[(i * n) + j];
                if (u != T.Zero)
                {
                    TensorPrimitives.FusedMultiplyAdd(x.Slice(j * stride, width), -u, row, row);
                }
            }

            TensorPrimitives.Divide(row, lu[(i * n) + i], row);
        }
    }

    /// <summary>X ← U⁻ᵀ X (Uᵀ is lower): row j /= uⱼⱼ, then row i −= uⱼᵢ row j for i &gt; j.</summary>
    internal static void UpperTransposed<T>(ReadOnlySpan<T> lu, Span<T> x, int n, int width, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < n; j++)
        {
            Span<T> pivotRow = x.Slice(j * stride, width);
            TensorPrimitives.Divide(pivotRow, lu[(j * n) + j], pivotRow);
            for (int i = j + 1; i < n; i++)
            {
                T u = lu[(j * n) + i];
                if (u != T.Zero)
                {
                    Span<T> row = x.Slice(i * stride, width);
                    TensorPrimitives.FusedMultiplyAdd(pivotRow, -u, row, row);
                }
            }
        }
    }

    /// <summary>X ← L⁻ᵀ X (Lᵀ is unit upper): from the bottom, row i −= lⱼᵢ row j for i &lt; j.</summary>
    internal static void LowerUnitTransposed<T>(ReadOnlySpan<T> lu, Span<T> x, int n, int width, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = n - 1; j > 0; j--)
        {
            Span<T> pivotRow = x.Slice(j * stride, width);
            for (int i = 0; i < j; i++)
            {
                T l = lu[(j * n) + i];
                if (l != T.Zero)
                {
                    Span<T> row = x.Slice(i * stride, width);
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

/// <summary>The two substitutions <see cref="TriangularSolve.Rows{T}"/> runs, in order.</summary>
internal enum TriangularPair
{
    /// <summary>X ← U⁻¹ L⁻¹ X (an LU solve).</summary>
    LowerUnitThenUpper,

    /// <summary>X ← L⁻ᵀ U⁻ᵀ X (an LU solve with Aᵀ).</summary>
    UpperTransposedThenLowerUnitTransposed,

    /// <summary>X ← U⁻¹ U⁻ᵀ X (a Cholesky solve, A = UᵀU).</summary>
    UpperTransposedThenUpper,
}
