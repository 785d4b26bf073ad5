#!/usr/bin/env bash
# One parameter-averaging round taken apart (bin/sparkprop bench-rounds) on a Spark standalone cluster of separate
# JVMs on this machine, 2 executors of 1 core, the quick-start recipe: driver, Spark job and worker parts, ms per
# round. The figures are BENCHMARKS.md's "Round anatomy" table (issue 14).
#   deploy/it/round-anatomy.sh [WORK_DIR] [bench-rounds options...]      (about 3 minutes on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/sparkprop-rounds.XXXXXX)}"
shift || true
mkdir -p "$WORK"
JAVA="${JAVA:-java}"
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")}"
IT_TIMEOUT="${IT_TIMEOUT:-900}"
source "$ROOT/deploy/it/lib/standalone.sh"
start_cluster 2 1

"$SPARK_HOME/bin/spark-submit" --master "$MASTER" --class org.sparkprop.job.cli.SparkPropCli \
  --conf spark.cores.max=2 --conf spark.executor.cores=1 --conf spark.executor.memory=2g \
  --conf spark.driver.memory=3g --conf spark.locality.wait=0 \
  --conf "spark.executor.extraJavaOptions=$OPENS" --conf "spark.driver.extraJavaOptions=$OPENS" \
  "$ROOT/deploy/target/sparkprop-app.jar" bench-rounds "$ROOT/examples/mnist-lenet.conf" "$@" \
  2>"$WORK/bench-rounds.log" | tee "$WORK/bench-rounds.txt"
