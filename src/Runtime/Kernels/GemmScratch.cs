using System;
using System.Runtime.CompilerServices;

namespace AutoGradGen.Kernels
{
    /// <summary>
    /// Per-thread packing buffer for <see cref="GemmPacked"/>, and a second one for staging copies (a triangular solve's
    /// right-hand side, a rank-1 update's row): one pinned array per thread and element type, grown on demand and then
    /// reused, so a call allocates nothing in steady state. Each pool worker runs on its own thread and so packs into its
    /// own buffer. Also where a kernel asks at which offset within a cache line an element lies.
    /// </summary>
    internal static unsafe class GemmScratch<T>
        where T : unmanaged
    {
        /// <summary>Cache-line (and zmm) alignment of every region handed out.</summary>
        private const int AlignmentBytes = 64;

        [ThreadStatic]
        private static T[]? t_buffer;

        [ThreadStatic]
        private static T[]? t_staging;

        /// <summary>
        /// The byte offset of <paramref name="element"/> within its 64-byte line. For an unpinned array a GC may move it
        /// right after this read, so the answer may only steer a choice of path, never correctness.
        /// </summary>
        public static int OffsetInLine(ref T element) => (int)((nint)Unsafe.AsPointer(ref element) & (AlignmentBytes - 1));

        /// <summary>Elements that span whole cache lines, so regions laid end to end stay aligned.</summary>
        public static int RoundToLines(int elements)
        {
            int perLine = AlignmentBytes / sizeof(T);
            return (elements + perLine - 1) / perLine * perLine;
        }

        /// <summary>
        /// A 64-byte-aligned pointer to at least <paramref name="elements"/> elements, valid on this
        /// thread until its next call (the array lives on the pinned object heap, so it never moves).
        /// </summary>
        public static T* Get(int elements) => Aligned(ref t_buffer, elements);

        /// <summary>
        /// Like <see cref="Get"/>, from a second per-thread buffer: the staging copy of a triangular solve's right-hand
        /// side (<see cref="TriangularSolve.Rows{T}"/>) or the shifted copy of a rank-1 update's row (<see cref="GemmDirect"/>), which must not share the packing buffer.
        /// </summary>
        public static T* GetStaging(int elements) => Aligned(ref t_staging, elements);

        private static T* Aligned(ref T[]? slot, int elements)
        {
            int padded = elements + (AlignmentBytes / sizeof(T));
            T[]? buffer = slot;
            if (buffer is null || buffer.Length < padded)
            {
                buffer = GC.AllocateUninitializedArray<T>(padded, pinned: true);
                slot = buffer;
            }

            nint address = (nint)Unsafe.AsPointer(ref buffer[0]);
            nint aligned = (address + (AlignmentBytes - 1)) & ~(nint)(AlignmentBytes - 1);
            return (T*)aligned;
        }
    }
}
