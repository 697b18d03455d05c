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
