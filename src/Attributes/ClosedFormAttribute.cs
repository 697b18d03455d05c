using System;

namespace AutoGradGen
{
    /// <summary>
    /// Put by the generator on each generated gradient method: one line of its closed form, in the
    /// notation of Chen's lecture "Backpropagation – A Perspective of Matrix Calculus" (Yu Chen, TU Munich, 2023)
    /// (for example <c>∇A = xyᵀ</c>). The same lines appear in the method's XML
    /// doc; this attribute makes them readable at run time (the samples print them).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
    public sealed class ClosedFormAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        /// <param name="formula">One line of the closed form.</param>
        public ClosedFormAttribute(string formula) => Formula = formula;

        /// <summary>One line of the closed form, such as <c>∇w = 2Xᵀ(Xw − y)</c>.</summary>
        public string Formula { get; }
    }
}
