using System;

namespace AutoGradGen
{
    /// <summary>
    /// Gives a method that carries <see cref="PullbackAttribute"/> a hand-written forward-mode rule, so that the
    /// <c>FDifferential</c> methods of its <see cref="DifferentiableAttribute"/> callers are generated too.
    /// </summary>
    /// <remarks>
    /// <para>The named method must be a static method of the same type with this signature, for a method
    /// <c>static R F(P1 p1, …, Pn pn)</c>:</para>
    /// <code>
    /// static R FDifferential(P1 p1, …, Pn pn, R value, D1 dp1, …, Dk dpk)
    /// </code>
    /// <para>After the original parameters come the forward value <c>value</c> (what F returned), then one
    /// differential per differentiated parameter, in order, of that parameter's type (<c>Matrix&lt;T&gt;</c>,
    /// <c>Vector&lt;T&gt;</c> or <c>T</c>, passed by value); it returns ∂F = J·∂p, of type R. Parameters marked
    /// <see cref="NoGradientAttribute"/>, <c>int</c> parameters and parameters of any other type get no
    /// differential. A signature that does not match is an AGG0027/AGG0028 error at this attribute.</para>
    /// <para>Without it, callers get their gradients but no <c>FDifferential</c> (AGG0030, information).</para>
    /// </remarks>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class DifferentialAttribute : Attribute
    {
        /// <summary>Names the differential; write <c>nameof(FDifferential)</c>.</summary>
        /// <param name="method">The name of a static method of the same type (see the remarks for its signature).</param>
        public DifferentialAttribute(string method) => Method = method;

        /// <summary>The name of the differential method.</summary>
        public string Method { get; }
    }
}
