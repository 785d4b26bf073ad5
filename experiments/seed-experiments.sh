#!/usr/bin/env bash
# Re-runs the seed experiments S1-S9 of issue 3 on Spark local[2] and rewrites the results table in EXPERIMENTS.md
# (between the seed-table markers). Each run's model.zip and metrics.json go to runs/experiments/<id>/.
#   experiments/seed-experiments.sh            # all of them (about an hour on 2 cores)
#   experiments/seed-experiments.sh S1 S9b-1   # some of them; the table keeps the others' last figures
#   experiments/seed-experiments.sh --table    # only rewrite the table from experiments/seed/results.tsv
set -euo pipefail
cd "$(dirname "$0")/.."
command -v jq >/dev/null || { echo "error: jq is needed to read metrics.json (apt-get install jq)" >&2; exit 1; }

RUNS=runs/experiments
mkdir -p "$RUNS"
BASE=experiments/seed/base.conf
TABLE=experiments/seed/results.tsv   # id, what, seed figure, metric, ours, epochs, wall seconds, command

# id | what | seed's figure | metric (test or train) | overrides
EXPERIMENTS=(
  "S1|seed-cnn, RMSprop lr 0.001 rho 0.9|97.89|test|model.name=seed-cnn optimizer.name=rmsprop optimizer.learning-rate=0.001 optimizer.rho=0.9 epochs=10"
  "S3|seed-mlp, Adam lr 0.001|88.9|train|model.name=seed-mlp optimizer.name=adam optimizer.learning-rate=0.001 epochs=10 eval.train-accuracy=true"
  "S4|dropout-mlp, Adam lr 0.001|95.3|test|model.name=dropout-mlp optimizer.name=adam optimizer.learning-rate=0.001 epochs=20"
  "S5|bn-mlp, Adam lr 0.001|87.2|test|model.name=bn-mlp optimizer.name=adam optimizer.learning-rate=0.001 epochs=20"
  "S6|lenet-bn, SGD + momentum 0.9 lr 0.01|-|test|model.name=lenet-bn optimizer.name=momentum optimizer.learning-rate=0.01 optimizer.momentum=0.9 epochs=3"
  "S9a-1|MLP 784-128-10, pixels 0..255, no BN, Adam 0.001|9.5|test|model.name=mlp model.hidden=[128] data.normalization=none optimizer.name=adam optimizer.learning-rate=0.001 epochs=3"
  "S9a-2|MLP 784-128-10, pixels 0..255, BN, Adam 0.001|96|test|model.name=mlp model.hidden=[128] model.batch-norm=true data.normalization=none optimizer.name=adam optimizer.learning-rate=0.001 epochs=3"
  "S9a-4|MLP 784-128-10, pixels 0..255, no BN, SGD Nesterov 0.9 lr 0.01 (supplementary)|9.5|test|model.name=mlp model.hidden=[128] data.normalization=none optimizer.name=nesterov optimizer.learning-rate=0.01 optimizer.momentum=0.9 epochs=3"
  "S9a-3|MLP 784-128-10, pixels /255, no BN, Adam 0.001|96|test|model.name=mlp model.hidden=[128] optimizer.name=adam optimizer.learning-rate=0.001 epochs=3"
  "S9b-1|MLP 784-128-10, Adam lr 0.1|9.2|test|model.name=mlp model.hidden=[128] optimizer.name=adam optimizer.learning-rate=0.1 epochs=3"
  "S9b-2|MLP 784-128-10, Adam lr 0.01|26|test|model.name=mlp model.hidden=[128] optimizer.name=adam optimizer.learning-rate=0.01 epochs=3"
  "S9b-3|MLP 784-128-10, Nadam lr 0.002|95|test|model.name=mlp model.hidden=[128] optimizer.name=nadam optimizer.learning-rate=0.002 epochs=3"
  "S9b-4|MLP 784-128-10, SGD Nesterov 0.9 lr 0.01|95|test|model.name=mlp model.hidden=[128] optimizer.name=nesterov optimizer.learning-rate=0.01 optimizer.momentum=0.9 epochs=3"
)

selected=("$@")
table_only=false
if [[ ${1:-} == --table ]]; then table_only=true; fi
touch "$TABLE"
for entry in "${EXPERIMENTS[@]}"; do
  $table_only && break
  IFS='|' read -r id what seedfig metric overrides <<<"$entry"
  if [[ ${#selected[@]} -gt 0 && ! " ${selected[*]} " =~ " $id " ]]; then continue; fi
  out="$RUNS/$id"
  args=(train "$BASE" --overwrite --set "output=$out")
  for o in $overrides; do args+=(--set "$o"); done
  echo "== $id: $what"
  started=$SECONDS
  set +e
  bin/sparkprop "${args[@]}" 2>&1 | tee "$RUNS/$id.log"
  status=${PIPESTATUS[0]}
  set -e
  m="$out/metrics.json"
  if [[ $status -ne 0 ]]; then
    # the divergence guard stops a run whose loss is NaN/infinite and saves nothing: that is a result, not a failure
    grep -q 'diverged' "$RUNS/$id.log" || { echo "error: $id failed (exit $status), see $RUNS/$id.log" >&2; exit 1; }
    ours="diverged ($(grep -o 'epoch [0-9]*, averaging round [0-9]*' "$RUNS/$id.log" | head -1))"
    epochs=$(grep -o 'epoch [0-9]*' "$RUNS/$id.log" | head -1 | cut -d' ' -f2)
    wall=$((SECONDS - started))
  else
    if [[ $metric == train ]]; then ours=$(jq '.final_train_accuracy * 100' "$m"); else ours=$(jq '.final.accuracy * 100' "$m"); fi
    ours=$(printf '%.2f' "$ours")
    epochs=$(jq '.epochs | length' "$m")
    wall=$(jq '.final.wall_seconds | round' "$m")
  fi
  cmd="bin/sparkprop ${args[*]}"
  grep -v "^$id	" "$TABLE" > "$TABLE.tmp" || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$what" "$seedfig" "$metric" "$ours" "$epochs" "$wall" "$cmd" >> "$TABLE.tmp"
  sort -V "$TABLE.tmp" > "$TABLE" && rm "$TABLE.tmp"
done

# Rewrite the table between the markers in EXPERIMENTS.md
{
  echo "| id | experiment | seed's figure (%) | ours (%) | metric | epochs | wall time | command |"
  echo "|---|---|---|---|---|---|---|---|"
  while IFS=$'\t' read -r id what seedfig metric ours epochs wall cmd; do
    printf '| %s | %s | %s | **%s** | %s | %s | %d:%02d | `%s` |\n' "$id" "$what" "$seedfig" "$ours" "$metric" "$epochs" \
      $((wall / 60)) $((wall % 60)) "$cmd"
  done < "$TABLE"
} > "$TABLE.md"
python3 - "$TABLE.md" <<'PY'
import re, sys
table = open(sys.argv[1]).read()
path = "EXPERIMENTS.md"
text = open(path).read()
start, end = "<!-- seed-table:start -->", "<!-- seed-table:end -->"
i, j = text.index(start) + len(start), text.index(end)
open(path, "w").write(text[:i] + "\n" + table + text[j:])
PY
rm "$TABLE.md"
echo "updated EXPERIMENTS.md"
