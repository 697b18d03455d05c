using System;

namespace AutoGradGen.Generator.Model
{
    // The model contract (as in System.Text.Json's generator): immutable records, EquatableArray
    // children, types named by their fully qualified text. Never an ISymbol, SyntaxNode or
    // Compilation: the incremental pipeline caches on equality, and a test walks this graph.

    /// <summary>One SSA value of a differentiable method.</summary>
    /// <param name="Id">Index in <see cref="MethodModel.Nodes"/>; operands always have smaller ids.</param>
    /// <param name="Op">The operation.</param>
    /// <param name="Args">Operand ids.</param>
    /// <param name="Kind">Scalar, vector, matrix or int.</param>
    /// <param name="Name">The user's local or parameter name, if the value has one.</param>
    /// <param name="Value">The literal value, for <see cref="Op.Literal"/>.</param>
    /// <param name="Callee">For <see cref="Op.Call"/>: the callee (its type, name, parameters, which of them are differentiated, its workspace type).</param>
    /// <param name="Spelled">The op the user wrote, when a rewrite replaced it (A⁻¹z became a solve): runtime errors name it.</param>
    /// <param name="Text">The operation as the user wrote it (<c>W * X</c>), for shape messages; null for leaves.</param>
    /// <param name="Rule">The identity a rewrite of the rewrite stage applied to compute this value ((A B)𝟙 = A (B𝟙)); its line of generated code names it.</param>
    /// <param name="Code">
    /// For <see cref="Op.Constant"/>: the user's expression as global::-qualified C#, its references to the method's values
    /// cut out: fragments separated by '\0', where every odd fragment is the index of the operand printed there.
    /// </param>
    internal sealed record IrNode(
        int Id,
        Op Op,
        EquatableArray<int> Args,
        ValueKind Kind,
        string? Name = null,
        double Value = 0,
        CalleeInfo? Callee = null,
        string? Spelled = null,
        string? Text = null,
        string? Code = null,
        string? Rule = null);

    /// <summary>A call target: another [Differentiable] method, or a method with a custom [Pullback].</summary>
    /// <param name="Body">
    /// The callee's own IR when its declaration is in the same compilation (lowered to a bounded depth), so that
    /// the caller's closed form can substitute the callee's; null for a callee from another assembly. Its node ids
    /// are the callee's, never the caller's.
    /// </param>
    /// <param name="Pullback">For a method with [Pullback]: the name of its pullback (then there is no workspace or generated method).</param>
    /// <param name="Differential">For a method with [Pullback]: the name of its [Differential], if it has one.</param>
    /// <param name="Forward">Whether the callee has a forward-mode rule: its generated FDifferential, or a [Differential].</param>
    internal sealed record CalleeInfo(
        string ContainingType,
        string Name,
        EquatableArray<string> ParameterNames,
        EquatableArray<int> Differentiated,
        ValueKind ReturnKind,
        string WorkspaceName,
        CalleeBody? Body = null,
        string? Pullback = null,
        string? Differential = null,
        bool Forward = true)
    {
        public bool IsCustom => Pullback is not null;
    }

    /// <summary>A callee's lowered body as plain data: its parameters (node i is parameter i), its nodes and its result.</summary>
    internal sealed record CalleeBody(
        string ElementType,
        EquatableArray<ParamModel> Parameters,
        EquatableArray<IrNode> Nodes,
        int Result);

    /// <summary>A parameter of the source method; <see cref="Node"/> is both its ordinal and its IR node id.</summary>
    /// <param name="Shape">The entries of its <c>[Shape]</c> attribute (symbols or integer literals), or empty.</param>
    internal sealed record ParamModel(string Name, string TypeText, ValueKind Kind, bool Differentiated, int Node, EquatableArray<string> Shape = default);

    /// <summary>One containing type declaration, outermost first.</summary>
    internal sealed record TypeDecl(string Keyword, string Name);

    /// <summary>Everything the later stages need to generate one method.</summary>
    /// <remarks><c>Written</c>: the method before the rewrites that reassociate products (reductions pushed into products, matrix chains), null when none applied: the checks on entry name the products as written.</remarks>
    internal sealed record MethodModel(
        string HintName,
        string? Namespace,
        EquatableArray<TypeDecl> Types,
        string ContainingTypeFullName,
        string Name,
        string Accessibility,
        string ElementType,
        ValueKind ReturnKind,
        EquatableArray<ParamModel> Parameters,
        EquatableArray<IrNode> Nodes,
        int Result,
        string WorkspaceName,
        EquatableArray<LoopModel> Loops = default,
        MethodModel? Written = null)
    {
        public bool IsFloat => ElementType == "float";

        /// <summary>Whether the body has control flow (loops): the passes that only know straight-line code skip it.</summary>
        public bool HasRegions => Loops.Count > 0;
    }

    /// <summary>
    /// A local reassigned inside a loop: <see cref="Phi"/> is its value at the start of each iteration (and after
    /// the loop), <see cref="Init"/> its value before the loop, <see cref="Next"/> its value at the end of an iteration.
    /// </summary>
    internal sealed record CarriedModel(int Phi, int Init, int Next);

    /// <summary>
    /// A <c>for</c> loop as a region of the flat SSA list: its nodes are the contiguous ids
    /// [<see cref="BodyStart"/>, <see cref="BodyEnd"/>), starting with the counter node and the phis.
    /// The counter runs from <see cref="Start"/> while it compares (<see cref="Comparison"/>: &lt;, &lt;=, &gt;, &gt;=)
    /// with <see cref="Bound"/>, stepping by <see cref="Step"/> (up for &lt; and &lt;=, down for &gt; and &gt;=).
    /// Start, bound and step are int nodes defined before the body. <see cref="Parent"/> is the index of the
    /// enclosing loop in <see cref="MethodModel.Loops"/>, or −1. A <see cref="Branch"/> is an arm of an if/else or
    /// a ?: lowered as a loop from 0 while below a bound that is 1 when the arm is taken and 0 otherwise.
    /// </summary>
    internal sealed record LoopModel(
        int Counter,
        int Start,
        int Bound,
        string Comparison,
        int Step,
        int BodyStart,
        int BodyEnd,
        EquatableArray<CarriedModel> Carried,
        int Parent,
        bool Branch = false)
    {
        public bool Up => Comparison[0] == '<';

        public bool Contains(int node) => node >= BodyStart && node < BodyEnd;

        /// <summary>A branch arm's condition node (the operand of its bound), or −1 for a loop.</summary>
        public int Condition(EquatableArray<IrNode> nodes) => Branch ? nodes[Bound].Args[0] : -1;

        /// <summary>Whether a branch arm runs when its condition is false (the else arm; its bound is condition ? 0 : 1).</summary>
        public bool RunsWhenFalse(EquatableArray<IrNode> nodes) => Branch && nodes[Bound].Code!.EndsWith("? 0 : 1)", System.StringComparison.Ordinal);
    }

    /// <summary>The output of the parse stage for one method: a model, diagnostics, or both.</summary>
    internal sealed record ParseResult(MethodModel? Model, EquatableArray<Diagnostics.DiagnosticInfo> Diagnostics);
}
