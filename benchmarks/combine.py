#!/usr/bin/python3
"""Combines the BenchmarkDotNet JSON reports and the PyTorch results of benchmarks/run.sh into
one Markdown table (workloads W1–W8, W11, W12), a GEMM table and the target checks. Usage: combine.py OUT_DIR.

Times are BenchmarkDotNet medians per operation; ratios are taken inside one run. When run.sh's paired rounds are
there (OUT/bdn-round1, …: more samples of the Generated and HandWritten rows, the two back to back), gen and hand are
medians over the main run and the rounds, and gen÷hand is the median of the per-sample ratios. Columns:
  gen      generated FBackward (reused workspace, buffers zeroed each step)
  withGrad generated FWithGradient (allocating)
  hand     hand-written closed form on the same runtime (Into API, preallocated buffers)
  fwd      the plain [Differentiable] method (allocating runtime API)
  fwdHand  hand-written allocation-free forward
  gen÷hand each  the paired ratio of each sample (main run first)
  torch    PyTorch step (grad=None, forward, backward), torch fwd = forward under no_grad
  (f+b)/f  gen / fwdHand: one training step over the best forward on the same runtime
  HVP÷grad GeneratedHvp / gen (W1–W6): the zero-allocation FHessianVectorProduct (workspace, buffers,
           accumulate false; value, gradient and H·v along a fixed direction) over FBackward; blank where
           the workload has no HVP row (W7, W8, W11, W12)
Every workload has a double row and a float row (prec; the C# generic workload classes closed over
double and float, and PyTorch float32), each at 1 and 2 threads.

Second order, two more tables:
  W9 (dense Hessian, value + gradient + n×n Hessian): gen = generated FHessian, hand = hand-written
     closed form on the runtime, n×HVP = the Hessian from n generated FHessianVectorProduct calls;
     torch.autograd.functional.hessian (default and vectorize=True) and the closed form in torch.
  W10 (Hessian-vector product): generated FHessianVectorProduct and FWithGradient (both allocating), and
     their zero-allocation twins (FHessianVectorProduct into buffers, FBackward); torch.autograd.functional.hvp
     / vhp and a plain backward step; HVP÷grad per side, and for the twins (into HVP÷grad).
  B/op: BenchmarkDotNet's allocated bytes per operation; torch memory: alloc (all tensor storage
  allocated in one call) / peak (the most of it alive at once), from torch's profiler (bench.py).
"""
import glob
import json
import os
import re
import statistics
import sys

METHODS = ["Generated", "GeneratedWithGradient", "HandWritten", "Forward", "ForwardHandWritten", "GeneratedHvp"]
# the workloads with a GeneratedHvp row, and the target "HVP ÷ gradient ≤ 3" on them
HVP_WORKLOADS = ["W1Bilinear", "W2LeastSquares", "W3GaussianNll", "W4SigmoidForm", "W5SoftmaxRegression", "W6TwoLayer"]
ORDER = ["W1Bilinear", "W2LeastSquares", "W3GaussianNll", "W4SigmoidForm", "W5SoftmaxRegression",
         "W6TwoLayer", "W7ConvSingle", "W7ConvBatch", "W8Attention", "W11TransformerBlock", "W12BatchNormDense"]
# the workloads of issue 12 item 5, whose PyTorch target is "faster at 1 thread" (W12 is at batch 256 by design)
BLOCK_WORKLOADS = ["W11TransformerBlock", "W12BatchNormDense"]
LABELS = {
    "W1Bilinear": "W1 xᵀAy", "W2LeastSquares": "W2 ‖Xw−y‖² 1000×100", "W3GaussianNll": "W3 Gaussian NLL N=1000",
    "W4SigmoidForm": "W4 xᵀAσ(B⁻¹z+b) 64", "W5SoftmaxRegression": "W5 softmax reg. 784→10",
    "W6TwoLayer": "W6 MLP 784→256→10", "W7ConvSingle": "W7 conv 28² ⋆ 5×5", "W7ConvBatch": "W7 conv 64×(1→8) + dense/CE",
    "W8Attention": "W8 attention 64×128",
    "W11TransformerBlock": "W11 transformer block d=128 T=128 4 heads", "W12BatchNormDense": "W12 BatchNorm + dense 128→128 N=256",
}
# issue 13 item 6: the stronger peer, measured elsewhere (not in this run): libtorch 2.10 with MKL through
# TorchSharp on the same kind of machine, fwd+bwd at 1 thread, µs, (double, float)
LIBTORCH_MKL = {
    ("W1Bilinear", "N=512"): (321, 184),
    ("W3GaussianNll", "D=128"): (6031, 5735),
    ("W5SoftmaxRegression", "Batch=256"): (495, 245),
    ("W6TwoLayer", "Batch=256"): (5628, 2959),
    ("W7ConvBatch", ""): (4004, 3731),
    ("W8Attention", ""): (1336, 665),
}
LIBTORCH_MKL_MM = (42.0, 83.0)   # torch.mm GFLOP/s at 1024³, 1 thread, (double, float)
SECOND_ORDER = {
    "W9LogisticHessian": "W9 logistic Hessian N=1000",
    "W10GaussianNllHvp": "W10 HVP Gaussian NLL N=1000",
    "W10LogDetHvp": "W10 HVP LogDet(X) non-symmetric",
}


def workload_name(typ):
    """BenchmarkDotNet's name of a generic workload class, W1Bilinear<Double> / W1Bilinear<Single>, as the
    tables and the PyTorch side key it: W1Bilinear / W1BilinearFloat. Other names are kept (so reports of the
    former per-type classes, W1BilinearFloat, read the same)."""
    m = re.fullmatch(r"(\w+)<(Double|Single)>", typ)
    return typ if not m else m.group(1) + ("Float" if m.group(2) == "Single" else "")


def load_bdn(out, folder="bdn"):
    """One BenchmarkDotNet run's JSON reports in OUT/folder: {(workload, method, params): {ns, min_ns, bytes}}."""
    rows = {}
    for path in glob.glob(os.path.join(out, folder, "results", "*-report-full*.json")):
        with open(path) as f:
            report = json.load(f)
        for b in report["Benchmarks"]:
            stats = b.get("Statistics")
            if not stats:
                continue
            params = dict(kv.split("=", 1) for kv in b["Parameters"].split("&") if "=" in kv)
            rows[(workload_name(b["Type"]), b["Method"], tuple(sorted(params.items())))] = {
                "ns": stats["Median"], "min_ns": stats["Min"],
                "bytes": (b.get("Memory") or {}).get("BytesAllocatedPerOperation")}
    return rows


def load_rounds(out):
    """The paired rounds of run.sh (OUT/bdn-round1, …): each a run of only the Generated and HandWritten rows."""
    folders = sorted((d for d in os.listdir(out) if re.fullmatch(r"bdn-round\d+", d)), key=lambda d: int(d[len("bdn-round"):]))
    return [load_bdn(out, d) for d in folders]


def paired_samples(bdn, rounds, typ, params):
    """(gen, hand) medians of every sample that has both rows: the main run first, then each round."""
    runs = [bdn] + rounds
    keys = [(typ, m, params) for m in ("Generated", "HandWritten")]
    return [(r[keys[0]]["ns"], r[keys[1]]["ns"]) for r in runs if all(k in r and r[k].get("ns") for k in keys)]


def group_rows(bdn, bases):
    """The rows of the workloads in bases grouped by (type, size params, threads): {key: {method: row}}, and each key's
    BenchmarkDotNet parameters."""
    groups, params_of = {}, {}
    for (typ, method, params), v in bdn.items():
        base = typ[:-len("Float")] if typ.endswith("Float") else typ
        if base not in bases:
            continue
        d = dict(params)
        threads = int(d.pop("Threads", "1"))
        size = " ".join(f"{k}={d[k]}" for k in sorted(d))
        groups.setdefault((typ, size, threads), {})[method] = v
        params_of[(typ, size, threads)] = params
    return groups, params_of


def load_torch(out):
    res = {}
    for t in (1, 2):
        path = os.path.join(out, f"torch-{t}.json")
        if os.path.exists(path):
            with open(path) as f:
                res[t] = json.load(f)
    return res


def fmt_time(ns):
    if ns is None:
        return "–"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def fmt_ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def fmt_bytes(b):
    if b is None:
        return "–"
    if b >= 1 << 20:
        return f"{b / (1 << 20):.1f} MB"
    if b >= 1 << 10:
        return f"{b / (1 << 10):.1f} KB"
    return f"{b} B"


def fmt_mem(row):
    """torch memory of a second-order row: alloc / peak."""
    if not row or row.get("alloc_bytes") is None:
        return "–"
    return f"{fmt_bytes(row['alloc_bytes'])} / {fmt_bytes(row['peak_bytes'])}"


CHECK_BYTES = re.compile(r"^(?:ok|FAIL)\s+(\S+)(?: (\S+=\S+))? \(threads (\d+)\):.*bytes/step \(caller \+ pool threads\) "
                         r"generated (\d+), hand-written (\d+)(?:, generated HVP (\d+))?")


def check_bytes(out):
    """Exact bytes per step from --check (check.txt): {(type, size, threads): (generated, hand, hvp or None)}."""
    path = os.path.join(out, "check.txt")
    found = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = CHECK_BYTES.match(line)
                if m:
                    typ, size, threads, gen, hand, hvp = m.groups()
                    found[(typ, size or "", int(threads))] = (int(gen), int(hand), None if hvp is None else int(hvp))
    return found


def second_order_tables(bdn, torch, w, checks):
    """The W9 and W10 tables (C# rows grouped by class, size and threads; torch rows by the same key)."""
    groups, _ = group_rows(bdn, SECOND_ORDER)

    def split(typ):
        return (typ[:-len("Float")], "float") if typ.endswith("Float") else (typ, "double")

    def sort_key(k):
        typ, size, threads = k
        base, prec = split(typ)
        return (list(SECOND_ORDER).index(base), prec != "double", threads, [int(x) for x in re.findall(r"\d+", size)])

    def torch_rows(typ, size, threads):
        return (torch.get(threads) or {}).get("second_order", {}).get(f"{typ} {size}".strip(), {})

    def ns(g, m):
        return (g.get(m) or {}).get("ns")

    def b(g, m):
        return fmt_bytes((g.get(m) or {}).get("bytes"))

    def tns(t, row):
        return t[row]["time_s"] * 1e9 if row in t else None

    keys = sorted(groups, key=sort_key)
    w9 = [k for k in keys if split(k[0])[0] == "W9LogisticHessian"]
    w10 = [k for k in keys if split(k[0])[0] != "W9LogisticHessian"]
    if w9:
        w("")
        w("| W9 | prec | size | thr | gen Hessian | gen into | hand | n×HVP | torch hessian | torch vectorize | torch closed form | gen÷hand | into÷hand | "
          "gen÷torch autograd | hand÷torch closed | B/op gen | B/op into | B/op hand | B/op n×HVP | torch mem hessian | torch mem vectorize | torch mem closed |")
        w("|" + "---|" * 22)
    for key in w9:
        typ, size, threads = key
        g, t = groups[key], torch_rows(*key)
        gen, hand, hvps = ns(g, "GeneratedHessian"), ns(g, "HandWrittenHessian"), ns(g, "HessianFromHvps")
        into = ns(g, "GeneratedHessianInto")
        th, tv, tc = tns(t, "hessian"), tns(t, "hessian_vectorize"), tns(t, "closed_form")
        tbest = min((x for x in (th, tv) if x), default=None)
        base, prec = split(typ)
        w(f"| {SECOND_ORDER[base]} | {prec} | {size} | {threads} | {fmt_time(gen)} | {fmt_time(into)} | {fmt_time(hand)} | {fmt_time(hvps)} | "
          f"{fmt_time(th)} | {fmt_time(tv)} | {fmt_time(tc)} | {fmt_ratio(gen, hand)} | {fmt_ratio(into, hand)} | {fmt_ratio(gen, tbest)} | {fmt_ratio(hand, tc)} | "
          f"{b(g, 'GeneratedHessian')} | {b(g, 'GeneratedHessianInto')} | {b(g, 'HandWrittenHessian')} | {b(g, 'HessianFromHvps')} | "
          f"{fmt_mem(t.get('hessian'))} | {fmt_mem(t.get('hessian_vectorize'))} | {fmt_mem(t.get('closed_form'))} |")
        if into and hand:
            checks["hessian"].append((f"{typ} {size} t={threads} (into buffers)", into / hand))
    if w10:
        w("")
        w("| W10 | prec | size | thr | gen HVP | gen gradient | HVP÷grad | into HVP÷grad | torch hvp | torch vhp | torch gradient | torch hvp÷grad | "
          "torch vhp÷grad | gen HVP÷torch hvp | B/op HVP | B/op grad | torch mem hvp | torch mem vhp | torch mem grad |")
        w("|" + "---|" * 19)
    for key in w10:
        typ, size, threads = key
        g, t = groups[key], torch_rows(*key)
        hvp, grad = ns(g, "GeneratedHvp"), ns(g, "GeneratedWithGradient")
        hvp_into, backward = ns(g, "GeneratedHvpInto"), ns(g, "GeneratedBackward")
        th, tv, tg = tns(t, "hvp"), tns(t, "vhp"), tns(t, "gradient")
        base, prec = split(typ)
        w(f"| {SECOND_ORDER[base]} | {prec} | {size} | {threads} | {fmt_time(hvp)} | {fmt_time(grad)} | {fmt_ratio(hvp, grad)} | {fmt_ratio(hvp_into, backward)} | "
          f"{fmt_time(th)} | {fmt_time(tv)} | {fmt_time(tg)} | {fmt_ratio(th, tg)} | {fmt_ratio(tv, tg)} | {fmt_ratio(hvp, th)} | "
          f"{b(g, 'GeneratedHvp')} | {b(g, 'GeneratedWithGradient')} | {fmt_mem(t.get('hvp'))} | {fmt_mem(t.get('vhp'))} | {fmt_mem(t.get('gradient'))} |")


def libtorch_table(median_gen, w, checks):
    """The reference lines of the stronger peer (LIBTORCH_MKL, measured elsewhere), against this run's
    generated step at 1 thread."""
    rows = []
    for (base, size), (t_double, t_float) in LIBTORCH_MKL.items():
        for suffix, prec, ref in (("", "double", t_double), ("Float", "float", t_float)):
            gen = median_gen.get((base + suffix, size, 1))
            ratio = gen / (ref * 1e3) if gen else None
            rows.append(f"| {LABELS.get(base, base)} | {prec} | {size or '–'} | {fmt_time(gen)} | {fmt_time(ref * 1e3)} | "
                        f"{f'{ratio:.2f}' if ratio else '–'} |")
            if ratio:
                checks["libtorch"].append((f"{base}{suffix} {size}".strip(), ratio))
    if not checks["libtorch"]:
        return
    w("")
    w("Reference: libtorch 2.10 + MKL through TorchSharp, **measured elsewhere** on the same kind of machine "
      f"(fwd+bwd, 1 thread; its torch.mm: {LIBTORCH_MKL_MM[0]:.0f} GFLOP/s double, {LIBTORCH_MKL_MM[1]:.0f} float at 1024³), "
      "against this run's generated step at 1 thread:")
    w("")
    w("| workload | prec | size | gen (this run) | libtorch MKL (elsewhere) | gen ÷ libtorch |")
    w("|---|---|---|---|---|---|")
    for r in rows:
        w(r)


def main(out):
    bdn, torch, rounds = load_bdn(out), load_torch(out), load_rounds(out)
    groups, group_params = group_rows(bdn, ORDER)

    def split(typ):
        return (typ[:-len("Float")], "float") if typ.endswith("Float") else (typ, "double")

    def sort_key(k):
        typ, size, threads = k
        base, prec = split(typ)
        nums = [int(x) for x in re.findall(r"\d+", size)]
        return (ORDER.index(base), prec != "double", threads, nums)

    lines = []
    w = lines.append
    if os.path.exists(os.path.join(out, "machine.txt")):
        w("Machine: " + " · ".join(re.sub(r"\s+", " ", l.strip()) for l in open(os.path.join(out, "machine.txt")) if l.strip()))
    if torch:
        t = next(iter(torch.values()))
        w(f"PyTorch {t['torch']} on {', '.join(os.path.basename(x) for x in t['blas']) or 'unknown BLAS'}")
    w("")
    # gen and hand: medians over the main run and the paired rounds; gen ÷ hand: the median of the paired ratios
    samples = {key: paired_samples(bdn, rounds, key[0], group_params[key]) for key in groups}
    median_gen = {key: statistics.median(g for g, _ in s) if s else (groups[key].get("Generated") or {}).get("ns")
                  for key, s in samples.items()}
    if rounds:
        w(f"gen, hand: medians over {1 + len(rounds)} samples (the main run and {len(rounds)} paired rounds of run.sh); gen÷hand: the median "
          "of the samples' paired ratios, each listed in the next column; the other columns are from the main run.")
        w("")
    w("| workload | prec | size | thr | gen | withGrad | hand | fwd | fwdHand | torch | torch fwd | gen÷hand | gen÷hand each | gen÷torch | (f+b)÷f | HVP÷grad | B/step gen | B/step hand |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    checks = {"hand": [], "torch_small": [], "torch_block": [], "torch_256": [], "fb_w6": [], "bytes": [], "scaling": [], "hessian": [], "hvp": [], "libtorch": [], "w8": [], "bdn_bytes": []}
    exact_bytes = check_bytes(out)
    for key in sorted(groups, key=sort_key):
        typ, size, threads = key
        g = groups[key]
        ns = {m: (g.get(m) or {}).get("ns") for m in METHODS}
        tkey = f"{typ} {size}".strip()
        tw = (torch.get(threads) or {}).get("workloads", {}).get(tkey)
        tstep = tw["step_s"] * 1e9 if tw else None
        tfwd = tw["forward_s"] * 1e9 if tw else None
        pairs = samples[key]
        gen, hand = ns["Generated"], ns["HandWritten"]
        if pairs:
            gen, hand = median_gen[key], statistics.median(h for _, h in pairs)
        ratios = [g_ / h_ for g_, h_ in pairs]
        ratio = statistics.median(ratios) if ratios else None
        each = " ".join(f"{x:.2f}" for x in ratios)
        bytes_gen = (g.get("Generated") or {}).get("bytes")
        bytes_hand = (g.get("HandWritten") or {}).get("bytes")
        bytes_hvp = (g.get("GeneratedHvp") or {}).get("bytes")
        base, prec = split(typ)
        hvp_ratio = "" if ns["GeneratedHvp"] is None else fmt_ratio(ns["GeneratedHvp"], gen)
        w(f"| {LABELS.get(base, base)} | {prec} | {size or '–'} | {threads} | {fmt_time(gen)} | {fmt_time(ns['GeneratedWithGradient'])} | "
          f"{fmt_time(hand)} | {fmt_time(ns['Forward'])} | {fmt_time(ns['ForwardHandWritten'])} | {fmt_time(tstep)} | {fmt_time(tfwd)} | "
          f"{'–' if ratio is None else f'{ratio:.2f}'} | {each or '–'} | {fmt_ratio(gen, tstep)} | {fmt_ratio(gen, ns['ForwardHandWritten'])} | {hvp_ratio} | "
          f"{fmt_bytes(bytes_gen)} | {fmt_bytes(bytes_hand)} |")
        label = f"{typ} {size} t={threads}".replace("  ", " ")
        if ratio is not None:
            checks["hand"].append((label + (f" ({each})" if len(ratios) > 1 else ""), ratio))
            if base == "W8Attention":
                checks["w8"].append((label + (f" ({each})" if len(ratios) > 1 else ""), ratio))
        batch = int(re.search(r"Batch=(\d+)", size).group(1)) if "Batch=" in size else None
        if gen and tstep:
            if base in BLOCK_WORKLOADS:
                if threads == 1:
                    checks["torch_block"].append((label, gen / tstep))
            elif batch == 256:
                if base == "W6TwoLayer":
                    checks["torch_256"].append((label, gen / tstep))
            else:
                checks["torch_small"].append((label, gen / tstep))
        if base == "W6TwoLayer" and gen and ns["ForwardHandWritten"]:
            checks["fb_w6"].append((label, gen / ns["ForwardHandWritten"]))
        one = median_gen.get((typ, size, 1))
        if base == "W6TwoLayer" and batch == 256 and threads == 2 and gen and one:
            checks["scaling"].append((f"{typ} {size}", one / gen))
        exact = exact_bytes.get((typ, size, threads))
        if exact is not None:
            checks["bytes"].append((label, exact[0]))
            if exact[2] is not None:
                checks["bytes"].append((label + " HVP", exact[2]))
        if bytes_gen is not None:
            checks["bdn_bytes"].append((label, bytes_gen))
        if bytes_hvp is not None:
            checks["bdn_bytes"].append((label + " HVP", bytes_hvp))
        if base in HVP_WORKLOADS and gen and ns["GeneratedHvp"]:
            checks["hvp"].append((typ, f"{size} t={threads}".strip(), ns["GeneratedHvp"] / gen))

    libtorch_table(median_gen, w, checks)
    second_order_tables(bdn, torch, w, checks)

    # GEMM
    w("")
    w("| GEMM | N | thr | ours GFLOP/s | torch.matmul GFLOP/s | ours ÷ torch (speed) | ours % of FMA peak |")
    w("|---|---|---|---|---|---|---|")
    peak = {}
    for (typ, method, params), v in bdn.items():
        if typ == "FmaPeakBenchmarks":
            lanes = 16 if method == "Float" else 8
            # a peak is a best case (noise only slows it): the fastest iteration, GFLOP/s on one core
            peak[method] = 2.0 * (1 << 20) * 12 * lanes / v["min_ns"]
    gemm_check = []
    for (typ, method, params), v in sorted(bdn.items(), key=lambda kv: (kv[0][1], sorted(kv[0][2]))):
        if typ != "GemmBenchmarks":
            continue
        d = dict(params)
        n, threads = int(d["N"]), int(d["Threads"])
        ours = 2.0 * n ** 3 / v["ns"]
        tg = ((torch.get(threads) or {}).get("gemm", {}).get(f"Gemm{method} N={n}") or {}).get("gflops")
        pk = peak.get(method)
        pct = f"{100 * ours / (pk * threads):.0f} %" if pk else "–"
        w(f"| {method.lower()} | {n} | {threads} | {ours:.1f} | {tg:.1f} | {ours / tg:.2f} | {pct} |" if tg else
          f"| {method.lower()} | {n} | {threads} | {ours:.1f} | – | – | {pct} |")
        if method == "Float" and n == 1024 and threads == 1:
            gemm_check = [ours, tg, pk]
    if peak:
        w("")
        w("FMA peak (one core, Vector512 FMA chains, fastest iteration): " + ", ".join(f"{k.lower()} {v:.1f} GFLOP/s" for k, v in sorted(peak.items()))
          + "; the 2-thread column assumes twice the one-core peak.")

    # targets
    w("")
    w("Targets (computed from this run):")

    def verdict(items, ok, fmt):
        bad = [(l, x) for l, x in items if not ok(x)]
        status = "met" if items and not bad else ("no data" if not items else "MISSED")
        worst = ", ".join(f"{l}: {fmt(x)}" for l, x in bad)
        return status + (f" — misses: {worst}" if bad else "")

    w(f"- generated ÷ hand-written ≤ 1.10 on every workload: {verdict(checks['hand'], lambda x: x <= 1.10, lambda x: f'{x:.2f}')}")
    w(f"- W8 generated ÷ hand-written ≤ 1.05: {verdict(checks['w8'], lambda x: x <= 1.05, lambda x: f'{x:.2f}')}")
    w(f"- faster than PyTorch at batch ≤ 64 (every workload but batch 256 and W11/W12): {verdict(checks['torch_small'], lambda x: x < 1.0, lambda x: f'{x:.2f}')}")
    w(f"- W11/W12 faster than PyTorch at 1 thread: {verdict(checks['torch_block'], lambda x: x < 1.0, lambda x: f'{x:.2f}')}")
    w(f"- W6 at batch 256 no slower than PyTorch (same threads): {verdict(checks['torch_256'], lambda x: x <= 1.0, lambda x: f'{x:.2f}')}")
    w(f"- (fwd+bwd) ÷ fwd ≤ 3 on W6: {verdict(checks['fb_w6'], lambda x: x <= 3.0, lambda x: f'{x:.2f}')}")
    if gemm_check and all(gemm_check):
        ours, tg, pk = gemm_check
        w(f"- GEMM 1024³ float, 1 thread: {ours:.1f} GFLOP/s = {100 * ours / pk:.0f} % of the FMA peak {pk:.1f} "
          f"({'met' if ours >= 0.6 * pk else 'MISSED'} ≥ 60 %), {ours / tg:.2f}× torch.matmul's {tg:.1f} "
          f"({'met' if ours >= tg else 'MISSED'}: no slower)")
    w(f"- 0 bytes allocated per training step (generated FBackward, and on W1–W6 the zero-allocation FHessianVectorProduct, "
      f"1 and 2 threads; the exact count of --check on every thread the step runs on, {len(checks['bytes'])} rows): "
      f"{verdict(checks['bytes'], lambda x: x == 0, fmt_bytes)}")
    nonzero = [(l, x) for l, x in checks["bdn_bytes"] if x]
    w(f"  (BenchmarkDotNet's B/step column, a process-wide average that also counts the harness and tiering and shows the "
      f"same few bytes on the hand-written rows: {len(checks['bdn_bytes']) - len(nonzero)} of {len(checks['bdn_bytes'])} rows 0 B, "
      f"the largest {max((x for _, x in nonzero), default=0):.0f} B)")
    w(f"- ahead of libtorch 2.10 + MKL (measured elsewhere) at 1 thread, float and double: "
      f"{verdict(checks['libtorch'], lambda x: x < 1.0, lambda x: f'{x:.2f}')}")
    w(f"- W9 generated Hessian ÷ hand-written closed form ≤ 1.2: {verdict(checks['hessian'], lambda x: x <= 1.2, lambda x: f'{x:.2f}')}")
    hvp = [(f"{typ} {rest}", x) for typ, rest, x in checks["hvp"]]
    per_workload = "; ".join(f"{typ} " + ", ".join(f"{rest} {x:.2f}" for t, rest, x in checks["hvp"] if t == typ)
                             for typ in dict.fromkeys(t for t, _, _ in checks["hvp"]))
    w(f"- HVP ÷ gradient ≤ 3 on W1–W6 (zero-allocation FHessianVectorProduct ÷ FBackward): {verdict(hvp, lambda x: x <= 3.0, lambda x: f'{x:.2f}')}"
      + (f" (each: {per_workload})" if per_workload else ""))
    w(f"- W6 batch 256 speed-up of the generated step from 1 to 2 threads ≥ 1.85: {verdict(checks['scaling'], lambda x: x >= 1.85, lambda x: f'{x:.2f}')}"
      + "".join(f" ({l}: {x:.2f})" for l, x in checks["scaling"] if x >= 1.85))
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".results"))
