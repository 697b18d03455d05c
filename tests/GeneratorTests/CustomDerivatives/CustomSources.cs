namespace AutoGradGen.GeneratorTests.CustomDerivatives;

/// <summary>
/// Custom-derivative ops written as users would (loops, any C#), shared by the tests. Written in double; the tests'
/// float variant replaces every "double" by "float", so the bodies avoid double literals.
/// </summary>
internal static class CustomSources
{
    /// <summary>API.md's example: soft thresholding, sign(x) max(|x| − t, 0), with its pullback and its differential.</summary>
    public const string SoftThreshold = """
        [Pullback(nameof(SoftThresholdPullback))]
        [Differential(nameof(SoftThresholdDifferential))]
        public static Vector<double> SoftThreshold(Vector<double> x, double t)
        {
            var y = new Vector<double>(x.Length);
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = x[i] > t ? x[i] - t : x[i] < -t ? x[i] + t : 0;
            }
            return y;
        }

        // Adds seedᵀ·J: ∂y/∂x = 𝟙[|x| > t], ∂y/∂t = −sign(x) 𝟙[|x| > t].
        public static void SoftThresholdPullback(Vector<double> x, double t, Vector<double> value, Vector<double> seed, Vector<double>? dx, ref double dt)
        {
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] > t || x[i] < -t)
                {
                    if (dx is not null)
                    {
                        dx[i] += seed[i];
                    }
                    dt -= x[i] > 0 ? seed[i] : -seed[i];
                }
            }
        }

        public static Vector<double> SoftThresholdDifferential(Vector<double> x, double t, Vector<double> value, Vector<double> dx, double dt)
        {
            var d = new Vector<double>(x.Length);
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = x[i] > t ? dx[i] - dt : x[i] < -t ? dx[i] + dt : 0;
            }
            return d;
        }
        """;

    /// <summary>
    /// A hand-coded exp-based op, E = exp(s A) element-wise: its pullback reads the forward value (Ā += s Ḡ ⊙ E,
    /// s̄ += ⟨Ḡ, E ⊙ A⟩) and fills only the buffers it is given (null: not needed).
    /// </summary>
    public const string ScaledExp = """
        [Pullback(nameof(ScaledExpPullback))]
        [Differential(nameof(ScaledExpDifferential))]
        public static Matrix<double> ScaledExp(Matrix<double> A, double s)
        {
            var e = new Matrix<double>(A.Rows, A.Cols);
            for (int i = 0; i < A.Rows; i++)
            {
                for (int j = 0; j < A.Cols; j++)
                {
                    e[i, j] = (double)System.Math.Exp(s * A[i, j]);
                }
            }
            return e;
        }

        public static void ScaledExpPullback(Matrix<double> A, double s, Matrix<double> value, Matrix<double> seed, Matrix<double>? dA, ref double ds)
        {
            for (int i = 0; i < A.Rows; i++)
            {
                for (int j = 0; j < A.Cols; j++)
                {
                    if (dA is not null)
                    {
                        dA[i, j] += s * seed[i, j] * value[i, j];
                    }
                    ds += seed[i, j] * value[i, j] * A[i, j];
                }
            }
        }

        public static Matrix<double> ScaledExpDifferential(Matrix<double> A, double s, Matrix<double> value, Matrix<double> dA, double ds)
        {
            var d = new Matrix<double>(A.Rows, A.Cols);
            for (int i = 0; i < A.Rows; i++)
            {
                for (int j = 0; j < A.Cols; j++)
                {
                    d[i, j] = value[i, j] * (s * dA[i, j] + ds * A[i, j]);
                }
            }
            return d;
        }
        """;

    /// <summary>A scalar-valued op that allocates nothing: Σ log cosh(xᵢ), gradient tanh(x); a [NoGradient] weight and an int pass through.</summary>
    public const string LogCoshSum = """
        [Pullback(nameof(LogCoshSumPullback))]
        public static double LogCoshSum(Vector<double> x, [NoGradient] double weight, int skip)
        {
            double sum = 0;
            for (int i = skip; i < x.Length; i++)
            {
                sum += weight * (double)System.Math.Log(System.Math.Cosh(x[i]));
            }
            return sum;
        }

        public static void LogCoshSumPullback(Vector<double> x, double weight, int skip, double value, double seed, Vector<double>? dx)
        {
            if (dx is null)
            {
                return;
            }
            for (int i = skip; i < x.Length; i++)
            {
                dx[i] += seed * weight * (double)System.Math.Tanh(x[i]);
            }
        }
        """;

    /// <summary>A ⊙ B as a custom op (the pullback adds Ḡ ⊙ B and Ḡ ⊙ A): called on the same argument twice, it gets two buffers.</summary>
    public const string Product = """
        [Pullback(nameof(ProductPullback))]
        public static Matrix<double> Product(Matrix<double> A, Matrix<double> B)
        {
            var y = new Matrix<double>(A.Rows, A.Cols);
            for (int i = 0; i < A.Rows; i++)
            {
                for (int j = 0; j < A.Cols; j++)
                {
                    y[i, j] = A[i, j] * B[i, j];
                }
            }
            return y;
        }

        public static void ProductPullback(Matrix<double> A, Matrix<double> B, Matrix<double> value, Matrix<double> seed, Matrix<double>? dA, Matrix<double>? dB)
        {
            for (int i = 0; i < A.Rows; i++)
            {
                for (int j = 0; j < A.Cols; j++)
                {
                    if (dA is not null)
                    {
                        dA[i, j] += seed[i, j] * B[i, j];
                    }
                    if (dB is not null)
                    {
                        dB[i, j] += seed[i, j] * A[i, j];
                    }
                }
            }
        }
        """;
}
