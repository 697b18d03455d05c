using System;
using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Rewrite;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Differentiation
{
    /// <summary>
    /// Closed forms across calls: at a call to a [Differentiable] method whose body the model carries
    /// (<see cref="CalleeInfo.Body"/>), the callee's own closed form replaces the symbolic ∇_p⟨Ḡ, g(…)⟩,
    /// ∇_p g(…) and ∂g(…). The callee's formula is first written over its parameters only (its locals
    /// expanded by their definitions), then the caller's argument expressions, adjoint and differentials
    /// are put in its parameters', seed's and differentials' places, in one pass: no expression ever mixes
    /// node ids of the two models. Anything the callee's formula cannot express that way (a nested call it
    /// could not inline, a formula over the size cap) keeps the symbolic form. Documentation only.
    /// </summary>
    internal sealed partial class ClosedForm
    {
        private readonly Dictionary<CalleeInfo, ClosedForm?> _callees = new();

        /// <summary>False while the formulas with the symbolic call forms are built (see <see cref="Both"/>).</summary>
        private bool _inlineCalls = true;

        private readonly bool _hasInlinableCalls;

        /// <summary>
        /// A formula built twice, with the callees inlined and with the symbolic ∇_p⟨…⟩ and ∂g(…) at the calls (each
        /// reading the other formulas of its own kind): the inlined one unless it fell back to a named symbol where
        /// the symbolic one did not. Models without an inlinable call build once.
        /// </summary>
        private (Expr Inlined, Expr Plain) Both(Func<Expr> build)
        {
            if (!_hasInlinableCalls)
            {
                var formula = build();
                return (formula, formula);
            }
            Expr plain;
            _inlineCalls = false;
            try
            {
                plain = build();
            }
            finally
            {
                _inlineCalls = true;
            }
            var inlined = build();
            return (IsSymbol(inlined) && !IsSymbol(plain) ? plain : inlined, plain);
        }

        private static bool IsSymbol(Expr e) => e is Adj or Dif;

        /// <summary>The inlined closed form of a call's gradient or differential, or null to keep the symbolic one.</summary>
        /// <param name="original">The CallGradient or CallDifferential as the plan wrote it (its call still a caller node).</param>
        /// <param name="substituted">The same, with its operands substituted into the caller's closed form.</param>
        private Expr? Inline(Fn original, Fn substituted)
        {
            int call = original.Is(Op.CallDifferential) ? original.Index : original[0] is Ref r ? r.Node : -1;
            if (call < 0 || call >= Model.Nodes.Count || Model.Nodes[call] is not { Op: var op, Callee: { Body: not null } callee } node || op != Op.Call)
            {
                return null;
            }
            var form = CalleeForm(callee);
            if (form is null)
            {
                return null;
            }
            var args = node.Args.Select(a => Substitute(new Ref(a, Model.Nodes[a].Kind))).ToArray();
            Expr? inlined;
            if (original.Is(Op.CallDifferential))
            {
                var differentials = new Expr?[args.Length];
                for (int k = 0; k < callee.Differentiated.Count && k + 1 < substituted.Args.Count; k++)
                {
                    differentials[callee.Differentiated[k]] = substituted[k + 1];
                }
                inlined = form.ToCaller(form.DifferentialExpr(), new CallSite(args, null, differentials));
            }
            else
            {
                var parameter = form.Model.Parameters.FirstOrDefault(p => p.Node == original.Index);
                var seed = substituted.Args.Count == 2 ? substituted[1] : null;
                inlined = parameter is null ? null : form.ToCaller(form.GradientExpr(parameter), new CallSite(args, seed, Array.Empty<Expr?>()));
            }
            if (inlined is null)
            {
                return null;
            }
            inlined = Simplifier.Simplify(inlined, math: true);
            return Size(inlined) > MaxFormulaSize ? null : inlined;
        }

        /// <summary>The callee's closed form, built once per callee; null if it cannot be built.</summary>
        private ClosedForm? CalleeForm(CalleeInfo callee)
        {
            if (_callees.TryGetValue(callee, out var cached))
            {
                return cached;
            }
            ClosedForm? form = null;
            var body = callee.Body!;
            try
            {
                var model = new MethodModel(callee.Name, null, EquatableArray<TypeDecl>.Empty, callee.ContainingType, callee.Name, "public",
                    body.ElementType, callee.ReturnKind, body.Parameters, body.Nodes, body.Result, callee.WorkspaceName);
                form = new ClosedForm(BackwardPlan.Build(Rewriter.Rewrite(model)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Documentation only: a callee whose closed form fails keeps the symbolic form at the call.
                form = null;
            }
            _callees[callee] = form;
            return form;
        }

        /// <summary>What a call puts in place of the callee's parameters, seed Ḡ and parameter differentials.</summary>
        private sealed class CallSite
        {
            public CallSite(Expr[] args, Expr? seed, Expr?[] differentials)
            {
                Args = args;
                Seed = seed;
                Differentials = differentials;
            }

            public Expr[] Args { get; }

            public Expr? Seed { get; }

            public Expr?[] Differentials { get; }

            /// <summary>A callee local's definition, already in the caller's terms (null: not expressible).</summary>
            public Dictionary<int, Expr?> Locals { get; } = new();
        }

        /// <summary>
        /// A formula of this (callee) closed form in the caller's terms: parameters become the call's arguments,
        /// the seed the caller's adjoint, ∂p the caller's differentials, locals their definitions. Null when
        /// something in it has no meaning outside the callee (an adjoint or differential symbol, a call).
        /// </summary>
        private Expr? ToCaller(Expr e, CallSite site)
        {
            switch (e)
            {
                case Num:
                case Formula.MathPrinter.TextExpr:
                    return e;
                case Ref { Node: -1 }:
                    return site.Seed;
                case Ref r when r.Node >= 0 && r.Node < Model.Nodes.Count:
                    return RefToCaller(r.Node, site);
                case Dif d when d.Node >= 0 && d.Node < site.Differentials.Length && Model.Nodes[d.Node].Op == Op.Parameter:
                    return site.Differentials[d.Node];
                case Fn f when f.Is(Op.Call):
                    return NestedCallToCaller(f, site);
                case Fn f when !f.Is(Op.CallGradient) && !f.Is(Op.CallDifferential):
                    var args = ArgsToCaller(f, site);
                    return args is null ? null : new Fn(f.Op, f.Kind, EquatableArray.From(args), f.Index);
                default:
                    return null;
            }
        }

        private Expr[]? ArgsToCaller(Fn f, CallSite site)
        {
            var args = new Expr[f.Args.Count];
            for (int i = 0; i < args.Length; i++)
            {
                var arg = ToCaller(f.Args[i], site);
                if (arg is null)
                {
                    return null;
                }
                args[i] = arg;
            }
            return args;
        }

        /// <summary>
        /// The value of a call inside the callee (a layer calling a layer), in the caller's terms: the nested
        /// callee's own function of the mapped arguments. Its node id is the callee's, so it cannot stay a call.
        /// </summary>
        private Expr? NestedCallToCaller(Fn call, CallSite site)
        {
            if (call.Index < 0 || call.Index >= Model.Nodes.Count || Model.Nodes[call.Index].Callee is not { Body: not null } nested)
            {
                return null;
            }
            var form = CalleeForm(nested);
            var args = form is null ? null : ArgsToCaller(call, site);
            return args is null ? null : form!.ToCaller(form.FunctionExpr(), new CallSite(args, null, Array.Empty<Expr?>()));
        }

        private Expr? RefToCaller(int id, CallSite site)
        {
            var node = Model.Nodes[id];
            if (node.Op == Op.Parameter)
            {
                return id < site.Args.Length ? site.Args[id] : null;
            }
            if (node.Op == Op.Literal)
            {
                return new Num(node.Value);
            }
            if (!site.Locals.TryGetValue(id, out var local))
            {
                // Operands have smaller ids, so the expansion ends; each local is expanded once per call site.
                local = ToCaller(DefinitionExpr(id), site);
                site.Locals[id] = local;
            }
            return local;
        }
    }
}
