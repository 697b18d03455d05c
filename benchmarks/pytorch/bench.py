#!/usr/bin/python3
"""PyTorch CPU autograd on the AutoGradGen benchmark workloads W1-W12 and GEMM, same shapes.

Run with Debian's interpreter (the python3 on PATH may be a pyenv build without apt's torch):

    /usr/bin/python3 benchmarks/pytorch/bench.py --threads 1 --json out.json

Repetition scheme, as in the BenchmarkDotNet job of benchmarks/run.sh: the number of operations
per repetition is calibrated so that one repetition lasts at least --iteration-ms (100 ms), then
--warmup (3) untimed repetitions, then --reps (15) timed ones; the reported time is the median
over the timed repetitions of (repetition time / operations).

A training step is: gradients set to None (optimizer.zero_grad(set_to_none=True)), forward,
loss.backward(). The forward row runs under torch.no_grad(). Every workload runs in float64 and
in float32 (same draws, rounded), like the C# classes and their Float twins; keys match the C#
benchmark names (class and parameters; float32 keys carry the Float suffix of the class name).

Second order (W9, W10): each row is one call of a torch.autograd.functional routine (or of a
hand-written closed form), timed with the same scheme. Memory per row, from one extra call under
torch's (legacy, CPU) profiler with profile_memory=True: "alloc" is the sum of the tensor storage the
CPU allocator handed out during the call (the counterpart of BenchmarkDotNet's allocated bytes per
operation), "peak" the largest amount of that storage alive at once above what was alive before the
call (allocation and free records replayed in call order). Neither counts Python objects or the
allocator's own caching; the inputs, allocated before the call, are not counted.
"""
import argparse
import json
import os
import statistics
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json", help="write the results to this file")
    p.add_argument("--iteration-ms", type=float, default=100.0)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--reps", type=int, default=15)
    p.add_argument("--filter", default="", help="substring of the workload keys to run (several: comma-separated, any matches)")
    p.add_argument("--dtype", choices=("both", "float64", "float32"), default="both",
                   help="precision of the workload rows (GEMM rows always run both)")
    return p.parse_args()


ARGS = parse_args()
# Thread pools must be sized before torch (OpenMP) and OpenBLAS (pthreads) start.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(ARGS.threads)
torch.manual_seed(0)
D64 = torch.float64


def rand(*shape, scale=1.0, dtype=D64, grad=False):
    t = (torch.rand(*shape, dtype=dtype) * 2 - 1) * scale
    return t.requires_grad_(grad)


def spd(n, dtype=D64):
    m = rand(n, n)
    return (m @ m.T / n + torch.eye(n, dtype=D64)).to(dtype)


def labels(classes, n):
    return torch.randint(0, classes, (n,))


def median_seconds(fn):
    """Median time per call of fn: calibrated repetitions, warm-up, timed repetitions."""
    fn()
    ops = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(ops):
            fn()
        elapsed = time.perf_counter() - t0
        if elapsed * 1000 >= ARGS.iteration_ms or ops >= 1 << 20:
            break
        ops = max(ops * 2, int(ops * ARGS.iteration_ms / max(elapsed * 1000, 1e-3) * 1.1))
    for _ in range(ARGS.warmup):
        for _ in range(ops):
            fn()
    samples = []
    for _ in range(ARGS.reps):
        t0 = time.perf_counter()
        for _ in range(ops):
            fn()
        samples.append((time.perf_counter() - t0) / ops)
    return statistics.median(samples)


def training_step(params, loss_fn):
    def step():
        for p in params:
            p.grad = None
        loss = loss_fn()
        loss.backward()
        return loss
    return step


def forward_only(loss_fn):
    def fwd():
        with torch.no_grad():
            return loss_fn()
    return fwd


def workloads(dtype=D64):
    """(key, params, loss closure) for every workload in dtype; keys match the C# class and parameters."""
    sfx = "Float" if dtype == torch.float32 else ""

    def rand(*shape, scale=1.0, grad=False):
        return globals()["rand"](*shape, scale=scale, dtype=D64).to(dtype).requires_grad_(grad)

    for n in (64, 512):
        x, A, y = rand(n, grad=True), rand(n, n, grad=True), rand(n, grad=True)
        yield f"W1Bilinear{sfx} N={n}", [x, A, y], (lambda x=x, A=A, y=y: x @ (A @ y))

    w, X, y = rand(100, grad=True), rand(1000, 100), rand(1000)
    yield f"W2LeastSquares{sfx}", [w], (lambda w=w, X=X, y=y: ((X @ w - y) ** 2).sum())

    for d in (16, 128):
        mu, Sigma, X = rand(d, scale=0.1, grad=True), spd(d, dtype).requires_grad_(True), rand(d, 1000)

        def nll(mu=mu, Sigma=Sigma, X=X):
            C = X - mu[:, None]
            return X.shape[1] * torch.logdet(Sigma) + (C * torch.linalg.solve(Sigma, C)).sum()
        yield f"W3GaussianNll{sfx} D={d}", [mu, Sigma], nll

    n = 64
    x, A, B, z, b = rand(n), rand(n, n), spd(n, dtype).requires_grad_(True), rand(n, grad=True), rand(n, grad=True)
    yield f"W4SigmoidForm{sfx}", [B, z, b], (lambda x=x, A=A, B=B, z=z, b=b:
                                         x @ (A @ torch.sigmoid(torch.linalg.solve(B, z) + b)))

    for batch in (1, 64, 256):
        W, b, X, Y = rand(10, 784, scale=0.05, grad=True), rand(10, scale=0.1, grad=True), rand(784, batch), labels(10, batch)
        yield f"W5SoftmaxRegression{sfx} Batch={batch}", [W, b], (lambda W=W, b=b, X=X, Y=Y:
                                                             F.cross_entropy((W @ X + b[:, None]).T, Y))

    for batch in (1, 64, 256):
        W1, b1 = rand(256, 784, scale=0.05, grad=True), rand(256, scale=0.1, grad=True)
        W2, b2 = rand(10, 256, scale=0.1, grad=True), rand(10, scale=0.1, grad=True)
        X, Y = rand(784, batch), labels(10, batch)

        def two_layer(W1=W1, b1=b1, W2=W2, b2=b2, X=X, Y=Y):
            H = torch.sigmoid(W1 @ X + b1[:, None])
            return F.cross_entropy((W2 @ H + b2[:, None]).T, Y)
        yield f"W6TwoLayer{sfx} Batch={batch}", [W1, b1, W2, b2], two_layer

    K, X, T = rand(1, 1, 5, 5, grad=True), rand(1, 1, 28, 28), rand(1, 1, 24, 24)
    yield f"W7ConvSingle{sfx}", [K], (lambda K=K, X=X, T=T: ((F.conv2d(X, K) - T) ** 2).sum())

    K, W, b = rand(8, 1, 5, 5, scale=0.2, grad=True), rand(10, 8 * 24 * 24, scale=0.02, grad=True), rand(10, scale=0.1, grad=True)
    X, Y = rand(64, 1, 28, 28), labels(10, 64)

    def conv_net(K=K, W=W, b=b, X=X, Y=Y):
        H = torch.relu(F.conv2d(X, K)).flatten(1)          # 64 × 4608
        return F.cross_entropy(H @ W.T + b, Y)
    yield f"W7ConvBatch{sfx}", [K, W, b], conv_net

    d, tokens = 64, 128
    Wq, Wk, Wv = (rand(d, d, scale=0.2, grad=True) for _ in range(3))
    X, T = rand(d, tokens), rand(d, tokens)

    def attention(Wq=Wq, Wk=Wk, Wv=Wv, X=X, T=T):
        Q, K, V = Wq @ X, Wk @ X, Wv @ X
        P = torch.softmax(K.T @ Q / 8.0, dim=0)           # column j: query j over the keys
        return ((V @ P - T) ** 2).sum()
    yield f"W8Attention{sfx}", [Wq, Wk, Wv], attention

    # W11: one pre-norm transformer block, d = 128, T = 128 tokens in the columns, 4 causal heads of d/4, GELU MLP of 4d
    d, tokens, heads, hidden = 128, 128, 4, 512
    dh, scale = d // heads, 1.0 / (128 // 4) ** 0.5

    def gain():
        return (1 + rand(d, scale=0.1)).detach().requires_grad_(True)
    X, g1, b1 = rand(d, tokens, grad=True), gain(), rand(d, scale=0.1, grad=True)
    Wq, Wk, Wv, Wo = ([rand(*shape, scale=0.1, grad=True) for _ in range(heads)]
                      for shape in ((dh, d), (dh, d), (dh, d), (d, dh)))
    bo, g2, b2 = rand(d, scale=0.1, grad=True), gain(), rand(d, scale=0.1, grad=True)
    W1, c1 = rand(hidden, d, scale=0.1, grad=True), rand(hidden, scale=0.1, grad=True)
    W2, c2 = rand(d, hidden, scale=0.05, grad=True), rand(d, scale=0.1, grad=True)
    T = rand(d, tokens)
    # rows are keys i, columns queries j: key i > query j is masked (−10⁹), as the C# constant mask
    mask = torch.tril(torch.full((tokens, tokens), -1e9, dtype=dtype), diagonal=-1)

    def block(X=X, g1=g1, b1=b1, Wq=Wq, Wk=Wk, Wv=Wv, Wo=Wo, bo=bo, g2=g2, b2=b2, W1=W1, c1=c1, W2=W2, c2=c2, T=T, mask=mask):
        A = F.layer_norm(X.T, (d,), g1, b1, 1e-5).T         # each token (column) over its d features
        H = X + bo[:, None]
        for h in range(heads):
            Q, K, V = Wq[h] @ A, Wk[h] @ A, Wv[h] @ A
            P = torch.softmax(K.T @ Q * scale + mask, dim=0)  # column j: query j over the keys i ≤ j
            H = H + Wo[h] @ (V @ P)
        B = F.layer_norm(H.T, (d,), g2, b2, 1e-5).T
        Y = H + W2 @ F.gelu(W1 @ B + c1[:, None]) + c2[:, None]
        return ((Y - T) ** 2).sum()
    yield f"W11TransformerBlock{sfx}", [X, g1, b1, *Wq, *Wk, *Wv, *Wo, bo, g2, b2, W1, c1, W2, c2], block

    # W12: BatchNorm (each feature, a row, over the batch of 256 columns, batch statistics) then a dense 128 → 128
    X = rand(128, 256, grad=True)
    gamma, beta = (1 + rand(128, scale=0.1)).detach().requires_grad_(True), rand(128, scale=0.1, grad=True)
    W, b, T = rand(128, 128, scale=0.1, grad=True), rand(128, scale=0.1, grad=True), rand(128, 256)

    def bn_dense(X=X, gamma=gamma, beta=beta, W=W, b=b, T=T):
        Z = F.batch_norm(X.T, None, None, gamma, beta, training=True, eps=1e-5).T
        return ((W @ Z + b[:, None] - T) ** 2).sum()
    yield f"W12BatchNormDense{sfx}", [X, gamma, beta, W, b], bn_dense


def second_order(dtype=D64):
    """(key, {row: callable}) for the second-order workloads W9 and W10 in dtype; keys match the C# classes."""
    sfx = "Float" if dtype == torch.float32 else ""
    fn = torch.autograd.functional

    def rand(*shape, scale=1.0):
        return globals()["rand"](*shape, scale=scale, dtype=D64).to(dtype)

    samples, lam = 1000, 0.01
    for n in (100, 500):
        w, X, y = rand(n, scale=0.1), rand(samples, n), torch.randint(0, 2, (samples,)).to(dtype)

        def loss(w, X=X, y=y):
            return F.binary_cross_entropy_with_logits(X @ w, y, reduction="sum") / samples + lam / 2 * (w @ w)

        def closed_form(w=w, X=X, y=y, n=n):
            # value, gradient and H = Xᵀ diag(σ′(Xw)/N) X + λI, as the C# HandWrittenHessian
            z = X @ w
            p = torch.sigmoid(z)
            value = F.binary_cross_entropy_with_logits(z, y, reduction="sum") / samples + lam / 2 * (w @ w)
            grad = X.T @ (p - y) / samples + lam * w
            H = X.T @ ((p * (1 - p) / samples)[:, None] * X)
            H.diagonal().add_(lam)
            return value, grad, H
        yield f"W9LogisticHessian{sfx} Features={n}", {
            "hessian": lambda loss=loss, w=w: fn.hessian(loss, w),
            "hessian_vectorize": lambda loss=loss, w=w: fn.hessian(loss, w, vectorize=True),
            "closed_form": closed_form,
        }

    d = 128
    mu, Sigma, X = rand(d, scale=0.1), spd(d, dtype), rand(d, samples)
    vmu, vSigma = rand(d), rand(d, d)

    def nll(mu, Sigma, X=X):
        C = X - mu[:, None]
        return X.shape[1] * torch.logdet(Sigma) + (C * torch.linalg.solve(Sigma, C)).sum()
    mu_g, Sigma_g = mu.clone().requires_grad_(True), Sigma.clone().requires_grad_(True)
    yield f"W10GaussianNllHvp{sfx} D={d}", {
        "hvp": lambda: fn.hvp(nll, (mu, Sigma), (vmu, vSigma)),
        "vhp": lambda: fn.vhp(nll, (mu, Sigma), (vmu, vSigma)),
        "gradient": training_step([mu_g, Sigma_g], lambda: nll(mu_g, Sigma_g)),
    }

    n = 128
    A = (spd(n) + globals()["rand"](n, n, scale=0.5 / n ** 0.5)).to(dtype)   # not symmetric, well conditioned
    V = rand(n, n)

    def logdet(A):
        return torch.linalg.slogdet(A).logabsdet
    A_g = A.clone().requires_grad_(True)
    yield f"W10LogDetHvp{sfx} N={n}", {
        "hvp": lambda: fn.hvp(logdet, A, V),
        "vhp": lambda: fn.vhp(logdet, A, V),
        "gradient": training_step([A_g], lambda: logdet(A_g)),
    }


def memory_bytes(fn):
    """(alloc, peak) bytes of tensor storage in one call of fn (after one warm-up call): the CPU allocator's
    alloc/free records from torch's legacy profiler (profile_memory=True), replayed in call order. Private
    torch API (1.13): None, None where it is missing."""
    try:
        from torch.autograd import profiler_legacy
        config = profiler_legacy.profile(profile_memory=True).config()
        fn()
        torch.autograd._enable_profiler_legacy(config)
    except (AttributeError, ImportError, RuntimeError, TypeError):
        return None, None
    try:
        fn()
    finally:
        records = torch.autograd._disable_profiler_legacy()
    start = next(r for thread in records for r in thread if r.name() == "__start_profile")
    events = sorted(((start.cpu_elapsed_us(r), r.cpu_memory_usage()) for thread in records for r in thread
                     if r.kind() == "memory_alloc"), key=lambda e: e[0])
    live = peak = alloc = 0
    for _, nbytes in events:
        live += nbytes
        peak = max(peak, live)
        alloc += max(nbytes, 0)
    return alloc, peak


def fmt_bytes(b):
    return "–" if b is None else f"{b / 1024:.1f} KB" if b < 1 << 20 else f"{b / (1 << 20):.2f} MB"


def gemm_rows():
    for n in (256, 512, 1024):
        for name, dtype in (("Float", torch.float32), ("Double", torch.float64)):
            a, b = rand(n, n, dtype=dtype), rand(n, n, dtype=dtype)
            c = torch.empty(n, n, dtype=dtype)
            yield f"Gemm{name} N={n}", 2.0 * n ** 3, (lambda a=a, b=b, c=c: torch.matmul(a, b, out=c))


def blas_in_use():
    torch.matmul(torch.ones(8, 8, dtype=D64), torch.ones(8, 8, dtype=D64))
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps if "blas" in line or "mkl" in line})
    return libs


def wanted(key):
    """Whether --filter selects a workload key: empty selects all; several substrings are comma-separated."""
    return not ARGS.filter or any(f in key for f in ARGS.filter.split(","))


def main():
    results = {"threads": ARGS.threads, "torch": torch.__version__, "blas": blas_in_use(),
               "workloads": {}, "second_order": {}, "gemm": {}}
    dtypes = {"both": (D64, torch.float32), "float64": (D64,), "float32": (torch.float32,)}[ARGS.dtype]
    for key, params, loss_fn in (w for dtype in dtypes for w in workloads(dtype)):
        if not wanted(key):
            continue
        step = median_seconds(training_step(params, loss_fn))
        fwd = median_seconds(forward_only(loss_fn))
        results["workloads"][key] = {"step_s": step, "forward_s": fwd}
        print(f"{key:32s} threads {ARGS.threads}: step {step * 1e6:10.2f} us   forward {fwd * 1e6:10.2f} us", flush=True)
    for key, rows in (w for dtype in dtypes for w in second_order(dtype)):
        if not wanted(key):
            continue
        entry = results["second_order"][key] = {}
        for row, fn in rows.items():
            t = median_seconds(fn)
            alloc, peak = memory_bytes(fn)
            entry[row] = {"time_s": t, "alloc_bytes": alloc, "peak_bytes": peak}
            print(f"{key:32s} threads {ARGS.threads}: {row:18s} {t * 1e6:10.2f} us   alloc {fmt_bytes(alloc):>9s}   peak {fmt_bytes(peak):>9s}",
                  flush=True)
    for key, flops, fn in gemm_rows():
        if not wanted(key):
            continue
        t = median_seconds(fn)
        results["gemm"][key] = {"time_s": t, "gflops": flops / t / 1e9}
        print(f"{key:32s} threads {ARGS.threads}: {t * 1e3:8.3f} ms  {flops / t / 1e9:7.1f} GFLOP/s", flush=True)
    if ARGS.json:
        with open(ARGS.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
