using System.Text;

namespace AutoGradGen.Generator.Emit
{
    /// <summary>A small indenting writer with '\n' line endings, so output is identical on every OS.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _text = new();
        private int _indent;

        public void Line(string line = "")
        {
            if (line.Length > 0)
            {
                _text.Append(' ', _indent * 4);
            }
            _text.Append(line).Append('\n');
        }

        public void Open(string header)
        {
            Line(header);
            Line("{");
            _indent++;
        }

        /// <summary>Longer one-line signatures are wrapped one parameter a line.</summary>
        public const int MaxSignatureWidth = 120;

        /// <summary>
        /// Opens a method: <c>head(p1, p2)</c> on one line when it fits in <see cref="MaxSignatureWidth"/>
        /// columns at this indent, else one parameter a line under the head.
        /// </summary>
        public void OpenMethod(string head, System.Collections.Generic.IReadOnlyList<string> parameters)
        {
            var oneLine = head + "(" + string.Join(", ", parameters) + ")";
            if (_indent * 4 + oneLine.Length <= MaxSignatureWidth || parameters.Count == 0)
            {
                Open(oneLine);
                return;
            }
            Line(head + "(");
            _indent++;
            for (int i = 0; i < parameters.Count; i++)
            {
                Line(parameters[i] + (i == parameters.Count - 1 ? ")" : ","));
            }
            _indent--;
            Line("{");
            _indent++;
        }

        public void Close(string suffix = "")
        {
            _indent--;
            Line("}" + suffix);
        }

        /// <summary>Appends text written by another writer (at indent 0), indented to this writer's level.</summary>
        public void AppendBlock(string text)
        {
            foreach (var line in text.TrimEnd('\n').Split('\n'))
            {
                Line(line);
            }
        }

        public override string ToString() => _text.ToString();
    }
}
