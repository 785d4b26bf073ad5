#!/usr/bin/env python3
"""Fits the allreduce trainer's sync cost to bin/sparkprop bench-allreduce's output and projects its scaling
efficiency to 8, 32 and 128 replicas (BENCHMARKS.md, "The allreduce trainer"), next to parameter averaging's.

usage: bin/sparkprop bench-allreduce > sync.txt; deploy/it/allreduce-model.py sync.txt [LINK_GBPS]

Cost model (p replicas, P parameters, u optimizer state values per parameter, H local steps per round):
  bytes(P)     = 4 * P * (1 + u) + 24                    parameters, optimizer state and the control vector
  sync(p, P)   = 2 (p - 1) * m + 2 (p - 1) / p * bytes(P) / min(B, link)
                 a ring allreduce: 2 (p - 1) messages of one chunk each way, and each rank sends and receives
                 2 (p - 1) / p of the vector; m is the fixed cost of one message and B the rate at which one rank
                 moves and adds bytes, both fitted on the measured 2-rank syncs (t = 2 m + bytes / B); link is the
                 network's rate per host (default 10 GbE, 1.1 GB/s), the ring's own rate B caps it
  round(p, H)  = H * step + sync(p, P) + stage(P) * (H * step + sync) / S
                 a stage (one Spark job, the network broadcast to the replicas and returned by rank 0) every
                 S = spark.allreduce.stage-seconds; stage(P) = a + 2 * 4P(1+u) / r with DL4J averaging's measured
                 job cost a = 0.375 s and serialization rate r = 144 MB/s
  efficiency   = H * step / round(p, H)
"""
import math
import sys

rows = []  # (bytes, seconds)
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 4 and p[0].isdigit():
        rows.append((int(p[0]) * 4, float(p[2]) / 1000))
if len(rows) < 2:
    sys.exit("no bench-allreduce rows in " + sys.argv[1])
link = float(sys.argv[2]) * 1e9 / 8 * 0.88 if len(sys.argv) > 2 else 1.1e9
N = len(rows)
sx, sy = sum(b for b, _ in rows), sum(t for _, t in rows)
sxx, sxy = sum(b * b for b, _ in rows), sum(b * t for b, t in rows)
slope = (N * sxy - sx * sy) / (N * sxx - sx * sx)
fixed = (sy - slope * sx) / N
m = max(fixed, 1e-5) / 2
B = 1 / slope
rate = min(B, link)
print(f"fit over {N} measured 2-rank syncs: m = {m * 1e3:.2f} ms per message, B = {B / 1e9:.2f} GB/s;"
      f" projected on a {rate / 1e9:.2f} GB/s path per host")
print("| floats | measured ms | model ms |")
print("|---|---|---|")
for b, t in rows:
    print(f"| {b // 4:,} | {t * 1e3:.2f} | {(2 * m + b / B) * 1e3:.2f} |")
print()

A_JOB, R_SER, S = 0.375, 144e6, 30.0
# name, parameters, optimizer state per parameter, step seconds (the same models as scaling-model.py)
models = [
    ("LeNet, CPU (one replica per core)", 431_080, 1, 0.077),
    ("ResNet-50, CPU executor (one replica, 16 cores)", 25_557_032, 1, 6.957),
    ("ResNet-50, GPU executor (V100)", 25_557_032, 1, 0.164),
    ("ResNet-50, GPU executor (A100)", 25_557_032, 1, 0.142),
]


def round_seconds(p, P, u, step, H, stage_seconds=S):
    size = 4 * P * (1 + u) + 24
    sync = 2 * (p - 1) * m + 2 * (p - 1) / p * size / rate
    stage = A_JOB + 2 * 4 * P * (1 + u) / R_SER
    work = H * step + sync
    return work + stage * work / stage_seconds


def averaging_seconds(n, P, u, step, H):  # scaling-model.py's fit, for the side-by-side column
    return H * step + 0.375 + 4 * P * (1 + u) / 144e6 * (1 + math.ceil(math.sqrt(n)))


print("| model | step (s) | allreduce: sync s at 8 / 32 / 128 | efficiency, H = 5, allreduce | the same, DL4J averaging"
      " | H for >= 80% at 32, allreduce |")
print("|---|---|---|---|---|---|")
for name, P, u, step in models:
    syncs = []
    effs = []
    avg = []
    for p in (8, 32, 128):
        size = 4 * P * (1 + u) + 24
        syncs.append(2 * (p - 1) * m + 2 * (p - 1) / p * size / rate)
        effs.append(5 * step / round_seconds(p, P, u, step, 5))
        avg.append(5 * step / averaging_seconds(p, P, u, step, 5))
    need = next((H for H in range(1, 10_000) if H * step / round_seconds(32, P, u, step, H) >= 0.8), None)
    print(f"| {name} | {step:.3f} | {' / '.join(f'{s:.3f}' for s in syncs)} | "
          f"{' / '.join(f'{e:.0%}' for e in effs)} | {' / '.join(f'{e:.0%}' for e in avg)} | {need} |")
