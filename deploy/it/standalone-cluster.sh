#!/usr/bin/env bash
# Integration test on a real multi-process Spark cluster: a Spark standalone master and two workers, each a separate
# JVM started from the Spark jars the build resolves (a SPARK_HOME assembled in the work folder), the shaded
# application jar submitted through deploy/bin/submit with --master spark://127.0.0.1:PORT, training LeNet on an MNIST
# subset (20,000 images, 3 epochs). Then the same run with one executor JVM killed (kill -9) in the middle of epoch 2: the job must finish, and
# its test accuracy must be within 0.5 points of the undisturbed run.
#   deploy/it/standalone-cluster.sh [WORK_DIR]     (default: a new folder under /tmp; about 6 minutes on 2 cores)
#   SUBMIT_OPTS="--no-spark-security" deploy/it/...  extra deploy/bin/submit options for both runs (here: the cost of
#                                                     encryption; the cluster's own authentication stays on)
#   TRAINER=averaging deploy/it/...                   spark.trainer of both runs (default: the config's, allreduce)
# Prints accuracy, wall time and task retries of both runs; exit 0 when both checks pass. Only loopback addresses;
# every process it starts is stopped by process id when it ends, whatever way it ends.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/sparkprop-standalone.XXXXXX)}"
mkdir -p "$WORK"
MIN_ACCURACY=${MIN_ACCURACY:-0.97}   # the stated accuracy for 3 epochs of LeNet on 20,000 images
TRAIN=(--set data.train-limit=20000 --set data.test-limit=2000 --set epochs=3 --set report=false
  --set spark.collect-stats=false ${TRAINER:+--set "spark.trainer=$TRAINER"})
JAVA="${JAVA:-java}"
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")}"

source "$ROOT/deploy/it/lib/standalone.sh"
start_cluster 2 1

# 4. A training run through deploy/bin/submit; prints its accuracy.
submit() { # name, extra submit args...
  local name=$1; shift
  rm -rf "${WORK:?}/$name"  # this test's own output from an earlier run in the same WORK_DIR
  # shellcheck disable=SC2086 # SUBMIT_OPTS is an option list
  "$ROOT/deploy/bin/submit" --master "$MASTER" --num-executors 2 --executor-cores 1 --executor-memory 1g \
    --executor-memory-overhead 2g --driver-memory 2g ${SUBMIT_OPTS:-} "$@" "$ROOT/examples/mnist-lenet.conf" \
    "${TRAIN[@]}" --set "output=$WORK/$name" --set "checkpoint.dir=$WORK/$name/checkpoints" > "$WORK/$name.log" 2>&1 &
  SUBMIT_PID=$!
  PIDS+=("$SUBMIT_PID")
}
accuracy() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["final"]["accuracy"])' "$WORK/$1/metrics.json"; }
wall() { python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["final"]["wall_seconds"]))' "$WORK/$1/metrics.json"; }
retries() { grep -c "Lost task" "$WORK/$1.log" || true; }

started=$SECONDS
submit undisturbed; pid=$SUBMIT_PID
wait "$pid" || { echo "FAIL: the undisturbed run failed (see $WORK/undisturbed.log)"; tail -20 "$WORK/undisturbed.log"; exit 1; }
a=$(accuracy undisturbed)
echo "undisturbed: test accuracy $a, wall $(wall undisturbed) s (submit to exit $((SECONDS - started)) s), task retries $(retries undisturbed)"
python3 -c "import sys; sys.exit(0 if $a >= $MIN_ACCURACY else 1)" \
  || { echo "FAIL: accuracy $a below the stated $MIN_ACCURACY"; exit 1; }

# 5. The same run; once epoch 2 is under way, one executor JVM (a child of a worker) is killed.
started=$SECONDS
submit killed; pid=$SUBMIT_PID
until grep -q "^epoch 1/3" "$WORK/killed.log" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "FAIL: the run ended before epoch 2 (see $WORK/killed.log)"; exit 1; }
  sleep 1
done
sleep 15
victim=$(pgrep -P "${WORKERS[0]}" -f CoarseGrainedExecutorBackend | head -n 1 || true)
[[ -n $victim ]] || { echo "FAIL: no executor JVM under worker pid ${WORKERS[0]}"; exit 1; }
kill -9 "$victim"
echo "killed executor pid $victim (worker pid ${WORKERS[0]}) $((SECONDS - started)) s into the run, in epoch 2"
wait "$pid" || { echo "FAIL: the run with a killed executor did not finish (see $WORK/killed.log)"; tail -20 "$WORK/killed.log"; exit 1; }
b=$(accuracy killed)
echo "killed: test accuracy $b, wall $(wall killed) s, task retries $(retries killed)"
python3 -c "import sys; sys.exit(0 if abs($a - $b) <= 0.005 else 1)" \
  || { echo "FAIL: accuracy $b is not within 0.5 points of the undisturbed $a"; exit 1; }
echo "PASS: standalone cluster run and executor-kill run (logs and outputs in $WORK)"
