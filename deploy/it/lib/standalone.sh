# Sourced by deploy/it/*.sh: builds what is missing, assembles a SPARK_HOME from the resolved Spark jars, starts a
# Spark standalone master and workers as separate JVMs on loopback, and stops every process it started, by process
# id, when the calling script exits. Needs ROOT and WORK set; sets MASTER, MASTER_UI, WORKERS, SPARK_HOME, OPENS.
PIDS=()
# A hang fails with a name, not at CI's limit: after IT_TIMEOUT seconds (default 2400) the calling script is
# stopped, and its cluster with it.
IT_TIMEOUT="${IT_TIMEOUT:-2400}"
( sleep "$IT_TIMEOUT" & wait $! || exit 0  # a sleep killed at the end: the script finished in time
  echo "FAIL: $(basename "$0") still running after $IT_TIMEOUT s (IT_TIMEOUT); stopping it and its cluster (logs" \
    "in $WORK)" >&2; kill -TERM $$ ) &
WATCHDOG=$!
trap 'exit 124' TERM
cleanup() {
  local pid
  pkill -P "$WATCHDOG" 2>/dev/null || true; kill "$WATCHDOG" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do  # workers' executors first (children of the worker JVMs), then everything we started
    for child in $(pgrep -P "$pid" 2>/dev/null || true); do kill -9 "$child" 2>/dev/null || true; done
  done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# 1. The application: the shaded jar (Spark and Hadoop left out) and the local build for the pre-flight check.
stale_jar() { # a source file or pom newer than the jar: a jar built before the last edit would be tested silently
  find "$ROOT/model-defs" "$ROOT/data-prep" "$ROOT/spark-job" "$ROOT/deploy" "$ROOT/pom.xml" \
    \( -path '*/src/*' -o -name pom.xml \) -not -path '*/target/*' -newer "$ROOT/deploy/target/sparkprop-app.jar" \
    -print -quit 2>/dev/null | grep -q .
}
if [[ ! -f $ROOT/deploy/target/sparkprop-app.jar || ! -d $ROOT/deploy/target/lib ]] || stale_jar; then
  echo "building deploy/target/sparkprop-app.jar (mvn -B -DskipTests -Pcluster package)..."
  (cd "$ROOT" && mvn -B -q -DskipTests -Pcluster package)
fi

# 2. SPARK_HOME from the resolved Spark jars: jars/, an empty RELEASE (so Spark's launcher takes it for a
#    distribution) and bin/spark-submit + bin/spark-class as in Spark's own distribution.
export SPARK_HOME="$WORK/spark-home"
if [[ ! -f $SPARK_HOME/RELEASE ]]; then
  mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/bin" "$SPARK_HOME/conf"
  mvn -B -q -f "$ROOT/deploy/it/spark-home/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$SPARK_HOME/jars" -DincludeScope=runtime
  : > "$SPARK_HOME/RELEASE"
  cat > "$SPARK_HOME/bin/spark-class" <<'SH'
#!/usr/bin/env bash
# As Spark's bin/spark-class: the launcher library builds the java command line (memory, extra options, classpath).
# It prints any messages, then a NUL and a newline, then the command as NUL-separated arguments, then its exit code.
set +o posix
CMD=()
DELIM=$'\n'
STARTED=false
while IFS= read -d "$DELIM" -r ARG; do
  if $STARTED; then CMD+=("$ARG")
  elif [[ $ARG == $'\0' ]]; then DELIM=''; STARTED=true
  elif [[ -n $ARG ]]; then echo "$ARG"
  fi
done < <("$JAVA_HOME/bin/java" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@"; printf "%d\0" $?)
LAST=$((${#CMD[@]} - 1))
[[ ${CMD[$LAST]} == 0 ]] || exit "${CMD[$LAST]}"
exec "${CMD[@]:0:$LAST}"
SH
  printf '#!/usr/bin/env bash\nexec "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.SparkSubmit "$@"\n' \
    > "$SPARK_HOME/bin/spark-submit"
  chmod +x "$SPARK_HOME/bin/spark-class" "$SPARK_HOME/bin/spark-submit"
fi
export SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 SPARK_MASTER_HOST=127.0.0.1 OMP_NUM_THREADS=1
OPENS="$(sed -n 's/^argLine.opens=//p' "$ROOT/deploy/conf/java17-opens.properties")"

# Spark security as deploy/bin/submit turns it on: every process of this cluster reads the same secret from the
# SPARK_HOME's spark-defaults.conf (master, workers, and the submit through $SPARK_HOME/bin/spark-submit).
old_umask=$(umask)
umask 077
printf 'spark.authenticate true\nspark.authenticate.secret %s\n' "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" \
  > "$SPARK_HOME/conf/spark-defaults.conf"
umask "$old_umask"

# 3. Master and workers.
start_cluster() { # workers, cores per worker; WORKER_JAVA_OPTS: extra JVM options of each worker (e.g. resources)
local count=$1 cores=$2
MASTER_PORT=$(free_port); MASTER_UI=$(free_port)
# shellcheck disable=SC2086
"$JAVA" $OPENS -Xmx512m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
  --port "$MASTER_PORT" --webui-port "$MASTER_UI" > "$WORK/master.log" 2>&1 &
PIDS+=($!)
MASTER="spark://127.0.0.1:$MASTER_PORT"
for i in $(seq "$count"); do
  # shellcheck disable=SC2086
  "$JAVA" $OPENS ${WORKER_JAVA_OPTS:-} -Xmx512m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 \
    --webui-port "$(free_port)" --cores "$cores" --memory 4g --work-dir "$WORK/worker-$i" "$MASTER" \
    > "$WORK/worker-$i.log" 2>&1 &
  PIDS+=($!)
done
WORKERS=("${PIDS[@]:1:$count}")
local alive=0
for _ in $(seq 60); do
  alive=$(curl -s "http://127.0.0.1:$MASTER_UI/json/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["aliveworkers"])' 2>/dev/null || echo 0)
  [[ $alive == "$count" ]] && break
  sleep 1
done
[[ $alive == "$count" ]] || { echo "FAIL: the workers did not register with $MASTER (see $WORK/*.log)"; exit 1; }
echo "cluster: master $MASTER (pid ${PIDS[0]}), workers pids ${WORKERS[*]}"
}
