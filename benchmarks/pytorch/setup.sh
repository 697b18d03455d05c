#!/usr/bin/env bash
# Installs the PyTorch peer for benchmarks/pytorch/bench.py: Debian's python3-torch (PyTorch 1.13.1)
# and the pthread OpenBLAS, so that torch's BLAS calls (through the libblas.so.3 alternative) do not
# run on the reference BLAS. Then prints which BLAS torch will run on.
# Uses Debian's /usr/bin/python3 (the python3 on PATH may be a pyenv build that cannot see apt packages).
set -euo pipefail

PY=/usr/bin/python3
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
$PY -c 'import torch' 2>/dev/null || need+=(python3-torch)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need+=(libopenblas0-pthread)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup.sh: installing ${need[*]}" >&2
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${need[@]}"
fi

# OpenBLAS registers libblas.so.3 with a higher priority than the reference BLAS; make sure the
# alternative is in auto mode (or explicitly on OpenBLAS) so that torch picks it up.
alt=libblas.so.3-x86_64-linux-gnu
openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
if [ -e "$openblas" ] && [ "$(readlink -f /etc/alternatives/$alt)" != "$(readlink -f $openblas)" ]; then
  $SUDO update-alternatives --set "$alt" "$openblas"
fi

echo "libblas.so.3 -> $(readlink -f /etc/alternatives/$alt)"
$PY - <<'PY'
import os, re, torch
print("torch", torch.__version__, "from", os.path.dirname(torch.__file__))
cfg = torch.__config__.show()
for line in cfg.splitlines():
    if re.search(r"BLAS|LAPACK|MKL|CPU capability", line):
        print("  config:", line.strip())
# Which BLAS shared object torch's process actually mapped.
torch.matmul(torch.ones(64, 64, dtype=torch.float64), torch.ones(64, 64, dtype=torch.float64))
with open("/proc/self/maps") as maps:
    libs = sorted({l.split()[-1] for l in maps if re.search(r"blas|mkl|lapack", l)})
print("BLAS mapped into the process:", *(libs or ["(none found)"]), sep="\n  ")
PY
