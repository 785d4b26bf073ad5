#!/usr/bin/env bash
# Time to 99% MNIST test accuracy, sparkprop against PyTorch on the same cores, one run after the other (issue 14's
# local-mode target: within 1.5x PyTorch's time). The recipe: LeNet, global batch 64 (2 workers x 32 for sparkprop),
# Nesterov 0.9, L2 5e-4, cosine from 0.02 over 4 epochs per epoch; sparkprop on Spark local[2] with its default
# trainer (TRAINER=averaging for DL4J's), PyTorch with 2 threads (experiments/pytorch-lenet.py, Debian's
# python3-torch). Prints both runs' epoch lines and the elapsed time at the first epoch at or above 99.00%.
#   experiments/time-to-99.sh [WORK_DIR]       (about 12 minutes on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/sparkprop-99.XXXXXX)}"
mkdir -p "$WORK"
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "PyTorch is missing: apt-get install python3-torch" >&2; exit 2; }
"$ROOT/bin/sparkprop" fetch-data mnist > /dev/null
SPARKPROP_PROGRESS=off timeout 1800 "$ROOT/bin/sparkprop" train "$ROOT/examples/mnist-lenet.conf" --set epochs=4 \
  --set optimizer.schedule=cosine --set optimizer.learning-rate=0.02 --set spark.master=local[2] \
  ${TRAINER:+--set "spark.trainer=$TRAINER"} --set report=false --set "output=$WORK/sparkprop" --overwrite \
  2>"$WORK/sparkprop.log" | tee "$WORK/sparkprop.txt"
timeout 1800 /usr/bin/python3 "$ROOT/experiments/pytorch-lenet.py" --epochs 4 --lr 0.02 --threads 2 \
  | tee "$WORK/pytorch.txt"
python3 - "$WORK" <<'PY'
import json, re, sys
w = sys.argv[1]
m = json.load(open(f"{w}/sparkprop/metrics.json"))
ours = next((e["elapsed_seconds"] for e in m["epochs"] if e["test_accuracy"] >= 0.99), None)
peer = None
for line in open(f"{w}/pytorch.txt"):
    g = re.search(r"test accuracy ([\d.]+)%.*elapsed ([\d.]+) s", line)
    if g and float(g.group(1)) >= 99.0 and peer is None:
        peer = float(g.group(2))
fmt = lambda s: "not reached" if s is None else f"{int(s // 60)}:{int(s % 60):02d}"
print(f"time to 99%: sparkprop {fmt(ours)}, PyTorch {fmt(peer)}", end="")
print(f", ratio {ours / peer:.2f}" if ours and peer else "")
PY
