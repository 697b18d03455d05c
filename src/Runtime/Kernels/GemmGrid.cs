using System;

namespace AutoGradGen.Kernels
{
    /// <summary>
    /// How a parallel product splits C: a tm×tn grid of blocks (tm·tn = worker count), one block per
    /// worker, each with its own packed buffers. Row cuts fall on multiples of mr and column cuts on
    /// multiples of nr, so only the last block of each row and column has edge tiles.
    /// </summary>
    internal readonly struct GemmGrid
    {
        /// <summary>
        /// A packed element costs about as much as this many multiply-adds of the micro-kernel
        /// (a scalar copy vs. 16–32 FMA lanes per cycle): the weight of packing in the split cost.
        /// </summary>
        private const int PackCostInMultiplyAdds = 16;

        /// <summary>
        /// A column cut leaves one cache line of every C row shared by the two blocks beside it (C is row-major and
        /// its base is not line-aligned), and both workers write that line once per KC step: per row of the block,
        /// about as much as this many multiply-adds per k. Measured on W6's W₁X (256×784 · 784×256, float, 2
        /// workers): split by columns 320–341 µs, by rows 290–298 µs, one half alone 283 µs.
        /// </summary>
        private const int SharedLineCostPerRow = 16;

        private readonly int _m;
        private readonly int _n;
        private readonly int _rowChunk;
        private readonly int _colChunk;
        private readonly int _colBlocks;

        private GemmGrid(int m, int n, int rowChunk, int colChunk)
        {
            _m = m;
            _n = n;
            _rowChunk = rowChunk;
            _colChunk = colChunk;
            _colBlocks = (n + colChunk - 1) / colChunk;
            Count = ((m + rowChunk - 1) / rowChunk) * _colBlocks;
        }

        /// <summary>Number of blocks (tasks), at most the worker count.</summary>
        public int Count { get; }

        /// <summary>
        /// The split of m×n among <paramref name="workers"/> that minimizes one worker's time: its
        /// block area (multiply-adds per k), the rows of A and columns of B it packs, and the C lines it
        /// shares with a neighbour across a column cut.
        /// </summary>
        public static GemmGrid Choose(int m, int n, int workers, int mr, int nr)
        {
            var best = new GemmGrid(m, n, m, n);
            long bestCost = long.MaxValue;
            for (int tm = 1; tm <= Math.Max(1, workers); tm++)
            {
                if (workers % tm != 0)
                {
                    continue;
                }

                // The largest block's extents: a chunk never exceeds the matrix (a 1-block split of
                // 256 rows is 256, not the 264 that rounding to mr = 12 gives), so an unsplit dimension
                // is not charged for rows or columns it does not have.
                int rowChunk = Math.Min(m, RoundUp(Ceiling(m, tm), mr));
                int colChunk = Math.Min(n, RoundUp(Ceiling(n, workers / tm), nr));
                int columnCuts = Math.Min(2, Ceiling(n, colChunk) - 1);
                long cost = ((long)rowChunk * colChunk) + ((long)PackCostInMultiplyAdds * (rowChunk + colChunk))
                    + ((long)SharedLineCostPerRow * columnCuts * rowChunk);
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = new GemmGrid(m, n, rowChunk, colChunk);
                }
            }
            return best;
        }

        /// <summary>Row range [r0, r1) and column range [c0, c1) of block <paramref name="index"/>.</summary>
        public void GetBlock(int index, out int r0, out int r1, out int c0, out int c1)
        {
            r0 = index / _colBlocks * _rowChunk;
            r1 = Math.Min(_m, r0 + _rowChunk);
            c0 = index % _colBlocks * _colChunk;
            c1 = Math.Min(_n, c0 + _colChunk);
        }

        private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;

        private static int RoundUp(int value, int multiple) => Ceiling(value, multiple) * multiple;
    }
}
