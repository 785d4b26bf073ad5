#!/usr/bin/env bash
# GPU placement of spark.trainer = allreduce on a Spark standalone cluster of separate JVMs, the way Horovod's Spark
# tests check it without GPUs: one worker of 2 cores offers 2 fake GPUs (a discovery script that prints
# {"name": "gpu", "addresses": ["0", "1"]}), the run asks 1 GPU per executor and per task, and each barrier task
# reports the GPU Spark gave it (GpuPlacement: on the CPU backend nothing is bound; on a GPU build the task's thread
# is bound to that device). Passes when the two replicas, on the same host, got different GPUs and the run finished.
#   deploy/it/gpu-placement.sh [WORK_DIR]      (about 2 minutes on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/sparkprop-gpus.XXXXXX)}"
mkdir -p "$WORK"
JAVA="${JAVA:-java}"
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")}"
IT_TIMEOUT="${IT_TIMEOUT:-900}"
FAKE="$WORK/fake-gpus.sh"
printf '#!/usr/bin/env bash\necho %s\n' "'{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}'" > "$FAKE"
chmod +x "$FAKE"
source "$ROOT/deploy/it/lib/standalone.sh"
WORKER_JAVA_OPTS="-Dspark.worker.resource.gpu.amount=2 -Dspark.worker.resource.gpu.discoveryScript=$FAKE"
start_cluster 1 2

rm -rf "${WORK:?}/run"
"$SPARK_HOME/bin/spark-submit" --master "$MASTER" --class org.sparkprop.job.cli.SparkPropCli \
  --conf spark.cores.max=2 --conf spark.executor.cores=1 --conf spark.executor.memory=1g \
  --conf spark.driver.memory=2g --conf "spark.executor.extraJavaOptions=$OPENS" \
  --conf "spark.driver.extraJavaOptions=$OPENS" \
  "$ROOT/deploy/target/sparkprop-app.jar" train "$ROOT/examples/mnist-lenet.conf" --set "output=$WORK/run" \
  --set "spark.master=$MASTER" --set spark.trainer=allreduce --set spark.workers=2 --set spark.gpu.executor-amount=1 \
  --set spark.gpu.task-amount=1 --set "spark.gpu.discovery-script=$FAKE" --set data.train-limit=2000 \
  --set data.test-limit=500 --set epochs=1 --set report=false > "$WORK/train.log" 2>&1 \
  || { echo "FAIL: the run failed (see $WORK/train.log)"; tail -20 "$WORK/train.log"; exit 1; }
line=$(grep -o "allreduce replicas:.*" "$WORK/train.log" | head -n 1 || true)
[[ -n $line ]] || { echo "FAIL: no replica placement reported (see $WORK/train.log)"; exit 1; }
echo "$line"
gpus=$(grep -o "GPU [0-9]*" <<< "$line" | sort | uniq | wc -l)
[[ $gpus == 2 ]] || { echo "FAIL: the 2 replicas did not get 2 different GPUs"; exit 1; }
echo "PASS: 2 replicas on one host, each on its own GPU"
