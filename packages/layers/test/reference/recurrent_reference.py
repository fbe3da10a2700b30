"""Reference values for neurona's recurrent layers, computed with PyTorch (float64) following
Keras 3's maths and weight layouts:

- LSTM: kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u], gates i, f, c, o;
  c = f*c + i*tanh(z_c), h = o*tanh(c), sigmoid gates.
- GRU (reset_after=True): kernel [in, 3u], recurrent_kernel [u, 3u], bias [2, 3u] (input, recurrent),
  gates z, r, h; hh = tanh(x_h + r*(h U_h + b_rh)), h = z*h + (1-z)*hh.
- SimpleRNN: h = tanh(x W + b + h U).
- Masks (keras.src.backend.tensorflow.rnn): a masked step keeps the states; its output is the
  previous output (zeros before the first real step), or zero with zero_output_for_mask.
- go_backwards: steps are read last to first and the output sequence stays in that order.
- Bidirectional: the backward layer has go_backwards and zero_output_for_mask = return_sequences;
  its sequence is flipped back before the merge (concat, sum, mul, ave, None).

The unmasked forward values are also checked against torch.nn.LSTM / nn.GRU / nn.RNN with the
weights mapped (torch's gate orders i,f,g,o and r,z,n). Gradients are torch's autograd.
Run: /usr/bin/python3 recurrent_reference.py > recurrent.json
"""
import json

import torch

torch.manual_seed(0)
DT = torch.float64
B, T, F, U = 2, 4, 3, 3
GATES = {"lstm": 4, "gru": 3, "simple": 1}
MASK = [[1, 1, 0, 1], [0, 1, 1, 0]]


def weights(cell, seed):
    g = torch.Generator().manual_seed(seed)
    u = lambda *s: (torch.rand(*s, generator=g, dtype=DT) * 1.2 - 0.6)
    n = GATES[cell] * U
    w = {"kernel": u(F, n), "recurrent_kernel": u(U, n)}
    w["bias"] = u(2, n) if cell == "gru" else u(n)
    return w


def step(cell, w, x, states):
    if cell == "lstm":
        h, c = states
        z = x @ w["kernel"] + h @ w["recurrent_kernel"] + w["bias"]
        i, f, cc, o = torch.split(z, U, dim=1)
        c2 = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(cc)
        h2 = torch.sigmoid(o) * torch.tanh(c2)
        return h2, [h2, c2]
    if cell == "gru":
        h = states[0]
        xw = x @ w["kernel"] + w["bias"][0]
        hu = h @ w["recurrent_kernel"] + w["bias"][1]
        xz, xr, xh = torch.split(xw, U, dim=1)
        uz, ur, uh = torch.split(hu, U, dim=1)
        z = torch.sigmoid(xz + uz)
        r = torch.sigmoid(xr + ur)
        hh = torch.tanh(xh + r * uh)
        h2 = z * h + (1 - z) * hh
        return h2, [h2]
    h = states[0]
    h2 = torch.tanh(x @ w["kernel"] + w["bias"] + h @ w["recurrent_kernel"])
    return h2, [h2]


def run(cell, w, x, mask=None, go_backwards=False, zero_output=False, initial=None):
    n_states = 2 if cell == "lstm" else 1
    states = initial if initial is not None else [torch.zeros(B, U, dtype=DT) for _ in range(n_states)]
    prev = torch.zeros(B, U, dtype=DT)
    outs = []
    for s in range(T):
        t = T - 1 - s if go_backwards else s
        out, new = step(cell, w, x[:, t], states)
        if mask is not None:
            m = mask[:, t : t + 1]
            out = out * m if zero_output else m * out + (1 - m) * prev
            new = [m * a + (1 - m) * b for a, b in zip(new, states)]
        states = new
        prev = out
        outs.append(out)
    return torch.stack(outs, 1), prev, states


def torch_check(cell, w, x):
    """The unmasked forward of torch's own modules, with Keras's weights mapped in."""
    k, rk = w["kernel"].T, w["recurrent_kernel"].T
    if cell == "lstm":
        m = torch.nn.LSTM(F, U, batch_first=True).double()
        m.weight_ih_l0.data, m.weight_hh_l0.data = k.clone(), rk.clone()
        m.bias_ih_l0.data, m.bias_hh_l0.data = w["bias"].clone(), torch.zeros(4 * U, dtype=DT)
    elif cell == "gru":
        order = lambda a: torch.cat([a[U : 2 * U], a[:U], a[2 * U :]])  # z, r, h -> r, z, n
        m = torch.nn.GRU(F, U, batch_first=True).double()
        m.weight_ih_l0.data, m.weight_hh_l0.data = order(k), order(rk)
        m.bias_ih_l0.data, m.bias_hh_l0.data = order(w["bias"][0]), order(w["bias"][1])
    else:
        m = torch.nn.RNN(F, U, batch_first=True).double()
        m.weight_ih_l0.data, m.weight_hh_l0.data = k.clone(), rk.clone()
        m.bias_ih_l0.data, m.bias_hh_l0.data = w["bias"].clone(), torch.zeros(U, dtype=DT)
    with torch.no_grad():
        return m(x)[0]


def flat(t):
    return [float(f"{float(v):.9g}") for v in t.detach().reshape(-1)]


g = torch.Generator().manual_seed(1)
X = torch.rand(B, T, F, generator=g, dtype=DT) * 2 - 1
P = torch.randn(B, T, U, generator=g, dtype=DT)  # probe of the output sequence
Q = torch.randn(B, U, generator=g, dtype=DT)  # probe of the last output
R = torch.randn(B, U, generator=g, dtype=DT)  # probe of the final h
S = torch.randn(B, U, generator=g, dtype=DT)  # probe of the final c (LSTM)
H0 = torch.rand(B, U, generator=g, dtype=DT) - 0.5
C0 = torch.rand(B, U, generator=g, dtype=DT) - 0.5
M = torch.tensor(MASK, dtype=DT)

out = {"B": B, "T": T, "F": F, "U": U, "x": flat(X), "mask": MASK, "probe_seq": flat(P), "probe_last": flat(Q), "probe_h": flat(R), "probe_c": flat(S),
       "h0": flat(H0), "c0": flat(C0), "layers": {}, "bidirectional": {}}

for seed, cell in enumerate(["lstm", "gru", "simple"]):
    w = weights(cell, 10 + seed)
    seq_plain, _, _ = run(cell, w, X)
    diff = float((seq_plain - torch_check(cell, w, X)).abs().max())
    assert diff < 1e-12, (cell, diff)
    entry = {"weights": {k: flat(v) for k, v in w.items()}, "torch_max_diff": diff, "cases": []}
    for masked in (False, True):
        for back in (False, True):
            for init in ((False, True) if cell == "lstm" and not back else (False,)):
                wv = {k: v.clone().requires_grad_(True) for k, v in w.items()}
                x = X.clone().requires_grad_(True)
                h0 = H0.clone().requires_grad_(True)
                c0 = C0.clone().requires_grad_(True)
                initial = ([h0, c0] if cell == "lstm" else [h0]) if init else None
                seq, last, states = run(cell, wv, x, M if masked else None, back, False, initial)
                j1 = (seq * P).sum() + (states[0] * R).sum() + ((states[1] * S).sum() if cell == "lstm" else 0)
                names = ["kernel", "recurrent_kernel", "bias"]
                g1 = torch.autograd.grad(j1, [x] + [wv[k] for k in names] + ([h0, c0] if init else []), retain_graph=True)
                j2 = (last * Q).sum()
                g2 = torch.autograd.grad(j2, [x] + [wv[k] for k in names])
                entry["cases"].append({
                    "masked": masked, "goBackwards": back, "initialState": init,
                    "sequence": flat(seq), "last": flat(last), "states": [flat(s) for s in states],
                    "grads_seq": {n: flat(v) for n, v in zip(["x"] + names + (["h0", "c0"] if init else []), g1)},
                    "grads_last": {n: flat(v) for n, v in zip(["x"] + names, g2)},
                })
    out["layers"][cell] = entry

# Bidirectional(LSTM(3)) and Bidirectional(GRU(3)): forward weights, then backward weights
for cell in ("lstm", "gru"):
    wf, wb = weights(cell, 20), weights(cell, 21)
    entry = {"forward": {k: flat(v) for k, v in wf.items()}, "backward": {k: flat(v) for k, v in wb.items()}, "cases": []}
    for rs in (True, False):
        for masked in (False, True):
            for mode in ("concat", "sum", "mul", "ave", None):
                wfv = {k: v.clone().requires_grad_(True) for k, v in wf.items()}
                wbv = {k: v.clone().requires_grad_(True) for k, v in wb.items()}
                x = X.clone().requires_grad_(True)
                m = M if masked else None
                ys, yl, _ = run(cell, wfv, x, m, False, rs)
                rs_, rl, _ = run(cell, wbv, x, m, True, rs)
                y, yr = (ys, torch.flip(rs_, [1])) if rs else (yl, rl)
                merged = {"concat": lambda: torch.cat([y, yr], -1), "sum": lambda: y + yr, "mul": lambda: y * yr,
                          "ave": lambda: (y + yr) / 2, None: lambda: torch.stack([y, yr])}[mode]()
                probe = torch.randn(merged.shape, generator=torch.Generator().manual_seed(5), dtype=DT)
                j = (merged * probe).sum()
                names = ["kernel", "recurrent_kernel", "bias"]
                grads = torch.autograd.grad(j, [x] + [wfv[k] for k in names] + [wbv[k] for k in names])
                entry["cases"].append({"returnSequences": rs, "masked": masked, "mergeMode": mode, "output": flat(merged), "probe": flat(probe),
                                       "grads": {n: flat(v) for n, v in zip(["x"] + ["f_" + k for k in names] + ["b_" + k for k in names], grads)}})
    out["bidirectional"][cell] = entry

# runLayerTest: constant initializers (kernel 0.3, recurrent kernel -0.2, bias 0.1; the LSTM's forget
# bias starts at 1 with unit_forget_bias), return_sequences, on X
out["constant"] = {}
for cell in ("lstm", "gru", "simple"):
    n = GATES[cell] * U
    w = {"kernel": torch.full((F, n), 0.3, dtype=DT), "recurrent_kernel": torch.full((U, n), -0.2, dtype=DT)}
    if cell == "lstm":
        w["bias"] = torch.cat([torch.full((U,), 0.1), torch.ones(U), torch.full((2 * U,), 0.1)]).to(DT)
    elif cell == "gru":
        w["bias"] = torch.full((2, n), 0.1, dtype=DT)
    else:
        w["bias"] = torch.full((n,), 0.1, dtype=DT)
    seq, _, _ = run(cell, w, X)
    out["constant"][cell] = flat(seq)

print(json.dumps(out))
