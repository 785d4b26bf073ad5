#!/usr/bin/env bash
# Nightly retraining on YARN with a promotion gate, for cron on a gateway host (HADOOP_CONF_DIR and SPARK_HOME set as
# for submit-yarn-example.sh). Crontab line, every night at 02:00, one run at a time (flock):
#   0 2 * * *  flock -n /tmp/sparkprop-retrain.lock /opt/sparkprop/deploy/yarn/retrain-nightly.sh >>/var/log/sparkprop-retrain.log 2>&1
# Client deploy mode, so that this script sees the driver's exit code: 0 promoted, 3 trained but not promoted (the
# model in service stays), 1 failed, 2 bad config. (In cluster mode spark-submit reports only the application's
# final state.) spark.yarn.maxAppAttempts=1: a not-promoted run is not retried; an interrupted one is continued by the
# next night's --resume-or-start from its checkpoints on HDFS.
# Served models live on HDFS: hdfs:///sparkprop/served/mnist-folder/current names the model in service, history.jsonl
# says what was served when and why; roll back with
#   bin/sparkprop promote --to hdfs:///sparkprop/served/mnist-folder --rollback
# Set WARM_START=1 once a model is in service to continue from it (transfer.mode = warm-start) instead of training
# from scratch.
set -uo pipefail
cd "$(dirname "$0")/../.."
: "${HADOOP_CONF_DIR:?set HADOOP_CONF_DIR to the cluster configuration}"
SERVED="${SERVED:-hdfs:///sparkprop/served/mnist-folder}"
warm=()
if [[ "${WARM_START:-0}" == 1 ]]; then
  warm=(--set "transfer.source=$SERVED" --set transfer.mode=warm-start)
fi
deploy/bin/submit --master yarn --deploy-mode client \
  --num-executors 4 --executor-cores 4 --executor-memory 6g --executor-memory-overhead 6g \
  --driver-memory 4g --driver-memory-overhead 4g \
  --conf spark.yarn.maxAppAttempts=1 \
  examples/mnist-folder-augmented.conf \
  --set data.path=hdfs:///data/mnist-folder \
  --set data.batches=hdfs:///data/mnist-folder-batches \
  --set checkpoint.dir=hdfs:///sparkprop/runs/nightly/checkpoints \
  --set output=runs/nightly-yarn \
  "${warm[@]}" --resume-or-start --promote-to "$SERVED" "$@"
rc=$?
case $rc in
  0) echo "$(date -u +%FT%TZ) retrain: promoted; now serving $(hdfs dfs -cat "$SERVED/current" 2>/dev/null)" ;;
  3) echo "$(date -u +%FT%TZ) retrain: trained, not promoted; the served model stays (see $SERVED/history.jsonl)" ;;
  *) echo "$(date -u +%FT%TZ) retrain: failed with exit code $rc" ;;
esac
exit $rc
