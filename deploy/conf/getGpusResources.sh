#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript; sparkprop key spark.gpu.discovery-script).
# Spark runs it on each executor host; it prints the host's GPUs as Spark resource JSON, e.g.
#   {"name": "gpu", "addresses": ["0", "1"]}
# Needs nvidia-smi (part of the NVIDIA driver). Copy it to the same path on every executor host, or ship it with
# --files and point the key at ./getGpusResources.sh.
set -euo pipefail
command -v nvidia-smi >/dev/null 2>&1 || { echo "getGpusResources.sh: nvidia-smi not found on $(hostname)" >&2; exit 1; }
ADDRS=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e 's/^ *//' -e 's/.*/"&"/' | paste -sd, -)
echo "{\"name\": \"gpu\", \"addresses\": [${ADDRS}]}"
