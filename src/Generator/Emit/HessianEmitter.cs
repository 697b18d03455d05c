using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Differentiation;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Symbolic;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// Second order for a scalar method: FHessianVectorProduct (forward mode over the reverse sweep) and
    /// FHessian (the dense Hessian, when every differentiated parameter is a scalar or a vector).
    /// </summary>
    internal static class HessianEmitter
    {
        public static void Write(SourceWriter w, Derivatives derivatives)
        {
            var model = derivatives.Model;
            if (model.ReturnKind != ValueKind.Scalar || !model.Parameters.Any(p => p.Differentiated))
            {
                return;
            }
            // Written aside first: an op of the backward sweep without a rule of its own (a layer call) means no second order.
            var names = new Names(model);
            names.ReserveSecondOrder();
            var body = new SourceWriter();
            try
            {
                ShapeChecks.Write(body, model);
                WriteBody(body, derivatives, names, layout: null);
            }
            catch (NoSecondOrderRuleException)
            {
                return;
            }
            WriteHessianVectorProduct(w, derivatives, names, body);
            HessianMatrixEmitter.Write(w, derivatives);
        }

        /// <summary>
        /// The body of FHessianVectorProduct (or its twin, with <paramref name="layout"/>): like first order, both forms of a
        /// size-dependent rewrite chosen on entry (<see cref="SizeChoiceEmitter"/>) when the rewritten form has second order too,
        /// so the Hessian-vector product of the Gaussian NLL also works on d × d matrices after one d²n product.
        /// </summary>
        internal static void WriteBody(SourceWriter body, Derivatives derivatives, Names names, WorkspaceLayout? layout)
        {
            var choice = derivatives.Cheaper is { } cheaper && HasSecondOrder(cheaper)
                ? derivatives
                : new Derivatives(derivatives.Model, derivatives.Backward, derivatives.ClosedForm);
            SizeChoiceEmitter.Write(body, choice, d =>
            {
                var dNames = names;
                if (d != choice)
                {
                    dNames = new Names(d.Model);
                    dNames.ReserveSecondOrder();
                }
                new BodyEmitter(d.Backward, dNames, d.ClosedForm, body, layout, secondOrder: true).WriteHessianVectorProduct();
            });
        }

        /// <summary>Whether every op of the backward sweep has a differential of its own (no layer or scalar call is differentiated).</summary>
        public static bool HasSecondOrder(Derivatives derivatives)
        {
            if (derivatives.Model.ReturnKind != ValueKind.Scalar)
            {
                return false;
            }
            var names = new Names(derivatives.Model);
            names.ReserveSecondOrder();
            try
            {
                new BodyEmitter(derivatives.Backward, names, derivatives.ClosedForm, new SourceWriter(), secondOrder: true).WriteHessianVectorProduct();
                return true;
            }
            catch (NoSecondOrderRuleException)
            {
                return false;
            }
        }

        private static void WriteHessianVectorProduct(SourceWriter w, Derivatives derivatives, Names names, SourceWriter body)
        {
            var model = derivatives.Model;
            var form = derivatives.ClosedForm;
            var differentiated = model.Parameters.Where(p => p.Differentiated).ToList();
            var printed = new List<Expr>();
            var lines = new List<string>();
            foreach (var p in differentiated)
            {
                if (form.HessianVectorExpr(p) is { } product)
                {
                    printed.Add(product);
                    lines.Add("∂(∇" + form.DisplayName(p.Node) + ") = " + form.Print(product));
                }
            }
            var definitions = form.Definitions(printed).ToList();
            if (definitions.Count > 0)
            {
                lines.Add("where " + string.Join(",  ", definitions));
            }
            var along = string.Join(", ", differentiated.Select(p => "∂" + form.DisplayName(p.Node) + " = " + names.Direction(p.Node)));
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Value of <c>" + model.Name + "</c>, its gradients, and the Hessian-vector products ∇²f v along the direction v (" + Xml(along) +
                   "): forward mode over the reverse sweep, in one pass.");
            w.Line("/// </summary>");
            w.Line("/// <remarks>");
            w.Line("/// <para>The Hessian as a linear map: the differential of each closed-form gradient, composed at compile time:</para>");
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
                w.Line("/// <param name=\"" + names.Direction(p.Node) + "\">The direction's component for <paramref name=\"" + p.Name.TrimStart('@') + "\"/>, the same shape.</param>");
            }
            foreach (var p in differentiated)
            {
                w.Line("/// <param name=\"" + names.Out(p.Node) + "\">Receives ∇" + Xml(form.DisplayName(p.Node)) + ".</param>");
            }
            foreach (var p in differentiated)
            {
                w.Line("/// <param name=\"" + names.Product(p.Node) + "\">Receives the " + Xml(form.DisplayName(p.Node)) + " block of ∇²f v, the same shape as <paramref name=\"" + p.Name.TrimStart('@') + "\"/>.</param>");
            }
            w.Line("/// <returns>The value of <c>" + model.Name + "</c>.</returns>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"AutoGradGen\", \"" + Emitter.Version + "\")]");
            var parameters = model.Parameters.Select(p => p.TypeText + " " + p.Name)
                .Concat(differentiated.Select(p => p.TypeText + " " + names.Direction(p.Node)))
                .Concat(differentiated.Select(p => "out " + p.TypeText + " " + names.Out(p.Node)))
                .Concat(differentiated.Select(p => "out " + p.TypeText + " " + names.Product(p.Node)))
                .ToList();
            w.OpenMethod(model.Accessibility + " static " + model.ElementType + " " + model.Name + "HessianVectorProduct", parameters);
            w.AppendBlock(body.ToString());
            w.Close();
        }

        internal static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
