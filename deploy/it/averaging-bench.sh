#!/usr/bin/env bash
# Measures one parameter-averaging round (bytes moved, seconds) on a Spark standalone cluster of separate JVMs on
# this machine, for models of about 0.4M, 5M and 25M parameters with and without optimizer state, with 1 and with 2
# executors (bin/sparkprop bench-averaging, submitted with the shaded jar). The figures feed the cost model in
# BENCHMARKS.md ("Scaling on paper").
#   deploy/it/averaging-bench.sh [WORK_DIR]      (about 5 minutes on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/sparkprop-averaging.XXXXXX)}"
mkdir -p "$WORK"
JAVA="${JAVA:-java}"
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")}"
source "$ROOT/deploy/it/lib/standalone.sh"
start_cluster 2 1

for executors in 1 2; do
  echo "== $executors executor(s)"
  "$SPARK_HOME/bin/spark-submit" --master "$MASTER" --class org.sparkprop.job.cli.SparkPropCli \
    --conf spark.cores.max="$executors" --conf spark.executor.cores=1 --conf spark.executor.memory=2g \
    --conf spark.driver.memory=3g --conf spark.locality.wait=0 \
    --conf "spark.executor.extraJavaOptions=$OPENS" --conf "spark.driver.extraJavaOptions=$OPENS" \
    "$ROOT/deploy/target/sparkprop-app.jar" bench-averaging --workers "$executors" 2>"$WORK/bench-$executors.log" \
    | tee "$WORK/bench-$executors.txt"
done
python3 "$ROOT/deploy/it/scaling-model.py" "$WORK/bench-1.txt" "$WORK/bench-2.txt"
