using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests
{
    /// <summary>
    /// Odd and edge sizes 1..67 on every code path (direct loops and each packed micro-kernel width;
    /// a width the machine lacks falls back to one it has), every transpose pair, accumulate on and off.
    /// </summary>
    public class GemmSweepTests
    {
        /// <summary>Sizes around the micro-tile edges (mr = 4, 6, 12; nr = 8, 16, 32) and vector tails.</summary>
        private static readonly int[] Sizes = [1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 67];

        public static TheoryData<string, bool, bool> PathsAndTransposes() => GemmCheck.PathsAndTransposes();

        [Theory]
        [MemberData(nameof(PathsAndTransposes))]
        public void Float_OddSizes_MatchNaive(string path, bool transposeA, bool transposeB)
            => Sweep<float>(Enum.Parse<GemmPath>(path), transposeA, transposeB);

        [Theory]
        [MemberData(nameof(PathsAndTransposes))]
        public void Double_OddSizes_MatchNaive(string path, bool transposeA, bool transposeB)
            => Sweep<double>(Enum.Parse<GemmPath>(path), transposeA, transposeB);

        /// <summary>Every (m, n) pair of <see cref="Sizes"/>, each with two k from Sizes in a fixed rotation.</summary>
        private static void Sweep<T>(GemmPath path, bool transposeA, bool transposeB)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int seed = 0;
            for (int i = 0; i < Sizes.Length; i++)
            {
                for (int j = 0; j < Sizes.Length; j++)
                {
                    int k1 = Sizes[(i + (2 * j)) % Sizes.Length], k2 = Sizes[((3 * i) + j + 7) % Sizes.Length];
                    GemmCheck.Run<T>(Sizes[i], k1, Sizes[j], transposeA, transposeB, accumulate: false, path, 1, seed++);
                    GemmCheck.Run<T>(Sizes[i], k2, Sizes[j], transposeA, transposeB, accumulate: true, path, 1, seed++);
                }
            }
        }
    }
}
