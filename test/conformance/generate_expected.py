#!/usr/bin/python3
"""Expected values for vectors.ts, computed in float64 with numpy and torch.

Run: /usr/bin/python3 test/conformance/generate_expected.py > test/conformance/expected.ts
Every input mirrors inputs.ts exactly (multiples of 1/8), so differences are the backends' own.
"""
import numpy as np
import torch

from vision_cases import VISION_CASES

torch.set_default_dtype(torch.float64)


def mat(r, c, s):
    return np.array([[(((i * 7 + j * 13 + s * 5) % 17) - 8) / 8 for j in range(c)] for i in range(r)], dtype=np.float64)


def vec(n, s):
    return mat(1, n, s)[0]


E, F = mat(3, 4, 9), mat(3, 4, 20)
pos = lambda t: np.abs(t) + 0.25
sigmoid = lambda t: 1 / (1 + np.exp(-t))


def softmax(t):
    e = np.exp(t - t.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(t):
    s = t - t.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def mlp_relu():
    x = torch.tensor(mat(4, 3, 15))
    y = torch.tensor([[1., 0], [0, 1], [0, 1], [1, 0]])
    p = [torch.tensor(a, requires_grad=True) for a in (mat(3, 5, 16) * 0.5, vec(5, 30) * 0.25, mat(5, 2, 18) * 0.5, vec(2, 19) * 0.25)]
    pre = x @ p[0] + p[1]
    assert pre.abs().min() > 1e-3, 'a relu input sits at its kink'
    logits = torch.relu(pre) @ p[2] + p[3]
    loss = -(y * torch.log_softmax(logits, 1)).sum(1).mean()
    loss.backward()
    return [loss.detach().numpy()] + [t.grad.numpy() for t in p]


def mlp_tanh_dense():
    x = torch.tensor(mat(5, 4, 21))
    y = torch.tensor(mat(5, 3, 22))
    p = [torch.tensor(a, requires_grad=True) for a in (mat(4, 6, 23) * 0.5, vec(6, 24), mat(6, 3, 25) * 0.5, vec(3, 26))]
    h = torch.tanh(x @ p[0] + p[1])
    out = torch.sigmoid(h @ p[2] + p[3])
    loss = ((out - y) ** 2).mean()
    loss.backward()
    return [loss.detach().numpy()] + [t.grad.numpy() for t in p]


def einsum_grads():
    a = torch.tensor(mat(16, 6, 35).reshape(2, 2, 4, 6), requires_grad=True)
    b = torch.tensor(mat(24, 6, 36).reshape(2, 6, 2, 6), requires_grad=True)
    r = torch.tensor(mat(16, 6, 37).reshape(2, 4, 2, 6))
    loss = (torch.einsum('acbe,aecd->abcd', a, b) * r).sum()
    loss.backward()
    return [loss.detach().numpy(), a.grad.numpy(), b.grad.numpy()]
def batch_norm(grads):
    x = torch.tensor(mat(12, 5, 31) * 2 + vec(5, 32), requires_grad=True)
    g = torch.tensor(vec(5, 33) + 1.25, requires_grad=True)
    b = torch.tensor(vec(5, 34), requires_grad=True)
    y = torch.nn.functional.batch_norm(x, None, None, g, b, training=True, eps=1e-3)
    if not grads:
        xv = x.detach().numpy()
        return [y.detach().numpy(), xv.mean(0), xv.var(0)]
    (y * torch.tensor(mat(12, 5, 35))).sum().backward()
    return [x.grad.numpy(), g.grad.numpy(), b.grad.numpy()]


def embedding():
    table = torch.tensor(mat(6, 4, 31), requires_grad=True)
    ids = torch.tensor([[5, 0, 5], [2, 5, 1]])
    probe = torch.tensor(mat(6, 4, 32)).reshape(2, 3, 4)
    out = table[ids]
    j = (out * probe).sum()
    j.backward()
    return [out.detach().numpy(), j.detach().numpy(), table.grad.numpy()]


MASK = [[1, 0, 1], [1, 1, 0]]


def recurrent(cell, go_backwards, activation='tanh'):
    """Keras's recurrences (gates i,f,c,o / z,r,h with reset_after), masked steps keep the states."""
    g = {'lstm': 4, 'gru': 3, 'simple': 1}[cell]
    act = torch.tanh if activation == 'tanh' else torch.relu
    xw = torch.tensor(mat(6, 2 * g, 33)).reshape(2, 3, 2 * g).requires_grad_(True)
    u = torch.tensor(mat(2, 2 * g, 34) * 0.5, requires_grad=True)
    h0 = torch.tensor(mat(2, 2, 35) * 0.5, requires_grad=True)
    c0 = torch.tensor(mat(2, 2, 36) * 0.5, requires_grad=True)
    rb = torch.tensor(vec(2 * g, 37) * 0.5, requires_grad=True)
    p1 = torch.tensor(mat(6, 2, 38)).reshape(2, 3, 2)
    p2 = torch.tensor(mat(6, 2, 39)).reshape(2, 3, 2)
    mask = torch.tensor(MASK, dtype=torch.float64)
    h, c = h0, c0
    hs, cs = [], []
    for s in range(3):
        t = 2 - s if go_backwards else s
        x = xw[:, t]
        if cell == 'lstm':
            z = x + h @ u
            i, f, cc, o = torch.split(z, 2, 1)
            c2 = torch.sigmoid(f) * c + torch.sigmoid(i) * act(cc)
            h2 = torch.sigmoid(o) * act(c2)
        elif cell == 'gru':
            hu = h @ u + rb
            xz, xr, xh = torch.split(x, 2, 1)
            uz, ur, uh = torch.split(hu, 2, 1)
            z = torch.sigmoid(xz + uz)
            r = torch.sigmoid(xr + ur)
            hh = act(xh + r * uh)
            h2, c2 = z * h + (1 - z) * hh, c
        else:
            h2, c2 = act(x + h @ u), c
        m = mask[:, t:t + 1]
        h = m * h2 + (1 - m) * h
        c = m * c2 + (1 - m) * c
        hs.append(h)
        cs.append(c)
    H, C = torch.stack(hs, 1), torch.stack(cs, 1)
    j = (H * p1).sum() + ((C * p2).sum() if cell == 'lstm' else 0)
    params = [xw, u, h0] + ([c0] if cell == 'lstm' else []) + ([rb] if cell == 'gru' else [])
    grads = torch.autograd.grad(j, params)
    return [H.detach().numpy()] + ([C.detach().numpy()] if cell == 'lstm' else []) + [j.detach().numpy()] + [x.numpy() for x in grads]


CASES = {
    'matMul': lambda: mat(4, 6, 1) @ mat(6, 5, 2),
    'matMul transposeA': lambda: mat(6, 4, 3).T @ mat(6, 5, 2),
    'matMul transposeB': lambda: mat(4, 6, 1) @ mat(5, 6, 4).T,
    'matMul transposeA+B': lambda: mat(6, 4, 3).T @ mat(5, 6, 4).T,
    'matMul 33x65x17': lambda: mat(33, 65, 5) @ mat(65, 17, 6),
    'matMul 65x33 transposeA': lambda: mat(65, 33, 5).T @ mat(65, 17, 6),
    'matMul batched': lambda: mat(6, 4, 7).reshape(2, 3, 4) @ mat(8, 5, 8).reshape(2, 4, 5),
    'dense': lambda: mat(4, 6, 1) @ mat(6, 5, 2) + vec(5, 27),
    'add broadcast': lambda: E + vec(4, 10),
    'sub': lambda: E - F,
    'mul': lambda: E * F,
    'div': lambda: E / (np.abs(F) + 0.5),
    'exp': lambda: np.exp(E * 2),
    'log': lambda: np.log(pos(E)),
    'sqrt': lambda: np.sqrt(pos(E)),
    'pow': lambda: pos(E) ** 1.5,
    'tanh': lambda: np.tanh(E * 2),
    'sigmoid': lambda: sigmoid(E * 3),
    'relu': lambda: np.maximum(E, 0),
    'leakyRelu': lambda: np.where(E > 0, E, 0.1 * E),
    'elu': lambda: np.where(E > 0, E, np.expm1(E)),
    'softplus': lambda: np.log1p(np.exp(E * 2)),
    'square': lambda: E ** 2,
    'abs': lambda: np.abs(E),
    'neg': lambda: -E,
    'maximum': lambda: np.maximum(E, F),
    'clipByValue': lambda: np.clip(E, -0.5, 0.25),
    'where greater': lambda: np.where(E > F, E, F * 10),
    'sum all': lambda: mat(5, 7, 11).sum(),
    'sum axis 0': lambda: mat(5, 7, 11).sum(0),
    'sum axis 1': lambda: mat(5, 7, 11).sum(1),
    'sum 9x300 axis 1': lambda: mat(9, 300, 12).sum(1),
    'mean axis 1': lambda: mat(5, 7, 11).mean(1),
    'max axis 0': lambda: mat(5, 7, 11).max(0),
    'min axis 1': lambda: mat(5, 7, 11).min(1),
    'argMax axis 1': lambda: mat(5, 7, 13).argmax(1),
    'logSumExp axis 1': lambda: np.log(np.exp(mat(5, 7, 11)).sum(1)),
    'softmax': lambda: softmax(mat(4, 6, 14) * 2),
    'logSoftmax': lambda: log_softmax(mat(4, 6, 14) * 2),
    'softmax rank 3': lambda: softmax(mat(6, 4, 28).reshape(2, 3, 4)),
    'gather axis 0': lambda: mat(5, 3, 15)[[4, 0, 2, 2]],
    'gather axis 1': lambda: mat(3, 6, 16)[:, [5, 1, 1, 0]],
    'einsum abc,cde->abde': lambda: np.einsum('abc,cde->abde', mat(6, 4, 31).reshape(2, 3, 4), mat(4, 6, 32).reshape(4, 2, 3)),
    'einsum aecd,abcd->acbe': lambda: np.einsum('aecd,abcd->acbe', mat(10, 6, 33).reshape(2, 5, 2, 3), mat(8, 6, 34).reshape(2, 4, 2, 3)),
    'einsum gradients': einsum_grads,
    'MLP relu softmax-CE gradients': mlp_relu,
    'MLP tanh dense sigmoid-MSE gradients': mlp_tanh_dense,
    'batchNormTrain': lambda: batch_norm(False),
    'batchNormTrain gradients': lambda: batch_norm(True),
    'embeddingLookup and its gradient': embedding,
    'recurrentSequence lstm masked': lambda: recurrent('lstm', False),
    'recurrentSequence lstm masked goBackwards': lambda: recurrent('lstm', True),
    'recurrentSequence gru masked recurrent bias': lambda: recurrent('gru', False),
    'recurrentSequence simple relu goBackwards': lambda: recurrent('simple', True, 'relu'),
}


CASES.update(VISION_CASES)


def fmt(a):
    a = np.asarray(a)
    if a.dtype.kind in 'iu':
        vals = ', '.join(str(int(x)) for x in a.ravel())
        dtype = 'int32'
    else:
        # rounded to float32, written as the shortest decimal that gives back that float32
        vals = ', '.join(str(np.float32(x)) for x in a.ravel())
        dtype = 'float32'
    return "{ shape: [%s], dtype: '%s', values: [%s] }" % (', '.join(str(d) for d in a.shape), dtype, vals)


print('// Generated by generate_expected.py (numpy %s, torch %s, float64, rounded to float32). Do not edit.'
      % (np.__version__, torch.__version__))
print('/* oxlint-disable approx-constant -- ln 2 and friends are data here */')
print("import type { Expected } from './compare';\n")
print('export const EXPECTED: Record<string, Expected[]> = {')
for name, fn in CASES.items():
    out = fn()
    if isinstance(out, torch.Tensor):
        out = out.detach().numpy()
    outs = out if isinstance(out, list) else [out]
    print('  %r: [\n%s,\n  ],' % (name, ',\n'.join('    ' + fmt(o) for o in outs)))
print('};')
