using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Differentiation;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Operations;
using static AutoGradGen.Generator.Emit.HessianEmitter;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// The zero-allocation twins of FHessianVectorProduct and FHessian, in the FBackward style: same names, a
    /// workspace (the method's own workspace class, whose slots they share) and caller-owned buffers that
    /// accumulate unless <c>accumulate</c> is false. Warmed up, they allocate nothing.
    /// </summary>
    internal static class SecondOrderWorkspaceEmitter
    {
        /// <summary>The twins' source (empty when the method has no second order), their slots added to <paramref name="layout"/>.</summary>
        public static string Write(Derivatives derivatives, WorkspaceLayout layout)
        {
            var model = derivatives.Model;
            if (model.ReturnKind != ValueKind.Scalar)
            {
                return string.Empty;
            }
            if (!HessianEmitter.HasSecondOrder(derivatives))
            {
                // Checked before any slot is taken: the shared layout must not get fields nothing assigns.
                return string.Empty;
            }
            var names = new Names(model);
            names.ReserveSecondOrder();
            var body = new SourceWriter();
            HessianEmitter.WriteBody(body, derivatives, names, layout);
            var w = new SourceWriter();
            WriteProductTwin(w, model, names, body.ToString());
            if (model.Parameters.Where(p => p.Differentiated).All(p => p.Kind != ValueKind.Matrix))
            {
                WriteHessianTwin(w, derivatives, layout);
            }
            return w.ToString();
        }

        private static string Buffer(ParamModel p, string name) => (p.Kind == ValueKind.Scalar ? "ref " + p.TypeText : p.TypeText + "?") + " " + name;

        private static void WriteProductTwin(SourceWriter w, MethodModel model, Names names, string body)
        {
            var differentiated = model.Parameters.Where(p => p.Differentiated).ToList();
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Computes <c>" + model.Name + "</c> and adds its gradients and Hessian-vector products along v to caller-owned buffers:");
            w.Line("/// d<i>p</i> += ∇<i>p</i>, hv<i>p</i> += (∇²f v)<sub><i>p</i></sub>. The closed forms are those of the allocating");
            w.Line("/// <c>" + model.Name + "HessianVectorProduct</c>. Allocates nothing once the workspace has seen the shapes.");
            w.Line("/// </summary>");
            foreach (var p in model.Parameters)
            {
                w.Line("/// <param name=\"" + p.Name.TrimStart('@') + "\">Argument of <c>" + model.Name + "</c>.</param>");
            }
            foreach (var p in differentiated)
            {
                w.Line("/// <param name=\"" + names.Direction(p.Node) + "\">The direction's component for <paramref name=\"" + p.Name.TrimStart('@') + "\"/>.</param>");
            }
            w.Line("/// <param name=\"workspace\">Buffers reused between calls (the one " + model.Name + "Backward uses).</param>");
            foreach (var p in differentiated)
            {
                w.Line("/// <param name=\"" + names.Out(p.Node) + "\">Gradient buffer for <paramref name=\"" + p.Name.TrimStart('@') + "\"/>, added to" + (p.Kind == ValueKind.Scalar ? "." : "; null skips it.") + "</param>");
            }
            foreach (var p in differentiated)
            {
                w.Line("/// <param name=\"" + names.Product(p.Node) + "\">Hessian-vector product buffer for <paramref name=\"" + p.Name.TrimStart('@') + "\"/>, added to" + (p.Kind == ValueKind.Scalar ? "." : "; null skips it.") + "</param>");
            }
            w.Line("/// <param name=\"accumulate\">True: add to the buffers; false: overwrite them.</param>");
            w.Line("/// <returns>The value of <c>" + model.Name + "</c>.</returns>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoGradGen\", \"" + Emitter.Version + "\")]");
            var parameters = model.Parameters.Select(p => p.TypeText + " " + p.Name)
                .Concat(differentiated.Select(p => p.TypeText + " " + names.Direction(p.Node)))
                .Concat(new[] { model.WorkspaceName + " workspace" })
                .Concat(differentiated.Select(p => Buffer(p, names.Out(p.Node))))
                .Concat(differentiated.Select(p => Buffer(p, names.Product(p.Node))))
                .Concat(new[] { "bool accumulate = true" })
                .ToList();
            w.OpenMethod(model.Accessibility + " static " + model.ElementType + " " + model.Name + "HessianVectorProduct", parameters);
            ShapeChecks.Write(w, model);
            w.Line("global::System.ArgumentNullException.ThrowIfNull(workspace);");
            var linear = RuntimeApi.Class(RuntimeFamily.Linear);
            foreach (var p in differentiated.Where(p => p.Kind != ValueKind.Scalar))
            {
                w.Line("global::System.ArgumentNullException.ThrowIfNull(" + names.Direction(p.Node) + ");");
                w.Line(linear + ".RequireSameShape(" + names.Direction(p.Node) + ", " + p.Name + ", \"" + names.Direction(p.Node) + "\", \"" + p.Name.TrimStart('@') + "\");");
                w.Line(linear + ".RequireSameShape(" + names.Out(p.Node) + ", " + p.Name + ", \"" + names.Out(p.Node) + "\", \"" + p.Name.TrimStart('@') + "\");");
                w.Line(linear + ".RequireSameShape(" + names.Product(p.Node) + ", " + p.Name + ", \"" + names.Product(p.Node) + "\", \"" + p.Name.TrimStart('@') + "\");");
            }
            w.AppendBlock(body);
            w.Close();
        }

        private static void WriteHessianTwin(SourceWriter w, Derivatives derivatives, WorkspaceLayout layout)
        {
            var model = derivatives.Model;
            var differentiated = model.Parameters.Where(p => p.Differentiated).ToList();
            var names = new Names(model);
            names.ReserveSecondOrder();
            var hessian = names.Reserve("hessian");
            var closed = HessianBatch.TryBuild(derivatives);
            var body = new SourceWriter();
            if (closed is not null)
            {
                closed.WriteBody(body, names, hessian, layout);
            }
            else
            {
                WriteColumns(body, model, differentiated, names, hessian, layout);
            }
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Computes <c>" + model.Name + "</c> and adds its gradients and its Hessian (n × n, parameters in order) to caller-owned");
            w.Line("/// buffers. The closed form is that of the allocating <c>" + model.Name + "Hessian</c>. Allocates nothing once the workspace has");
            w.Line("/// seen the shapes.");
            w.Line("/// </summary>");
            foreach (var p in model.Parameters)
            {
                w.Line("/// <param name=\"" + p.Name.TrimStart('@') + "\">Argument of <c>" + model.Name + "</c>.</param>");
            }
            w.Line("/// <param name=\"workspace\">Buffers reused between calls (the one " + model.Name + "Backward uses).</param>");
            foreach (var p in differentiated)
            {
                w.Line("/// <param name=\"" + names.Out(p.Node) + "\">Gradient buffer for <paramref name=\"" + p.Name.TrimStart('@') + "\"/>, added to" + (p.Kind == ValueKind.Scalar ? "." : "; null skips it.") + "</param>");
            }
            w.Line("/// <param name=\"" + hessian + "\">The n × n buffer the Hessian is added to.</param>");
            w.Line("/// <param name=\"accumulate\">True: add to the buffers; false: overwrite them.</param>");
            w.Line("/// <returns>The value of <c>" + model.Name + "</c>.</returns>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoGradGen\", \"" + Emitter.Version + "\")]");
            var parameters = model.Parameters.Select(p => p.TypeText + " " + p.Name)
                .Concat(new[] { model.WorkspaceName + " workspace" })
                .Concat(differentiated.Select(p => Buffer(p, names.Out(p.Node))))
                .Concat(new[] { "global::AutoGradGen.Matrix<" + model.ElementType + "> " + hessian, "bool accumulate = true" })
                .ToList();
            w.OpenMethod(model.Accessibility + " static " + model.ElementType + " " + model.Name + "Hessian", parameters);
            ShapeChecks.Write(w, model);
            w.Line("global::System.ArgumentNullException.ThrowIfNull(workspace);");
            w.Line("global::System.ArgumentNullException.ThrowIfNull(" + hessian + ");");
            var size = string.Join(" + ", differentiated.Select(p => p.Kind == ValueKind.Vector ? p.Name + ".Length" : "1"));
            w.Line(RuntimeApi.Class(RuntimeFamily.Linear) + ".RequireShape(" + hessian + ", " + size + ", " + size + ", \"" + hessian + "\");");
            w.AppendBlock(body.ToString());
            w.Close();
        }

        /// <summary>Column j = ∇²f eⱼ by the workspace twin of the Hessian-vector product, into the caller's buffer.</summary>
        private static void WriteColumns(SourceWriter w, MethodModel model, List<ParamModel> differentiated, Names names, string hessian, WorkspaceLayout layout)
        {
            var element = model.ElementType;
            var linear = RuntimeApi.Class(RuntimeFamily.Linear);
            var zero = model.IsFloat ? "0f" : "0.0";
            var one = model.IsFloat ? "1f" : "1.0";
            var n = names.Reserve("n");
            var j = names.Reserve("j");
            var i = names.Reserve("i");
            var unused = names.Reserve("unused");
            var offsets = HessianMatrixEmitter.Offsets(differentiated);
            w.Line("int " + n + " = " + string.Join(" + ", differentiated.Select(p => p.Kind == ValueKind.Vector ? p.Name + ".Length" : "1")) + ";");
            if (differentiated.Any(p => p.Kind == ValueKind.Scalar))
            {
                w.Line(element + " " + unused + " = " + zero + ";   // the gradient of a scalar parameter, not wanted here");
            }
            foreach (var p in differentiated)
            {
                if (p.Kind == ValueKind.Vector)
                {
                    w.Line("var " + names.Direction(p.Node) + " = " + linear + ".Filled(" + p.Name + ".Length, " + zero + ", ref " + layout.Slot(ValueKind.Vector) + ");");
                    w.Line("var " + names.Product(p.Node) + " = " + linear + ".Ensure(ref " + layout.Slot(ValueKind.Vector) + ", " + p.Name + ".Length);");
                }
                else
                {
                    w.Line(element + " " + names.Direction(p.Node) + " = " + zero + ", " + names.Product(p.Node) + " = " + zero + ";");
                }
            }
            w.Open("for (int " + j + " = 0; " + j + " < " + n + "; " + j + "++)");
            for (int k = 0; k < differentiated.Count; k++)
            {
                w.Line(HessianMatrixEmitter.DirectionEntry(differentiated[k], names, offsets[k], j) + " = " + one + ";");
            }
            var args = model.Parameters.Select(p => p.Name)
                .Concat(differentiated.Select(p => names.Direction(p.Node)))
                .Concat(new[] { "workspace" })
                .Concat(differentiated.Select(p => p.Kind == ValueKind.Scalar ? "ref " + unused : "null"))
                .Concat(differentiated.Select(p => (p.Kind == ValueKind.Scalar ? "ref " : string.Empty) + names.Product(p.Node)))
                .Concat(new[] { "accumulate: false" });
            w.Line(model.Name + "HessianVectorProduct(" + string.Join(", ", args) + ");");
            for (int k = 0; k < differentiated.Count; k++)
            {
                var p = differentiated[k];
                var entry = p.Kind == ValueKind.Vector ? names.Product(p.Node) + "[" + i + "]" : names.Product(p.Node);
                var row = p.Kind == ValueKind.Vector ? HessianMatrixEmitter.Plus(offsets[k], i) : offsets[k];
                var assign = hessian + "[" + row + ", " + j + "] = (accumulate ? " + hessian + "[" + row + ", " + j + "] : " + zero + ") + " + entry + ";";
                w.Line(p.Kind == ValueKind.Vector ? "for (int " + i + " = 0; " + i + " < " + p.Name + ".Length; " + i + "++) " + assign : assign);
                w.Line(HessianMatrixEmitter.DirectionEntry(p, names, offsets[k], j) + " = " + zero + ";");
            }
            w.Close();
            w.Line("return " + model.Name + "Backward(" + string.Join(", ", model.Parameters.Select(p => p.Name).Concat(new[] { "workspace" })
                .Concat(differentiated.Select(p => (p.Kind == ValueKind.Scalar ? "ref " : string.Empty) + names.Out(p.Node))).Concat(new[] { "accumulate" })) + ");   // f and its gradient");
        }
    }
}
