"""bench/torch_peer.py: PyTorch (CPU) as convlab's peer in `npm run bench` (bench/torch.ts runs it as a child process).

   python3 bench/torch_peer.py SPEC.json      (or the JSON itself as the argument)
SPEC: {"threads": 1|2, "jobs": [JOB, ...]}; prints one JSON line {job id: result}. Jobs:
  {"id", "kind": "net", "inputShape", "layers" (a convlab preset's layer list), "batch", "inferBatch", "warmup",
   "timed", "inferCalls", "inferTotal" (samples per inference call, in chunks of inferBatch)}  -> {"train": samples/s, "infer": samples/s}   (random data of the shape; SGD lr 0.01
   momentum 0.9; softmax fused into the cross-entropy, as convlab's trainer; "timed": 0 skips training)
  {"id", "kind": "conv", "x": [N,C,H,W], "w": [K,C,kh,kw], "calls"} -> {"fwd": seconds, "bwd": seconds}
   (bwd: the input and kernel gradients, as a layer needs them)
  {"id", "kind": "gemm", "n", "calls"} -> {"gflops": ...}
  {"id", "kind": "accuracy", "inputShape", "layers", "init", "recipe", "data": {train/test file prefixes},
   "target", "weights": optional file of convlab's initial weights} -> {"seconds": wall time to the target or null,
   "epochs": [...test accuracies], "epochSeconds": [...]}  (same network, initial weights, data, batch size,
   optimizer, schedule and random distortions as convlab's recipe)
The thread count is set before torch loads: torch.set_num_threads for its own kernels and OPENBLAS_NUM_THREADS /
OMP_NUM_THREADS for OpenBLAS (torch.set_num_threads does not reach the pthreads build of OpenBLAS, whose
matrix products would otherwise use every core on "1 thread").
"""
import json
import math
import os
import sys
import time

spec = json.loads(open(sys.argv[1]).read() if sys.argv[1].endswith(".json") else sys.argv[1])
threads = int(spec["threads"])
os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
os.environ["OMP_NUM_THREADS"] = str(threads)

import torch  # noqa: E402  (after the thread settings)
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(threads)


def build(input_shape, layers):
    modules, flat = [], len(input_shape) == 1
    c, h, w = input_shape if len(input_shape) == 3 else (input_shape[0], 1, 1)
    size = c * h * w
    for layer in layers:
        kind = layer["type"]
        if kind == "conv":
            k = layer["kernelSize"]
            same = layer.get("padding") == "same"
            modules.append(nn.Conv2d(c, layer["filters"], k, padding="same" if same else 0))
            c = layer["filters"]
            if not same:
                h, w = h - k + 1, w - k + 1
            size = c * h * w
        elif kind == "relu":
            modules.append(nn.ReLU())
        elif kind == "maxPool":
            modules.append(nn.MaxPool2d(layer["size"]))
            h, w = h // layer["size"], w // layer["size"]
            size = c * h * w
        elif kind == "dropout":
            modules.append(nn.Dropout(layer["rate"]))
        elif kind == "flatten":
            modules.append(nn.Flatten())
            flat = True
        elif kind == "dense":
            if not flat:  # convlab's dense reads a [C,H,W] sample flattened
                modules.append(nn.Flatten())
                flat = True
            modules.append(nn.Linear(size, layer["units"]))
            size = layer["units"]
        elif kind == "softmax":
            pass  # fused into nn.CrossEntropyLoss
        else:
            raise ValueError(f"torch_peer.py: layer type {kind} is not in this bench")
    return nn.Sequential(*modules)


def net(job):
    torch.manual_seed(1)
    model = build(job["inputShape"], job["layers"])
    batch, timed, warmup = job["batch"], job["timed"], job["warmup"]
    result = {}
    if timed > 0:
        x = torch.rand(warmup + timed, batch, *job["inputShape"])
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
        result["train"] = timed * batch / (time.perf_counter() - started)
    if job["inferBatch"] == 0:
        return result
    model.eval()
    chunk, total = job["inferBatch"], job.get("inferTotal", job["inferBatch"])
    xi = torch.rand(total, *job["inputShape"])
    run = lambda: [model(xi[s:s + chunk]) for s in range(0, total, chunk)]
    with torch.no_grad():
        run()
        best = float("inf")
        for _ in range(job.get("inferCalls", 3)):  # the fastest call, as bench/lab.ts does for convlab and TF.js
            started = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - started)
    result["infer"] = total / best
    return result


def seconds(run, calls, warmup=2):
    for _ in range(warmup):
        run()
    started = time.perf_counter()
    for _ in range(calls):
        run()
    return (time.perf_counter() - started) / calls


def conv(job):
    torch.manual_seed(3)
    x = torch.rand(*job["x"]) * 2 - 1
    w = torch.rand(*job["w"]) * 2 - 1
    fwd = seconds(lambda: F.conv2d(x, w), job["calls"])
    xg, wg = x.clone().requires_grad_(), w.clone().requires_grad_()
    y = F.conv2d(xg, wg)
    dy = torch.rand_like(y)
    bwd = seconds(lambda: torch.autograd.grad(y, (xg, wg), dy, retain_graph=True), job["calls"])
    return {"fwd": fwd, "bwd": bwd}


def gemm(job):
    n = job["n"]
    a, b = torch.rand(n, n), torch.rand(n, n)
    return {"gflops": 2 * n ** 3 / seconds(lambda: torch.mm(a, b), job["calls"]) / 1e9}


def initialise(model, init, weights_file):
    """The preset's initialiser (Glorot or He uniform, zero biases), or convlab's own initial weights."""
    params = [p for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear)) for p in (m.weight, m.bias)]
    if weights_file:
        import numpy as np
        flat = np.fromfile(weights_file, dtype=np.float32)
        at = 0
        with torch.no_grad():
            for p in params:
                p.copy_(torch.from_numpy(flat[at:at + p.numel()].copy()).view_as(p))
                at += p.numel()
        if at != flat.size:
            raise ValueError(f"torch_peer.py: {weights_file} holds {flat.size} weights, the network {at}")
        return
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            (nn.init.xavier_uniform_ if init == "glorotUniform" else lambda t: nn.init.kaiming_uniform_(t, nonlinearity="relu"))(m.weight)
            nn.init.zeros_(m.bias)


def distort(x, augment, generator):
    """convlab's random distortions (core/data/augment.ts): rotate ±r°, zoom 1±s, shift ±d px about the centre,
    bilinear, zero outside; here as one grid_sample per batch."""
    n, _, h, w = x.shape
    shift, rotate, scale = augment.get("shift", 0), augment.get("rotate", 0), augment.get("scale", 0)
    u = lambda: torch.rand(n, generator=generator) * 2 - 1
    angle, zoom = u() * rotate * math.pi / 180, 1 + u() * scale
    dy, dx = u() * shift, u() * shift
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    cy, cx = (h - 1) / 2, (w - 1) / 2
    ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32), indexing="ij")
    py, px = ys[None] - cy - dy[:, None, None], xs[None] - cx - dx[:, None, None]
    sy = cos[:, None, None] * py - sin[:, None, None] * px + cy
    sx = sin[:, None, None] * py + cos[:, None, None] * px + cx
    grid = torch.stack((sx / (w - 1) * 2 - 1, sy / (h - 1) * 2 - 1), dim=-1)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True)


def accuracy(job):
    import numpy as np
    shape = job["inputShape"]
    load = lambda prefix: (torch.from_numpy(np.fromfile(prefix + ".f32", dtype=np.float32).reshape(-1, *shape)),
                           torch.from_numpy(np.fromfile(prefix + ".i32", dtype=np.int32).astype(np.int64)))
    (xt, yt), (xv, yv) = load(job["data"]["train"]), load(job["data"]["test"])
    torch.manual_seed(1)
    model = build(shape, job["layers"])
    initialise(model, job.get("init"), job.get("weights"))
    recipe = job["recipe"]
    opt = recipe["optimizer"]
    base = opt["learningRate"]
    if opt["type"] == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=base, betas=(opt.get("beta1", 0.9), opt.get("beta2", 0.999)), eps=opt.get("epsilon", 1e-8))
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=base, momentum=opt.get("momentum", 0.9) if opt["type"] == "momentum" else 0)
    loss_fn, batch, epochs = nn.CrossEntropyLoss(), recipe["batchSize"], job.get("epochs", recipe["epochs"])
    augment = recipe.get("augment")
    generator = torch.Generator().manual_seed(1)
    accuracies, times, reached = [], [], None
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        if recipe.get("schedule") == "cosine":
            for group in optimizer.param_groups:
                group["lr"] = base * 0.5 * (1 + math.cos(math.pi * (epoch - 1) / epochs))
        model.train()
        order = torch.randperm(len(yt), generator=generator)
        for s in range(0, len(yt), batch):
            idx = order[s:s + batch]
            x = xt[idx]
            if augment:
                x = distort(x, augment, generator)
            optimizer.zero_grad()
            loss_fn(model(x), yt[idx]).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            right = sum(int((model(xv[s:s + 256]).argmax(1) == yv[s:s + 256]).sum()) for s in range(0, len(yv), 256))
        accuracies.append(right / len(yv))
        times.append(time.perf_counter() - started)
        if reached is None and accuracies[-1] >= job["target"]:
            reached = times[-1]
            if job.get("stopAtTarget", True):
                break
    return {"seconds": reached, "epochs": accuracies, "epochSeconds": times}


def main():
    out = {}
    for job in spec["jobs"]:
        out[job["id"]] = {"net": net, "conv": conv, "gemm": gemm, "accuracy": accuracy}[job["kind"]](job)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
