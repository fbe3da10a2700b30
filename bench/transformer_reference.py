"""PyTorch timing of the bench's transformer case (bench/src/transformer.ts): the same encoder
(2 blocks of multi-head self-attention with Keras's projections and biases + residual, a
64-128-64 feed-forward + residual, no layer normalization), flatten, a sigmoid output, SGD 0.01
on binary cross-entropy, on the same kind of data. Prints one JSON line."""
import argparse
import json
import os
import statistics
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--samples", type=int, default=2048)
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--batch-size", type=int, default=32)
p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)
SEQ, D, H, FF = 64, 64, 4, 128


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.att = torch.nn.MultiheadAttention(D, H, batch_first=True)
        self.f1, self.f2 = torch.nn.Linear(D, FF), torch.nn.Linear(FF, D)

    def forward(self, x):
        x = x + self.att(x, x, x, need_weights=False)[0]
        return x + self.f2(torch.relu(self.f1(x)))


model = torch.nn.Sequential(Block(), Block(), torch.nn.Flatten(), torch.nn.Linear(SEQ * D, 1))
x = torch.randn(a.samples, SEQ, D)
y = (x[:, :, 0].sum(1) > 0).float()[:, None]
opt = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = torch.nn.BCEWithLogitsLoss()
times, last = [], float("nan")
for epoch in range(a.epochs + 1):
    t0 = time.perf_counter()
    total = 0.0
    for s in range(0, a.samples, a.batch_size):
        xb, yb = x[s:s + a.batch_size], y[s:s + a.batch_size]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        total += float(loss) * xb.shape[0]
    last = total / a.samples
    if epoch > 0:
        times.append(time.perf_counter() - t0)
print(json.dumps({"torch_s": statistics.median(times), "epochs_s": times, "loss": last, "torch": torch.__version__, "threads": a.threads}))
