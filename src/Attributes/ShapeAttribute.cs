using System;

namespace AutoGradGen
{
    /// <summary>
    /// Names the dimensions of a matrix or vector parameter of a <see cref="DifferentiableAttribute"/>
    /// method: <c>[Shape("n")]</c> on a vector, <c>[Shape("h", "d")]</c> on a matrix (rows, then columns).
    /// Each entry is a symbol or an integer literal. The generator infers the shape of every value from
    /// these, reports a provable mismatch as an error at the operation, and checks the sizes once on entry.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class ShapeAttribute : Attribute
    {
        /// <summary>Names the dimensions: one entry for a vector, two (rows, columns) for a matrix.</summary>
        public ShapeAttribute(params string[] dims)
        {
            Dims = dims;
        }

        /// <summary>The dimensions as written: symbols or integer literals.</summary>
        public string[] Dims { get; }
    }
}
