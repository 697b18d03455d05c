using System;
using System.Threading;

namespace AutoGradGen
{
    /// <summary>
    /// Process-wide threading settings of the runtime's parallel kernels (the packed matrix product and the
    /// batched convolution).
    /// </summary>
    /// <remarks>
    /// Large products and convolutions are split into a fixed number of pieces and run by the calling thread
    /// together with a small pool of persistent worker threads (created on first use, background, never
    /// more than <see cref="MaxThreads"/> − 1 of them). A call allocates nothing. When several threads call
    /// the kernels at once, the first one gets the pool and the others run their pieces themselves, so the
    /// machine is never oversubscribed; results are the same bits either way.
    /// </remarks>
    public static class Parallelism
    {
        private static int s_maxThreads = Environment.ProcessorCount;

        /// <summary>
        /// The most threads (the caller included) one kernel call may use; 1 runs everything on the caller's
        /// thread. Defaults to <see cref="Environment.ProcessorCount"/>; can be changed at any time (values
        /// below 1 count as 1) and applies from the next call on.
        /// </summary>
        public static int MaxThreads
        {
            get => Volatile.Read(ref s_maxThreads);
            set => Volatile.Write(ref s_maxThreads, Math.Max(1, value));
        }
    }
}
