using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace AutoGradGen.Kernels;

/// <summary>
/// A job for <see cref="WorkerPool"/>: <see cref="Count"/> independent pieces, run by index. Kernels keep one
/// instance per thread and type (<c>[ThreadStatic]</c>), fill its fields and hand it to the pool, so a call
/// allocates nothing: no closure, no task, no <c>Parallel.For</c> state.
/// </summary>
internal abstract class PoolJob
{
    private int _next;
    private Exception? _error;

    /// <summary>Number of pieces of the current run.</summary>
    public int Count { get; private set; }

    /// <summary>Runs piece <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>) on the current thread.</summary>
    public abstract void Execute(int index);

    /// <summary>Prepares a run of <paramref name="count"/> pieces (the caller owns the job until it returns).</summary>
    internal void Reset(int count)
    {
        Count = count;
        _next = 0;
        _error = null;
    }

    /// <summary>Claims and runs pieces until none is left; an exception is kept for the caller.</summary>
    internal void Drain()
    {
        int i;
        while ((i = Interlocked.Increment(ref _next) - 1) < Count)
        {
            try
            {
                Execute(i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
        }
    }

    /// <summary>Rethrows the first exception a piece threw, if any.</summary>
    internal void ThrowIfFailed()
    {
        if (_error is { } e)
        {
            _error = null;
            ExceptionDispatchInfo.Capture(e).Throw();
        }
    }
}

/// <summary>
/// Persistent worker threads for the parallel kernels (sized by <see cref="Parallelism.MaxThreads"/>).
/// One job runs at a time: its caller takes the pool, opens <c>threads − 1</c> tickets, wakes the workers
/// and drains the job with them; whoever holds a ticket claims pieces from the job's counter. A caller that
/// finds the pool taken (another thread's job) or that is itself a worker runs every piece itself, so
/// concurrent callers never oversubscribe the cores or wait on each other, and nested calls cannot
/// deadlock. The split into pieces never depends on who runs them, so results are the same bits.
/// </summary>
/// <remarks>
/// Ticket protocol: the caller publishes the job, then the tickets; a worker takes a ticket with a
/// compare-and-swap (never below 0), reads the job, drains it and counts itself done. The caller, after
/// draining, closes the tickets (swaps them to 0), so it knows exactly how many workers joined, and waits
/// for that many. No worker can touch a job after its caller returned. Idle workers spin for
/// <see cref="SpinMicroseconds"/> (a training step posts its products close together) and then sleep
/// on a monitor until the next job.
/// </remarks>
internal static class WorkerPool
{
    /// <summary>
    /// How long an idle worker watches for the next job before it sleeps: 1 ms, longer than the serial stretch
    /// between two large products of one training step (W6 at batch 256: ≈ 0.1 ms of element-wise work and small
    /// products), far shorter than a scheduler quantum. A sleeping worker takes 25–75 µs to wake (measured here),
    /// and the half of a product it starts late is the step's critical path. The earlier window of 200 spin-waits
    /// lasted ≈ 20 µs, not the 0.2 ms intended. OpenMP runtimes spin for 200 ms by default.
    /// </summary>
    private const long SpinMicroseconds = 1000;

    private const int SpinPerRound = 30;

    private static readonly object s_gate = new();
    private static PoolJob? s_job;
    private static int s_busy;
    private static int s_tickets;
    private static int s_done;
    private static int s_generation;
    private static int s_sleepers;
    private static int s_threads;
    private static long s_workerAllocatedBytes;

    [ThreadStatic]
    private static bool t_isWorker;

    /// <summary>Number of worker threads started so far (tests).</summary>
    internal static int ThreadCount => Volatile.Read(ref s_threads);

    /// <summary>
    /// Bytes the worker threads allocated since they started, waiting included, as of each one's last
    /// finished job (tests: zero allocation on the pool's own threads, exactly, whatever other threads do).
    /// </summary>
    internal static long WorkerAllocatedBytes => Interlocked.Read(ref s_workerAllocatedBytes);

    /// <summary>
    /// Runs every piece of <paramref name="job"/> (after <see cref="PoolJob.Reset"/>) on at most
    /// <paramref name="threads"/> threads, the caller included; returns when all are done.
    /// </summary>
    public static void Run(PoolJob job, int threads)
    {
        int helpers = Math.Min(threads, job.Count) - 1;
        if (helpers <= 0 || t_isWorker || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            job.Drain();
            job.ThrowIfFailed();
            return;
        }

        try
        {
            EnsureThreads(helpers);
            s_job = job;
            s_done = 0;
            Volatile.Write(ref s_tickets, helpers);
            Interlocked.Increment(ref s_generation);
            if (Volatile.Read(ref s_sleepers) > 0)
            {
                lock (s_gate)
                {
                    Monitor.PulseAll(s_gate);
                }
            }

            job.Drain();
            int joined = helpers - Interlocked.Exchange(ref s_tickets, 0);
            var spin = default(SpinWait);
            while (Volatile.Read(ref s_done) < joined)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            s_job = null;
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }

        job.ThrowIfFailed();
    }

    /// <summary>Starts workers until there are <paramref name="count"/> (they live for the process, as background threads).</summary>
    private static void EnsureThreads(int count)
    {
        if (Volatile.Read(ref s_threads) >= count)
        {
            return;
        }

        lock (s_gate)
        {
            while (s_threads < count)
            {
                var thread = new Thread(WorkerLoop, maxStackSize: 256 * 1024)
                {
                    IsBackground = true,
                    Name = $"AutoGradGen worker {s_threads + 1}",
                };
                thread.Start();
                s_threads++;
            }
        }
    }

    private static void WorkerLoop()
    {
        t_isWorker = true;
        int seen = Volatile.Read(ref s_generation);
        long counted = GC.GetAllocatedBytesForCurrentThread();
        while (true)
        {
            int generation = WaitForGeneration(seen);
            seen = generation;
            if (TryTakeTicket())
            {
                PoolJob? job = Volatile.Read(ref s_job);
                job?.Drain();
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                Interlocked.Add(ref s_workerAllocatedBytes, allocated - counted);
                counted = allocated;
                Interlocked.Increment(ref s_done);
            }
        }
    }

    /// <summary>Spins, then sleeps, until the generation differs from <paramref name="seen"/>; returns the new one.</summary>
    private static int WaitForGeneration(int seen)
    {
        long deadline = Stopwatch.GetTimestamp() + (SpinMicroseconds * Stopwatch.Frequency / 1_000_000);
        do
        {
            int generation = Volatile.Read(ref s_generation);
            if (generation != seen)
            {
                return generation;
            }

            Thread.SpinWait(SpinPerRound);
        }
        while (Stopwatch.GetTimestamp() < deadline);

        lock (s_gate)
        {
            Interlocked.Increment(ref s_sleepers);
            int generation;
            while ((generation = Volatile.Read(ref s_generation)) == seen)
            {
                Monitor.Wait(s_gate);
            }

            Interlocked.Decrement(ref s_sleepers);
            return generation;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryTakeTicket()
    {
        int tickets;
        while ((tickets = Volatile.Read(ref s_tickets)) > 0)
        {
            if (Interlocked.CompareExchange(ref s_tickets, tickets - 1, tickets) == tickets)
            {
                return true;
            }
        }

        return false;
    }
}
