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

        private static Expr? Rewrite(Fn f, bool math) => PullScalarOut(f) ?? RewriteByOp(f, math);

        /// <summary>
        /// The operand position in which an op is linear (the adjoint Ḡ of a pullback kernel, the
        /// right-hand side of a solve), or −1: a scalar factor there comes out front,
        /// f(…, s X, …) → s f(…, X, …), so it can fold into the accumulation instead of costing a pass.
        /// </summary>
        private static int LinearOperand(Op op) => op switch
        {
            Op.Conv2DBackwardInput or Op.Conv2DBackwardKernel or Op.MaxPool2DBackward => 1,
            Op.SigmoidBackward or Op.TanhBackward or Op.ExpBackward or Op.ReluBackward or Op.LogBackward
                or Op.SqrtBackward or Op.SquareBackward or Op.SoftmaxBackward or Op.LogSoftmaxBackward => 1,
            Op.Solve or Op.SolveTransposed => 1,
            Op.AvgPool2DBackward or Op.SumColumns or Op.ElementwiseDivide => 0,
            _ => -1,
        };

        private static Expr? PullScalarOut(Fn f)
        {
            int i = f.Kind == ValueKind.Scalar ? -1 : f.Op == Op.Hadamard ? (f[0] is Fn { Op: Op.Multiply or Op.Negate } ? 0 : 1) : LinearOperand(f.Op);
            if (i < 0 || i >= f.Args.Count || f[i].Kind == ValueKind.Scalar)
            {
                return null;
            }
            Expr? factor = f[i] switch
            {
                Fn { Op: Op.Multiply } m when m[0].Kind == ValueKind.Scalar && m[1].Kind != ValueKind.Scalar => m[0],
                Fn { Op: Op.Negate } => new Num(-1),
                _ => null,
            };
            if (factor is null)
            {
                return null;
            }
            var inner = f[i] is Fn { Op: Op.Negate } neg ? neg[0] : ((Fn)f[i])[1];
            var args = f.Args.Items.ToArray();
            args[i] = inner;
            return Mul(factor, new Fn(f.Op, f.Kind, EquatableArray.From(args), f.Index));
        }

        private static Expr? RewriteByOp(Fn f, bool math) => f.Op switch
        {
            Op.Negate => RewriteNegate(f),
            Op.Multiply => RewriteMultiply(f),
            Op.Transpose => RewriteTranspose(f, math),
            Op.Hadamard => RewriteHadamard(f),
            Op.Add or Op.Subtract => RewriteSum(f),
            Op.Divide => RewriteDivide(f),
            Op.Solve when math => Mul(new Fn(Op.Inverse, ValueKind.Matrix, f[0]), f[1]),
            Op.SolveTransposed when math => Mul(new Fn(Op.InverseTransposed, ValueKind.Matrix, f[0]), f[1]),
            _ => null,
        };

        /// <summary>X / 1 → X; (−X) / s → −(X / s); (c X) / s → c (X / s) for a number c.</summary>
        private static Expr? RewriteDivide(Fn f) => f[0] switch
        {
            _ when f[1] is Num { Value: 1 } => f[0],
            Num a when f[1] is Num b && b.Value != 0 => new Num(a.Value / b.Value),
            _ when f[1] is Num c && IsPowerOfTwo(c.Value) => Mul(new Num(1 / c.Value), f[0]),
            Fn { Op: Op.Negate } neg => Neg(Div(neg[0], f[1])),
            Fn { Op: Op.Multiply } m when m[0] is Num => Mul(m[0], Div(m[1], f[1])),
            _ => null,
        };

        /// <summary>Whether 1/v is exact in binary floating point (±2ᵏ), so X/v may become (1/v) X.</summary>
        private static bool IsPowerOfTwo(double v)
        {
            var m = System.Math.Abs(v);
            return m > 0 && !double.IsInfinity(m) && System.Math.Abs(System.Math.Log(m, 2) - System.Math.Round(System.Math.Log(m, 2))) < 1e-12;
        }

        private static Expr? RewriteNegate(Fn f) => f[0] switch
        {
            Fn { Op: Op.Negate } inner => inner[0],
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
            if (a is Fn { Op: Op.Negate } na)
            {
                return Neg(Mul(na[0], b));
            }
            if (b is Fn { Op: Op.Negate } nb)
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
            if (a.Kind != ValueKind.Scalar && b is Fn { Op: Op.Multiply } mb && mb[0].Kind == ValueKind.Scalar && mb[1].Kind != ValueKind.Scalar)
            {
                return Mul(mb[0], Mul(a, mb[1]));
            }
            if (b.Kind != ValueKind.Scalar && a is Fn { Op: Op.Multiply } ma && ma[0].Kind == ValueKind.Scalar && ma[1].Kind != ValueKind.Scalar)
            {
                return Mul(ma[0], Mul(ma[1], b));
            }
            if (a.Kind == ValueKind.Scalar && a is not Num && b is Fn { Op: Op.Multiply } mn && mn[0] is Num)
            {
                return Mul(Mul(mn[0], a), mn[1]);
            }
            if (a is Num && b is Fn { Op: Op.Multiply } mm && mm[0] is Num inner)
            {
                return Mul(new Num(((Num)a).Value * inner.Value), mm[1]);
            }
            return null;
        }

        /// <summary>s 𝟙 → 𝟙 scaled by s; X I → X; I X → X.</summary>
        private static Expr? FoldConstantsIntoFills(Expr a, Expr b)
        {
            if (a.Kind == ValueKind.Scalar && b is Fn { Op: Op.Filled or Op.Identity } fill)
            {
                return new Fn(fill.Op, fill.Kind, fill[0], Mul(a, fill[1]));
            }
            if (b is Fn { Op: Op.Identity } idB && a.Kind != ValueKind.Scalar)
            {
                return Mul(idB[1], a);
            }
            if (a is Fn { Op: Op.Identity } idA && b.Kind != ValueKind.Scalar)
            {
                return Mul(idA[1], b);
            }
            return null;
        }

        /// <summary>Matrix-chain order for the shapes that matter: (A B) v → A (B v); (u vᵀ) W → u (Wᵀv)ᵀ.</summary>
        private static Expr? Reassociate(Expr a, Expr b)
        {
            if (b.Kind == ValueKind.Vector && a is Fn { Op: Op.Multiply } ab && ab[0].Kind == ValueKind.Matrix && ab[1].Kind == ValueKind.Matrix)
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
            if (e is Fn { Op: Op.Multiply } m && m[0].Kind == ValueKind.Vector && m[1] is Fn { Op: Op.Transpose, Kind: ValueKind.Vector } t)
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
                case Fn { Op: Op.Transpose } inner:
                    return inner[0];
                case Fn { Op: Op.Negate } neg:
                    return Neg(T(neg[0]));
                case Fn { Op: Op.Multiply } m when m[0].Kind == ValueKind.Scalar:
                    return Mul(m[0], T(m[1]));
                case Fn { Op: Op.Identity }:
                    return x;
                case Num:
                    return x;
            }
            if (x.Kind == ValueKind.Scalar)
            {
                return x;
            }
            if (x is Fn { Op: Op.Multiply } product && product[0].Kind == ValueKind.Matrix && product[1].Kind == ValueKind.Matrix
                && (product[0] is Fn { Op: Op.Transpose } || product[1] is Fn { Op: Op.Transpose }))
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
                Fn { Op: Op.Multiply } m => Mul(T(m[1]), T(m[0])),
                Fn { Op: Op.Inverse } inv => new Fn(Op.InverseTransposed, ValueKind.Matrix, inv[0]),
                Fn { Op: Op.InverseTransposed } invT => new Fn(Op.Inverse, ValueKind.Matrix, invT[0]),
                Fn { Op: Op.Add or Op.Subtract } s => new Fn(s.Op, s.Kind, T(s[0]), T(s[1])),
                Fn { Op: Op.Hadamard } h => Had(T(h[0]), T(h[1])),
                _ => null,
            };
        }

        private static Expr? RewriteHadamard(Fn f)
        {
            if (f[1] is Fn { Op: Op.Filled } fb)
            {
                return Mul(fb[1], f[0]);
            }
            if (f[0] is Fn { Op: Op.Filled } fa)
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
                case Fn { Op: Op.Add } add:
                    Collect(add[0], sign, terms);
                    Collect(add[1], sign, terms);
                    break;
                case Fn { Op: Op.Subtract } sub:
                    Collect(sub[0], sign, terms);
                    Collect(sub[1], -sign, terms);
                    break;
                case Fn { Op: Op.Negate } neg:
                    Collect(neg[0], -sign, terms);
                    break;
                case Fn { Op: Op.Multiply } m when m[0] is Num n:
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
