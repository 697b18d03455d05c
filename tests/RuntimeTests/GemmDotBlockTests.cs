using System.Numerics;
using System.Runtime.Intrinsics;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests
{
    /// <summary>
    /// <see cref="GemmDotBlock"/> (C (+)= α·A·Bᵀ, A m×k and B n×k row-major) against a naive triple loop in double:
    /// edge blocks (m, n not multiples of 4, or below 4), the k tail of every vector width, k chunks, α, accumulate
    /// (C pre-filled with NaN when it must be overwritten), the parallel split, and the <see cref="GemmPath.Auto"/> choice.
    /// </summary>
    /// <remarks>
    /// Tolerance: 2·γ(k + 2)·Σ|α·a·b| (+ |C₀|) per entry, γ(n) = n·u/(1 − n·u), u the unit roundoff. Any summation
    /// order of k products (FMA or not) plus α's multiply and the accumulate add rounds each term at most k + 2
    /// times (Higham, Accuracy and Stability, §3.1); the kernel's depth (k/width lane steps, a log₂(width) tree,
    /// one add per k chunk) stays below that. The factor 2 covers the reference's own double rounding, which is
    /// as large as the kernel's for double. Unlike GemmCheck's 2·(k + 2)·eps it is the bound itself, not four times it.
    /// </remarks>
    public class GemmDotBlockTests
    {
        private const int GuardLength = 5;

        private static readonly int[] Sides = [1, 3, 4, 5, 7, 8, 17];

        /// <summary>Scalar (k &lt; 4), each vector width with and without a tail, and past one k chunk (1024 floats, 512 doubles).</summary>
        private static readonly int[] Depths = [1, 7, 15, 16, 17, 33, 1000, 2500];

        public static TheoryData<int> DepthData()
        {
            var data = new TheoryData<int>();
            foreach (int k in Depths)
            {
                data.Add(k);
            }
            return data;
        }

        [Theory]
        [MemberData(nameof(DepthData))]
        public void Float_EveryEdge_MatchesNaive(int k) => EveryEdge<float>(k);

        [Theory]
        [MemberData(nameof(DepthData))]
        public void Double_EveryEdge_MatchesNaive(int k) => EveryEdge<double>(k);

        [Fact]
        public void OtherElementType_RunsTheScalarBlocks()
        {
            foreach ((int m, int k, int n) in new[] { (5, 9, 3), (4, 16, 4), (1, 3, 7) })
            {
                Check<Half>(m, k, n, accumulate: false, alpha: 1, threads: 1, seed: m + k + n);
                Check<Half>(m, k, n, accumulate: true, alpha: -0.5, threads: 1, seed: m + k + n + 1);
            }
        }

        [Theory]
        [InlineData(2)]
        [InlineData(3)]
        public void ParallelSplit_GivesTheSameBits(int threads)
        {
            // Rows split (m ≥ n), columns split (n > m), and fewer blocks than threads.
            foreach ((int m, int k, int n) in new[] { (37, 300, 9), (6, 1100, 29), (5, 40, 3) })
            {
                var random = new Random(m * n);
                float[] a = GemmCheck.RandomArray<float>(random, m * k), b = GemmCheck.RandomArray<float>(random, n * k);
                float[] c0 = GemmCheck.RandomArray<float>(random, m * n);
                float[] serial = (float[])c0.Clone(), split = (float[])c0.Clone();
                GemmDotBlock.Multiply<float>(a, b, serial, m, k, n, accumulate: true, 0.5f, threads: 1);
                GemmDotBlock.Multiply<float>(a, b, split, m, k, n, accumulate: true, 0.5f, threads);
                Assert.Equal(serial, split);
                GemmCheck.AssertMatchesReference(a, b, c0, split, m, k, n, false, true, $"split {m}x{k}x{n}", 0.5);
            }
        }

        [Fact]
        public void InfinityInATail_IsNotTurnedIntoNaN()
        {
            // With 16-lane floats the tail step reloads elements k − 16 .. k − 1 with the already summed ones zeroed
            // in A and B; an infinity among them (element k − 15) must count once, not again as 0·∞ = NaN.
            foreach (int k in new[] { 17, 23, 1030 })
            {
                const int m = 5, n = 6;
                int q = k - 15;
                var random = new Random(k);
                float[] a = GemmCheck.RandomArray<float>(random, m * k), b = GemmCheck.RandomArray<float>(random, n * k);
                for (int i = 0; i < m; i++)
                {
                    a[(i * k) + q] = i == 1 ? float.PositiveInfinity : 0.25f;
                }
                for (int j = 0; j < n; j++)
                {
                    b[(j * k) + q] = j == 4 ? float.NegativeInfinity : 0.5f;
                }

                var c = new float[m * n];
                Gemm.MultiplyWith<float>(a, b, c, m, k, n, false, true, false, 1f, GemmPath.DotBlock, 1);
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        // Row 1 of A holds +∞, row 4 of B −∞: +∞·0.5 = +∞, +∞·(−∞) = 0.25·(−∞) = −∞, the rest finite.
                        float x = c[(i * n) + j];
                        bool ok = j == 4 ? x == float.NegativeInfinity : i == 1 ? x == float.PositiveInfinity : float.IsFinite(x);
                        Assert.True(ok, $"k={k} C[{i}, {j}] = {x}");
                    }
                }
            }
        }

        [Fact]
        public void SingleThreaded_AllocatesNothingInSteadyState()
        {
            var random = new Random(4);
            double[] a = GemmCheck.RandomArray<double>(random, 16 * 1000), b = GemmCheck.RandomArray<double>(random, 16 * 1000);
            var c = new double[16 * 16];
            for (int warmUp = 0; warmUp < 3; warmUp++)
            {
                Gemm.MultiplyWith<double>(a, b, c, 16, 1000, 16, false, true, false, 1.0, GemmPath.DotBlock, 1);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            Gemm.MultiplyWith<double>(a, b, c, 16, 1000, 16, false, true, true, 2.0, GemmPath.DotBlock, 1);
            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }

        [Theory]
        [InlineData(16, 1000, 16, true)] // the Gaussian NLL's C·Cᵀ
        [InlineData(4, 8, 128, true)]
        [InlineData(10, 16, 10, true)]
        [InlineData(16, 64, 128, true)]
        [InlineData(32, 1000, 64, true)]
        [InlineData(128, 4096, 16, true)]
        [InlineData(32, 64, 32, false)] // packed from here on
        [InlineData(16, 16, 16, false)]
        [InlineData(64, 1000, 64, false)]
        [InlineData(32, 256, 128, false)]
        [InlineData(128, 1000, 128, false)]
        public void PrefersDotBlock_SmallMAndNAgainstK(int m, int k, int n, bool expected)
            => Assert.Equal(expected, Gemm.PrefersDotBlock(m, k, n));

        [Fact]
        public void Auto_TakesDotBlockOnlyForTheTransposeBLayout()
        {
            if (!Vector512.IsHardwareAccelerated)
            {
                return; // Auto takes the dot blocks only with AVX-512, where the rule was measured.
            }

            Assert.Equal(GemmPath.DotBlock, Gemm.Resolve<float>(GemmPath.Auto, 16, 1000, 16, false, true));
            Assert.Equal(GemmPath.DotBlock, Gemm.Resolve<double>(GemmPath.Auto, 32, 1000, 64, false, true));
            Assert.Equal(GemmPath.DotBlock, Gemm.Resolve<float>(GemmPath.Auto, 16, 4096, 128, false, true));
            Assert.Equal(GemmPath.Packed512, Gemm.Resolve<float>(GemmPath.Auto, 128, 1000, 128, false, true));
            Assert.Equal(GemmPath.Packed512, Gemm.Resolve<float>(GemmPath.Auto, 16, 1000, 16, false, false));
            Assert.Equal(GemmPath.Packed512, Gemm.Resolve<float>(GemmPath.Auto, 16, 1000, 16, true, true));
            Assert.Equal(GemmPath.Packed512, Gemm.Resolve<float>(GemmPath.Auto, 16, 1000, 16, true, false));
            Assert.Equal(GemmPath.Direct, Gemm.Resolve<float>(GemmPath.Auto, 1, 1000, 16, false, true));
            Assert.Equal(GemmPath.Direct, Gemm.Resolve<float>(GemmPath.Auto, 4, 7, 4, false, true));

            // Pinned: the layout decides, not the shape; other layouts take the Auto choice; other types go direct.
            Assert.Equal(GemmPath.DotBlock, Gemm.Resolve<double>(GemmPath.DotBlock, 128, 1000, 128, false, true));
            Assert.Equal(GemmPath.DotBlock, Gemm.Resolve<double>(GemmPath.DotBlock, 1, 3, 1, false, true));
            Assert.Equal(GemmPath.Packed512, Gemm.Resolve<double>(GemmPath.DotBlock, 16, 1000, 16, true, false));
            Assert.Equal(GemmPath.Direct, Gemm.Resolve<Half>(GemmPath.DotBlock, 16, 1000, 16, false, true));
        }

        /// <summary>Every (m, n) of <see cref="Sides"/> at depth k: overwrite (α = 1 and −1.5) and accumulate (α = 0.75).</summary>
        private static void EveryEdge<T>(int k)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int seed = k * 1000;
            foreach (int m in Sides)
            {
                foreach (int n in Sides)
                {
                    Check<T>(m, k, n, accumulate: false, alpha: 1, threads: 1, seed++);
                    Check<T>(m, k, n, accumulate: false, alpha: -1.5, threads: 1, seed++);
                    Check<T>(m, k, n, accumulate: true, alpha: 0.75, threads: 1, seed++);
                }
            }
        }

        /// <summary>
        /// One product through <see cref="GemmDotBlock.Multiply"/> on random data in [−1, 1); C starts as NaN when it
        /// is overwritten, as random values when accumulated; the guard elements past C must come back untouched.
        /// </summary>
        private static void Check<T>(int m, int k, int n, bool accumulate, double alpha, int threads, int seed)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(seed);
            T[] a = GemmCheck.RandomArray<T>(random, m * k), b = GemmCheck.RandomArray<T>(random, n * k);
            T[] c = GemmCheck.RandomArray<T>(random, (m * n) + GuardLength);
            if (!accumulate)
            {
                c.AsSpan(0, m * n).Fill(T.NaN);
            }
            T[] initial = (T[])c.Clone();

            GemmDotBlock.Multiply<T>(a, b, c.AsSpan(0, m * n), m, k, n, accumulate, T.CreateChecked(alpha), threads);

            string what = $"{typeof(T).Name} m={m} k={k} n={n} acc={accumulate} alpha={alpha}";
            (double[] expected, double[] magnitude) = GemmCheck.Reference(a, b, accumulate ? initial : null, m, k, n, false, true, alpha);
            double u = typeof(T) == typeof(float) ? Math.Pow(2, -24) : typeof(T) == typeof(double) ? Math.Pow(2, -53) : Math.Pow(2, -11);
            double gamma = (k + 2) * u / (1 - ((k + 2) * u));
            for (int i = 0; i < m * n; i++)
            {
                double x = double.CreateChecked(c[i]);
                double tolerance = (2 * gamma * magnitude[i]) + 1e-300;
                Assert.True(Math.Abs(expected[i] - x) <= tolerance, $"{what}: C[{i / n}, {i % n}] = {x}, expected {expected[i]} ± {tolerance}");
            }
            for (int g = m * n; g < c.Length; g++)
            {
                Assert.True(c[g] == initial[g], $"{what}: wrote past C at {g}");
            }
        }
    }
}
