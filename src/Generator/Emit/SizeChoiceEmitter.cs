using AutoGradGen.Generator.Differentiation;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>
    /// The body of a first-order method when a size-dependent rewrite applies (<see cref="Derivatives.Cheaper"/>): both
    /// forms, each a complete straight-line body, chosen on entry by one comparison of dimensions — a plain C# if/else,
    /// not a branch of the IR, so nothing else (forward mode, second order) sees it. When literal sizes decide the
    /// choice at compile time only the cheaper form is written.
    /// </summary>
    internal static class SizeChoiceEmitter
    {
        public static void Write(SourceWriter w, Derivatives derivatives, System.Action<Derivatives> body)
        {
            if (derivatives.Cheaper is not { } cheaper || derivatives.Choice is not { } choice)
            {
                body(derivatives);
                return;
            }
            if (choice.Always)
            {
                w.Line("// ── " + choice.Rule + ": the sizes make the rewritten form the cheaper one ──");
                body(cheaper);
                return;
            }
            foreach (var line in choice.Why.Split('\n'))
            {
                w.Line("// " + line);
            }
            w.Open("if (" + choice.Condition + ")");
            body(cheaper);
            w.Close();
            w.Open("else");
            body(derivatives);
            w.Close();
        }
    }
}
