#!/usr/bin/env bash
# Example: train on YARN from data and checkpoints on HDFS. Run on a gateway host with HADOOP_CONF_DIR (or
# YARN_CONF_DIR) pointing at the cluster's configuration and SPARK_HOME at a Spark 3.5 / Scala 2.12 installation.
#   1. copy the data:   hdfs dfs -put mnist-folder /data/mnist-folder   (bin/sparkprop prep --idx mnist --to mnist-folder)
#   2. run this script: deploy/yarn/submit-yarn-example.sh
# Client mode: the driver runs here and writes model.zip, metrics.json and report.html to the local output folder;
# the executors run in YARN containers. Resubmitting with --resume after a failure continues from the newest
# checkpoint on HDFS.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HADOOP_CONF_DIR:?set HADOOP_CONF_DIR to the cluster configuration}"
exec deploy/bin/submit --master yarn --deploy-mode client \
  --num-executors 4 --executor-cores 4 --executor-memory 6g --executor-memory-overhead 6g \
  --driver-memory 4g --driver-memory-overhead 4g \
  --conf spark.yarn.maxAppAttempts=1 \
  examples/mnist-folder-augmented.conf \
  --set data.path=hdfs:///data/mnist-folder \
  --set data.batches=hdfs:///data/mnist-folder-batches \
  --set checkpoint.dir=hdfs:///sparkprop/runs/mnist-folder/checkpoints \
  --set output=runs/mnist-folder-yarn "$@"
