using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Differentiation;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// FDifferential: the seed's own method written as code — the value of F and its differential
    /// ∂f along given input differentials (forward mode), for scalar methods and layers alike.
    /// </summary>
    internal static class DifferentialEmitter
    {
        public static void Write(SourceWriter w, Derivatives derivatives)
        {
            var model = derivatives.Model;
            if (!HasForwardMode(derivatives))
            {
                return;
            }
            var form = derivatives.ClosedForm;
            var names = new Names(model);
            var output = names.Reserve("df");
            var differentiated = model.Parameters.Where(p => p.Differentiated).ToList();
            var returnType = Emitter.TypeText(model.ReturnKind, model.ElementType);
            var differential = form.DifferentialExpr();
            var lines = new List<string> { "∂f = " + form.Print(differential) };
            if (model.HasRegions)
            {
                lines.AddRange(form.LoopDifferentialLines());
            }
            var definitions = form.Definitions(new[] { differential }).ToList();
            if (definitions.Count > 0)
            {
                lines.Add("where " + string.Join(",  ", definitions));
            }
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Value of <c>" + model.Name + "</c> and its differential ∂f along the input differentials " +
                   string.Join(", ", differentiated.Select(p => "∂" + Xml(form.DisplayName(p.Node)))) + " (forward mode: the directional derivative).");
            w.Line("/// </summary>");
            w.Line("/// <remarks>");
            w.Line("/// <para>Closed form, composed at compile time from each operation's differential rule:</para>");
            w.Line("/// <code>");
            foreach (var line in lines)
            {
                w.Line("/// " + Xml(line));
            }
            w.Line("/// </code>");
            w.Line("/// </remarks>");
            foreach (var p in model.Parameters)
            {
                w.Line("/// <param name=\"" + p.Name.TrimStart('@') + "\">Argument of <c>" + model.Name + "</c>.</param>");
            }
            foreach (var p in differentiated)
            {
                w.Line("/// <param name=\"" + names.Out(p.Node) + "\">The differential ∂" + Xml(form.DisplayName(p.Node)) + ", the same shape as <paramref name=\"" + p.Name.TrimStart('@') + "\"/>.</param>");
            }
            w.Line("/// <param name=\"" + output + "\">Receives ∂f, the same shape as the result.</param>");
            w.Line("/// <returns>The value of <c>" + model.Name + "</c>.</returns>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoGradGen\", \"" + Emitter.Version + "\")]");
            var parameters = model.Parameters.Select(p => p.TypeText + " " + p.Name)
                .Concat(differentiated.Select(p => p.TypeText + " " + names.Out(p.Node)))
                .Concat(new[] { "out " + returnType + " " + output })
                .ToList();
            w.OpenMethod(model.Accessibility + " static " + returnType + " " + model.Name + "Differential", parameters);
            ShapeChecks.Write(w, model);
            new BodyEmitter(derivatives.Backward, names, form, w).WriteDifferential(output);
            w.Close();
        }

        /// <summary>
        /// The zero-allocation twin, FDifferential(params…, dparams…, workspace, out df) — for a layer, <c>ref df</c>, the
        /// caller's buffer, reused when it has the result's shape — into the method's workspace (slots added to <paramref name="layout"/>).
        /// </summary>
        public static string WriteTwin(Derivatives derivatives, WorkspaceLayout layout)
        {
            var model = derivatives.Model;
            if (!HasForwardMode(derivatives))
            {
                return string.Empty;
            }
            var names = new Names(model);
            var output = names.Reserve("df");
            var differentiated = model.Parameters.Where(p => p.Differentiated).ToList();
            var returnType = Emitter.TypeText(model.ReturnKind, model.ElementType);
            bool layer = model.ReturnKind != ValueKind.Scalar;
            var body = new SourceWriter();
            new BodyEmitter(derivatives.Backward, names, derivatives.ClosedForm, body, layout).WriteDifferential(output);
            var w = new SourceWriter();
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Value of <c>" + model.Name + "</c> and its differential ∂f along the input differentials, computed in");
            w.Line("/// <paramref name=\"workspace\"/>: the closed form is that of the allocating <c>" + model.Name + "Differential</c>. Allocates");
            w.Line("/// nothing once the workspace has seen the shapes." + (layer ? " The returned value belongs to the workspace." : string.Empty));
            w.Line("/// </summary>");
            foreach (var p in model.Parameters)
            {
                w.Line("/// <param name=\"" + p.Name.TrimStart('@') + "\">Argument of <c>" + model.Name + "</c>.</param>");
            }
            foreach (var p in differentiated)
            {
                w.Line("/// <param name=\"" + names.Out(p.Node) + "\">The differential of <paramref name=\"" + p.Name.TrimStart('@') + "\"/>, the same shape.</param>");
            }
            w.Line("/// <param name=\"workspace\">Buffers reused between calls.</param>");
            w.Line(layer
                ? "/// <param name=\"" + output + "\">Receives ∂f: the caller's buffer, written over (replaced only when it is null or not the result's shape).</param>"
                : "/// <param name=\"" + output + "\">Receives ∂f.</param>");
            w.Line("/// <returns>The value of <c>" + model.Name + "</c>" + (layer ? " (owned by the workspace)." : ".") + "</returns>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoGradGen\", \"" + Emitter.Version + "\")]");
            var parameters = model.Parameters.Select(p => p.TypeText + " " + p.Name)
                .Concat(differentiated.Select(p => p.TypeText + " " + names.Out(p.Node)))
                .Concat(new[] { model.WorkspaceName + " workspace", layer ? "ref " + returnType + "? " + output : "out " + returnType + " " + output })
                .ToList();
            w.OpenMethod(model.Accessibility + " static " + returnType + " " + model.Name + "Differential", parameters);
            ShapeChecks.Write(w, model);
            w.Line("global::System.ArgumentNullException.ThrowIfNull(workspace);");
            var linear = Operations.RuntimeApi.Class(Operations.RuntimeFamily.Linear);
            foreach (var p in differentiated.Where(p => p.Kind != ValueKind.Scalar))
            {
                w.Line("global::System.ArgumentNullException.ThrowIfNull(" + names.Out(p.Node) + ");");
                w.Line(linear + ".RequireSameShape(" + names.Out(p.Node) + ", " + p.Name + ", \"" + names.Out(p.Node) + "\", \"" + p.Name.TrimStart('@') + "\");");
            }
            w.AppendBlock(body.ToString());
            w.Close();
            return w.ToString();
        }

        /// <summary>No FDifferential through a varying call with no forward-mode rule (a [Pullback] without [Differential]: AGG0030).</summary>
        public static bool HasForwardMode(Derivatives derivatives)
            => Parsing.CustomDerivatives.FirstWithoutForwardMode(derivatives.Model, derivatives.Backward) is null;

        private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
