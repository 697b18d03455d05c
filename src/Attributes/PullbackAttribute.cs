using System;

namespace AutoGradGen
{
    /// <summary>
    /// Gives a static method a hand-written reverse-mode rule, so that <see cref="DifferentiableAttribute"/> code can
    /// call it like an op. The method's body may be any C#; the generator never reads it.
    /// </summary>
    /// <remarks>
    /// <para>The named method must be a static method of the same type with this signature, for a method
    /// <c>static R F(P1 p1, …, Pn pn)</c>:</para>
    /// <code>
    /// static void FPullback(P1 p1, …, Pn pn, R value, R seed, D1 dp1, …, Dk dpk)
    /// </code>
    /// <para>After the original parameters come the forward value <c>value</c> (what F returned) and the seed Ḡ
    /// (the adjoint of the result), both of type R; then one gradient argument per differentiated parameter, in
    /// order: <c>Matrix&lt;T&gt;?</c> or <c>Vector&lt;T&gt;?</c> for a matrix or vector parameter, a buffer of the
    /// parameter's shape into which the pullback ADDS seedᵀ·J (it is null when that gradient is not needed), and
    /// <c>ref T</c> for a scalar parameter, to which it adds likewise. Parameters marked
    /// <see cref="NoGradientAttribute"/>, <c>int</c> parameters and parameters of any other type get no gradient
    /// argument.</para>
    /// <para>A signature that does not match is an AGG0027/AGG0028 error at this attribute, showing the expected
    /// signature; the code fix adds a stub of the right shape.</para>
    /// </remarks>
    /// <example>
    /// <code>
    /// [Pullback(nameof(SoftThresholdPullback))]
    /// public static Vector&lt;double&gt; SoftThreshold(Vector&lt;double&gt; x, double t) { /* any C# */ }
    ///
    /// public static void SoftThresholdPullback(Vector&lt;double&gt; x, double t,
    ///     Vector&lt;double&gt; value, Vector&lt;double&gt; seed, Vector&lt;double&gt;? dx, ref double dt) { … }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class PullbackAttribute : Attribute
    {
        /// <summary>Names the pullback; write <c>nameof(FPullback)</c>.</summary>
        /// <param name="method">The name of a static method of the same type (see the remarks for its signature).</param>
        public PullbackAttribute(string method) => Method = method;

        /// <summary>The name of the pullback method.</summary>
        public string Method { get; }
    }
}
