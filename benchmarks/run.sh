#!/usr/bin/env bash
# Regenerates the benchmark table of docs/benchmarks.md:
#   bash benchmarks/run.sh            # ≈ 60 min on 2 cores: main run ≈ 40, two paired rounds ≈ 5 each, PyTorch ≈ 5
# 1. installs/reports the PyTorch peer (benchmarks/pytorch/setup.sh; SKIP_SETUP=1 skips it),
# 2. builds the benchmarks and checks that every gradient path agrees (-- --check, narrowed by FILTER; on W1–W6 also the HVP row
#    against FBackward and central differences of its gradient; for W9/W10 the Hessian paths with each other
#    and each Hessian-vector product with central differences of the gradient; on W11/W12 the hand-written gradient
#    against central differences of the loss),
# 3. runs the BenchmarkDotNet suites in-process (10 warm-up + 15 timed iterations of ≥ 100 ms,
#    median per operation, MemoryDiagnoser) for the workloads W1–W12, GEMM and the FMA peak, each workload's generated and
#    hand-written rows back to back; then ROUNDS (default 2) paired rounds of only those two rows (9 timed iterations),
#    whose medians combine.py folds in (gen, hand and gen ÷ hand are medians over the main run and the rounds),
# 4. runs benchmarks/pytorch/bench.py (same shapes and scheme; W9/W10 also tensor memory) with 1 and 2 threads,
# 5. prints the combined tables (benchmarks/combine.py: W1–W8, W11, W12 with HVP÷grad on W1–W6, W9 Hessian, W10 HVP, GEMM,
#    targets) and keeps everything in $OUT.
# Extra arguments go to BenchmarkDotNet (e.g. --filter '*W6*'); FILTER=W6 (or W9,W10: comma-separated) narrows the PyTorch side and the
# --check (all match substrings: W1 also selects W10–W12, write W1Bilinear). Only W11 and W12:
#   FILTER=W11,W12 bash benchmarks/run.sh --filter '*W11*' '*W12*'
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-$ROOT/benchmarks/.results}
PY=/usr/bin/python3
PROJECT=$ROOT/benchmarks/AutoGradGen.Benchmarks
mkdir -p "$OUT"

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  bash "$ROOT/benchmarks/pytorch/setup.sh" | tee "$OUT/setup.txt"
fi
{ lscpu | grep -E 'Model name|^CPU\(s\)|Thread|Core|Socket'; grep -o -w 'avx512[a-z_0-9]*' /proc/cpuinfo | sort -u | tr '\n' ' '; echo; dotnet --version; } > "$OUT/machine.txt"
git -C "$ROOT" rev-parse HEAD > "$OUT/commit.txt" 2>/dev/null || true

dotnet build -c Release "$PROJECT" -nologo -v q
DLL=$PROJECT/bin/Release/net10.0/AutoGradGen.Benchmarks.dll
IFS=, read -r -a CHECK_FILTER <<< "${FILTER:-}"
dotnet "$DLL" --check "${CHECK_FILTER[@]}" | tee "$OUT/check.txt"

BDN_ARGS=("$@")
# Tier-up without the call-counting delay, and 10 warm-up iterations: otherwise the first benchmark of a class (Generated,
# 1 thread) is measured while the kernels it shares with the later rows are still being tiered up (W11 float: 2.89 ms at
# 1 thread against 2.25 at 2 in a run with 3 warm-ups; W11 double: 9 ms falling to 4.3 ms across iterations).
export DOTNET_TC_CallCountingDelayMs=0
if [ ${#BDN_ARGS[@]} -eq 0 ]; then BDN_ARGS=(--filter '*'); fi
rm -rf "$OUT/bdn"
dotnet "$DLL" "${BDN_ARGS[@]}" --inProcess --launchCount 1 --warmupCount 10 --iterationCount 15 --iterationTime 100 \
  --exporters json --artifacts "$OUT/bdn" > "$OUT/bdn.log"
grep -E '^\| ' "$OUT/bdn.log" > "$OUT/bdn-tables.md" || true
# Paired rounds (PairedOrder.cs): ROUNDS more samples of every workload's Generated and HandWritten rows, the two back to back
# for each parameter set (hand-written first in odd rounds). combine.py takes gen, hand and gen ÷ hand as medians over the
# main run and these rounds: a burst of load on this shared machine spoils one sample, not the median. ROUNDS=0 skips them.
rm -rf "$OUT"/bdn-round*
for r in $(seq 1 "${ROUNDS:-2}"); do
  dotnet "$DLL" "${BDN_ARGS[@]}" --round "$r" --inProcess --launchCount 1 --warmupCount 10 --iterationCount 9 --iterationTime 100 \
    --exporters json --artifacts "$OUT/bdn-round$r" > "$OUT/bdn-round$r.log"
done

for t in 1 2; do
  $PY "$ROOT/benchmarks/pytorch/bench.py" --threads "$t" --filter "${FILTER:-}" --json "$OUT/torch-$t.json"
done

$PY "$ROOT/benchmarks/combine.py" "$OUT" | tee "$OUT/table.md"
