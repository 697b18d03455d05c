using System;

namespace AutoGradGen
{
    /// <summary>
    /// Marks a static method built from matrix operations for compile-time differentiation.
    /// The AutoGradGen source generator emits <c>FWithGradient</c> (scalar result) or
    /// <c>FPullback</c> (vector or matrix result) beside it, in the same partial type.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class DifferentiableAttribute : Attribute
    {
    }
}
