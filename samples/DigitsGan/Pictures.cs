using System.Buffers.Binary;
using System.IO.Compression;
using AutoGradGen;
using ScottPlot;

namespace DigitsGan;

/// <summary>The sample's PNGs: a grid of generated digits, and the training curves.</summary>
public static class Pictures
{
    /// <summary>
    /// Writes the first rows × cols images of <paramref name="images"/> (8×8 pixels in [0, 1], one per
    /// column) as a grayscale PNG grid, ink dark on white as on paper, each pixel drawn as a
    /// <paramref name="scale"/> × <paramref name="scale"/> square, with a light gap between images.
    /// </summary>
    public static void SaveGrid(string path, Matrix<double> images, int rows, int cols, int scale = 6)
    {
        const int side = 8, gap = 4;
        int cell = (side * scale) + gap;
        int width = (cols * cell) + gap, height = (rows * cell) + gap;
        var pixels = new byte[width * height];
        Array.Fill(pixels, (byte)0xE0);
        for (int k = 0; k < rows * cols; k++)
        {
            int top = gap + (k / cols * cell), left = gap + (k % cols * cell);
            for (int p = 0; p < side * side; p++)
            {
                double ink = Math.Clamp(images[p, k], 0, 1);
                byte value = (byte)Math.Round(255 * (1 - ink));
                int y0 = top + (p / side * scale), x0 = left + (p % side * scale);
                for (int dy = 0; dy < scale; dy++)
                {
                    pixels.AsSpan(((y0 + dy) * width) + x0, scale).Fill(value);
                }
            }
        }

        File.WriteAllBytes(path, Png.Grayscale(pixels, width, height));
    }

    /// <summary>
    /// Left: both losses per logged step (the discriminator's is the sum of its real and fake terms).
    /// Right: the discriminator's mean probability of "real" on real and on generated batches, and the
    /// scorer's mean top-class probability on generated digits at each evaluation.
    /// </summary>
    public static void SaveCurves(string path, IReadOnlyList<GanLogEntry> log)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        double[] steps = log.Select(e => (double)e.Step).ToArray();

        var losses = multiplot.GetPlot(0);
        Line(losses, steps, log.Select(e => e.DiscriminatorLoss), Colors.C0, "discriminator loss (real + fake terms)");
        Line(losses, steps, log.Select(e => e.GeneratorLoss), Colors.C1, "generator loss −log D(G(z))");
        losses.Title("Adversarial losses (mean over the last 250 steps)");
        losses.XLabel("step");
        losses.YLabel("binary cross-entropy (nats)");
        losses.ShowLegend(Alignment.UpperRight);

        var probabilities = multiplot.GetPlot(1);
        Line(probabilities, steps, log.Select(e => e.RealProbability), Colors.C2, "D(x) on real digits");
        Line(probabilities, steps, log.Select(e => e.FakeProbability), Colors.C3, "D(G(z)) on generated digits");
        var scored = log.Where(e => e.Score is not null).ToArray();
        var confidence = probabilities.Add.Scatter(scored.Select(e => (double)e.Step).ToArray(), scored.Select(e => e.Score!.MeanTopProbability).ToArray(), Colors.C4);
        confidence.LegendText = "CNN's mean top-class probability on 1,000 generated";
        confidence.LineWidth = 2;
        confidence.MarkerSize = 8;
        confidence.MarkerShape = MarkerShape.FilledSquare;
        probabilities.Title("Discriminator and classifier on the way");
        probabilities.XLabel("step");
        probabilities.YLabel("probability");
        probabilities.Axes.SetLimitsY(0, 1.05);
        probabilities.ShowLegend(Alignment.LowerRight);
        multiplot.SavePng(path, 1500, 560);
    }

    private static void Line(Plot plot, double[] steps, IEnumerable<double> values, Color color, string label)
    {
        var line = plot.Add.Scatter(steps, values.ToArray(), color);
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = 0;
    }
}

/// <summary>A minimal PNG encoder (8-bit grayscale, one IDAT chunk): no imaging dependency for the grid.</summary>
internal static class Png
{
    private static readonly uint[] CrcTable = MakeCrcTable();

    public static byte[] Grayscale(byte[] pixels, int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grayscale), deflate, filter 0, no interlace
        Chunk(output, "IHDR", header);
        using (var raw = new MemoryStream())
        {
            using (var zlib = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // filter: none
                    zlib.Write(pixels, y * width, width);
                }
            }

            Chunk(output, "IDAT", raw.ToArray());
        }

        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        byte[] typed = [.. type.Select(c => (byte)c), .. data];
        output.Write(typed);
        uint crc = 0xFFFFFFFF;
        foreach (byte b in typed)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        BinaryPrimitives.WriteUInt32BigEndian(word, crc ^ 0xFFFFFFFF);
        output.Write(word);
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
