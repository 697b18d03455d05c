using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests
{
    /// <summary>Sizes that cross the cache blocks (KC, NC, MC) and the parallel threshold.</summary>
    public class GemmLargeTests
    {
        public static TheoryData<string, bool, bool> PathsAndTransposes() => GemmCheck.PathsAndTransposes();

        [Theory]
        [MemberData(nameof(PathsAndTransposes))]
        public void Float_CacheBlockBoundaries_MatchNaive(string path, bool transposeA, bool transposeB)
            => BlockBoundaries<float>(Enum.Parse<GemmPath>(path), transposeA, transposeB);

        [Theory]
        [MemberData(nameof(PathsAndTransposes))]
        public void Double_CacheBlockBoundaries_MatchNaive(string path, bool transposeA, bool transposeB)
            => BlockBoundaries<double>(Enum.Parse<GemmPath>(path), transposeA, transposeB);

        [Theory]
        [InlineData(false, false)]
        [InlineData(false, true)]
        [InlineData(true, false)]
        [InlineData(true, true)]
        public void Large_300x257x129_MatchesNaive(bool transposeA, bool transposeB)
        {
            GemmCheck.Run<float>(300, 257, 129, transposeA, transposeB, accumulate: false, GemmPath.Auto, 1, 31);
            GemmCheck.Run<double>(300, 257, 129, transposeA, transposeB, accumulate: true, GemmPath.Auto, 2, 32);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void AboveParallelThreshold_MatchesNaive(int workers)
        {
            // 160·130·110 ≈ 2.3 M multiply-adds ≥ Gemm.ParallelWorkThreshold: the grid splits C.
            Assert.True(160L * 130 * 110 >= Gemm.ParallelWorkThreshold);
            foreach ((bool transposeA, bool transposeB) in GemmCheck.Transposes)
            {
                GemmCheck.Run<float>(160, 130, 110, transposeA, transposeB, accumulate: true, GemmPath.Auto, workers, 11);
                GemmCheck.Run<double>(110, 130, 160, transposeA, transposeB, accumulate: false, GemmPath.Auto, workers, 12);
            }
        }

        /// <summary>
        /// Past KC (384 floats / 192 doubles: several K blocks accumulate into C), past NC (≈320
        /// columns: several packed B blocks), past MC (≈1356 rows: several packed A blocks).
        /// </summary>
        private static void BlockBoundaries<T>(GemmPath path, bool transposeA, bool transposeB)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            GemmCheck.Run<T>(37, 400, 45, transposeA, transposeB, accumulate: false, path, 1, 21);
            GemmCheck.Run<T>(25, 30, 700, transposeA, transposeB, accumulate: true, path, 1, 22);
            GemmCheck.Run<T>(1400, 12, 35, transposeA, transposeB, accumulate: false, path, 1, 23);
        }
    }
}
