#!/usr/bin/env bash
# Accuracy against the averaging period H (issue 14, part 2): the quick-start recipe (LeNet, seed 42, 2 workers x
# batch 32, Nesterov 0.01, L2 5e-4) trained for EPOCHS epochs on MNIST and Fashion-MNIST with averaging every H
# mini-batches per worker, H = 5 (the default), 10, 20, 50, 100. Fewer rounds cost less (BENCHMARKS.md, "Round
# anatomy"); this says what they cost in accuracy. Prints one table row per dataset and H; figures in BENCHMARKS.md.
#
#   experiments/averaging-period.sh [WORK_DIR] [EPOCHS]   (default /tmp/averaging-period, 1 epoch: ~20 min on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="${1:-/tmp/averaging-period}"
epochs="${2:-1}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
periods=(5 10 20 50 100)
for ds in mnist fashion; do
  for h in "${periods[@]}"; do
    SPARKPROP_PROGRESS=off timeout 1200 bin/sparkprop train examples/mnist-lenet.conf --overwrite \
      --set output="$work/$ds-h$h" --set dataset="$ds" --set epochs="$epochs" --set averaging-frequency="$h" \
      --set checkpoint.every-epochs=0 --set report=false > "$work/$ds-h$h.log" 2>&1
  done
done
printf '| dataset | H | rounds per epoch | test accuracy per epoch | images/s (last epoch) | train seconds |\n'
printf '|---|---|---|---|---|---|\n'
for ds in mnist fashion; do
  for h in "${periods[@]}"; do
    python3 - "$work/$ds-h$h/metrics.json" "$ds" "$h" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
accs = ", ".join("%.2f%%" % (100 * e["test_accuracy"]) for e in m["epochs"])
rounds = -(-m["train_examples"] // (m["workers"] * 32 * int(sys.argv[3])))
print("| %s | %s | %d | %s | %.0f | %.0f |" % (sys.argv[2], sys.argv[3], rounds, accs,
      m["epochs"][-1]["images_per_second"], sum(e["train_seconds"] for e in m["epochs"])))
PY
  done
done
