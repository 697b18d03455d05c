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
    }

    /// <summary>
    /// How generated code names a runtime method: each family is one static class of
    /// <c>AutoGradGen.Compute</c> holding both the allocating form and the destination-passing form
    /// (the same name with a trailing <c>ref destination</c>).
    /// </summary>
    internal static class RuntimeApi
    {
        // TEMPORARY: the runtime before its split into Compute families.
        private const bool Legacy = false;

        public const string Namespace = "global::AutoGradGen.Compute";

        private const string Kernels = "global::AutoGradGen.Kernels";

        public static string Class(RuntimeFamily family) => Legacy ? Kernels + ".Into" : Namespace + "." + family;

        public static string Allocating(Kernel kernel) => Legacy ? Kernels + "." + LegacyClass(kernel.Family) + "." + kernel.Method : Class(kernel.Family) + "." + kernel.Method;

        private static string LegacyClass(RuntimeFamily family) => family switch
        {
            RuntimeFamily.Linear => "Broadcast",
            RuntimeFamily.Products => "Blas",
            RuntimeFamily.Convolution => "Conv2D",
            RuntimeFamily.Pooling => "Pool2D",
            _ => family.ToString(),
        };

        public static string Into(Kernel kernel) => Class(kernel.Family) + "." + kernel.Method;

        /// <summary>The LU factorization, shared by every solve with one matrix: <c>Factor(A, operation)</c>.</summary>
        public static string Factor => Legacy ? Kernels + ".Lu.Factor" : Class(RuntimeFamily.Factorization) + ".Factor";

        /// <summary>The type of a reusable LU factorization.</summary>
        public static string Factorization => (Legacy ? Kernels : Namespace) + ".LuFactorization";

        /// <summary>The operation a factorization serves, as the user wrote it: its name starts the singular-matrix message.</summary>
        public static string Operation(string name) => Legacy ? "\"" + name + "\"" : Namespace + ".MatrixOperation." + name;

        /// <summary>The activations a fused addition can end in.</summary>
        public static string Activation => (Legacy ? Kernels : Namespace) + ".Activation";

        /// <summary>The fused addition-activation kernels.</summary>
        public static string Fused(bool into) => Legacy ? Kernels + (into ? ".Into" : ".Fused") : Class(RuntimeFamily.Fused);
    }
}
