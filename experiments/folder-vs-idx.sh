#!/usr/bin/env bash
# MNIST and Fashion-MNIST trained twice with the quick-start recipe (LeNet, 3 epochs, seed 42): once from the IDX
# files, once through the image-folder path users' data takes (PNG folders written by `prep --idx`, decoded on the
# executors into a pre-batched copy). Prints one table row per dataset; figures in EXPERIMENTS.md.
#
#   experiments/folder-vs-idx.sh [WORK_DIR]     (default runs/folder-vs-idx; about 25 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="${1:-runs/folder-vs-idx}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
for ds in mnist fashion; do
  [ -d "$work/data/$ds" ] || bin/sparkprop prep --idx "$ds" --to "$work/data/$ds" | tee "$work/prep-$ds.log"
  bin/sparkprop train examples/mnist-lenet.conf --overwrite --set output="$work/$ds-folder" --set dataset="$ds" \
    --set data.path="$work/data/$ds" --set data.image-size=28x28x1 > "$work/$ds-folder.log" 2>&1
  bin/sparkprop train examples/mnist-lenet.conf --overwrite --set output="$work/$ds-idx" --set dataset="$ds" \
    > "$work/$ds-idx.log" 2>&1
done
printf '| dataset | path | epoch 1 | epoch 2 | epoch 3 (final test) | images/s (epoch 3) | wall |\n|---|---|---|---|---|---|---|\n'
for ds in mnist fashion; do
  for path in idx folder; do
    m="$work/$ds-$path/metrics.json"
    jq -r --arg ds "$ds" --arg p "$path" '"| \($ds) | \($p) | " + ([.epochs[] | (.test_accuracy // .val_accuracy) * 100 | tostring | .[0:5]] | join(" | "))
      + " | \(.epochs[-1].images_per_second | floor) | \(.final.wall_seconds | floor) s |"' "$m"
  done
done
