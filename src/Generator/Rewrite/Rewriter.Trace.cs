using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Shapes;

namespace AutoGradGen.Generator.Rewrite
{
    /// <summary>
    /// A rewrite whose gain depends on sizes: the first-order emitters run <see cref="Cheaper"/> when
    /// <see cref="Condition"/> holds (a C# comparison of dimensions on entry, or "true" when the sizes decide it at
    /// compile time) and the program as written otherwise. <see cref="Rule"/> names the identity.
    /// </summary>
    /// <param name="Why">The comment above the generated if/else: the identity and the costs it compares.</param>
    internal sealed record SizeChoice(MethodModel Cheaper, string Condition, string Rule, string Why)
    {
        public bool Always => Condition == "true";
    }

    internal static partial class Rewriter
    {
        /// <summary>The identity the trace rewrite applies, as the generated code and the XML doc name it.</summary>
        public const string TraceRule = "sum(C ⊙ A⁻¹C) = Tr(Cᵀ A⁻¹ C) = Tr(A⁻¹ CCᵀ) = ⟨A⁻ᵀ, CCᵀ⟩";

        /// <summary>
        /// sum(C ⊙ Solve(A, C)) (also spelled Inverse(A) * C) → Tr(A⁻¹ (C Cᵀ)), by Tr(XY) = Tr(YX): with C of size d × n, the
        /// program as written solves with d × n right-hand sides forward and backward (three d²n products), the trace form
        /// makes one d²n product, CCᵀ, and works on d × d matrices after it (d³). It is cheaper when d &lt; n, so the choice is
        /// a comparison of C's dimensions: made at compile time when literal sizes decide it ([Shape(16, "n")] against a
        /// literal n), else on entry. Straight-line scalar functions only; the first match in the method.
        /// Returns null when nothing matches or the sizes say the program as written is the cheaper one.
        /// </summary>
        public static SizeChoice? TraceOfGram(MethodModel model)
        {
            if (model.HasRegions || model.ReturnKind != ValueKind.Scalar)
            {
                return null;
            }
            var nodes = model.Nodes;
            var uses = Uses(nodes);
            foreach (var sum in nodes)
            {
                if (sum.Op != Op.Sum || nodes[sum.Args[0]] is not { Op: var hop, Kind: ValueKind.Matrix } h || hop != Op.Hadamard || uses[h.Id] != 1 || h.Id == model.Result)
                {
                    continue;
                }
                for (int side = 0; side < 2; side++)
                {
                    var solve = nodes[h.Args[side]];
                    int c = h.Args[1 - side];
                    if (solve.Op == Op.Solve && solve.Kind == ValueKind.Matrix && solve.Args[1] == c && uses[solve.Id] == 1 && solve.Id != model.Result
                        && nodes[c].Kind == ValueKind.Matrix && solve.Id < h.Id && Condition(model, c) is { } condition)
                    {
                        return new SizeChoice(TraceForm(model, sum, h, solve, c), condition, TraceRule,
                            "── " + TraceRule + " (Tr(XY) = Tr(YX)): with C d × n, the right-hand side costs one d²n product and d³ after it,\n" +
                            "   the left-hand side three d²n solves and products; the cheaper one runs, chosen once by C's sizes ──");
                    }
                }
            }
            return null;
        }

        /// <summary>"rows(C) &lt; cols(C)" as C# on entry, "true" when literals decide it, null when the written form wins or nothing is known.</summary>
        private static string? Condition(MethodModel model, int c)
        {
            var dims = ShapeInference.Dimensions(model, c);
            if (dims.Length != 2 || dims[0].SameAs(dims[1]))
            {
                return null;   // a square C: the trace form only adds d³ work
            }
            if (dims[0].Literal is { } rows && dims[1].Literal is { } cols)
            {
                return long.Parse(rows, System.Globalization.CultureInfo.InvariantCulture) < long.Parse(cols, System.Globalization.CultureInfo.InvariantCulture) ? "true" : null;
            }
            return dims[0].Code is { } r && dims[1].Code is { } k ? r + " < " + k : null;
        }

        /// <summary>
        /// The program with sum(C ⊙ A⁻¹C) replaced: the solve's node becomes Cᵀ, the Hadamard's C Cᵀ, a node inserted before
        /// the sum solves A⁻¹(CCᵀ) (sharing A's LU, naming the op the user wrote in run-time errors), and the sum becomes its trace.
        /// </summary>
        private static MethodModel TraceForm(MethodModel model, IrNode sum, IrNode h, IrNode solve, int c)
        {
            var nodes = model.Nodes.Items.ToList();
            nodes[solve.Id] = new IrNode(solve.Id, Op.Transpose, EquatableArray.From(c), ValueKind.Matrix);
            nodes[h.Id] = new IrNode(h.Id, Op.Multiply, EquatableArray.From(c, solve.Id), ValueKind.Matrix, Text: h.Text);
            int at = sum.Id;
            var shifted = InsertBefore(nodes, at, new IrNode(at, Op.Solve, EquatableArray.From(solve.Args[0], h.Id), ValueKind.Matrix, Spelled: solve.Spelled, Text: solve.Text));
            shifted[at + 1] = shifted[at + 1] with { Op = Op.Trace, Args = EquatableArray.From(at), Rule = TraceRule };
            return model with { Nodes = shifted.ToEquatableArray(), Result = model.Result >= at ? model.Result + 1 : model.Result };
        }
    }
}
