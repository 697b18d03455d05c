using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Simd = System.Numerics.Vector;
using VD = System.Numerics.Vector<double>;
using VF = System.Numerics.Vector<float>;
using VL = System.Numerics.Vector<long>;

namespace AutoGradGen.Kernels;

/// <summary>
/// GELU and its derivative over spans, SIMD-vectorized (<see cref="System.Numerics.Vector{T}"/> of double; float is widened
/// to double and rounded once at the end). Φ(x) = ½ erfc(−x/√2), z = |x|/√2:
/// <list type="bullet">
/// <item>z ≤ 1: Φ = ½ + ½ erf(±z), erf(z) = z Σₙ aₙ z²ⁿ, the Taylor series to n = 19 (remainder &lt; 2⁻⁶⁰, terms decreasing);</item>
/// <item>z &gt; 1: t = ½ e^(−x²/2) erfcx(z), erfcx(z) = e^(z²) erfc z, and Φ = t below 0, 1 − t above, so the lower tail
/// keeps its relative accuracy. erfcx is smooth and slowly varying on [1, ∞): its Taylor polynomials about 1.5, 2.5,
/// 3.75 and 5.75 (degrees 21, 19, 20, 22; truncation &lt; 2·10⁻¹⁷ relative on [1, 2], [2, 3], [3, 4.5], [4.5, 7]) and
/// beyond 7 its asymptotic series 1/(z√π) Σₙ (−1)ⁿ (2n − 1)!! (2z²)⁻ⁿ to n = 25 (remainder &lt; 10⁻¹⁸);
/// e^(−x²/2) is corrected for the rounding of x² (an FMA), as in <see cref="SpecialFunctions"/>.</item>
/// </list>
/// The coefficients were computed in 60-digit arithmetic (mpmath: the Taylor coefficients of erfc(t)·e^(t²) at each
/// center, and the exact series terms) and rounded to double; the tests measure the error against a 50-digit reference
/// on a dense grid. Each element's bits depend on its value alone: whole vectors from index 0, the tail padded into a
/// full vector, every lane through the same code (no address-dependent paths).
/// </summary>
internal static class GeluVector
{
    private const double OneOverSqrtTwo = 0.70710678118654752; // 1/√2
    private const double OneOverSqrtTwoPi = 0.39894228040143268; // 1/√(2π)
    private const double OneOverSqrtPi = 0.56418958354775628; // 1/√π

    /// <summary>erf(z)/z = Σₙ aₙ (z²)ⁿ, aₙ = 2(−1)ⁿ / (√π n! (2n + 1)).</summary>
    private static readonly double[] ErfSmall =
    [
        1.1283791670955126, -0.37612638903183754, 0.11283791670955126, -0.026866170645131252, 0.005223977625442188,
        -0.0008548327023450853, 0.00012055332981789664, -1.492565035840625e-05, 1.6462114365889248e-06,
        -1.6365844691234924e-07, 1.4807192815879218e-08, -1.2290555301717928e-09, 9.422759064650411e-11,
        -6.7113668551641105e-12, 4.4632242632864775e-13, -2.7835162072109215e-14, 1.6342614095367152e-15,
        -9.063970842808673e-17, 4.763348040515068e-18, -2.3784598852774293e-19,
    ];

    /// <summary>erfcx(1.5 + h) = Σₙ cₙ hⁿ on [1, 2].</summary>
    private static readonly double[] Erfcx15 =
    [
        0.3215854164543175, -0.16362291773256007, 0.0761510398554774, -0.03293090529956264, 0.013377340953066719,
        -0.005145957547985025, 0.001886134877029727, -0.0006619300664115528, 0.00022330994435309945,
        -7.265892219597859e-05, 2.2864312211826308e-05, -6.974991614225297e-06, 2.0669707984147273e-06,
        -5.960823717851086e-07, 1.6754960581958065e-07, -4.596772840743168e-08, 1.232475165105414e-08,
        -3.233011874217703e-09, 8.305815377475094e-10, -2.09172586062783e-10, 5.168226586533349e-11,
        -1.2538017834741216e-11,
    ];

    /// <summary>erfcx(2.5 + h) on [2, 3].</summary>
    private static readonly double[] Erfcx25 =
    [
        0.2108063640611436, -0.07434734678979467, 0.024937997086656904, -0.008001569382101607, 0.002467036815701443,
        -0.0007335909371391998, 0.00021101982428448125, -5.886896469371332e-05, 1.596185313754949e-05,
        -4.214295966631021e-06, 1.085222644194387e-06, -2.7295261020819155e-07, 6.714018644565135e-08,
        -1.6169560629855874e-08, 3.816612124430239e-09, -8.837373758373702e-10, 2.0090858560460168e-10,
        -4.487834256774895e-11, 9.85696990946992e-12, -2.130096609902542e-12,
    ];

    /// <summary>erfcx(3.75 + h) on [3, 4.5].</summary>
    private static readonly double[] Erfcx375 =
    [
        0.14558972127503855, -0.03645625753272353, 0.008878755527325298, -0.00210728287016911, 0.00048822238209556744,
        -0.00011057957492429284, 2.451632537648977e-05, -5.3266727892732e-06, 1.135325604178818e-06,
        -2.3760039413391825e-07, 4.8864825235324905e-08, -9.883145363899974e-09, 1.9671716867833343e-09,
        -3.85577159763457e-10, 7.446533395291007e-11, -1.41776209920059e-11, 2.662406904110992e-12,
        -4.933641295987859e-13, 9.02546020128383e-14, -1.63062496895413e-14, 2.9106165677058424e-15,
    ];

    /// <summary>erfcx(5.75 + h) on [4.5, 7].</summary>
    private static readonly double[] Erfcx575 =
    [
        0.09669877816971392, -0.016343218143802483, 0.002725273842849635, -0.00044859569827805586, 7.292428887540691e-05,
        -1.1712414897786438e-05, 1.8593010710449665e-06, -2.9183821122225146e-07, 4.530783912925517e-08,
        -6.959585828674266e-09, 1.0580441228756284e-09, -1.5924220402534592e-10, 2.3733574954981584e-11,
        -3.5037150821848907e-12, 5.124590332026375e-13, -7.427675216929674e-14, 1.0670963528647651e-14,
        -1.5198484564203233e-15, 2.1464832269231022e-16, -3.0065326414688363e-17, 4.177269580785213e-18,
        -5.758120309688943e-19, 7.875912751946094e-20,
    ];

    /// <summary>z√π erfcx(z) ~ Σₙ (−1)ⁿ (2n − 1)!! uⁿ, u = 1/(2z²), z ≥ 7.</summary>
    private static readonly double[] ErfcxAsymptotic =
    [
        1.0, -1.0, 3.0, -15.0, 105.0, -945.0, 10395.0, -135135.0, 2027025.0, -34459425.0, 654729075.0,
        -13749310575.0, 316234143225.0, -7905853580625.0, 213458046676875.0, -6190283353629375.0,
        1.9189878396251062e+17, -6.33265987076285e+18, 2.2164309547669976e+20, -8.200794532637892e+21,
        3.1983098677287775e+23, -1.3113070457687988e+25, 5.638620296805835e+26, -2.5373791335626256e+28,
        1.1925681927744342e+30, -5.843584144594727e+31,
    ];

    /// <summary>gelu(x) = x Φ(x), element by element; <paramref name="destination"/> may be <paramref name="x"/>.</summary>
    public static void Gelu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            Apply(MemoryMarshal.Cast<T, double>(x), default, MemoryMarshal.Cast<T, double>(destination), backward: false);
        }
        else if (typeof(T) == typeof(float))
        {
            ApplySingle(MemoryMarshal.Cast<T, float>(x), default, MemoryMarshal.Cast<T, float>(destination), backward: false);
        }
        else
        {
            throw new NotSupportedException(typeof(T).Name);
        }
    }

    /// <summary>g ⊙ gelu′(x), gelu′(x) = Φ(x) + x φ(x); <paramref name="destination"/> may be an operand.</summary>
    public static void GeluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> destination)
        where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            Apply(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(g), MemoryMarshal.Cast<T, double>(destination), backward: true);
        }
        else if (typeof(T) == typeof(float))
        {
            ApplySingle(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(g), MemoryMarshal.Cast<T, float>(destination), backward: true);
        }
        else
        {
            throw new NotSupportedException(typeof(T).Name);
        }
    }

    /// <summary>gelu (or g ⊙ gelu′) of one vector of doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static VD Evaluate(VD x, VD g, bool backward)
    {
        VD phi = NormalCdf(x, backward, out VD e);
        if (!backward)
        {
            // gelu(−∞) = 0 (not −∞ · 0)
            return Simd.ConditionalSelect(Simd.Equals(x, new VD(double.NegativeInfinity)), VD.Zero, x * phi);
        }
        VD d = Simd.FusedMultiplyAdd(x * new VD(OneOverSqrtTwoPi), e, phi);
        // gelu′(±∞) = 1 or 0 (not ∞ · 0)
        VL infinite = Simd.Equals(Simd.Abs(x), new VD(double.PositiveInfinity));
        d = Simd.ConditionalSelect(infinite, Simd.ConditionalSelect(Simd.GreaterThan(x, VD.Zero), VD.One, VD.Zero), d);
        return g * d;
    }

    /// <summary>
    /// Φ(x), and e = e^(−x²/2) (0 once it underflows) when the derivative <paramref name="needed"/> it or a lane is in the
    /// tail (otherwise 0: the forward pass near 0 needs no exponential).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static VD NormalCdf(VD x, bool needed, out VD e)
    {
        VD z = Simd.Abs(x) * new VD(OneOverSqrtTwo);
        VL small = Simd.LessThanOrEqual(z, VD.One);
        e = VD.Zero;
        if (needed || small != VL.AllBitsSet)
        {
            VD x2 = x * x;
            VD error = Simd.FusedMultiplyAdd(x, x, -x2);            // x² = x2 + error exactly
            e = Simd.Exp(x2 * new VD(-0.5)) * Simd.FusedMultiplyAdd(error, new VD(-0.5), VD.One);
            e = Simd.ConditionalSelect(Simd.GreaterThan(Simd.Abs(x), new VD(40)), VD.Zero, e);
        }
        VD phi = VD.Zero;
        if (small != VL.Zero)
        {
            VD s = x * new VD(OneOverSqrtTwo);
            VD erf = s * Horner(ErfSmall, s * s);
            phi = Simd.FusedMultiplyAdd(erf, new VD(0.5), new VD(0.5));
        }
        if (small != VL.AllBitsSet)
        {
            VD t = new VD(0.5) * e * Erfcx(z, small);
            VD tail = Simd.ConditionalSelect(Simd.LessThan(x, VD.Zero), t, VD.One - t);
            phi = Simd.ConditionalSelect(small, phi, tail);
        }
        return phi;
    }

    /// <summary>erfcx(z) for the lanes with z &gt; 1 (the lanes in <paramref name="done"/> are ignored); NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static VD Erfcx(VD z, VL done)
    {
        VD result = VD.Zero;
        VL below2 = Simd.LessThan(z, new VD(2)), below3 = Simd.LessThan(z, new VD(3));
        VL below45 = Simd.LessThan(z, new VD(4.5)), below7 = Simd.LessThan(z, new VD(7));
        VL pending = ~done;
        result = Region(result, ref pending, below2, Erfcx15, z, 1.5);
        result = Region(result, ref pending, below3, Erfcx25, z, 2.5);
        result = Region(result, ref pending, below45, Erfcx375, z, 3.75);
        result = Region(result, ref pending, below7, Erfcx575, z, 5.75);
        if (pending != VL.Zero)
        {
            VD u = VD.One / (new VD(2) * z * z);
            VD asymptotic = Horner(ErfcxAsymptotic, u) * new VD(OneOverSqrtPi) / z;
            result = Simd.ConditionalSelect(pending, asymptotic, result);
        }
        return result;
    }

    /// <summary>The lanes still <paramref name="pending"/> and <paramref name="inside"/> this region take its polynomial about <paramref name="center"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static VD Region(VD result, ref VL pending, VL inside, double[] coefficients, VD z, double center)
    {
        VL take = pending & inside;
        if (take != VL.Zero)
        {
            result = Simd.ConditionalSelect(take, Horner(coefficients, z - new VD(center)), result);
            pending &= ~take;
        }
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static VD Horner(double[] c, VD h)
    {
        VD p = new(c[^1]);
        for (int i = c.Length - 2; i >= 0; i--)
        {
            p = Simd.FusedMultiplyAdd(p, h, new VD(c[i]));
        }
        return p;
    }

    private static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> g, Span<double> destination, bool backward)
    {
        int n = x.Length, width = VD.Count, i = 0;
        VD one = VD.One;
        for (; i <= n - width; i += width)
        {
            VD gi = backward ? new VD(g.Slice(i, width)) : one;
            Evaluate(new VD(x.Slice(i, width)), gi, backward).CopyTo(destination.Slice(i, width));
        }
        if (i < n)
        {
            Span<double> xs = stackalloc double[width], gs = stackalloc double[width];
            xs.Clear();
            gs.Clear();
            x[i..].CopyTo(xs);
            if (backward)
            {
                g[i..].CopyTo(gs);
            }
            VD r = Evaluate(new VD(xs), backward ? new VD(gs) : one, backward);
            r.CopyTo(xs);
            xs[..(n - i)].CopyTo(destination[i..]);
        }
    }

    private static void ApplySingle(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> destination, bool backward)
    {
        int n = x.Length, width = VF.Count, i = 0;
        for (; i <= n - width; i += width)
        {
            VF gi = backward ? new VF(g.Slice(i, width)) : VF.One;
            EvaluateSingle(new VF(x.Slice(i, width)), gi, backward).CopyTo(destination.Slice(i, width));
        }
        if (i < n)
        {
            Span<float> xs = stackalloc float[width], gs = stackalloc float[width];
            xs.Clear();
            gs.Clear();
            x[i..].CopyTo(xs);
            if (backward)
            {
                g[i..].CopyTo(gs);
            }
            VF r = EvaluateSingle(new VF(xs), backward ? new VF(gs) : VF.One, backward);
            r.CopyTo(xs);
            xs[..(n - i)].CopyTo(destination[i..]);
        }
    }

    /// <summary>The float lanes in double, one rounding at the end (g multiplied in double too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static VF EvaluateSingle(VF x, VF g, bool backward)
    {
        Simd.Widen(x, out VD lo, out VD hi);
        Simd.Widen(g, out VD glo, out VD ghi);
        return Simd.Narrow(Evaluate(lo, glo, backward), Evaluate(hi, ghi, backward));
    }
}
