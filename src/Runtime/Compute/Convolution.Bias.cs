using System;
using System.Numerics;
using System.Numerics.Tensors;
using static AutoGradGen.Compute.Dense;

namespace AutoGradGen.Compute;

/// <summary>
/// The convolution layer with one bias per output channel, and the two maps of its rule: the bias spread over its
/// channel's rows (b ↦ B, B[o·h'·w' + r, n] = b[o]) and its transpose, the per-channel sum of an output adjoint.
/// </summary>
public static partial class Convolution
{
    /// <summary>The batched cross-correlation plus one bias per output channel: H[o] = Σ_c X[c] ∗ K[o, c] + b[o].</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C_in·h·w)×N.</param>
    /// <param name="k">The filters, C_out×(C_in·kₕ·k_w).</param>
    /// <param name="bias">The biases, of length C_out.</param>
    /// <param name="channels">C_in.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="kernelHeight">kₕ.</param>
    /// <param name="kernelWidth">k_w.</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <param name="padding">The zeros p added on every side of every plane (0 or more).</param>
    /// <returns>A new (C_out·h'·w')×N matrix.</returns>
    /// <exception cref="ArgumentException">The geometry does not fit, or the bias's length is not C_out.</exception>
    public static Matrix<T> Conv2D<T>(
        Matrix<T> x, Matrix<T> k, Vector<T> bias, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return Conv2D(x, k, bias, channels, height, width, kernelHeight, kernelWidth, stride, padding, ref result);
    }

    /// <summary>The batched cross-correlation plus one bias per output channel, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="x">The batch, (C_in·h·w)×N.</param>
    /// <param name="k">The filters, C_out×(C_in·kₕ·k_w).</param>
    /// <param name="bias">The biases, of length C_out.</param>
    /// <param name="channels">C_in.</param>
    /// <param name="height">h.</param>
    /// <param name="width">w.</param>
    /// <param name="kernelHeight">kₕ.</param>
    /// <param name="kernelWidth">k_w.</param>
    /// <param name="stride">The step s between windows (1 or more).</param>
    /// <param name="padding">The zeros p added on every side of every plane (0 or more).</param>
    /// <param name="destination">The result's slot (reused when its shape matches); not an operand.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ArgumentException">The geometry does not fit, the bias's length is not C_out, or the destination is an operand.</exception>
    public static Matrix<T> Conv2D<T>(
        Matrix<T> x, Matrix<T> k, Vector<T> bias, int channels, int height, int width, int kernelHeight, int kernelWidth,
        int stride, int padding, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(bias);
        if (bias.Length != k.Rows)
        {
            ThrowHelper.ThrowShapeMismatch("Conv2D", "k", ThrowHelper.Shape(k), "bias", ThrowHelper.Shape(bias),
                "the bias needs one entry per output channel (k's rows)");
        }
        ThrowHelper.RequireNotAliased(destination, bias, "Conv2D", nameof(bias));
        var result = Conv2D(x, k, channels, height, width, kernelHeight, kernelWidth, stride, padding, ref destination);
        AddChannels(bias, result, accumulate: true);
        return result;
    }

    /// <summary>The bias spread over its channels: a matrix shaped like <paramref name="like"/> whose rows o·(Rows/C) … hold b[o].</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="bias">One value per channel, of length C (dividing like's rows).</param>
    /// <param name="like">The convolution's output (only its shape is used).</param>
    /// <returns>A new matrix.</returns>
    public static Matrix<T> ChannelBias<T>(Vector<T> bias, Matrix<T> like)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>? result = null;
        return ChannelBias(bias, like, ref result);
    }

    /// <summary>The bias spread over its channels, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="bias">One value per channel, of length C (dividing like's rows).</param>
    /// <param name="like">The convolution's output (only its shape is used).</param>
    /// <param name="destination">The result's slot (reused when its shape matches).</param>
    /// <returns>The destination.</returns>
    public static Matrix<T> ChannelBias<T>(Vector<T> bias, Matrix<T> like, ref Matrix<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(like);
        RequireChannels(bias.Length, like, "ChannelBias");
        var result = Ensure(ref destination, like.Rows, like.Cols);
        AddChannels(bias, result, accumulate: false);
        return result;
    }

    /// <summary>The per-channel sums of an output adjoint: s[o] = Σ over channel o's rows and every column.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="g">The adjoint, (C·h'·w')×N.</param>
    /// <param name="channels">C (dividing g's rows).</param>
    /// <returns>A new vector of length C.</returns>
    public static Vector<T> ChannelSums<T>(Matrix<T> g, int channels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T>? result = null;
        return ChannelSums(g, channels, ref result);
    }

    /// <summary>The per-channel sums of an output adjoint, into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="g">The adjoint, (C·h'·w')×N.</param>
    /// <param name="channels">C (dividing g's rows).</param>
    /// <param name="destination">The result's slot (reused when its length matches).</param>
    /// <returns>The destination.</returns>
    public static Vector<T> ChannelSums<T>(Matrix<T> g, int channels, ref Vector<T>? destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(g);
        RequireChannels(channels, g, "ChannelSums");
        var result = Ensure(ref destination, channels);
        int block = channels == 0 ? 0 : g.Rows / channels * g.Cols;
        for (int o = 0; o < channels; o++)
        {
            result.Data[o] = TensorPrimitives.Sum<T>(g.Data.AsSpan(o * block, block));
        }
        return result;
    }

    private static void RequireChannels<T>(int channels, Matrix<T> m, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (channels < 1 ? m.Rows != 0 || channels < 0 : m.Rows % channels != 0)
        {
            throw new ArgumentException(operation + ": " + channels + " channels do not divide the " + ThrowHelper.Shape(m) + " operand's rows.");
        }
    }

    private static void AddChannels<T>(Vector<T> bias, Matrix<T> target, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = bias.Length;
        int block = channels == 0 ? 0 : target.Rows / channels * target.Cols;
        for (int o = 0; o < channels; o++)
        {
            var span = target.Data.AsSpan(o * block, block);
            if (accumulate)
            {
                TensorPrimitives.Add<T>(span, bias.Data[o], span);
            }
            else
            {
                span.Fill(bias.Data[o]);
            }
        }
    }
}
