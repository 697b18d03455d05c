using System;
using System.Numerics;
using AutoGradGen.Kernels;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// Element-wise maximum and minimum, and the masks that route their gradient (see <see cref="Elementwise"/>):
/// at a tie the first operand gets it (max picks a when a ≥ b, min when a ≤ b).
/// </summary>
public static partial class Elementwise
{
    /// <summary>max(a, b), element by element (a when a ≥ b, so ties go to a; b when either is NaN and a ≥ b fails).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> Maximum<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Maximum(a, b, ref result);
    }

    /// <summary>max(a, b), element by element (a when a ≥ b, so ties go to a; b when either is NaN and a ≥ b fails), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> Maximum<T>(Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(a, b, ref destination, MinMaxKernel<T>.Maximum, new Operands("Maximum", nameof(a), nameof(b)));

    /// <summary>max(a, b), element by element (a when a ≥ b, so ties go to a; b when either is NaN and a ≥ b fails).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> Maximum<T>(Vector<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Maximum(a, b, ref result);
    }

    /// <summary>max(a, b), element by element (a when a ≥ b, so ties go to a; b when either is NaN and a ≥ b fails), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> Maximum<T>(Vector<T> a, Vector<T> b, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(a, b, ref destination, MinMaxKernel<T>.Maximum, new Operands("Maximum", nameof(a), nameof(b)));

    /// <summary>min(a, b), element by element (a when a ≤ b).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> Minimum<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Minimum(a, b, ref result);
    }

    /// <summary>min(a, b), element by element (a when a ≤ b), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> Minimum<T>(Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(a, b, ref destination, MinMaxKernel<T>.Minimum, new Operands("Minimum", nameof(a), nameof(b)));

    /// <summary>min(a, b), element by element (a when a ≤ b).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> Minimum<T>(Vector<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return Minimum(a, b, ref result);
    }

    /// <summary>min(a, b), element by element (a when a ≤ b), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> Minimum<T>(Vector<T> a, Vector<T> b, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(a, b, ref destination, MinMaxKernel<T>.Minimum, new Operands("Minimum", nameof(a), nameof(b)));

    /// <summary>𝟙[a ≥ b], element by element: 1 where a ≥ b, else 0 (which operand of Maximum/Minimum gets the gradient).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> AtLeastMask<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return AtLeastMask(a, b, ref result);
    }

    /// <summary>𝟙[a ≥ b], element by element: 1 where a ≥ b, else 0 (which operand of Maximum/Minimum gets the gradient), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> AtLeastMask<T>(Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(a, b, ref destination, MinMaxKernel<T>.AtLeast, new Operands("AtLeastMask", nameof(a), nameof(b)));

    /// <summary>𝟙[a ≥ b], element by element: 1 where a ≥ b, else 0 (which operand of Maximum/Minimum gets the gradient).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> AtLeastMask<T>(Vector<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return AtLeastMask(a, b, ref result);
    }

    /// <summary>𝟙[a ≥ b], element by element: 1 where a ≥ b, else 0 (which operand of Maximum/Minimum gets the gradient), into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> AtLeastMask<T>(Vector<T> a, Vector<T> b, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(a, b, ref destination, MinMaxKernel<T>.AtLeast, new Operands("AtLeastMask", nameof(a), nameof(b)));

    /// <summary>𝟙[a &gt; b], element by element: 1 where a &gt; b, else 0.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same shape.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Matrix<T> AboveMask<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return AboveMask(a, b, ref result);
    }

    /// <summary>𝟙[a &gt; b], element by element: 1 where a &gt; b, else 0, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same shape.</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The shapes differ, or the destination is an operand.</exception>
    public static Matrix<T> AboveMask<T>(Matrix<T> a, Matrix<T> b, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(a, b, ref destination, MinMaxKernel<T>.Above, new Operands("AboveMask", nameof(a), nameof(b)));

    /// <summary>𝟙[a &gt; b], element by element: 1 where a &gt; b, else 0.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same length.</param>
    /// <returns>A new vector.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static Vector<T> AboveMask<T>(Vector<T> a, Vector<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return AboveMask(a, b, ref result);
    }

    /// <summary>𝟙[a &gt; b], element by element: 1 where a &gt; b, else 0, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand, of the same length.</param>
    /// <param name="destination">The result's slot (reused when its length matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The lengths differ, or the destination is an operand.</exception>
    public static Vector<T> AboveMask<T>(Vector<T> a, Vector<T> b, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Zip(a, b, ref destination, MinMaxKernel<T>.Above, new Operands("AboveMask", nameof(a), nameof(b)));

    /// <summary>The span loops of max, min and their masks.</summary>
    private static class MinMaxKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>(a, b) ↦ a ≥ b ? a : b.</summary>
        public static readonly SpanZip<T> Maximum = static (a, b, d) =>
        {
            for (int i = 0; i < a.Length; i++)
            {
                d[i] = a[i] >= b[i] ? a[i] : b[i];
            }
        };

        /// <summary>(a, b) ↦ a ≤ b ? a : b.</summary>
        public static readonly SpanZip<T> Minimum = static (a, b, d) =>
        {
            for (int i = 0; i < a.Length; i++)
            {
                d[i] = a[i] <= b[i] ? a[i] : b[i];
            }
        };

        /// <summary>(a, b) ↦ 𝟙[a ≥ b].</summary>
        public static readonly SpanZip<T> AtLeast = static (a, b, d) =>
        {
            for (int i = 0; i < a.Length; i++)
            {
                d[i] = a[i] >= b[i] ? T.One : T.Zero;
            }
        };

        /// <summary>(a, b) ↦ 𝟙[a &gt; b].</summary>
        public static readonly SpanZip<T> Above = static (a, b, d) =>
        {
            for (int i = 0; i < a.Length; i++)
            {
                d[i] = a[i] > b[i] ? T.One : T.Zero;
            }
        };
    }
}
