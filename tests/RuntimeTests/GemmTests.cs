using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests
{
    /// <summary>
    /// <see cref="Gemm"/> edge cases (empty shapes, k = 0, 1×1), the public overload, element types
    /// without a packed kernel, steady-state allocation, and the parallel split. Sizes sweeps are in
    /// <see cref="GemmSweepTests"/>, cache-block and parallel sizes in <see cref="GemmLargeTests"/>.
    /// </summary>
    public class GemmTests
    {
        [Theory]
        [InlineData(0, 5, 4)]
        [InlineData(4, 5, 0)]
        [InlineData(0, 0, 0)]
        [InlineData(0, 3, 0)]
        public void EmptyResult_LeavesBuffersUntouched(int m, int k, int n)
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    GemmCheck.Run<float>(m, k, n, transposeA, transposeB, accumulate: false, GemmPath.Auto, 1, 1);
                    GemmCheck.Run<double>(m, k, n, transposeA, transposeB, accumulate: true, GemmPath.Auto, 1, 1);
                }
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void ZeroInnerDimension_ZeroesOrKeepsC(bool accumulate)
        {
            var c = new[] { 1.5f, -2f, 3f, 4f, 5f, 6f, 7f };
            Gemm.Multiply<float>(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, c.AsSpan(0, 6), 2, 0, 3, accumulate: accumulate);

            float[] expected = accumulate ? [1.5f, -2f, 3f, 4f, 5f, 6f, 7f] : [0f, 0f, 0f, 0f, 0f, 0f, 7f];
            Assert.Equal(expected, c);
        }

        /// <summary>
        /// k = 1 (a rank-1 update, the weight gradient of a one-sample step, G xᵀ) takes the direct path's single
        /// streaming pass over C in every layout: with k = 1 both operands are contiguous whatever the transposes.
        /// </summary>
        [Theory]
        [InlineData(10, 784)]
        [InlineData(256, 33)]
        [InlineData(7, 1)]
        [InlineData(1, 9)]
        [InlineData(1, 1)]
        public void RankOne_TakesTheDirectPathAndMatchesTheReference(int m, int n)
        {
            foreach ((bool transposeA, bool transposeB) in GemmCheck.Transposes)
            {
                Assert.Equal(GemmPath.Direct, Gemm.Resolve<float>(GemmPath.Auto, m, 1, n, transposeA, transposeB));
                Assert.Equal(GemmPath.Direct, Gemm.Resolve<double>(GemmPath.Auto, m, 1, n, transposeA, transposeB));
                foreach (bool accumulate in new[] { false, true })
                {
                    GemmCheck.Run<double>(m, 1, n, transposeA, transposeB, accumulate, GemmPath.Auto, 2, seed: m + n, alpha: -0.75);
                    GemmCheck.Run<float>(m, 1, n, transposeA, transposeB, accumulate, GemmPath.Auto, 1, seed: m * n);
                }
            }
        }

        /// <summary>
        /// Wherever b and C sit within a cache line (the rank-1 update copies b to C's offset when they differ and C's
        /// rows fill whole lines), every element is (α aᵢ)·bⱼ, plus C's old value when accumulating: exactly, in float and double.
        /// </summary>
        [Fact]
        public void RankOne_GivesTheSameBitsAtEveryOffsetOfBAndC()
        {
            RankOneAtOffsets<double>(6, 64);
            RankOneAtOffsets<float>(5, 128);
            RankOneAtOffsets<float>(4, 100); // rows that do not fill whole lines: never copied
        }

        private static void RankOneAtOffsets<T>(int m, int n)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(m * n);
            T[] a = GemmCheck.RandomArray<T>(random, m), bStore = GemmCheck.RandomArray<T>(random, n + 16);
            T[] c0 = GemmCheck.RandomArray<T>(random, (m * n) + 16);
            T alpha = T.CreateChecked(-1.25);
            for (int bShift = 0; bShift < 16; bShift++)
            {
                for (int cShift = 0; cShift < 16; cShift += 3)
                {
                    foreach (bool accumulate in new[] { false, true })
                    {
                        T[] c = (T[])c0.Clone();
                        ReadOnlySpan<T> b = bStore.AsSpan(bShift, n);
                        Gemm.MultiplyWith<T>(a, b, c.AsSpan(cShift, m * n), m, 1, n, false, false, accumulate, alpha, GemmPath.Auto, 1);
                        for (int i = 0; i < m; i++)
                        {
                            for (int j = 0; j < n; j++)
                            {
                                T product = alpha * a[i] * b[j];
                                T expected = accumulate ? product + c0[cShift + (i * n) + j] : product;
                                Assert.True(expected == c[cShift + (i * n) + j], $"{typeof(T).Name} b+{bShift} c+{cShift} acc={accumulate} C[{i}, {j}]");
                            }
                        }
                        Assert.Equal(c0.AsSpan(0, cShift).ToArray(), c.AsSpan(0, cShift).ToArray());
                        Assert.Equal(c0.AsSpan(cShift + (m * n)).ToArray(), c.AsSpan(cShift + (m * n)).ToArray());
                    }
                }
            }
        }

        [Fact]
        public void RankOne_OverwriteIgnoresWhatCHeld()
        {
            double[] a = [1, -2, 3], b = [0.5, 4];
            double[] c = [double.NaN, double.NaN, double.PositiveInfinity, double.NaN, double.NaN, double.NaN];
            Gemm.Multiply<double>(a, b, c, 3, 1, 2, transposeA: true, transposeB: true);
            Assert.Equal([0.5, 4, -1, -8, 1.5, 12], c);
        }

        [Fact]
        public void OneByOne_IsAProduct()
        {
            var c = new[] { 10.0 };
            Gemm.Multiply<double>(new[] { 3.0 }, new[] { -4.0 }, c, 1, 1, 1);
            Assert.Equal(-12.0, c[0]);
            Gemm.Multiply<double>(new[] { 3.0 }, new[] { -4.0 }, c, 1, 1, 1, true, true, accumulate: true);
            Assert.Equal(-24.0, c[0]);
        }

        [Fact]
        public void PublicOverload_UsesDefaults()
        {
            var random = new Random(5);
            float[] a = GemmCheck.RandomArray<float>(random, 40 * 30), b = GemmCheck.RandomArray<float>(random, 30 * 50);
            var c = new float[40 * 50];
            Gemm.Multiply<float>(a, b, c, 40, 30, 50);
            GemmCheck.AssertMatchesReference(a, b, null, c, 40, 30, 50, false, false, "public overload");
        }

        [Theory]
        [InlineData(5, 7, 3)]
        [InlineData(1, 9, 4)]
        [InlineData(6, 4, 1)]
        public void OtherElementType_TakesTheDirectPath(int m, int k, int n)
        {
            var random = new Random(9);
            foreach ((bool transposeA, bool transposeB) in GemmCheck.Transposes)
            {
                Half[] a = GemmCheck.RandomArray<Half>(random, m * k), b = GemmCheck.RandomArray<Half>(random, k * n);
                var c = new Half[m * n];
                Gemm.Multiply<Half>(a, b, c, m, k, n, transposeA, transposeB);
                GemmCheck.AssertMatchesReference(a, b, null, c, m, k, n, transposeA, transposeB, "Half");
            }
        }

        [Fact]
        public void PackedSingleThreaded_AllocatesNothingInSteadyState()
        {
            var random = new Random(3);
            double[] a = GemmCheck.RandomArray<double>(random, 90 * 70), b = GemmCheck.RandomArray<double>(random, 70 * 80);
            var c = new double[90 * 80];
            for (int warmUp = 0; warmUp < 3; warmUp++)
            {
                Gemm.MultiplyWith<double>(a, b, c, 90, 70, 80, true, false, false, 1.0, GemmPath.Packed512, 1);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            Gemm.MultiplyWith<double>(a, b, c, 90, 70, 80, true, false, false, 1.0, GemmPath.Packed512, 1);
            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }

        [Theory]
        [InlineData(256, 256)]
        [InlineData(256, 784)]
        [InlineData(1024, 1024)]
        public void ParallelGrid_TwoWorkersSplitRowsWhereAColumnCutWouldShareCLines(int m, int n)
        {
            // Two blocks side by side would both write the C line that straddles the cut, in every row, once per
            // KC step; stacked blocks share at most one line.
            var grid = GemmGrid.Choose(m, n, 2, 12, 32);
            Assert.Equal(2, grid.Count);
            grid.GetBlock(0, out int r0, out int r1, out int c0, out int c1);
            Assert.Equal((0, 0, n), (r0, c0, c1));
            Assert.InRange(r1, m / 2, (m / 2) + 12);
        }

        [Theory]
        [InlineData(10, 784)]
        [InlineData(12, 2000)]
        public void ParallelGrid_AMatrixOneMicroPanelHighIsStillSplitByColumns(int m, int n)
        {
            var grid = GemmGrid.Choose(m, n, 2, 12, 32);
            Assert.Equal(2, grid.Count);
            grid.GetBlock(1, out int r0, out int r1, out _, out int c1);
            Assert.Equal((0, m, n), (r0, r1, c1));
        }

        [Theory]
        [InlineData(1000, 1000, 1, 12, 32)]
        [InlineData(1000, 1000, 2, 12, 32)]
        [InlineData(13, 2000, 2, 12, 32)]
        [InlineData(2000, 7, 2, 6, 16)]
        [InlineData(5, 5, 4, 4, 8)]
        [InlineData(301, 299, 6, 12, 32)]
        public void ParallelGrid_CoversEveryElementOnce(int m, int n, int workers, int mr, int nr)
        {
            var grid = GemmGrid.Choose(m, n, workers, mr, nr);
            Assert.InRange(grid.Count, 1, workers);
            var hits = new int[m * n];
            for (int t = 0; t < grid.Count; t++)
            {
                grid.GetBlock(t, out int r0, out int r1, out int c0, out int c1);
                for (int i = r0; i < r1; i++)
                {
                    for (int j = c0; j < c1; j++)
                    {
                        hits[(i * n) + j]++;
                    }
                }
            }
            int wrong = Array.FindIndex(hits, h => h != 1);
            Assert.True(wrong < 0, $"element {wrong} covered {(wrong < 0 ? 1 : hits[wrong])} times");
        }
    }
}
