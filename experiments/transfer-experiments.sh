#!/usr/bin/env bash
# Reproduces the transfer-learning demonstration of issue 6 on Spark local[2] and rewrites its table in EXPERIMENTS.md
# (between the transfer-table markers):
#   1. pretrains LeNet on all MNIST digits (the quick-start run) and on digits 0-4 only, with this trainer;
#   2. transfers each to little labelled data: Fashion-MNIST with 100 images per class (1,000), evaluated on the full
#      Fashion-MNIST test set; digits 5-9 with 100 per class (500), evaluated on all test images of digits 5-9;
#      in the modes scratch, feature-extractor (featurize once), feature-extractor with the frozen forward pass in every
#      epoch (the naive way, for the speed-up) and fine-tune.
#   experiments/transfer-experiments.sh           # everything (about 20 minutes on 2 cores); pretraining is reused
#                                                 # when runs/transfer/pretrain-*/model.zip exist
#   experiments/transfer-experiments.sh --fresh   # pretrain again too
set -euo pipefail
cd "$(dirname "$0")/.."
command -v jq >/dev/null || { echo "error: jq is needed to read metrics.json (apt-get install jq)" >&2; exit 1; }
RUNS=runs/transfer
BASE=experiments/transfer/base.conf
TABLE=experiments/transfer/results.tsv
mkdir -p "$RUNS"
fresh=false; [[ ${1:-} == --fresh ]] && fresh=true

pretrain() { # id, overrides...
  local id=$1; shift
  local out=$RUNS/$id
  if ! $fresh && [[ -f $out/model.zip ]]; then echo "== $id: reusing $out/model.zip"; return; fi
  local args=(train examples/mnist-lenet.conf --overwrite --set "output=$out" --set report=false)
  for o in "$@"; do args+=(--set "$o"); done
  echo "== $id: bin/sparkprop ${args[*]}"
  bin/sparkprop "${args[@]}" 2>&1 | tee "$RUNS/$id.log"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "pretrain" "$(jq '.train_examples' "$out/metrics.json")" \
    "$(printf '%.2f' "$(jq '.final.accuracy * 100' "$out/metrics.json")")" "$(jq '.final.wall_seconds | round' "$out/metrics.json")" \
    "-" "bin/sparkprop ${args[*]}" >> "$TABLE.new"
}

transfer() { # id, source run, overrides...
  local id=$1 source=$2; shift 2
  local out=$RUNS/$id
  local args=(train "$BASE" --overwrite --set "output=$out" --set "transfer.source=$RUNS/$source/model.zip")
  for o in "$@"; do args+=(--set "$o"); done
  echo "== $id: bin/sparkprop ${args[*]}"
  bin/sparkprop "${args[@]}" 2>&1 | tee "$RUNS/$id.log"
  local m=$out/metrics.json
  # median training seconds per epoch (evaluation excluded)
  local per_epoch
  per_epoch=$(jq '[.epochs[].train_seconds] | sort | .[(length / 2 | floor)]' "$m")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$(jq -r 'if .transfer.mode == "feature-extractor" then .transfer.mode + ", featurize " + .transfer.featurize else .transfer.mode end' "$m")" \
    "$(jq '.train_examples' "$m")" "$(printf '%.2f' "$(jq '.final.accuracy * 100' "$m")")" \
    "$(jq '.final.wall_seconds | round' "$m")" "$(printf '%.2f' "$per_epoch")" "bin/sparkprop ${args[*]}" >> "$TABLE.new"
}

: > "$TABLE.new"
pretrain pretrain-mnist
pretrain pretrain-digits-0-4 "data.classes=[0,1,2,3,4]"
FASHION=(dataset=fashion data.train-per-class=100)
transfer F-scratch pretrain-mnist "${FASHION[@]}" transfer.mode=scratch
transfer F-feature-extractor pretrain-mnist "${FASHION[@]}" transfer.mode=feature-extractor
transfer F-feature-extractor-naive pretrain-mnist "${FASHION[@]}" transfer.mode=feature-extractor transfer.featurize=every-epoch
transfer F-fine-tune pretrain-mnist "${FASHION[@]}" transfer.mode=fine-tune
DIGITS=("data.classes=[5,6,7,8,9]" data.train-per-class=100)
transfer D-scratch pretrain-digits-0-4 "${DIGITS[@]}" transfer.mode=scratch
transfer D-feature-extractor pretrain-digits-0-4 "${DIGITS[@]}" transfer.mode=feature-extractor
transfer D-feature-extractor-naive pretrain-digits-0-4 "${DIGITS[@]}" transfer.mode=feature-extractor transfer.featurize=every-epoch
transfer D-fine-tune pretrain-digits-0-4 "${DIGITS[@]}" transfer.mode=fine-tune
if $fresh || [[ ! -f $TABLE ]]; then mv "$TABLE.new" "$TABLE"; else
  # keep the pretraining rows of the run that made the reused models
  { grep '	pretrain	' "$TABLE" || true; grep -v '	pretrain	' "$TABLE.new"; } > "$TABLE.tmp"
  grep '	pretrain	' "$TABLE.new" >> "$TABLE.tmp" || true
  awk -F'\t' '!seen[$1]++' "$TABLE.tmp" > "$TABLE"; rm -f "$TABLE.tmp" "$TABLE.new"
fi

{
  echo "| id | mode | labelled train images | test accuracy (%) | wall time | train s/epoch (median) | command |"
  echo "|---|---|---|---|---|---|---|"
  while IFS=$'\t' read -r id mode n acc wall per cmd; do
    printf '| %s | %s | %s | **%s** | %d:%02d | %s | `%s` |\n' "$id" "$mode" "$n" "$acc" $((wall / 60)) $((wall % 60)) "$per" "$cmd"
  done < "$TABLE"
} > "$TABLE.md"
python3 - "$TABLE.md" <<'PY'
import re, sys
table = open(sys.argv[1]).read()
text = open("EXPERIMENTS.md").read()
start, end = "<!-- transfer-table:start -->\n", "<!-- transfer-table:end -->"
if start in text:
    text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda m: start + table + end, text, flags=re.S)
else:
    text += "\n" + start + table + end + "\n"
open("EXPERIMENTS.md", "w").write(text)
PY
rm -f "$TABLE.md"
echo "table written to EXPERIMENTS.md"
