using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Differentiation;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Parsing;
using static AutoGradGen.Generator.Emit.HessianEmitter;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// FHessian, for a scalar method whose differentiated parameters are all scalars or vectors: the
    /// n × n matrix ∂²f/∂θᵢ∂θⱼ over the parameters concatenated in order. Where the Hessian-vector product
    /// is a closed form that the identity can be pushed through (<see cref="HessianBatch"/>), it is one
    /// matrix expression (logistic loss: Xᵀ diag(σ′(Xw)) X); otherwise it is assembled column by column
    /// from n Hessian-vector products.
    /// </summary>
    internal static class HessianMatrixEmitter
    {
        public static void Write(SourceWriter w, Derivatives derivatives)
        {
            var model = derivatives.Model;
            var differentiated = model.Parameters.Where(p => p.Differentiated).ToList();
            if (differentiated.Any(p => p.Kind == ValueKind.Matrix))
            {
                return;
            }
            var names = new Names(model);
            names.ReserveSecondOrder();
            var hessian = names.Reserve("hessian");
            var form = derivatives.ClosedForm;
            var closed = HessianBatch.TryBuild(derivatives);
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Value of <c>" + model.Name + "</c>, its gradients, and its Hessian ∂²f/∂θᵢ∂θⱼ over θ = (" +
                   string.Join(", ", differentiated.Select(p => Xml(form.DisplayName(p.Node)))) + "), n × n, entries in parameter order.");
            w.Line("/// </summary>");
            w.Line("/// <remarks>");
            if (closed is not null)
            {
                w.Line("/// <para>Closed form, the identity pushed through the Hessian-vector product as a batch of directions:</para>");
                w.Line("/// <code>");
                foreach (var line in closed.Lines)
                {
                    w.Line("/// " + Xml(line));
                }
                w.Line("/// </code>");
            }
            else
            {
                w.Line("/// <para>Assembled from n Hessian-vector products (column j = ∇²f eⱼ): no closed form was found for the batch of directions.</para>");
            }
            w.Line("/// </remarks>");
            foreach (var p in model.Parameters)
            {
                w.Line("/// <param name=\"" + p.Name.TrimStart('@') + "\">Argument of <c>" + model.Name + "</c>.</param>");
            }
            foreach (var p in differentiated)
            {
                w.Line("/// <param name=\"" + names.Out(p.Node) + "\">Receives ∇" + Xml(form.DisplayName(p.Node)) + ".</param>");
            }
            w.Line("/// <param name=\"" + hessian + "\">Receives the n × n Hessian (symmetric).</param>");
            w.Line("/// <returns>The value of <c>" + model.Name + "</c>.</returns>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoGradGen\", \"" + Emitter.Version + "\")]");
            foreach (var line in closed?.Lines.Take(1) ?? Enumerable.Empty<string>())
            {
                w.Line("[global::AutoGradGen.ClosedForm(\"" + line.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\")]");
            }
            var matrix = "global::AutoGradGen.Matrix<" + model.ElementType + ">";
            var parameters = model.Parameters.Select(p => p.TypeText + " " + p.Name)
                .Concat(differentiated.Select(p => "out " + p.TypeText + " " + names.Out(p.Node)))
                .Concat(new[] { "out " + matrix + " " + hessian })
                .ToList();
            w.OpenMethod(model.Accessibility + " static " + model.ElementType + " " + model.Name + "Hessian", parameters);
            if (closed is not null)
            {
                closed.WriteBody(w, names, hessian);
            }
            else
            {
                WriteColumns(w, model, differentiated, names, hessian);
            }
            w.Close();
        }

        /// <summary>Column j of the Hessian is the Hessian-vector product along the unit direction eⱼ.</summary>
        private static void WriteColumns(SourceWriter w, MethodModel model, List<ParamModel> differentiated, Names hvp, string hessian)
        {
            var element = model.ElementType;
            var one = model.IsFloat ? "1f" : "1.0";
            var zero = model.IsFloat ? "0f" : "0.0";
            var n = hvp.Reserve("n");
            var j = hvp.Reserve("j");
            var i = hvp.Reserve("i");
            var offsets = Offsets(differentiated);
            w.Line("int " + n + " = " + string.Join(" + ", differentiated.Select(p => p.Kind == ValueKind.Vector ? p.Name + ".Length" : "1")) + ";");
            w.Line(hessian + " = new global::AutoGradGen.Matrix<" + element + ">(" + n + ", " + n + ");");
            foreach (var p in differentiated)
            {
                w.Line(p.Kind == ValueKind.Vector
                    ? "var " + hvp.Direction(p.Node) + " = new global::AutoGradGen.Vector<" + element + ">(" + p.Name + ".Length);"
                    : element + " " + hvp.Direction(p.Node) + " = " + zero + ";");
            }
            w.Open("for (int " + j + " = 0; " + j + " < " + n + "; " + j + "++)");
            w.Line("// column " + j + " = ∇²f e" + j + ", e" + j + " the unit direction");
            for (int k = 0; k < differentiated.Count; k++)
            {
                w.Line(DirectionEntry(differentiated[k], hvp, offsets[k], j) + " = " + one + ";");
            }
            var args = model.Parameters.Select(p => p.Name)
                .Concat(differentiated.Select(p => hvp.Direction(p.Node)))
                .Concat(differentiated.Select(_ => "out _"))
                .Concat(differentiated.Select(p => "out var " + hvp.Product(p.Node)));
            w.Line(model.Name + "HessianVectorProduct(" + string.Join(", ", args) + ");");
            for (int k = 0; k < differentiated.Count; k++)
            {
                var p = differentiated[k];
                w.Line(p.Kind == ValueKind.Vector
                    ? "for (int " + i + " = 0; " + i + " < " + p.Name + ".Length; " + i + "++) " + hessian + "[" + Plus(offsets[k], i) + ", " + j + "] = " + hvp.Product(p.Node) + "[" + i + "];"
                    : hessian + "[" + offsets[k] + ", " + j + "] = " + hvp.Product(p.Node) + ";");
                w.Line(DirectionEntry(p, hvp, offsets[k], j) + " = " + zero + ";");
            }
            w.Close();
            var outs = differentiated.Select(p => "out " + hvp.Out(p.Node));
            w.Line("return " + Parser.GeneratedName(model.Name, model.ReturnKind) + "(" + string.Join(", ", model.Parameters.Select(p => p.Name).Concat(outs)) + ");   // f and its gradient");
        }

        /// <summary>Where each parameter's block starts in θ: "0", "w.Length", "w.Length + 1", …</summary>
        internal static List<string> Offsets(List<ParamModel> differentiated)
        {
            var offsets = new List<string>();
            var running = new List<string>();
            foreach (var p in differentiated)
            {
                offsets.Add(running.Count == 0 ? "0" : string.Join(" + ", running));
                running.Add(p.Kind == ValueKind.Vector ? p.Name + ".Length" : "1");
            }
            return offsets;
        }

        /// <summary>The statement head that sets direction entry j (within the parameter's block) — guarded by the block's range.</summary>
        internal static string DirectionEntry(ParamModel p, Names hvp, string offset, string j)
            => p.Kind == ValueKind.Vector && offset == "0" && p.Node == hvp.OnlyDifferentiated
                ? hvp.Direction(p.Node) + "[" + j + "]"
                : p.Kind == ValueKind.Vector
                ? "if (" + j + " >= " + offset + " && " + j + " < " + Plus(offset, p.Name + ".Length") + ") " + hvp.Direction(p.Node) + "[" + j + " - " + Paren(offset) + "]"
                : "if (" + j + " == " + offset + ") " + hvp.Direction(p.Node);

        internal static string Plus(string offset, string term) => offset == "0" ? term : offset + " + " + term;

        private static string Paren(string offset) => offset.Contains(" ") ? "(" + offset + ")" : offset;
    }
}
