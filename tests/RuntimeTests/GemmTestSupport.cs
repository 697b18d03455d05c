using System.Numerics;
using AutoGradGen.Compute;
using AutoGradGen.Kernels;
using Xunit;

namespace AutoGradGen.RuntimeTests
{
    /// <summary>
    /// Shared oracle for the <see cref="Gemm"/> tests: random operands, a naive triple loop in double,
    /// and a tolerance of 2·(k + 2)·eps·(|op(A)|·|op(B)| + |C₀|) per element.
    /// </summary>
    internal static class GemmCheck
    {
        /// <summary>Elements after C that must come back untouched.</summary>
        private const int GuardLength = 7;

        /// <summary>Every <see cref="GemmPath"/> (by name: theory data must be public) × every transpose pair.</summary>
        public static TheoryData<string, bool, bool> PathsAndTransposes()
        {
            var data = new TheoryData<string, bool, bool>();
            foreach (GemmPath path in Enum.GetValues<GemmPath>())
            {
                foreach ((bool transposeA, bool transposeB) in Transposes)
                {
                    data.Add(path.ToString(), transposeA, transposeB);
                }
            }
            return data;
        }

        public static (bool TransposeA, bool TransposeB)[] Transposes { get; } =
            [(false, false), (false, true), (true, false), (true, true)];

        /// <summary>
        /// Runs one product on random data through <see cref="Gemm.MultiplyWith"/> and compares every
        /// element with the reference; the guard elements past C must be unchanged.
        /// </summary>
        public static void Run<T>(
            int m, int k, int n, bool transposeA, bool transposeB, bool accumulate, GemmPath path, int workers, int seed, double alpha = 1)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(seed);
            T[] a = RandomArray<T>(random, m * k), b = RandomArray<T>(random, k * n);
            T[] c = RandomArray<T>(random, (m * n) + GuardLength);
            T[] initial = (T[])c.Clone();

            Gemm.MultiplyWith<T>(a, b, c.AsSpan(0, m * n), m, k, n, transposeA, transposeB, accumulate, T.CreateChecked(alpha), path, workers);

            string what = $"{typeof(T).Name} {path} m={m} k={k} n={n} tA={transposeA} tB={transposeB} acc={accumulate} workers={workers} alpha={alpha}";
            AssertMatchesReference(a, b, accumulate ? initial : null, c, m, k, n, transposeA, transposeB, what, alpha);
            for (int g = m * n; g < c.Length; g++)
            {
                Assert.True(c[g] == initial[g], $"{what}: wrote past C at {g}");
            }
        }

        /// <summary>Asserts actual ≈ op(A)·op(B) (+ C₀) element by element.</summary>
        public static void AssertMatchesReference<T>(
            T[] a, T[] b, T[]? c0, T[] actual, int m, int k, int n, bool transposeA, bool transposeB, string what, double alpha = 1)
            where T : INumberBase<T>
        {
            double eps = typeof(T) == typeof(float) ? Math.Pow(2, -23)
                : typeof(T) == typeof(double) ? Math.Pow(2, -52) : Math.Pow(2, -10);
            (double[] expected, double[] magnitude) = Reference(a, b, c0, m, k, n, transposeA, transposeB, alpha);
            for (int i = 0; i < expected.Length; i++)
            {
                double x = double.CreateChecked(actual[i]);
                double tolerance = (2 * (k + 2) * eps * magnitude[i]) + 1e-300;
                if (!(Math.Abs(expected[i] - x) <= tolerance))
                {
                    Assert.Fail($"{what}: C[{i / n}, {i % n}] = {x}, expected {expected[i]} ± {tolerance}");
                }
            }
        }

        /// <summary>
        /// Naive triple loop in double: α·op(A)·op(B) (+ C₀), and |α·op(A)|·|op(B)| (+ |C₀|), the scale of
        /// each element's rounding error. op(A) is copied row-major and op(B) column-major first.
        /// </summary>
        public static (double[] Value, double[] Magnitude) Reference<T>(
            T[] a, T[] b, T[]? c0, int m, int k, int n, bool transposeA, bool transposeB, double alpha = 1)
            where T : INumberBase<T>
        {
            double[] opA = Copy(a, m, k, transposeA ? 1 : k, transposeA ? m : 1);
            double[] opBt = Copy(b, n, k, transposeB ? k : 1, transposeB ? 1 : n);
            var value = new double[m * n];
            var magnitude = new double[m * n];
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = c0 is null ? 0 : double.CreateChecked(c0[(i * n) + j]);
                    double abs = Math.Abs(sum);
                    for (int p = 0; p < k; p++)
                    {
                        double product = alpha * opA[(i * k) + p] * opBt[(j * k) + p];
                        sum += product;
                        abs += Math.Abs(product);
                    }
                    value[(i * n) + j] = sum;
                    magnitude[(i * n) + j] = abs;
                }
            }
            return (value, magnitude);
        }

        public static T[] RandomArray<T>(Random random, int length)
            where T : INumberBase<T>
        {
            var array = new T[length];
            for (int i = 0; i < length; i++)
            {
                array[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
            }
            return array;
        }

        /// <summary>rows×cols matrix M[r, s] = source[r·rowStride + s·colStride], row-major in double.</summary>
        private static double[] Copy<T>(T[] source, int rows, int cols, int rowStride, int colStride)
            where T : INumberBase<T>
        {
            var copy = new double[rows * cols];
            for (int r = 0; r < rows; r++)
            {
                for (int s = 0; s < cols; s++)
                {
                    copy[(r * cols) + s] = double.CreateChecked(source[(r * rowStride) + (s * colStride)]);
                }
            }
            return copy;
        }
    }
}
