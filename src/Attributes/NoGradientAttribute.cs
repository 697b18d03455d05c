using System;

namespace AutoGradGen
{
    /// <summary>
    /// Marks a parameter of a <see cref="DifferentiableAttribute"/> method as a constant
    /// (data, labels): no gradient is computed or returned for it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class NoGradientAttribute : Attribute
    {
    }
}
