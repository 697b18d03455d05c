using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Operations;
using AutoGradGen.Generator.Rules;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// A⁻ᵀ formed once and multiplied by, where the backward pass forms it anyway (the gradient of log|A| or |A|): the
    /// triangular solves of A⁻¹B and A⁻ᵀB with a matrix B then become products with it, which run at the speed of the
    /// GEMM rather than of substitution, for the same flop count.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        /// <summary>The matrices whose A⁻ᵀ is formed right after their factorization, and the name each is read by.</summary>
        private readonly Dictionary<int, Tmp> _sharedInverses = new();

        private int _sharedInverseCount;

        /// <summary>The matrices <see cref="InversesToShare"/> chose for this body; empty until <see cref="Write"/> starts.</summary>
        private HashSet<int> _sharing = new();

        /// <summary>
        /// The factorized matrices of a straight-line first-order body some rule of whose backward pass reads A⁻ᵀ
        /// (∂log|A| = Tr(A⁻¹ ∂A), ∂|A| = |A| Tr(A⁻¹ ∂A)) while a solve with A takes a matrix right-hand side.
        /// </summary>
        private HashSet<int> InversesToShare()
        {
            var shared = new HashSet<int>();
            if (Model.HasRegions || _secondOrder)
            {
                return shared;
            }
            foreach (var value in PullbackValues())
            {
                CollectInverses(value, shared);
            }
            shared.RemoveWhere(a => !Model.Nodes.Any(n => _plan.Live[n.Id] && (n.Op == Op.Solve || n.Op == Op.SolveTransposed)
                                                        && n.Args[0] == a && n.Kind == ValueKind.Matrix));
            return shared;
        }

        /// <summary>The expressions of every rule of the backward pass (its temporaries and contributions), as the rules wrote them.</summary>
        private IEnumerable<Expr> PullbackValues()
            => _plan.Pullbacks.SelectMany(p => p.Pullback.Steps).Select(step => step switch { Let let => let.Value, Contribute c => c.Value, _ => null })
                .OfType<Expr>();

        private static void CollectInverses(Expr e, HashSet<int> into)
        {
            if (e is not Fn f)
            {
                return;
            }
            if (f.Is(Op.InverseTransposed) && f[0] is Ref { Node: >= 0 } r)
            {
                into.Add(r.Node);
            }
            foreach (var a in f.Args)
            {
                CollectInverses(a, into);
            }
        }

        /// <summary>After the factorization of <paramref name="matrix"/>: A⁻ᵀ, formed once when the backward pass reads it.</summary>
        private void WriteSharedInverse(int matrix)
        {
            var inverse = new Fn(Op.InverseTransposed, ValueKind.Matrix, new Ref(matrix, ValueKind.Matrix));
            var name = new Tmp(2_000_000 + _sharedInverseCount++, ValueKind.Matrix, "inverseT{0}", matrix);
            _w.Line("var " + _names.Temp(name) + " = " + _code.Print(inverse) + ";   // " + _math.Print(inverse) +
                    ", formed once: the backward pass reads it, and each solve with " + CommentName(matrix) + " multiplies by it instead");
            _sharedInverses[matrix] = name;
        }

        /// <summary>How comments show a shared A⁻ᵀ: as A⁻ᵀ, not by its variable's name; null for any other temporary.</summary>
        private string? SharedInverseMath(Tmp t)
            => _sharedInverses.FirstOrDefault(s => s.Value == t) is { Value: not null } shared ? CommentName(shared.Key) + "⁻ᵀ" : null;

        /// <summary>Solves with a shared A⁻ᵀ's matrix as products with it, and A⁻ᵀ itself as its name.</summary>
        private Expr ViaSharedInverse(Expr e)
        {
            if (_sharedInverses.Count == 0 || e is not Fn f)
            {
                return e;
            }
            var args = f.Args.Items.Select(ViaSharedInverse).ToArray();
            if (args.Length > 0 && args[0] is Ref r && _sharedInverses.TryGetValue(r.Node, out var inverseT))
            {
                if (f.Is(Op.InverseTransposed))
                {
                    return inverseT;
                }
                if (f.Is(Op.Solve) && f.Kind == ValueKind.Matrix)
                {
                    return E.Mul(E.T(inverseT), args[1]);   // A⁻¹B = (A⁻ᵀ)ᵀB
                }
                if (f.Is(Op.SolveTransposed) && f.Kind == ValueKind.Matrix)
                {
                    return E.Mul(inverseT, args[1]);
                }
            }
            return new Fn(f.Op, f.Kind, args.ToEquatableArray(), f.Index);
        }
    }
}
