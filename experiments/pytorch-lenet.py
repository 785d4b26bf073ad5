#!/usr/bin/python3
"""The peer a user would pick, on the same recipe as sparkprop's LeNet (issue 14's time to 99%, issue 16's peer):
PyTorch CPU (Debian's python3-torch), LeNet as the catalogue's (conv 20 5x5, maxpool 2, conv 50 5x5, maxpool 2,
dense 500, dense 10 softmax: 431,080 parameters), MNIST from sparkprop's cache scaled to [0, 1], batch 64, SGD with
Nesterov momentum 0.9, L2 5e-4 on the weights only (DL4J's l2 spares the biases), a cosine learning rate from LR
stepped per epoch (DL4J's schedule-unit = epoch), He initialization. Prints one line per epoch: images/s of
training, test accuracy, elapsed seconds (training and evaluation, as sparkprop's epoch lines).

usage: /usr/bin/python3 experiments/pytorch-lenet.py [--epochs 4] [--lr 0.02] [--threads 2] [--mnist DIR]
"""
import argparse
import gzip
import math
import os
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        data = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8)
    return data.reshape(dims)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.fc1 = nn.Linear(800, 500)
        self.fc2 = nn.Linear(500, 10)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--lr", type=float, default=0.02)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--mnist", default=os.path.expanduser("~/.cache/sparkprop/mnist"))
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xs = idx(os.path.join(a.mnist, "train-images-idx3-ubyte")).float().div_(255).unsqueeze(1)
    ys = idx(os.path.join(a.mnist, "train-labels-idx1-ubyte")).long()
    xt = idx(os.path.join(a.mnist, "t10k-images-idx3-ubyte")).float().div_(255).unsqueeze(1)
    yt = idx(os.path.join(a.mnist, "t10k-labels-idx1-ubyte")).long()
    net = LeNet()
    decay = [p for n, p in net.named_parameters() if n.endswith("weight")]
    plain = [p for n, p in net.named_parameters() if n.endswith("bias")]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": plain, "weight_decay": 0}],
                          lr=a.lr, momentum=0.9, nesterov=True)
    print(f"pytorch {torch.__version__} LeNet ({sum(p.numel() for p in net.parameters()):,} params), batch {a.batch},"
          f" nesterov, cosine from {a.lr} over {a.epochs} epochs, {torch.get_num_threads()} threads")
    start = time.time()
    for epoch in range(a.epochs):
        for g in opt.param_groups:
            g["lr"] = a.lr * (1 + math.cos(math.pi * epoch / a.epochs)) / 2
        g = torch.Generator().manual_seed(a.seed + epoch)
        order = torch.randperm(len(xs), generator=g)
        net.train()
        t0 = time.time()
        for i in range(0, len(xs), a.batch):
            b = order[i:i + a.batch]
            opt.zero_grad()
            F.cross_entropy(net(xs[b]), ys[b]).backward()
            opt.step()
        train_s = time.time() - t0
        net.eval()
        with torch.no_grad():
            correct = sum((net(xt[i:i + 1000]).argmax(1) == yt[i:i + 1000]).sum().item()
                          for i in range(0, len(xt), 1000))
        print(f"epoch {epoch + 1}/{a.epochs}  test accuracy {100 * correct / len(xt):.2f}%  "
              f"{len(xs) / train_s:.0f} images/s  elapsed {time.time() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
