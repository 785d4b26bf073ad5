#!/usr/bin/env python3
"""Fits the averaging-round cost model to deploy/it/averaging-bench.sh's measurements and projects the scaling
efficiency of parameter averaging to 8, 32 and 128 executors (BENCHMARKS.md, "Scaling on paper").

usage: deploy/it/scaling-model.py WORK_DIR/bench-1.txt WORK_DIR/bench-2.txt

Cost model (n training replicas, P parameters, u optimizer state values per parameter, f local steps per round):
  copy(P)      = 4 * P * (1 + u) bytes                  parameters (+ optimizer state) of one replica
  avg(n, P)    = a + copy(P) / r * (1 + ceil(n ** 1/2))  one copy leaves the driver by torrent broadcast; the
                                                        workers' results meet in Spark's treeAggregate of depth 2
                                                        (DL4J's default), so ceil(sqrt(n)) partial sums reach the
                                                        driver; a is the fixed cost of a Spark job (scheduling, task
                                                        launch, closure shipping), r the effective rate of moving
                                                        and (de)serializing one copy on the critical path
  round(n, f)  = f * step + avg(n, P)
  efficiency   = f * step / round(n, f)
  overhead <= 10%  <=>  f >= 9 * avg(n, P) / step
a and r are fitted by least squares to the measured rounds (1 and 2 executors, 0.4M/5M/25M parameters, with and
without optimizer state). r here is serialization-bound (well below a 10 GbE link's 1.25 GB/s), so it is kept for
the projection; a faster network does not raise it.
"""
import math
import re
import sys

rows = []  # (replicas, bytes per copy, seconds)
for path in sys.argv[1:]:
    n = None
    for line in open(path):
        m = re.search(r", (\d+) workers,", line)
        if m:
            n = int(m.group(1))
        p = line.split()
        if n and p and re.fullmatch(r"[\d,]+", p[0]) and p[1] in ("yes", "no"):
            params = int(p[0].replace(",", ""))
            rows.append((n, 4 * params * (2 if p[1] == "yes" else 1), float(p[3])))
if not rows:
    sys.exit("no measurements found in " + " ".join(sys.argv[1:]))


def k(n):
    return 1 + math.ceil(math.sqrt(n))


xs = [s * k(n) for n, s, _ in rows]
ys = [t for _, _, t in rows]
N = len(xs)
sx, sy = sum(xs), sum(ys)
sxx, sxy = sum(x * x for x in xs), sum(x * y for x, y in zip(xs, ys))
b = (N * sxy - sx * sy) / (N * sxx - sx * sx)
a = (sy - b * sx) / N
r = 1 / b
print(f"fit over {N} measured rounds: a = {a:.3f} s, r = {r / 1e6:.0f} MB/s")
print("| replicas | MB per copy | measured s | model s |")
print("|---|---|---|---|")
for (n, s, t), x in zip(rows, xs):
    print(f"| {n} | {s / 1e6:.1f} | {t:.3f} | {a + b * x:.3f} |")
print()

# name, parameters, optimizer state per parameter (Nesterov: 1), batch per replica, step seconds, source of the step
MODELS = [
    ("LeNet, CPU (one replica per core)", 431_080, 1, 32, 32 / 415,
     "measured here: 415 images/s per replica (quick start, 2 replicas)"),
    ("LeNet, GPU executor", 431_080, 1, 128, 0.004,
     "assumed: ~32k images/s, bound by DL4J's per-step overhead, not the GPU"),
    ("ResNet-50, CPU executor (one replica, 16 cores)", 25_557_032, 1, 32, 32 / 4.6,
     "scaled: ResNet-18 trains 1.3 images/s on 2 cores here, x 8 for 16 cores, x 1.8/4.1 GFLOPs"),
    ("ResNet-50, GPU executor (V100)", 25_557_032, 1, 64, 64 / 390,
     "published: NVIDIA's V100 FP32 ResNet-50 training throughput, ~390 images/s"),
    ("ResNet-50, GPU executor (A100)", 25_557_032, 1, 128, 128 / 900,
     "published: NVIDIA's A100 TF32 ResNet-50 training throughput, ~900 images/s"),
]


def avg(n, params, state):
    return a + 4 * params * (1 + state) / r * k(n)


print("| model | step (s) | averaging s at 8 / 32 / 128 replicas | efficiency, averaging every 5 steps | "
      "steps per round for <=10% overhead |")
print("|---|---|---|---|---|")
for name, params, state, batch, step, _ in MODELS:
    costs = [avg(n, params, state) for n in (8, 32, 128)]
    eff = [5 * step / (5 * step + c) for c in costs]
    need = [max(1, math.ceil(9 * c / step)) for c in costs]
    print(f"| {name} | {step:.3f} | {' / '.join(f'{c:.2f}' for c in costs)} | "
          f"{' / '.join(f'{e:.0%}' for e in eff)} | {' / '.join(str(x) for x in need)} |")
print()
for name, params, state, batch, step, source in MODELS:
    print(f"- {name}: {params:,} parameters, batch {batch} per replica, step {step:.3f} s ({source})")
