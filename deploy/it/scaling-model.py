#!/usr/bin/env python3
"""Projects parameter-averaging scaling efficiency from the measured cost of an averaging round.

usage: deploy/it/scaling-model.py A_SECONDS LOOPBACK_BYTES_PER_SECOND [NETWORK_BYTES_PER_SECOND]

Cost model (BENCHMARKS.md, "Scaling on paper"):
  round(n, f)  = f * step + avg(n, P)                       one averaging round: f local steps, then averaging
  avg(n, P)    = a + S / bw * (1 + 2 * ceil(n ** (1 / d)))  S = 4 * P * (1 + u) bytes per copy (u: optimizer state
                                                            values per parameter); torrent broadcast puts about one
                                                            copy on the driver's link; treeAggregate of depth d = 2
                                                            sends ceil(n^(1/d)) partial sums to each combiner and
                                                            then to the driver
  efficiency   = f * step / round(n, f)                     compute share of a replica's time
  f for <=10% overhead: smallest f with avg <= 0.1 * round, i.e. f >= 9 * avg / step
a (fixed seconds per round: Spark job + task scheduling) and the loopback bandwidth come from
deploy/it/averaging-bench.sh; the projection uses NETWORK_BYTES_PER_SECOND (default 10 GbE = 1.25e9) for the links.
"""
import math
import sys

a = float(sys.argv[1])
loopback = float(sys.argv[2])
bw = float(sys.argv[3]) if len(sys.argv) > 3 else 1.25e9
DEPTH = 2

# name, parameters, optimizer state per parameter (Nesterov), batch per replica, step seconds, where the step is from
MODELS = [
    ("LeNet, CPU (one replica per core)", 431_080, 1, 32, 0.077, "measured here: 415 images/s per replica (quick start)"),
    ("LeNet, GPU executor", 431_080, 1, 128, 0.004, "assumed: ~32k images/s, DL4J per-step overhead bound"),
    ("ResNet-50, CPU executor (one replica on 16 cores)", 25_557_032, 1, 32, 32 / 4.6, "scaled from ResNet-18 1.3 images/s on 2 cores here x 16/2 cores x 1.8/4.1 GFLOPs"),
    ("ResNet-50, GPU executor (V100)", 25_557_032, 1, 64, 64 / 390, "NVIDIA's published V100 FP32 training rate, ~390 images/s"),
    ("ResNet-50, GPU executor (A100)", 25_557_032, 1, 128, 128 / 900, "NVIDIA's published A100 TF32 training rate, ~900 images/s"),
]


def avg(n, params, state, link):
    size = 4 * params * (1 + state)
    return a + size / link * (1 + 2 * math.ceil(n ** (1 / DEPTH)))


print(f"fixed cost per round a = {a:.3f} s; loopback {loopback / 1e6:.0f} MB/s (here); links {bw / 1e9:.2f} GB/s (projected)")
print()
print("| model | step (s) | averaging at 8 / 32 / 128 executors (s) | efficiency at f=5: 8 / 32 / 128 | f for <=10% overhead: 8 / 32 / 128 |")
print("|---|---|---|---|---|")
for name, params, state, batch, step, source in MODELS:
    costs = [avg(n, params, state, bw) for n in (8, 32, 128)]
    eff = [5 * step / (5 * step + c) for c in costs]
    need = [max(1, math.ceil(9 * c / step)) for c in costs]
    print(f"| {name} | {step:.3f} | {' / '.join(f'{c:.2f}' for c in costs)} | "
          f"{' / '.join(f'{e:.0%}' for e in eff)} | {' / '.join(str(x) for x in need)} |")
print()
for name, params, state, batch, step, source in MODELS:
    print(f"- {name}: {params:,} parameters, batch {batch} per replica, step {step:.3f} s ({source})")
