"""PyTorch reference timings for the neurona bench (same cases, same shapes, same optimizer).

Run by the bench as `/usr/bin/python3 bench/torch_reference.py --json ...`; prints one JSON line.
Installs nothing: without torch it prints {"available": false, "reason": ...} and exits 0.
"""
import argparse
import json
import os
import statistics
import sys
import time

# Both BLAS and OpenMP spin-wait by default; on 2 cores that halves torch's speed (measured).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def lstm_case(torch, dev, n, bs, epochs):
    """Embedding(1000, 64) → LSTM(128) → Linear(1), sequences of 50, BCE on logits, SGD 0.1."""
    torch.manual_seed(11)
    x = torch.randint(1, 1000, (n, 50), device=dev)
    y = ((x < 100).sum(1, keepdim=True) >= 5).float()

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(1000, 64)
            self.lstm = torch.nn.LSTM(64, 128, batch_first=True)
            self.out = torch.nn.Linear(128, 1)

        def forward(self, ids):
            h, _ = self.lstm(self.emb(ids))
            return self.out(h[:, -1])

    model = Net().to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.BCEWithLogitsLoss()  # sigmoid + binary cross-entropy, fused
    times = []
    last_loss = float("nan")
    for epoch in range(epochs + 1):
        t0 = time.perf_counter()
        total = torch.zeros((), device=dev)
        for s in range(0, n, bs):
            xb, yb = x[s:s + bs], y[s:s + bs]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.detach() * xb.shape[0]
        last_loss = float(total) / n
        dt = time.perf_counter() - t0
        if epoch > 0:
            times.append(dt)
    t0 = time.perf_counter()
    with torch.no_grad():
        m = min(n, 1024)
        float(torch.sigmoid(model(x[:m])).sum())
    predict_sps = m / (time.perf_counter() - t0)
    return {"case": "lstm", "batchSize": bs, "torch_s": statistics.median(times), "epochs_s": times, "loss": last_loss, "predict_samples_per_s": predict_sps}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--cases", default="perceptron,mlp,lstm,cnn")
    p.add_argument("--batch-sizes", default="32,128")
    p.add_argument("--samples", type=int, default=60000)
    p.add_argument("--epochs", type=int, default=3, help="timed epochs (after one warm-up)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu", help="cpu, or cuda for a GPU comparison")
    p.add_argument("--seq-samples", type=int, default=3200, help="sequences of the lstm case")
    p.add_argument("--seq-batch-sizes", default=None, help="batch sizes of the lstm case (default: --batch-sizes)")
    args = p.parse_args()
    try:
        import torch
    except Exception as e:  # noqa: BLE001 - any import failure means "not available"
        print(json.dumps({"available": False, "reason": f"import torch failed: {e}"}))
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(1234)
    n = args.samples
    dev = torch.device(args.device)
    x = torch.rand(n, 784, device=dev)
    y = torch.randint(0, 10, (n,), device=dev)
    results = []
    for case in args.cases.split(","):
        if case == "lstm":
            sizes = args.seq_batch_sizes or args.batch_sizes
            for bs in (int(b) for b in sizes.split(",")):
                results.append(lstm_case(torch, dev, args.seq_samples, bs, args.epochs))
            continue
        for bs in (int(b) for b in args.batch_sizes.split(",")):
            torch.manual_seed(7)
            if case == "perceptron":
                model = torch.nn.Sequential(torch.nn.Linear(784, 10))
            elif case == "cnn":
                # Keras's "Simple MNIST convnet", trained with Adam as there
                model = torch.nn.Sequential(
                    torch.nn.Unflatten(1, (1, 28, 28)),
                    torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                    torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                    torch.nn.Flatten(), torch.nn.Dropout(0.5), torch.nn.Linear(1600, 10))
            else:
                hidden = 256 if case == "mlp_adam" else 128
                model = torch.nn.Sequential(torch.nn.Linear(784, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))
            model = model.to(dev)
            # mlp_adam: the realistic run (Adam with Keras's epsilon, shuffled each epoch);
            # the cnn: Adam as Keras's example
            shuffle = case == "mlp_adam"
            if case in ("mlp_adam", "cnn"):
                opt = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
            else:
                opt = torch.optim.SGD(model.parameters(), lr=0.01)
            loss_fn = torch.nn.CrossEntropyLoss()  # softmax + categorical cross-entropy, fused
            times = []
            last_loss = float("nan")
            for epoch in range(args.epochs + 1):
                t0 = time.perf_counter()
                total = torch.zeros((), device=dev)
                order = torch.randperm(n, device=dev) if shuffle else None
                for s in range(0, n, bs):
                    if order is None:
                        xb, yb = x[s:s + bs], y[s:s + bs]
                    else:
                        idx = order[s:s + bs]
                        xb, yb = x[idx], y[idx]
                    opt.zero_grad(set_to_none=True)
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    opt.step()
                    total += loss.detach() * xb.shape[0]
                last_loss = float(total) / n  # reading it waits for the device
                dt = time.perf_counter() - t0
                if epoch > 0:
                    times.append(dt)
            model.eval()
            n_pred = min(n, 4096) if case == "cnn" else n
            t0 = time.perf_counter()
            with torch.no_grad():
                for s in range(0, n_pred, 1024):
                    out = model(x[s:s + 1024])
                float(out.sum())
            predict_sps = n_pred / (time.perf_counter() - t0)
            results.append({"case": case, "batchSize": bs, "torch_s": statistics.median(times),
                            "epochs_s": times, "loss": last_loss, "predict_samples_per_s": predict_sps})
    print(json.dumps({"available": True, "torch": torch.__version__, "threads": args.threads, "device": args.device, "results": results}))


if __name__ == "__main__":
    sys.exit(main())
