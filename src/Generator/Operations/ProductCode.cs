using AutoGradGen.Generator.Emit;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Operations
{
    /// <summary>
    /// The C# of a product, mapped to the kernel that never materializes a transpose:
    /// Aᵀ B → MultiplyTransposeA, A Bᵀ → MultiplyTransposeB, x yᵀ → Outer, s X → Scale.
    /// </summary>
    internal static class ProductCode
    {
        private static readonly Kernel Multiply = new(RuntimeFamily.Products, "Multiply");
        private static readonly Kernel TransposeA = new(RuntimeFamily.Products, "MultiplyTransposeA");
        private static readonly Kernel TransposeB = new(RuntimeFamily.Products, "MultiplyTransposeB");
        private static readonly Kernel Outer = new(RuntimeFamily.Products, "Outer");
        private static readonly Kernel Scale = new(RuntimeFamily.Linear, "Scale");
        private static readonly Kernel Transpose = new(RuntimeFamily.Linear, "Transpose");

        /// <summary>A product of two matrices (either possibly a never-formed transpose): one GEMM call.</summary>
        public static bool IsMatrixProduct(Expr e)
            => e is Fn f && f.Is(Op.Multiply) && f.Kind == ValueKind.Matrix && f[0].Kind == ValueKind.Matrix && f[1].Kind == ValueKind.Matrix;

        private static bool IsTransposedMatrix(Expr e) => E.Is(e, Op.Transpose) && e.Kind == ValueKind.Matrix;

        private static Expr Inner(Expr e) => ((Fn)e)[0];

        public static Printed Allocating(CodePrinter p, Fn f)
        {
            Expr a = f[0], b = f[1];
            bool aT = IsTransposedMatrix(a);
            bool bT = E.Is(b, Op.Transpose);
            if (a.Kind == ValueKind.Vector && bT && b.Kind == ValueKind.Vector)
            {
                return p.CallOps("Outer", new[] { a, Inner(b) });
            }
            if (a.Kind == ValueKind.Scalar || b.Kind == ValueKind.Scalar)
            {
                return new Printed(p.Atom(a) + " * " + p.Atom(b), false);
            }
            if (aT && bT)
            {
                return CodePrinter.Ops + ".Transpose(" + p.Atom(Inner(b)) + " * " + p.Atom(Inner(a)) + ")";
            }
            if (aT)
            {
                return p.Call(TransposeA, new[] { Inner(a), b });
            }
            if (bT && b.Kind == ValueKind.Matrix)
            {
                return p.Call(TransposeB, new[] { a, Inner(b) });
            }
            return new Printed(p.Atom(a) + " * " + p.Atom(b), false);
        }

        /// <summary>s · op(A) op(B) of two matrices as one scaled GEMM into the slot (no pass over the product to scale it); null otherwise.</summary>
        private static string? ScaledProduct(CodePrinter p, Expr scale, Expr product, System.Func<string> slot)
        {
            if (!IsMatrixProduct(product))
            {
                return null;
            }
            var f = (Fn)product;
            bool aT = IsTransposedMatrix(f[0]), bT = IsTransposedMatrix(f[1]);
            if (aT && bT)
            {
                return null;
            }
            var kernel = aT ? TransposeA : bT ? TransposeB : Multiply;
            return p.CallInto(kernel, new[] { scale, aT ? Inner(f[0]) : f[0], bT ? Inner(f[1]) : f[1] }, slot);
        }

        public static string Into(CodePrinter p, Fn f, System.Func<string> slot)
        {
            Expr a = f[0], b = f[1];
            bool aT = IsTransposedMatrix(a);
            bool bT = E.Is(b, Op.Transpose);
            if (a.Kind == ValueKind.Vector && bT && b.Kind == ValueKind.Vector)
            {
                return p.CallInto(Outer, new[] { a, Inner(b) }, slot);
            }
            if (a.Kind == ValueKind.Scalar || b.Kind == ValueKind.Scalar)
            {
                var (s, m) = a.Kind == ValueKind.Scalar ? (a, b) : (b, a);
                return ScaledProduct(p, s, m, slot) ?? p.CallInto(Scale, new[] { s, m }, slot);
            }
            if (aT && bT)
            {
                return p.CallInto(Transpose, new[] { E.Mul(Inner(b), Inner(a)) }, slot);
            }
            if (aT)
            {
                return p.CallInto(TransposeA, new[] { Inner(a), b }, slot);
            }
            return bT && b.Kind == ValueKind.Matrix ? p.CallInto(TransposeB, new[] { a, Inner(b) }, slot) : p.CallInto(Multiply, new[] { a, b }, slot);
        }
    }
}
