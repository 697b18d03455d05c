using System.Linq;
using AutoGradGen.Generator.Differentiation;
using AutoGradGen.Generator.Formula;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Operations;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// The zero-allocation API beside FWithGradient: a workspace class holding every intermediate,
    /// and FBackward, which adds the gradients to caller-owned buffers (dA += ∇A). Layers get
    /// FForward (saves its values in the workspace) and FBackward (reads them back, no recompute).
    /// </summary>
    internal static class WorkspaceEmitter
    {
        public static void Write(SourceWriter w, Derivatives derivatives)
        {
            var plan = derivatives.Backward;
            var form = derivatives.ClosedForm;
            var model = derivatives.Model;
            var layout = new WorkspaceLayout(model.ElementType);
            bool layer = model.ReturnKind != ValueKind.Scalar;
            if (model.HasRegions && layer)
            {
                return;   // a layer's FForward/FBackward through a loop: not yet (AGG0035)
            }
            string forwardBody = string.Empty;
            if (layer)
            {
                var forward = new SourceWriter();
                new BodyEmitter(plan, new Names(model), form, forward, layout).WriteForwardMethod();
                forwardBody = forward.ToString();
            }
            var backward = new SourceWriter();
            if (layer)
            {
                new BodyEmitter(plan, new Names(model), form, backward, layout).WriteBackwardMethod(layout);
            }
            else
            {
                SizeChoiceEmitter.Write(backward, derivatives, d => new BodyEmitter(d.Backward, new Names(d.Model), d.ClosedForm, backward, layout).Write());
            }
            // The second-order twins share the workspace class: their slots are fields of the same layout.
            var twins = model.HasRegions ? string.Empty : DifferentialEmitter.WriteTwin(derivatives, layout) + SecondOrderWorkspaceEmitter.Write(derivatives, layout);
            WriteWorkspaceClass(w, model, layout);
            if (layer)
            {
                WriteForwardMethod(w, model, forwardBody);
            }
            WriteBackwardMethod(w, model, new Names(model), backward.ToString());
            if (twins.Length > 0)
            {
                w.AppendBlock(twins);
            }
        }

        private static string WorkspaceName(MethodModel model) => model.WorkspaceName;

        /// <summary>A reference to a generated method in a doc comment: a cref, or plain code when overloads would make it ambiguous.</summary>
        private static string See(MethodModel model, string generated)
            => model.WorkspaceName == model.Name + "Workspace" ? "<see cref=\"" + model.Name + generated + "\"/>" : "<c>" + model.Name + generated + "</c>";

        private static void WriteWorkspaceClass(SourceWriter w, MethodModel model, WorkspaceLayout layout)
        {
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Buffers for " + See(model, "Backward") + ": every intermediate of one forward and backward pass, kept between");
            w.Line("/// calls so that a training step allocates nothing once the shapes are known. A workspace is not thread-safe:");
            w.Line("/// give each thread its own.");
            w.Line("/// </summary>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoGradGen\", \"" + Emitter.Version + "\")]");
            w.Open(model.Accessibility + " sealed class " + WorkspaceName(model));
            if (model.ReturnKind != ValueKind.Scalar)
            {
                w.Line("/// <summary>Set by " + See(model, "Forward") + " once the forward values below are saved; " + See(model, "Backward") + " reads them.</summary>");
                w.Line("internal bool forwarded;");
            }
            foreach (var (name, type) in layout.Fields)
            {
                w.Line("internal " + type + " " + name + ";");
            }
            w.Close();
        }

        private static void WriteForwardMethod(SourceWriter w, MethodModel model, string body)
        {
            var returnType = Emitter.TypeText(model.ReturnKind, model.ElementType);
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// The value of <c>" + model.Name + "</c>, computed into <paramref name=\"workspace\"/>, which keeps the forward values for");
            w.Line("/// " + See(model, "Backward") + ". The returned matrix belongs to the workspace: it is overwritten by the next call.");
            w.Line("/// </summary>");
            foreach (var p in model.Parameters)
            {
                w.Line("/// <param name=\"" + p.Name.TrimStart('@') + "\">Argument of <c>" + model.Name + "</c>.</param>");
            }
            w.Line("/// <param name=\"workspace\">Buffers reused between calls.</param>");
            w.Line("/// <returns>The value of <c>" + model.Name + "</c> (owned by the workspace).</returns>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoGradGen\", \"" + Emitter.Version + "\")]");
            var parameters = model.Parameters.Select(p => p.TypeText + " " + p.Name).Concat(new[] { WorkspaceName(model) + " workspace" });
            w.OpenMethod(model.Accessibility + " static " + returnType + " " + model.Name + "Forward", parameters.ToList());
            ShapeChecks.Write(w, model);
            w.Line("global::System.ArgumentNullException.ThrowIfNull(workspace);");
            w.AppendBlock(body);
            w.Close();
        }

        private static void WriteBackwardMethod(SourceWriter w, MethodModel model, Names names, string body)
        {
            bool layer = model.ReturnKind != ValueKind.Scalar;
            var differentiated = model.Parameters.Where(p => p.Differentiated).ToList();
            w.Line();
            w.Line("/// <summary>");
            w.Line(layer
                ? "/// Adds the pullback of <c>" + model.Name + "</c> to caller-owned buffers: d<i>p</i> += (Ḡᵀ J)<sub><i>p</i></sub> for every differentiated"
                : "/// Computes <c>" + model.Name + "</c> and adds its gradients to caller-owned buffers: d<i>p</i> += ∇<i>p</i> for every differentiated");
            w.Line(layer
                ? "/// parameter, reading the forward values that " + See(model, "Forward") + " saved in <paramref name=\"workspace\"/> (call it first, with the same arguments)."
                : "/// parameter. The closed forms are those of <c>" + model.Name + "WithGradient</c>. Allocates nothing once the workspace has seen the shapes.");
            w.Line("/// With <paramref name=\"accumulate\"/> true (the default) the buffers accumulate, over a batch for example; with false they");
            w.Line("/// are overwritten, which gives the gradient alone without zeroing them first.");
            w.Line("/// </summary>");
            foreach (var p in model.Parameters)
            {
                w.Line("/// <param name=\"" + p.Name.TrimStart('@') + "\">Argument of <c>" + model.Name + "</c>.</param>");
            }
            if (layer)
            {
                w.Line("/// <param name=\"" + names.Seed + "\">The adjoint Ḡ of the result.</param>");
            }
            w.Line("/// <param name=\"workspace\">Buffers reused between calls.</param>");
            foreach (var p in differentiated)
            {
                w.Line("/// <param name=\"" + names.Out(p.Node) + "\">Gradient buffer for <paramref name=\"" + p.Name.TrimStart('@') + "\"/> (same shape), added to" +
                       (p.Kind == ValueKind.Scalar ? "." : "; null skips this gradient and the work only it needs.") + "</param>");
            }
            w.Line("/// <param name=\"accumulate\">True: add to the buffers (dp += ∇p); false: overwrite them (dp = ∇p).</param>");
            if (!layer)
            {
                w.Line("/// <returns>The value of <c>" + model.Name + "</c>.</returns>");
            }
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoGradGen\", \"" + Emitter.Version + "\")]");
            var parameters = model.Parameters.Select(p => p.TypeText + " " + p.Name).ToList();
            if (layer)
            {
                parameters.Add(Emitter.TypeText(model.ReturnKind, model.ElementType) + " " + names.Seed);
            }
            parameters.Add(WorkspaceName(model) + " workspace");
            parameters.AddRange(differentiated.Select(p => (p.Kind == ValueKind.Scalar ? "ref " + p.TypeText : p.TypeText + "?") + " " + names.Out(p.Node)));
            parameters.Add("bool accumulate = true");
            var returnType = layer ? "void" : model.ElementType;
            w.OpenMethod(model.Accessibility + " static " + returnType + " " + model.Name + "Backward", parameters);
            ShapeChecks.Write(w, model);
            w.Line("global::System.ArgumentNullException.ThrowIfNull(workspace);");
            if (layer)
            {
                w.Line("if (!workspace.forwarded) throw new global::System.InvalidOperationException(\"" + model.Name + "Backward reads the forward values that " +
                       model.Name + "Forward saves in the workspace: call " + model.Name + "Forward with the same arguments and this workspace first.\");");
            }
            foreach (var p in differentiated.Where(p => p.Kind != ValueKind.Scalar))
            {
                w.Line(RuntimeApi.Class(RuntimeFamily.Linear) + ".RequireSameShape(" + names.Out(p.Node) + ", " + p.Name + ", \"" + names.Out(p.Node) + "\", \"" + p.Name.TrimStart('@') + "\");");
            }
            w.AppendBlock(body);
            w.Close();
        }
    }
}
