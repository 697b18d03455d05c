using System.Collections.Generic;
using System.Linq;
using AutoGradGen.Generator.Model;
using AutoGradGen.Generator.Shapes;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// The block each generated method starts with: every equality between parameter sizes that shape
    /// inference relied on, checked once on entry, one line per check. A failure throws one
    /// ArgumentException through <c>AutoGradGen.Compute.Shapes.Mismatch</c> that names the operation as
    /// the user wrote it, the operands, their sizes and their symbols.
    /// </summary>
    internal static class ShapeChecks
    {
        private const string Helper = "global::AutoGradGen.Compute.Shapes";

        /// <summary>
        /// Writes the block for <paramref name="model"/> (nothing when no check is needed): the checks of the method as the
        /// user wrote it, before the rewrite stage (the same equalities, named by the operations written).
        /// </summary>
        public static void Write(SourceWriter w, MethodModel model) => Write(w, model.Written ?? model, ShapeInference.Infer(model.Written ?? model));

        public static void Write(SourceWriter w, MethodModel model, ShapeInfo shapes)
        {
            var checks = Distinct(shapes.Checks);
            if (checks.Count == 0)
            {
                return;
            }
            var used = model.Parameters.Where(p => p.Kind != ValueKind.Scalar && p.Kind != ValueKind.Int
                    && checks.Any(c => Reads(c, p.Name))).ToList();
            w.Line("// ── shapes, checked once on entry: " + string.Join(",  ", used.Select(p => p.Name.TrimStart('@') + " is " + shapes.ShapeOf(p.Node))) + " ──");
            foreach (var p in used)
            {
                w.Line("global::System.ArgumentNullException.ThrowIfNull(" + p.Name + ");");
            }
            foreach (var c in checks)
            {
                w.Line("if (" + c.Left + " != " + c.Right + ") " + Call(c) + ";");
            }
            w.Line();
        }

        private static List<ShapeCheck> Distinct(EquatableArray<ShapeCheck> checks)
        {
            var seen = new HashSet<(string, string)>();
            return checks.Items.Where(c => seen.Add((c.Left, c.Right)) && seen.Add((c.Right, c.Left))).ToList();
        }

        private static bool Reads(ShapeCheck c, string parameter)
            => Mentions(c.Left, parameter) || Mentions(c.Right, parameter)
               || c.A.Sizes.Items.Any(s => Mentions(s, parameter)) || (c.B?.Sizes.Items.Any(s => Mentions(s, parameter)) ?? false);

        private static bool Mentions(string expression, string parameter) => expression.StartsWith(parameter + ".", System.StringComparison.Ordinal);

        private static string Call(ShapeCheck c)
        {
            var a = Literal(c.Operation) + ", " + Operand(c.A);
            return c.B is { } b
                ? Helper + ".Mismatch(" + a + ", " + Operand(b) + ")"
                : Helper + ".Mismatch(" + a + ", " + Literal(c.Requirement ?? string.Empty) + ")";
        }

        private static string Operand(CheckOperand o)
            => Literal(o.Name) + ", " + Helper + ".Size(" + string.Join(", ", o.Sizes.Items.Select(s => s == "?" ? "-1" : s)) + "), " + Literal(o.Symbols);

        /// <summary>A C# string literal of <paramref name="text"/>.</summary>
        private static string Literal(string text)
        {
            var sb = new System.Text.StringBuilder("\"");
            foreach (var ch in text)
            {
                sb.Append(ch switch
                {
                    '\\' => "\\\\",
                    '"' => "\\\"",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => ch.ToString(),
                });
            }
            return sb.Append('"').ToString();
        }
    }
}
