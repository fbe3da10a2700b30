"""Reference trajectories for the optimizer tests (run with /usr/bin/python3; numpy, torch 1.13).

Problem: f(w, u) = 0.5 wᵀAw - bᵀw + 2 (u - 1)², w ∈ R², u ∈ R¹, from w0 = [1, 2], u0 = [-1.5].
Each case records w and u after each of 10 steps. `keras` cases follow the Keras 3 update rules
(keras/src/optimizers/*.py) in float64; `torch` cases run torch.optim in float64 where its rule
coincides with Keras's (up to where epsilon sits, which is below float32 precision here).
Writes ../reference-data.ts; the numbers are committed, this script only documents them.
"""
import json
import math
import numpy as np
import torch

A = np.array([[3.0, 0.5], [0.5, 1.0]])
b = np.array([1.0, -2.0])
W0 = np.array([1.0, 2.0])
U0 = np.array([-1.5])
STEPS = 10


def grads(w, u):
    return [A @ w - b, 4.0 * (u - 1.0)]


def clip(gs, clipnorm=None, clipvalue=None, global_clipnorm=None):
    if clipnorm:
        return [g * clipnorm / max(np.sqrt(np.sum(g * g)), clipnorm) for g in gs]
    if global_clipnorm:
        n = math.sqrt(sum(float(np.sum(g * g)) for g in gs))
        return [g * global_clipnorm / max(n, global_clipnorm) for g in gs]
    if clipvalue:
        return [np.clip(g, -clipvalue, clipvalue) for g in gs]
    return gs


def run_keras(update, init_slots, lr=0.01, weight_decay=None, **clipargs):
    """update(g, var, slots, lr, t) -> (var, slots); lr may be a function of the step index."""
    vs = [W0.copy(), U0.copy()]
    slots = [init_slots(v) for v in vs]
    out = {"w": [], "u": []}
    for it in range(STEPS):
        cur = lr(it) if callable(lr) else lr
        gs = clip(grads(*vs), **clipargs)
        if weight_decay:
            vs = [v - v * weight_decay * cur for v in vs]
        new = [update(g, v, s, cur, it + 1) for g, v, s in zip(gs, vs, slots)]
        vs = [n[0] for n in new]
        slots = [n[1] for n in new]
        out["w"].append(vs[0].tolist())
        out["u"].append(vs[1].tolist())
    return out


def sgd(momentum=0.0, nesterov=False):
    def init(v):
        return np.zeros_like(v)

    def upd(g, v, m, lr, t):
        if momentum == 0:
            return v - lr * g, m
        m = m * momentum - g * lr
        if nesterov:
            return v + (m * momentum - g * lr), m
        return v + m, m

    return upd, init


def adam(b1=0.9, b2=0.999, eps=1e-7, amsgrad=False):
    def init(v):
        return (np.zeros_like(v), np.zeros_like(v), np.zeros_like(v))

    def upd(g, v, s, lr, t):
        m, vel, vhat = s
        alpha = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        m = m + (g - m) * (1 - b1)
        vel = vel + (g * g - vel) * (1 - b2)
        denom_v = vel
        if amsgrad:
            vhat = np.maximum(vhat, vel)
            denom_v = vhat
        return v - alpha * m / (np.sqrt(denom_v) + eps), (m, vel, vhat)

    return upd, init


def rmsprop(rho=0.9, momentum=0.0, eps=1e-7, centered=False):
    def init(v):
        return (np.zeros_like(v), np.zeros_like(v), np.zeros_like(v))

    def upd(g, v, s, lr, t):
        vel, mom, avg = s
        vel = rho * vel + (1 - rho) * g * g
        if centered:
            avg = rho * avg + (1 - rho) * g
            denom = vel - avg * avg + eps
        else:
            denom = vel + eps
        inc = lr * g / np.sqrt(denom)
        if momentum > 0:
            mom = momentum * mom + inc
            return v - mom, (vel, mom, avg)
        return v - inc, (vel, mom, avg)

    return upd, init


def adagrad(init_acc=0.1, eps=1e-7):
    def init(v):
        return np.full_like(v, init_acc)

    def upd(g, v, acc, lr, t):
        acc = acc + g * g
        return v - lr * g / np.sqrt(acc + eps), acc

    return upd, init


def exp_decay(step):
    return 0.2 * 0.5 ** math.floor(step / 3)


def k(pair, **kw):
    upd, init = pair
    return run_keras(upd, init, **kw)


keras_cases = {
    "sgd": k(sgd(), lr=0.1),
    "sgd_momentum": k(sgd(0.9), lr=0.1),
    "sgd_nesterov": k(sgd(0.9, True), lr=0.1),
    "sgd_clipnorm": k(sgd(), lr=0.1, clipnorm=1.0),
    "sgd_clipvalue": k(sgd(), lr=0.1, clipvalue=0.5),
    "sgd_global_clipnorm": k(sgd(), lr=0.1, global_clipnorm=1.0),
    "sgd_weight_decay": k(sgd(0.5), lr=0.1, weight_decay=0.2),
    "sgd_exponential_decay": k(sgd(), lr=exp_decay),
    "adam": k(adam(), lr=0.1),
    "adam_amsgrad": k(adam(amsgrad=True), lr=0.1),
    "adam_betas": k(adam(b1=0.5, b2=0.9, eps=1e-3), lr=0.05),
    "adamw": k(adam(), lr=0.1, weight_decay=0.1),
    "rmsprop": k(rmsprop(), lr=0.05),
    "rmsprop_momentum": k(rmsprop(momentum=0.9), lr=0.05),
    "rmsprop_centered": k(rmsprop(centered=True), lr=0.05),
    "rmsprop_centered_momentum": k(rmsprop(momentum=0.5, centered=True), lr=0.05),
    "adagrad": k(adagrad(), lr=0.5),
    "adagrad_zero_init": k(adagrad(init_acc=0.0), lr=0.5),
}


def run_torch(make):
    w = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    u = torch.tensor(U0, dtype=torch.float64, requires_grad=True)
    opt = make([w, u])
    At = torch.tensor(A)
    bt = torch.tensor(b)
    out = {"w": [], "u": []}
    for _ in range(STEPS):
        opt.zero_grad()
        loss = 0.5 * w @ At @ w - bt @ w + 2 * ((u - 1) ** 2).sum()
        loss.backward()
        opt.step()
        out["w"].append(w.detach().numpy().tolist())
        out["u"].append(u.detach().numpy().tolist())
    return out


O = torch.optim
torch_cases = {
    "sgd": run_torch(lambda p: O.SGD(p, lr=0.1)),
    "sgd_momentum": run_torch(lambda p: O.SGD(p, lr=0.1, momentum=0.9)),
    "sgd_nesterov": run_torch(lambda p: O.SGD(p, lr=0.1, momentum=0.9, nesterov=True)),
    "adam": run_torch(lambda p: O.Adam(p, lr=0.1, eps=1e-7)),
    "adam_amsgrad": run_torch(lambda p: O.Adam(p, lr=0.1, eps=1e-7, amsgrad=True)),
    "adamw": run_torch(lambda p: O.AdamW(p, lr=0.1, eps=1e-7, weight_decay=0.1)),
    "rmsprop": run_torch(lambda p: O.RMSprop(p, lr=0.05, alpha=0.9, eps=1e-7)),
    "rmsprop_momentum": run_torch(lambda p: O.RMSprop(p, lr=0.05, alpha=0.9, eps=1e-7, momentum=0.9)),
    "rmsprop_centered": run_torch(lambda p: O.RMSprop(p, lr=0.05, alpha=0.9, eps=1e-7, centered=True)),
    "adagrad": run_torch(lambda p: O.Adagrad(p, lr=0.5, eps=1e-7, initial_accumulator_value=0.1)),
}


def fmt(cases):
    def rows(rs):
        return "[" + ", ".join("[" + ", ".join(f"{x:.12g}" for x in r) + "]" for r in rs) + "]"

    return "{\n" + "".join(
        f"  {name}: {{\n    w: {rows(t['w'])},\n    u: {rows(t['u'])},\n  }},\n" for name, t in cases.items()
    ) + "}"


# Where torch's rule coincides with Keras's, the two references agree (a check of the references).
for name, t in torch_cases.items():
    for key in ("w", "u"):
        diff = np.max(np.abs(np.array(t[key]) - np.array(keras_cases[name][key])))
        assert diff < 2e-6, (name, key, diff)

with open("../reference-data.ts", "w") as f:
    f.write("// Generated by test/reference/make_reference.py (numpy float64 and torch 1.13). Do not edit.\n")
    f.write("export type Trajectory = { w: number[][]; u: number[][] };\n\n")
    f.write(f"export const KERAS: Record<string, Trajectory> = {fmt(keras_cases)};\n\n")
    f.write(f"export const TORCH: Record<string, Trajectory> = {fmt(torch_cases)};\n")
