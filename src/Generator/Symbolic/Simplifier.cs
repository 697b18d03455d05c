using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using static AutoGradGen.Generator.Symbolic.E;

namespace AutoGradGen.Generator.Symbolic
{
    /// <summary>
    /// Algebraic simplification on expressions, applied bottom-up to a fixed point. Code mode keeps
    /// forms that map to fused kernels (AᵀB stays a transposed product); math mode also pushes
    /// transposes inward and writes solves as A⁻¹B, as a textbook would.
    /// </summary>
    internal static class Simplifier
    {
        public static Expr Simplify(Expr e, bool math)
        {
            for (int pass = 0; pass < 32; pass++)
            {
                var next = Visit(e, math);
                if (next.Equals(e))
                {
                    return next;
                }
                e = next;
            }
            return e;
        }

        private static Expr Visit(Expr e, bool math)
        {
            if (e is not Fn f)
            {
                return e;
            }
            var args = f.Args.Items.Select(a => Visit(a, math)).ToArray();
            var rebuilt = new Fn(f.Op, f.Kind, EquatableArray.From(args), f.Index);
            return Rewrite(rebuilt, math) ?? rebuilt;
        }

        private static Expr? Rewrite(Fn f, bool math)
            => PullScalarOut(f) ?? (math ? MathForms(f) : null) ?? RewriteByOp(f, math);

        /// <summary>The rewrites that only make the closed form read like a textbook; the code keeps its kernels.</summary>
        private static Expr? MathForms(Fn f)
            => PullFillOut(f) ?? PullDivisorOut(f) ?? ScalarOverDivisor(f) ?? FactorCommonScalar(f) ?? FactorCommonDivisor(f) ?? DivisorOutOfProduct(f);

        /// <summary>Math only: a kernel linear in X/s is the kernel on X, over s: SoftplusBackward(z, y/n) → (y ⊙ σ(z))/n.</summary>
        private static Expr? PullDivisorOut(Fn f)
        {
            int i = f.Kind == ValueKind.Scalar ? -1 : f.Is(Op.Hadamard) ? (Is(f[0], Op.Divide) ? 0 : 1) : f.Op.LinearIn;
            if (i < 0 || i >= f.Args.Count || !(f[i] is Fn d && d.Is(Op.Divide)) || d[0].Kind == ValueKind.Scalar)
            {
                return null;
            }
            var args = f.Args.Items.ToArray();
            args[i] = d[0];
            return Div(new Fn(f.Op, f.Kind, EquatableArray.From(args), f.Index), d[1]);
        }

        /// <summary>Math only: s a − s b → s (a − b) when every term of a sum has the same symbolic scalar factor.</summary>
        private static Expr? FactorCommonScalar(Fn f)
            => FactorCommon(f, t => t is Fn m && m.Is(Op.Multiply) && m[0].Kind == ValueKind.Scalar && m[0] is not Num && m[1].Kind != ValueKind.Scalar
                ? (m[0], m[1]) : null, (common, sum) => Mul(common, sum));

        /// <summary>Math only: a/n − b/n → (a − b)/n when every term of a sum has the same divisor.</summary>
        private static Expr? FactorCommonDivisor(Fn f)
            => FactorCommon(f, t => t is Fn d && d.Is(Op.Divide) ? (d[1], d[0]) : null, (common, sum) => Div(sum, common));

        /// <summary>A sum whose every term splits (by <paramref name="split"/>) into one common factor and a rest: join(factor, sum of the rests).</summary>
        private static Expr? FactorCommon(Fn f, System.Func<Expr, (Expr, Expr)?> split, System.Func<Expr, Expr, Expr> join)
        {
            if (!(f.Is(Op.Add) || f.Is(Op.Subtract)) || f.Kind == ValueKind.Scalar)
            {
                return null;
            }
            var terms = new List<(double Coefficient, Expr Term)>();
            Collect(f, 1, terms);
            Expr? common = null;
            var rests = new List<(double Coefficient, Expr Term)>();
            foreach (var (coefficient, term) in terms)
            {
                if (split(term) is not { } parts || common is not null && !common.Equals(parts.Item1))
                {
                    return null;
                }
                common = parts.Item1;
                rests.Add((coefficient, parts.Item2));
            }
            return common is null ? null : join(common, Rebuild(rests, f.Kind));
        }

        /// <summary>Math only: A (x/n) → (A x)/n, so the divisor of a mean stands outside the product.</summary>
        private static Expr? DivisorOutOfProduct(Fn f)
            => f.Is(Op.Multiply) && f[0].Kind != ValueKind.Scalar && f[1] is Fn d && d.Is(Op.Divide) && d[1].Kind == ValueKind.Scalar
                ? Div(Mul(f[0], d[0]), d[1]) : null;

        /// <summary>
        /// Math only: a kernel linear in a constant fill c𝟙 (the 𝟙/n of a mean) becomes c times the kernel on 𝟙,
        /// which prints as the function alone: SoftplusBackward(z, (1/n)𝟙) → (1/n) σ(z).
        /// </summary>
        private static Expr? PullFillOut(Fn f)
        {
            int i = f.Op.LinearIn;
            if (f.Kind == ValueKind.Scalar || i < 0 || i >= f.Args.Count || !(f[i] is Fn fill && fill.Is(Op.Filled)) || IsOne(fill[1]))
            {
                return null;
            }
            var args = f.Args.Items.ToArray();
            args[i] = new Fn(Op.Filled, fill.Kind, fill[0], new Num(1));
            return Mul(fill[1], new Fn(f.Op, f.Kind, EquatableArray.From(args), f.Index));
        }

        /// <summary>Math only: (1/n) X → X/n, as a textbook writes Xᵀ(σ(z) − y)/n.</summary>
        private static Expr? ScalarOverDivisor(Fn f)
            => f.Is(Op.Multiply) && f[0] is Fn d && d.Is(Op.Divide) && d[0] is Num { Value: 1 } && f[1].Kind != ValueKind.Scalar
                ? Div(f[1], d[1]) : null;

        private static Expr? PullScalarOut(Fn f)
        {
            int i = f.Kind == ValueKind.Scalar ? -1 : f.Op == Op.Hadamard ? (IsAny(f[0], Op.Multiply, Op.Negate) ? 0 : 1) : f.Op.LinearIn;
            if (i < 0 || i >= f.Args.Count || f[i].Kind == ValueKind.Scalar)
            {
                return null;
            }
            Expr? factor = f[i] switch
            {
                Fn m when m.Is(Op.Multiply) && m[0].Kind == ValueKind.Scalar && m[1].Kind != ValueKind.Scalar => m[0],
                Fn __n when __n.Is(Op.Negate) => new Num(-1),
                _ => null,
            };
            if (factor is null)
            {
                return null;
            }
            var inner = f[i] is Fn neg && neg.Is(Op.Negate) ? neg[0] : ((Fn)f[i])[1];
            var args = f.Args.Items.ToArray();
            args[i] = inner;
            return Mul(factor, new Fn(f.Op, f.Kind, EquatableArray.From(args), f.Index));
        }

        private static Expr? RewriteByOp(Fn f, bool math)
        {
            if (f.Is(Op.Negate))
            {
                return RewriteNegate(f);
            }
            if (f.Is(Op.Multiply))
            {
                return RewriteMultiply(f);
            }
            if (f.Is(Op.Transpose))
            {
                return RewriteTranspose(f, math);
            }
            if (f.Is(Op.Hadamard))
            {
                return RewriteHadamard(f);
            }
            if (f.Is(Op.Add) || f.Is(Op.Subtract))
            {
                return RewriteSum(f);
            }
            if (f.Is(Op.Divide))
            {
                return RewriteDivide(f);
            }
            if ((f.Is(Op.Solve) || f.Is(Op.SolveTransposed)) && f[1] is Fn identity && identity.Is(Op.Identity))
            {
                // A⁻¹(s I) = s A⁻¹, A⁻ᵀ(s I) = s A⁻ᵀ: formed without filling an identity first.
                return Mul(identity[1], new Fn(f.Is(Op.Solve) ? Op.Inverse : Op.InverseTransposed, ValueKind.Matrix, f[0]));
            }
            if (math && f.Is(Op.Solve))
            {
                return Mul(new Fn(Op.Inverse, ValueKind.Matrix, f[0]), f[1]);
            }
            return math && f.Is(Op.SolveTransposed) ? Mul(new Fn(Op.InverseTransposed, ValueKind.Matrix, f[0]), f[1]) : null;
        }

        /// <summary>X / 1 → X; (−X) / s → −(X / s); (c X) / s → c (X / s) for a number c.</summary>
        private static Expr? RewriteDivide(Fn f) => f[0] switch
        {
            _ when f[1] is Num { Value: 1 } => f[0],
            Num a when f[1] is Num b && b.Value != 0 => new Num(a.Value / b.Value),
            _ when f[1] is Num c && IsPowerOfTwo(c.Value) => Mul(new Num(1 / c.Value), f[0]),
            Fn neg when neg.Is(Op.Negate) => Neg(Div(neg[0], f[1])),
            Fn m when m.Is(Op.Multiply) && m[0] is Num => Mul(m[0], Div(m[1], f[1])),
            _ => null,
        };

        /// <summary>Whether 1/v is exact in binary floating point (±2ᵏ), so X/v may become (1/v) X.</summary>
        internal static bool IsPowerOfTwo(double v)
        {
            // A normal double is ±2ᵏ exactly when its 52 fraction bits are zero.
            var m = System.Math.Abs(v);
            return m >= double.Epsilon * (1L << 52) && !double.IsInfinity(m) && (System.BitConverter.DoubleToInt64Bits(m) & 0xFFFFFFFFFFFFFL) == 0;
        }

        private static Expr? RewriteNegate(Fn f) => f[0] switch
        {
            Fn inner when inner.Is(Op.Negate) => inner[0],
            Num n => new Num(-n.Value),
            _ => null,
        };

        private static Expr? RewriteMultiply(Fn f)
        {
            Expr a = f[0], b = f[1];
            if (a is Num x && b is Num y)
            {
                return new Num(x.Value * y.Value);
            }
            if (IsOne(a) && a is Num)
            {
                return b;
            }
            if (b is Num { Value: 1 })
            {
                return a;
            }
            if (a is Num { Value: -1 })
            {
                return Neg(b);
            }
            if (a is Fn na && na.Is(Op.Negate))
            {
                return Neg(Mul(na[0], b));
            }
            if (b is Fn nb && nb.Is(Op.Negate))
            {
                return Neg(Mul(a, nb[0]));
            }
            return MoveScalarsForward(a, b) ?? FoldConstantsIntoFills(a, b) ?? Reassociate(a, b);
        }

        /// <summary>Scalars go in front (X s → s X, A (s B) → s (A B)), numbers before symbols.</summary>
        private static Expr? MoveScalarsForward(Expr a, Expr b)
        {
            if (b.Kind == ValueKind.Scalar && (a.Kind != ValueKind.Scalar || b is Num && a is not Num))
            {
                return Mul(b, a);
            }
            if (a.Kind != ValueKind.Scalar && b is Fn mb && mb.Is(Op.Multiply) && mb[0].Kind == ValueKind.Scalar && mb[1].Kind != ValueKind.Scalar)
            {
                return Mul(mb[0], Mul(a, mb[1]));
            }
            if (b.Kind != ValueKind.Scalar && a is Fn ma && ma.Is(Op.Multiply) && ma[0].Kind == ValueKind.Scalar && ma[1].Kind != ValueKind.Scalar)
            {
                return Mul(ma[0], Mul(ma[1], b));
            }
            if (a.Kind == ValueKind.Scalar && a is not Num && b is Fn mn && mn.Is(Op.Multiply) && mn[0] is Num)
            {
                return Mul(Mul(mn[0], a), mn[1]);
            }
            if (a is Num && b is Fn mm && mm.Is(Op.Multiply) && mm[0] is Num inner)
            {
                return Mul(new Num(((Num)a).Value * inner.Value), mm[1]);
            }
            return null;
        }

        /// <summary>s 𝟙 → 𝟙 scaled by s; X I → X; I X → X.</summary>
        private static Expr? FoldConstantsIntoFills(Expr a, Expr b)
        {
            if (a.Kind == ValueKind.Scalar && b is Fn fill && (fill.Is(Op.Filled) || fill.Is(Op.Identity)))
            {
                return new Fn(fill.Op, fill.Kind, fill[0], Mul(a, fill[1]));
            }
            if (b is Fn idB && idB.Is(Op.Identity) && a.Kind != ValueKind.Scalar)
            {
                return Mul(idB[1], a);
            }
            if (a is Fn idA && idA.Is(Op.Identity) && b.Kind != ValueKind.Scalar)
            {
                return Mul(idA[1], b);
            }
            return null;
        }

        /// <summary>Matrix-chain order for the shapes that matter: (A B) v → A (B v); (u vᵀ) W → u (Wᵀv)ᵀ.</summary>
        private static Expr? Reassociate(Expr a, Expr b)
        {
            if (b.Kind == ValueKind.Vector && a is Fn ab && ab.Is(Op.Multiply) && ab[0].Kind == ValueKind.Matrix && ab[1].Kind == ValueKind.Matrix)
            {
                return Mul(ab[0], Mul(ab[1], b));
            }
            if (b.Kind == ValueKind.Matrix && IsOuter(a, out var u, out var v))
            {
                return Mul(u, T(Mul(T(b), v)));
            }
            if (a.Kind == ValueKind.Matrix && IsOuter(b, out var u2, out var v2))
            {
                return Mul(Mul(a, u2), T(v2));
            }
            return null;
        }

        private static bool IsOuter(Expr e, out Expr u, out Expr v)
        {
            if (e is Fn m && m.Is(Op.Multiply) && m[0].Kind == ValueKind.Vector && m[1] is Fn t && t.Is(Op.Transpose) && t.Kind == ValueKind.Vector)
            {
                u = m[0];
                v = t[0];
                return true;
            }
            u = v = e;
            return false;
        }

        private static Expr? RewriteTranspose(Fn f, bool math)
        {
            var x = f[0];
            switch (x)
            {
                case Fn inner when inner.Is(Op.Transpose):
                    return inner[0];
                case Fn neg when neg.Is(Op.Negate):
                    return Neg(T(neg[0]));
                case Fn m when m.Is(Op.Multiply) && m[0].Kind == ValueKind.Scalar:
                    return Mul(m[0], T(m[1]));
                case Fn __id when __id.Is(Op.Identity):
                    return x;
                case Num:
                    return x;
            }
            if (x.Kind == ValueKind.Scalar)
            {
                return x;
            }
            if (x is Fn product && product.Is(Op.Multiply) && product[0].Kind == ValueKind.Matrix && product[1].Kind == ValueKind.Matrix
                && (Is(product[0], Op.Transpose) || Is(product[1], Op.Transpose)))
            {
                // (A Bᵀ)ᵀ = B Aᵀ: one transposed product instead of a product and a transpose.
                return Mul(T(product[1]), T(product[0]));
            }
            if (!math)
            {
                return null;
            }
            return x switch
            {
                Fn m when m.Is(Op.Multiply) => Mul(T(m[1]), T(m[0])),
                Fn inv when inv.Is(Op.Inverse) => new Fn(Op.InverseTransposed, ValueKind.Matrix, inv[0]),
                Fn invT when invT.Is(Op.InverseTransposed) => new Fn(Op.Inverse, ValueKind.Matrix, invT[0]),
                Fn s when s.Is(Op.Add) || s.Is(Op.Subtract) => new Fn(s.Op, s.Kind, T(s[0]), T(s[1])),
                Fn h when h.Is(Op.Hadamard) => Had(T(h[0]), T(h[1])),
                _ => null,
            };
        }

        private static Expr? RewriteHadamard(Fn f)
        {
            if (f[1] is Fn fb && fb.Is(Op.Filled))
            {
                return Mul(fb[1], f[0]);
            }
            if (f[0] is Fn fa && fa.Is(Op.Filled))
            {
                return Mul(fa[1], f[1]);
            }
            return null;
        }

        /// <summary>Flattens a sum into signed terms, merges equal terms (X + X = 2X), and rebuilds it.</summary>
        private static Expr? RewriteSum(Fn f)
        {
            var terms = new List<(double Coefficient, Expr Term)>();
            Collect(f, 1, terms);
            var merged = new List<(double Coefficient, Expr Term)>();
            foreach (var (coefficient, term) in terms)
            {
                int at = merged.FindIndex(t => t.Term.Equals(term));
                if (at >= 0)
                {
                    merged[at] = (merged[at].Coefficient + coefficient, term);
                }
                else
                {
                    merged.Add((coefficient, term));
                }
            }
            merged.RemoveAll(t => t.Coefficient == 0 || IsZero(t.Term));
            // Positive terms first, as a textbook writes N Σ⁻ᵀ − Σ⁻ᵀ S Σ⁻ᵀ (a stable reorder).
            merged = merged.Where(t => t.Coefficient > 0).Concat(merged.Where(t => t.Coefficient < 0)).ToList();
            var rebuilt = Rebuild(merged, f.Kind);
            return rebuilt.Equals(f) ? null : rebuilt;
        }

        private static void Collect(Expr e, double sign, List<(double, Expr)> terms)
        {
            switch (e)
            {
                case Fn add when add.Is(Op.Add):
                    Collect(add[0], sign, terms);
                    Collect(add[1], sign, terms);
                    break;
                case Fn sub when sub.Is(Op.Subtract):
                    Collect(sub[0], sign, terms);
                    Collect(sub[1], -sign, terms);
                    break;
                case Fn neg when neg.Is(Op.Negate):
                    Collect(neg[0], -sign, terms);
                    break;
                case Fn m when m.Is(Op.Multiply) && m[0] is Num n:
                    terms.Add((sign * n.Value, m[1]));
                    break;
                default:
                    terms.Add((sign, e));
                    break;
            }
        }

        private static Expr Rebuild(List<(double Coefficient, Expr Term)> terms, ValueKind kind)
        {
            if (terms.Count == 0)
            {
                return new Num(0);
            }
            Expr? result = null;
            foreach (var (coefficient, term) in terms)
            {
                var magnitude = System.Math.Abs(coefficient) == 1 ? term : Mul(new Num(System.Math.Abs(coefficient)), term);
                if (result is null)
                {
                    result = coefficient < 0 ? Neg(magnitude) : magnitude;
                }
                else
                {
                    result = coefficient < 0 ? new Fn(Op.Subtract, kind, result, magnitude) : new Fn(Op.Add, kind, result, magnitude);
                }
            }
            return result!;
        }
    }
}
