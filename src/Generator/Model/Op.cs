using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoGradGen.Generator.Operations;

namespace AutoGradGen.Generator.Model
{
    /// <summary>The kind of a value: what the generated code stores it in.</summary>
    internal enum ValueKind
    {
        /// <summary>An element-type scalar (<c>double</c> or <c>float</c>).</summary>
        Scalar,
        /// <summary>A column vector, <c>Vector&lt;T&gt;</c>.</summary>
        Vector,
        /// <summary>A matrix, <c>Matrix&lt;T&gt;</c>.</summary>
        Matrix,
        /// <summary>An <c>int</c>: a dimension or integer parameter, always a constant.</summary>
        Int,
    }

    /// <summary>Where an op may appear.</summary>
    internal enum OpRole
    {
        /// <summary>Parameters and literals.</summary>
        Leaf,
        /// <summary>A value of the user's program (an operator, an <c>Ops</c> function, a call).</summary>
        Forward,
        /// <summary>Integer shape arithmetic: always constant, never differentiated.</summary>
        Shape,
        /// <summary>Only in derivative expressions (pullbacks and tangents), never in the user's program.</summary>
        Derivative,
    }

    /// <summary>
    /// One operation of the IR and of the symbolic expressions built from it. Each op is declared once,
    /// as a static field of this class in the file of its family under <c>Operations/</c>, and that one
    /// declaration gives everything the stages need: its name and arity, the <c>Ops</c> function that
    /// lowers to it, the kind of its result, its C# and math notation, and its differential rule — the
    /// tangent ∂Y in terms of the operands' differentials, from which the pullback is derived by
    /// transposition (or replaced, next to the rule, by a hand-tuned pullback where that is faster).
    /// </summary>
    /// <remarks>
    /// The rules follow "Backpropagation – A Perspective of Matrix Calculus" (Yu Chen, TU Munich, 2023),
    /// cited as Chen's lecture in the comments.
    /// Ops are singletons compared by reference; the model holds them as plain descriptors (no symbols,
    /// no compilation data), so records that contain them stay value-equatable.
    /// </remarks>
    internal sealed partial class Op
    {
        private Op(string name, OpRole role, int arity)
        {
            Name = name;
            ValueName = char.ToLowerInvariant(name[0]) + name.Substring(1);
            Role = role;
            Arity = arity;
        }

        /// <summary>The op's name, as it appears in diagnostics and tests.</summary>
        public string Name { get; }

        /// <summary>Where the op may appear.</summary>
        public OpRole Role { get; }

        /// <summary>Number of operands, or −1 when it varies (convolution geometry, calls).</summary>
        public int Arity { get; }

        /// <summary>The <c>AutoGradGen.Ops</c> function that lowers to this op, if any.</summary>
        public string? OpsFunction { get; private set; }

        /// <summary>The kinds the op accepts, as documentation: for example "Matrix|Vector → same".</summary>
        public string Kinds { get; private set; } = string.Empty;

        /// <summary>The kind of the result from the operands' kinds (default: the first operand's kind).</summary>
        public Func<IReadOnlyList<ValueKind>, ValueKind> ResultKind { get; private set; } = kinds => kinds.Count > 0 ? kinds[0] : ValueKind.Scalar;

        /// <summary>How the op is written in C#: an allocating form, and a destination-passing form where it has one.</summary>
        public CodeForm Code { get; private set; } = CodeForm.None;

        /// <summary>How the op is written in Chen's lecture's notation.</summary>
        public MathForm Math { get; private set; } = MathForm.None;

        /// <summary>The differential the rule implements, as Chen's lecture writes it (the comment above each backward block), for the operands' kinds.</summary>
        public Func<IReadOnlyList<ValueKind>, string> LawFor { get; private set; } = _ => string.Empty;

        /// <summary>The differential rule: ∂Y in terms of the operands' differentials. Null for leaves and shapes.</summary>
        public TangentRule? Tangent { get; private set; }

        /// <summary>
        /// For an op that is linear in some operand (and so can appear in a tangent): the cotangent of that
        /// operand given the cotangent of the result, Ā = Jᵀ Ḡ. This is what turns tangents into pullbacks.
        /// </summary>
        public TransposeRule? TransposeOf { get; private set; }

        /// <summary>A hand-tuned pullback that replaces the one derived from <see cref="Tangent"/>, or null.</summary>
        public PullbackRule? Pullback { get; private set; }

        /// <summary>
        /// For an element-wise kernel G ⊙ m(other operands): the operand G, whose Jacobian is the diagonal diag(m) (−1: none).
        /// Second order pushes a batch of directions through it as diag(m) applied to each (<c>HessianBatch</c>).
        /// </summary>
        public int DiagonalIn { get; private set; } = -1;

        /// <summary>The operand in which the op is linear, for pulling scalar factors out (−1: none).</summary>
        public int LinearIn { get; private set; } = -1;

        /// <summary>
        /// For an activation whose rule reads only its output (σ, tanh, relu, exp): its member of the runtime's
        /// activation enum, so that an addition feeding it fuses into one kernel. Null otherwise.
        /// </summary>
        public string? Activation { get; private set; }

        /// <summary>Whether the op works through the LU factorization of operand 0, which every such op of one matrix shares.</summary>
        public bool Factorizes { get; private set; }

        /// <summary>What a value of this op is called when the user did not name it (σ(h) → sigmoidH).</summary>
        public string ValueName { get; private set; } = string.Empty;

        /// <summary>Whether the op's printed C# is a single term that needs no parentheses as an operand.</summary>
        public bool CodeIsAtom { get; private set; } = true;

        /// <summary>
        /// The shape rule: how the operands' dimensions must agree and what the result's dimensions are
        /// (<c>W * X</c>: cols(W) = rows(X), the result is rows(W) × cols(X)). Null for leaves, shapes and derivative ops.
        /// </summary>
        public Shapes.ShapeRule? ShapeRule { get; private set; }

        /// <inheritdoc/>
        public override string ToString() => Name;

        private static IReadOnlyList<Op>? _all;

        /// <summary>Every op, in declaration order of the family files (found once by reflection on this class).</summary>
        public static IReadOnlyList<Op> All => _all ??= typeof(Op)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(Op))
            .Select(f => (Op)f.GetValue(null)!)
            .ToArray();

        private static Dictionary<string, Op>? _byOpsFunction;

        /// <summary>The op an <c>AutoGradGen.Ops</c> function lowers to, or null if it has no rule.</summary>
        public static Op? ForOpsFunction(string name)
        {
            _byOpsFunction ??= All.Where(o => o.OpsFunction is not null).ToDictionary(o => o.OpsFunction!, o => o);
            return _byOpsFunction.TryGetValue(name, out var op) ? op : null;
        }

        // ── the declaration builder, used by the family files ─────────────────────

        private static Op Define(string name, OpRole role, int arity) => new(name, role, arity);

        private Op ThroughLu()
        {
            Factorizes = true;
            return this;
        }

        private Op Called(string valueName)
        {
            ValueName = valueName;
            return this;
        }

        private Op Lowers(string opsFunction)
        {
            OpsFunction = opsFunction;
            return this;
        }

        private Op Typed(string kinds, Func<IReadOnlyList<ValueKind>, ValueKind>? result = null)
        {
            Kinds = kinds;
            if (result is not null)
            {
                ResultKind = result;
            }
            return this;
        }

        private Op Written(CodeForm code, MathForm math, bool atom = true)
        {
            Code = code;
            Math = math;
            CodeIsAtom = atom;
            return this;
        }

        /// <summary>The differential rule; <paramref name="pullback"/>, if given, replaces the derived pullback.</summary>
        private Op Rule(string law, TangentRule tangent, PullbackRule? pullback = null) => Rule(_ => law, tangent, pullback);

        private Op Rule(Func<IReadOnlyList<ValueKind>, string> law, TangentRule tangent, PullbackRule? pullback = null)
        {
            LawFor = law;
            Tangent = tangent;
            Pullback = pullback;
            return this;
        }

        /// <summary>The transpose of an op that is linear in the operands that carry differentials.</summary>
        private Op Linear(TransposeRule transpose)
        {
            TransposeOf = transpose;
            return this;
        }

        /// <summary>The op's shape rule (see <see cref="ShapeRule"/>).</summary>
        private Op Shaped(Shapes.ShapeRule rule)
        {
            ShapeRule = rule;
            return this;
        }

        private Op FusesAfterAddition(string activation)
        {
            Activation = activation;
            return this;
        }

        /// <summary>The op is G ⊙ m(other operands) in operand <paramref name="operand"/> (see <see cref="DiagonalIn"/>).</summary>
        private Op Diagonal(int operand)
        {
            DiagonalIn = operand;
            return this;
        }

        /// <summary>A scalar factor of operand <paramref name="operand"/> comes out front: f(…, s X, …) = s f(…, X, …).</summary>
        private Op PullsScalars(int operand)
        {
            LinearIn = operand;
            return this;
        }
    }
}
