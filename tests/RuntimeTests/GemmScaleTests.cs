using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests
{
    /// <summary>
    /// C (+)= s · op(A) op(B): the factor on the packing of A (each A block of a tall product, each worker's blocks) and on
    /// the direct paths (vectors, tiny products), against the naive triple loop in double; the public scaled products
    /// against the unscaled product times s.
    /// </summary>
    public class GemmScaleTests
    {
        public static TheoryData<string, bool, bool> PathsAndTransposes() => GemmCheck.PathsAndTransposes();

        [Theory]
        [MemberData(nameof(PathsAndTransposes))]
        public void EveryPath_ScalesTheProduct(string path, bool transposeA, bool transposeB)
        {
            var p = Enum.Parse<GemmPath>(path);
            int seed = 40;
            foreach (double alpha in new[] { 2.0, -0.125, 0.0 })
            {
                foreach (var (m, k, n) in new[] { (1, 7, 9), (9, 7, 1), (3, 4, 5), (37, 400, 45), (1400, 12, 35) })
                {
                    GemmCheck.Run<float>(m, k, n, transposeA, transposeB, accumulate: false, p, 1, seed++, alpha);
                    GemmCheck.Run<double>(m, k, n, transposeA, transposeB, accumulate: true, p, 1, seed++, alpha);
                }
            }
        }

        [Theory]
        [InlineData(2)]
        [InlineData(3)]
        public void AboveParallelThreshold_EachWorkerScalesItsBlocks(int workers)
        {
            foreach ((bool transposeA, bool transposeB) in GemmCheck.Transposes)
            {
                GemmCheck.Run<float>(160, 130, 110, transposeA, transposeB, accumulate: true, GemmPath.Auto, workers, 51, alpha: 0.125);
                GemmCheck.Run<double>(110, 130, 160, transposeA, transposeB, accumulate: false, GemmPath.Auto, workers, 52, alpha: -3);
            }
        }

        [Fact]
        public void ScaledProducts_AreTheProductTimesTheFactor()
        {
            var a = Data(6, 5, 1);
            var b = Data(5, 4, 2);
            var c = Data(6, 4, 3);
            Matrix<double>? d = null;
            Expect(Products.Multiply(-0.5, a, b, ref d), Linear.Scale(-0.5, Products.Multiply(a, b)), "Multiply");
            Matrix<double>? e = null;
            Expect(Products.MultiplyTransposeA(3.0, b, Data(5, 7, 4), ref e), Linear.Scale(3.0, Products.MultiplyTransposeA(b, Data(5, 7, 4))), "MultiplyTransposeA");
            Matrix<double>? f = null;
            Expect(Products.MultiplyTransposeB(0.25, a, Data(3, 5, 5), ref f), Linear.Scale(0.25, Products.MultiplyTransposeB(a, Data(3, 5, 5))), "MultiplyTransposeB");

            var target = c.Clone();
            Products.MultiplyAddTo(target, 2.0, a, b);
            Expect(target, c + Linear.Scale(2.0, Products.Multiply(a, b)), "MultiplyAddTo accumulate");
            Products.MultiplyAddTo(target, 2.0, a, b, accumulate: false);
            Expect(target, Linear.Scale(2.0, Products.Multiply(a, b)), "MultiplyAddTo overwrite");
        }

        [Fact]
        public void ScaledProducts_AllocateNothingIntoTheirSlots()
        {
            var a = Data(40, 30, 1);
            var b = Data(30, 20, 2);
            Matrix<double>? d = null;
            var target = new Matrix<double>(40, 20);
            IntoAccumulateTests.AssertNoAllocation(() =>
            {
                Products.Multiply(2.0, a, b, ref d);
                Products.MultiplyAddTo(target, 0.5, a, b);
            });
        }

        private static Matrix<double> Data(int rows, int cols, int seed)
        {
            var random = new Random(seed);
            var m = new Matrix<double>(rows, cols);
            for (int i = 0; i < m.AsSpan().Length; i++)
            {
                m.AsSpan()[i] = (random.NextDouble() * 2) - 1;
            }
            return m;
        }

        private static void Expect(Matrix<double> actual, Matrix<double> expected, string what)
        {
            Assert.Equal((expected.Rows, expected.Cols), (actual.Rows, actual.Cols));
            for (int i = 0; i < expected.AsSpan().Length; i++)
            {
                double want = expected.AsSpan()[i], got = actual.AsSpan()[i];
                Assert.True(Math.Abs(got - want) <= 1e-13 * (1 + Math.Abs(want)), $"{what}: entry {i} is {got}, expected {want}");
            }
        }
    }
}
