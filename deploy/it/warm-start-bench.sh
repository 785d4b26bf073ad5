#!/usr/bin/env bash
# Warm start from the model in service against a fresh run, on data that grew 10% (issue 19), with the quick-start
# recipe (examples/mnist-lenet.conf, Spark local mode, real MNIST):
#   1. "yesterday": trained on the first 54,545 MNIST training images and promoted to WORK/served;
#   2. "fresh": today's 60,000 images (10% more), trained from scratch for $EPOCHS epochs;
#   3. "warm": the same 60,000 images, transfer.mode = warm-start from WORK/served (the served model, head kept), at
#      the default transfer.pretrained-learning-rate (a tenth of optimizer.learning-rate) and at the full rate.
# Prints the test accuracy after each epoch and the epochs each run needs to reach the fresh run's final accuracy.
#   deploy/it/warm-start-bench.sh [WORK_DIR]      (about 25 minutes on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/sparkprop-warm-start.XXXXXX)}"
EPOCHS="${EPOCHS:-3}"
WARM_EPOCHS="${WARM_EPOCHS:-2}"
if [ -e "$WORK" ] && [ -n "$(ls -A "$WORK")" ]; then
  echo "warm-start-bench: $WORK is not empty; give a new or empty folder" >&2
  exit 2
fi
mkdir -p "$WORK"
SP="$ROOT/bin/sparkprop"
CONF="$ROOT/examples/mnist-lenet.conf"

"$SP" train "$CONF" --set output="$WORK/yesterday" --set data.train-limit=54545 --set epochs="$EPOCHS" \
  --promote-to "$WORK/served" | tee "$WORK/yesterday.log"
"$SP" train "$CONF" --set output="$WORK/fresh" --set epochs="$EPOCHS" | tee "$WORK/fresh.log"
warm() { # each warm run starts from yesterday's model, in a copy of the served folder of its own
  local lr=$1
  rm -rf "$WORK/served-$lr" && cp -r "$WORK/served" "$WORK/served-$lr"
  set +e # 3: trained, not promoted - fine here
  "$SP" train "$CONF" --set output="$WORK/warm-$lr" --set epochs="$WARM_EPOCHS" \
    --set transfer.source="$WORK/served-$lr" --set transfer.mode=warm-start \
    --set transfer.pretrained-learning-rate="$lr" --promote-to "$WORK/served-$lr" | tee "$WORK/warm-$lr.log"
  rc=${PIPESTATUS[0]}
  set -e
  [ "$rc" = 0 ] || [ "$rc" = 3 ] || { echo "warm-start-bench: the warm run failed (exit $rc)" >&2; exit "$rc"; }
}
warm 0.001
warm 0.01

python3 - "$WORK" <<'PY'
import json, sys, os
work = sys.argv[1]
runs = [("yesterday (54,545 images, fresh)", "yesterday"), ("fresh (60,000 images)", "fresh"),
        ("warm start, lr 0.001 (default)", "warm-0.001"), ("warm start, lr 0.01", "warm-0.01")]
metrics = {key: json.load(open(os.path.join(work, key, "metrics.json"))) for _, key in runs}
target = metrics["fresh"]["epochs"][-1]["test_accuracy"]
print()
print("| run | test accuracy after epoch 1, 2, 3 | epochs to reach %.2f%% | train seconds per epoch |" % (100 * target))
print("|---|---|---|---|")
for label, key in runs:
    epochs = metrics[key]["epochs"]
    accs = ", ".join("%.2f%%" % (100 * e["test_accuracy"]) for e in epochs)
    reach = next((e["epoch"] for e in epochs if e["test_accuracy"] >= target - 1e-9), None)
    secs = sum(e["train_seconds"] for e in epochs) / len(epochs)
    print("| %s | %s | %s | %.0f |" % (label, accs, reach if reach is not None else "not in %d" % len(epochs), secs))
for lr in ("0.001", "0.01"):
    for line in open(os.path.join(work, "served-" + lr, "history.jsonl")):
        line = json.loads(line)
        if line.get("event") == "rollback":
            print("served-%s history: rollback %s -> %s" % (lr, line["from"], line["to"]))
        else:
            print("served-%s history: run %s promoted=%s %s" % (lr, line["run_id"], line["promoted"], line["reason"]))
PY
