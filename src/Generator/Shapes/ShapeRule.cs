using System.Collections.Generic;
using AutoGradGen.Generator.Model;

namespace AutoGradGen.Generator.Shapes
{
    /// <summary>
    /// An op's shape rule, declared next to the op (<c>.Shaped(...)</c>): the equalities its operands'
    /// dimensions must satisfy and the dimensions of its result, stated through <see cref="ShapeContext"/>.
    /// </summary>
    internal delegate void ShapeRule(ShapeContext c);

    /// <summary>
    /// What a shape rule sees of one node: its operands' dimensions as symbols (a scalar has none, a vector
    /// one, a matrix two: rows then columns), and the means to equate them and to give the result's.
    /// Equalities that cannot hold are recorded by <see cref="ShapeInference"/> as mismatches at the node.
    /// </summary>
    internal sealed class ShapeContext
    {
        private readonly ShapeInference.Solver _solver;
        private readonly IrNode _node;
        private readonly IReadOnlyList<ValueKind> _kinds;

        internal ShapeContext(ShapeInference.Solver solver, IrNode node, IReadOnlyList<ValueKind> kinds)
        {
            _solver = solver;
            _node = node;
            _kinds = kinds;
        }

        /// <summary>The result's dimensions, once the rule has given them.</summary>
        internal int[]? ResultDims { get; private set; }

        /// <summary>Number of operands.</summary>
        public int Arity => _kinds.Count;

        /// <summary>The kind of operand <paramref name="i"/>.</summary>
        public ValueKind Kind(int i) => _kinds[i];

        /// <summary>Rows of a matrix operand, or the length of a vector operand.</summary>
        public int Rows(int i) => _solver.Dim(_node.Args[i], 0);

        /// <summary>Columns of a matrix operand (a vector is a column: one column, no symbol: −1).</summary>
        public int Cols(int i) => _solver.Dim(_node.Args[i], 1);

        /// <summary>Operands <paramref name="i"/> and <paramref name="j"/> have the same shape (when they have the same kind).</summary>
        public void Same(int i, int j)
        {
            if (_kinds[i] == _kinds[j])
            {
                Tie(i, Rows(i), j, Rows(j));
                Tie(i, Cols(i), j, Cols(j));
            }
        }

        /// <summary>Dimension <paramref name="a"/> of operand <paramref name="i"/> equals dimension <paramref name="b"/> of operand <paramref name="j"/>.</summary>
        public void Tie(int i, int a, int j, int b) => _solver.Unify(_node, i, a, j, b, square: false);

        /// <summary>A matrix operand is square.</summary>
        public void Square(int i)
        {
            if (_kinds[i] == ValueKind.Matrix)
            {
                _solver.Unify(_node, i, Rows(i), i, Cols(i), square: true);
            }
        }

        /// <summary>Whether dimension symbols <paramref name="a"/> and <paramref name="b"/> are known to be equal so far.</summary>
        public bool Equal(int a, int b) => _solver.AreSame(a, b);

        /// <summary>The result has these dimensions (−1: a fresh symbol).</summary>
        public void Result(params int[] dims) => ResultDims = dims;

        /// <summary>The result has the shape of operand <paramref name="i"/>.</summary>
        public void ResultOf(int i) => ResultDims = _solver.Dims(_node.Args[i]);

        /// <summary>The result's shape is not known from the operands (convolution, pooling, calls): fresh symbols.</summary>
        public void Fresh() => ResultDims = null;

        /// <summary>Common rules, for the op declarations.</summary>
        public static class Rules
        {
            /// <summary>One operand, the result has its shape (element-wise functions, softmax, −A).</summary>
            public static readonly ShapeRule Unary = c => c.ResultOf(0);

            /// <summary>Two operands of the same shape; the result has it too (A + B, A ⊙ B).</summary>
            public static readonly ShapeRule SameShape = c =>
            {
                c.Same(0, 1);
                c.ResultOf(0);
            };

            /// <summary>Two operands of the same shape, a scalar result (⟨A, B⟩, CE).</summary>
            public static readonly ShapeRule SameShapeToScalar = c => c.Same(0, 1);

            /// <summary>A scalar of one operand, whatever its shape (Σ, mean, ‖·‖²).</summary>
            public static readonly ShapeRule ToScalar = c => { };

            /// <summary>A scalar of a square matrix (Tr, det, log det).</summary>
            public static readonly ShapeRule SquareToScalar = c => c.Square(0);

            /// <summary>
            /// A B: cols(A) = rows(B) for matrix · matrix and matrix · vector (rows(A) × cols(B), or rows(A));
            /// a scalar factor leaves the other's shape; a vector times a row matrix is len(u) × cols(B).
            /// </summary>
            public static readonly ShapeRule Product = c =>
            {
                if (c.Kind(0) == ValueKind.Scalar || c.Kind(1) == ValueKind.Scalar)
                {
                    c.ResultOf(c.Kind(0) == ValueKind.Scalar ? 1 : 0);
                    return;
                }
                if (c.Kind(0) == ValueKind.Matrix)
                {
                    c.Tie(0, c.Cols(0), 1, c.Rows(1));
                    c.Result(c.Kind(1) == ValueKind.Matrix ? new[] { c.Rows(0), c.Cols(1) } : new[] { c.Rows(0) });
                    return;
                }
                c.Result(c.Rows(0), c.Cols(1));
            };

            /// <summary>Column(A, j): a vector of length rows(A).</summary>
            public static readonly ShapeRule Column = c => c.Result(c.Rows(0));

            /// <summary>Row(A, i): a vector of length cols(A).</summary>
            public static readonly ShapeRule Row = c => c.Result(c.Cols(0));

            /// <summary>SliceRows(A, s, n): n × cols(A) (the count is a value, so a fresh symbol); of a vector, length n.</summary>
            public static readonly ShapeRule SliceRows = c => c.Result(c.Kind(0) == ValueKind.Vector ? new[] { -1 } : new[] { -1, c.Cols(0) });

            /// <summary>SliceColumns(A, s, n): rows(A) × n.</summary>
            public static readonly ShapeRule SliceColumns = c => c.Result(c.Rows(0), -1);

            /// <summary>Embedding(E, ids): rows(E) × ids.Length (the number of ids is a value, so a fresh symbol); V = cols(E) is free.</summary>
            public static readonly ShapeRule Embedding = c => c.Result(c.Rows(0), -1);

            /// <summary>ConcatRows(A, B): cols(A) = cols(B); the result is (rows(A) + rows(B)) × cols(A), a fresh symbol for the sum.</summary>
            public static readonly ShapeRule ConcatRows = c =>
            {
                if (c.Kind(0) == ValueKind.Matrix)
                {
                    c.Tie(0, c.Cols(0), 1, c.Cols(1));
                    c.Result(-1, c.Cols(0));
                    return;
                }
                c.Result(-1);
            };

            /// <summary>ConcatColumns(A, B): rows(A) = rows(B); the result is rows(A) × (cols(A) + cols(B)).</summary>
            public static readonly ShapeRule ConcatColumns = c =>
            {
                c.Tie(0, c.Rows(0), 1, c.Rows(1));
                c.Result(c.Rows(0), -1);
            };

            /// <summary>The diagonal: of a matrix known to be square, a vector of its order; otherwise of length min(rows, cols), a fresh symbol.</summary>
            public static readonly ShapeRule Diagonal = c => c.Result(c.Equal(c.Rows(0), c.Cols(0)) ? c.Rows(0) : -1);

            /// <summary>A result whose shape the operands do not fix (convolution, pooling, calls).</summary>
            public static readonly ShapeRule Opaque = c => c.Fresh();
        }
    }
}
