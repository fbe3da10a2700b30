"""Reference values for ConvLSTM1D/ConvLSTM2D, computed with PyTorch (float64) following Keras 3's
ConvLSTMCell: kernel [*kernel_size, channels, 4*filters], recurrent kernel
[*kernel_size, filters, 4*filters], gates i, f, c, o on the last axis; the input convolution uses
the layer's strides/padding, the recurrent one stride 1 and 'same' padding; channels_last.
Masked steps keep the states (Keras's rnn). Run: /usr/bin/python3 conv_lstm_reference.py > conv_lstm.json
"""
import json

import torch
import torch.nn.functional as F

DT = torch.float64


def flat(t):
    return [float(f"{float(v):.9g}") for v in t.detach().reshape(-1)]


def same_pad(n, k, s):
    """TensorFlow's 'same' padding of one axis: (before, after), the extra one after."""
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def conv(x, w, rank, stride, padding):
    # x channels_last -> channels_first; w [*k, in, out] -> [out, in, *k]
    if rank == 2:
        xc = x.permute(0, 3, 1, 2)
        wc = w.permute(3, 2, 0, 1)
        if padding == "same":
            (t, b_), (l, r) = same_pad(xc.shape[2], w.shape[0], stride), same_pad(xc.shape[3], w.shape[1], stride)
            xc = F.pad(xc, (l, r, t, b_))
        return F.conv2d(xc, wc, stride=stride).permute(0, 2, 3, 1)
    xc = x.permute(0, 2, 1)
    wc = w.permute(2, 1, 0)
    if padding == "same":
        l, r = same_pad(xc.shape[2], w.shape[0], stride)
        xc = F.pad(xc, (l, r))
    return F.conv1d(xc, wc, stride=stride).permute(0, 2, 1)


def run(rank, x, k, rk, b, filters, padding, stride, mask=None, back=False):
    B, T = x.shape[0], x.shape[1]
    h = None
    outs = []
    prev = None
    for s in range(T):
        t = T - 1 - s if back else s
        xc = conv(x[:, t], k, rank, stride, padding) + b
        if h is None:
            h = torch.zeros(xc.shape[:-1] + (filters,), dtype=DT)
            c = torch.zeros_like(h)
            prev = torch.zeros_like(h)
        z = xc + conv(h, rk, rank, 1, "same")
        i, f, cc, o = torch.split(z, filters, dim=-1)
        c2 = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(cc)
        h2 = torch.sigmoid(o) * torch.tanh(c2)
        out = h2
        if mask is not None:
            m = mask[:, t].reshape([B] + [1] * (h.dim() - 1))
            out = m * h2 + (1 - m) * prev
            h2 = m * h2 + (1 - m) * h
            c2 = m * c2 + (1 - m) * c
        h, c, prev = h2, c2, out
        outs.append(out)
    return torch.stack(outs, 1), h, c


g = torch.Generator().manual_seed(3)
out = {"cases": []}
for rank, spatial, padding, stride, masked, back in [
    (2, (5, 5), "same", 1, False, False),
    (2, (5, 6), "valid", 1, True, True),
    (2, (6, 6), "same", 2, False, False),
    (1, (7,), "valid", 1, True, False),
    (1, (6,), "same", 1, False, True),
]:
    B, T, C, Fl, K = 2, 3, 2, 3, 3
    x = (torch.rand((B, T) + spatial + (C,), generator=g, dtype=DT) * 2 - 1).requires_grad_(True)
    k = (torch.rand((K,) * rank + (C, 4 * Fl), generator=g, dtype=DT) * 0.8 - 0.4).requires_grad_(True)
    rk = (torch.rand((K,) * rank + (Fl, 4 * Fl), generator=g, dtype=DT) * 0.8 - 0.4).requires_grad_(True)
    b = (torch.rand(4 * Fl, generator=g, dtype=DT) * 0.4 - 0.2).requires_grad_(True)
    mask = torch.tensor([[1, 0, 1], [1, 1, 0]], dtype=DT) if masked else None
    seq, h, c = run(rank, x, k, rk, b, Fl, padding, stride, mask, back)
    probe = torch.randn(seq.shape, generator=g, dtype=DT)
    j = (seq * probe).sum() + h.sum() + 0.5 * c.sum()
    gx, gk, grk, gb = torch.autograd.grad(j, [x, k, rk, b])
    out["cases"].append({
        "rank": rank, "spatial": list(spatial), "padding": padding, "strides": stride, "masked": masked, "goBackwards": back,
        "B": B, "T": T, "C": C, "filters": Fl, "kernel": K,
        "x": flat(x), "kernel_w": flat(k), "recurrent_w": flat(rk), "bias": flat(b), "probe": flat(probe),
        "sequence": flat(seq), "sequence_shape": list(seq.shape), "h": flat(h), "c": flat(c),
        "grads": {"x": flat(gx), "kernel": flat(gk), "recurrent_kernel": flat(grk), "bias": flat(gb)},
    })
print(json.dumps(out))
