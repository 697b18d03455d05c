namespace AutoGradGen.Generator.Operations
{
    /// <summary>The op families of the runtime's destination-passing API (namespace <c>AutoGradGen.Compute</c>).</summary>
    internal enum RuntimeFamily
    {
        Linear,
        Products,
        Elementwise,
        Reductions,
        Factorization,
        Classification,
        Convolution,
        Pooling,
        Fused,
        Normalization,
        Slicing,
    }

    /// <summary>
    /// How generated code names a runtime method: each family is one static class of
    /// <c>AutoGradGen.Compute</c> holding both the allocating form and the destination-passing form
    /// (the same name with a trailing <c>ref destination</c>).
    /// </summary>
    internal static class RuntimeApi
    {
        public const string Namespace = "global::AutoGradGen.Compute";

        public static string Class(RuntimeFamily family) => Namespace + "." + family;

        public static string Allocating(Kernel kernel) => Class(kernel.Family) + "." + kernel.Method;

        public static string Into(Kernel kernel) => Class(kernel.Family) + "." + kernel.Method;

        /// <summary>The LU factorization, shared by every solve with one matrix: <c>Factor(A, operation)</c>.</summary>
        public static string Factor => Class(RuntimeFamily.Factorization) + ".Factor";

        /// <summary>The type of a reusable LU factorization.</summary>
        public static string Factorization => Namespace + ".LuFactorization";

        /// <summary>The operation a factorization serves, as the user wrote it: its name starts the singular-matrix message.</summary>
        public static string Operation(string name) => Namespace + ".MatrixOperation." + name;

        /// <summary>The activations a fused addition can end in.</summary>
        public static string Activation => Namespace + ".Activation";

        /// <summary>The fused addition-activation kernels (both forms live in one class).</summary>
        public static string Fused => Class(RuntimeFamily.Fused);
    }
}
