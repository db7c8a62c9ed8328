"""bench/lab_torch.py: PyTorch (CPU) on a convlab preset's layer list, for bench/lab.ts.

   python3 bench/lab_torch.py '{"inputShape": [1,28,28], "layers": [...], "batch": 32, "inferBatch": 256,
                                "warmup": 3, "timed": 40, "threads": 2}'
Prints one JSON line: {"train": samples/s, "infer": samples/s}. Random data of the preset's shape; SGD lr 0.01
momentum 0.9; softmax fused into the cross-entropy, as in convlab's trainer.
"""
import json
import sys
import time

import torch
from torch import nn


def build(input_shape, layers):
    modules, (c, h, w) = [], input_shape
    size = None
    for layer in layers:
        kind = layer["type"]
        if kind == "conv":
            k = layer["kernelSize"]
            same = layer.get("padding") == "same"
            modules.append(nn.Conv2d(c, layer["filters"], k, padding="same" if same else 0))
            c = layer["filters"]
            if not same:
                h, w = h - k + 1, w - k + 1
        elif kind == "relu":
            modules.append(nn.ReLU())
        elif kind == "maxPool":
            modules.append(nn.MaxPool2d(layer["size"]))
            h, w = h // layer["size"], w // layer["size"]
        elif kind == "dropout":
            modules.append(nn.Dropout(layer["rate"]))
        elif kind == "flatten":
            modules.append(nn.Flatten())
            size = c * h * w
        elif kind == "dense":
            modules.append(nn.Linear(size, layer["units"]))
            size = layer["units"]
        elif kind == "softmax":
            pass  # fused into nn.CrossEntropyLoss
        else:
            raise ValueError(f"lab_torch.py: layer type {kind} is not in this bench")
    return nn.Sequential(*modules)


def main():
    spec = json.loads(sys.argv[1])
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(1)
    model = build(spec["inputShape"], spec["layers"])
    batch, timed, warmup = spec["batch"], spec["timed"], spec["warmup"]
    x = torch.rand(warmup + timed, batch, *spec["inputShape"])
    y = torch.randint(0, 10, (warmup + timed, batch))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    for b in range(warmup + timed):
        if b == warmup:
            started = time.perf_counter()
        optimizer.zero_grad()
        loss = loss_fn(model(x[b]), y[b])
        loss.backward()
        optimizer.step()
    train = timed * batch / (time.perf_counter() - started)
    model.eval()
    xi = torch.rand(spec["inferBatch"], *spec["inputShape"])
    with torch.no_grad():
        model(xi)
        best = float("inf")
        for _ in range(3):  # the fastest of 3 calls, as bench/lab.ts does for convlab and TF.js
            started = time.perf_counter()
            model(xi)
            best = min(best, time.perf_counter() - started)
        infer = spec["inferBatch"] / best
    print(json.dumps({"train": train, "infer": infer}))


if __name__ == "__main__":
    main()
