using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoGradGen.Compute;

namespace AutoGradGen.Kernels
{
    /// <summary>
    /// Work the packed GEMM does on a block of C as soon as the block's last KC step is written, on the thread
    /// that wrote it and while the block is still in its cache: f(C + b𝟙ᵀ) for a dense layer. A block is a
    /// rectangle of C that no other block overlaps, so the epilogue of a parallel product runs in parallel too.
    /// </summary>
    internal interface IGemmEpilogue<T>
        where T : unmanaged
    {
        /// <summary>Rewrites the rows×cols block of C whose first element is C[row0, col0] at <paramref name="c"/> (row stride <paramref name="ldc"/>).</summary>
        unsafe void Apply(T* c, nint ldc, int row0, int rows, int col0, int cols);
    }

    /// <summary>No epilogue: the plain product (the JIT removes the call).</summary>
    internal readonly struct NoEpilogue<T> : IGemmEpilogue<T>
        where T : unmanaged
    {
        public unsafe void Apply(T* c, nint ldc, int row0, int rows, int col0, int cols)
        {
        }
    }

    /// <summary>
    /// f(C + b𝟙ᵀ): row i of the block gets b[row0 + i] added, then the activation, in pieces of at most one
    /// <see cref="Transcendental.ChunkLength{T}"/>. An element's bits depend only on its value (the activation runs
    /// on an aligned, padded copy), so the result is bit for bit that of <see cref="Fused.AddColumnsActivate{T}(Matrix{T}, Vector{T}, Activation, ref Matrix{T}?)"/>
    /// after the product, whatever the blocks are.
    /// </summary>
    internal readonly unsafe struct BiasActivationEpilogue<T> : IGemmEpilogue<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T* _bias;
        private readonly Activation _activation;

        /// <param name="bias">The column b (one value per row of C), pinned for the product's duration.</param>
        /// <param name="activation">f.</param>
        public BiasActivationEpilogue(T* bias, Activation activation)
        {
            _bias = bias;
            _activation = activation;
        }

        public void Apply(T* c, nint ldc, int row0, int rows, int col0, int cols)
        {
            int chunk = Transcendental.ChunkLength<T>();
            for (int i = 0; i < rows; i++)
            {
                var row = new Span<T>(c + (i * ldc), cols);
                T b = _bias[row0 + i];
                for (int start = 0; start < cols; start += chunk)
                {
                    var piece = row.Slice(start, Math.Min(chunk, cols - start));
                    TensorPrimitives.Add<T>(piece, b, piece);
                    Fused.Activate(piece, _activation);
                }
            }
        }
    }

    /// <summary>
    /// Ḡ ⊙ f′ for a product Ḡ = op(L) op(R) that is the gradient of an activation's output Y = f(Z): the chain rule
    /// through f, read off Y (σ′ = Y ⊙ (1 − Y), tanh′ = 1 − Y², relu′ = 𝟙[Y &gt; 0], exp′ = Y). The same element
    /// operations as <see cref="Elementwise.SigmoidBackward{T}(Matrix{T}, Matrix{T}, ref Matrix{T}?)"/> and its siblings, so the
    /// same bits.
    /// </summary>
    internal readonly unsafe struct ActivationBackwardEpilogue<T> : IGemmEpilogue<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T* _output;
        private readonly Activation _activation;

        /// <param name="output">Y, with C's shape and row stride, pinned for the product's duration.</param>
        /// <param name="activation">f.</param>
        public ActivationBackwardEpilogue(T* output, Activation activation)
        {
            _output = output;
            _activation = activation;
        }

        public void Apply(T* c, nint ldc, int row0, int rows, int col0, int cols)
        {
            for (int i = 0; i < rows; i++)
            {
                var g = new Span<T>(c + (i * ldc), cols);
                var y = new ReadOnlySpan<T>(_output + ((row0 + i) * ldc) + col0, cols);
                switch (_activation)
                {
                    case Activation.Sigmoid:
                        BinaryDriver.Run<T, SigmoidBackwardOperator<T>>(y, g, g);
                        break;
                    case Activation.Tanh:
                        BinaryDriver.Run<T, TanhBackwardOperator<T>>(y, g, g);
                        break;
                    case Activation.Relu:
                        BinaryDriver.Run<T, ReluBackwardOperator<T>>(y, g, g);
                        break;
                    default:
                        TensorPrimitives.Multiply<T>(g, y, g);
                        break;
                }
            }
        }
    }
}
