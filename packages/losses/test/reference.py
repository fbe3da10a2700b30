# Reference values for losses.test.ts: Keras 3's formulas written out in numpy (float64), with
# torch 1.13 cross-checks where PyTorch has the same loss. Run: /usr/bin/python3 reference.py
import json
import numpy as np
import torch
import torch.nn.functional as F

EPS = 1e-7
# Keras runs in float32: its clip bounds are float32(1e-7) and float32(1 - 1e-7) = 0.99999988
LO = float(np.float32(EPS))
HI = float(np.float32(1 - EPS))
yt_reg = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.3], [3.0, 2.5, 0.1], [-2.0, 0.7, 1.2]])
yp_reg = np.array([[0.1, -0.5, 3.5], [1.2, 0.4, -0.3], [0.2, 2.0, 0.6], [-1.0, 0.9, 1.0]])
yt_pos = np.abs(yt_reg)
yp_pos = np.abs(yp_reg) + np.array([[0, 0.1, 0]] * 4)
onehot = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]], dtype=float)
labels = onehot.argmax(1)
probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.0, 0.9], [0.3, 0.3, 0.5], [0.05, 0.9, 0.05]])  # row 3 sums to 1.1; 0 clipped
logits = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0], [-1.5, 0.0, 1.0], [10.0, 12.0, -30.0]])
bin_t = np.array([[1, 0], [0, 0], [1, 1], [0, 1]], dtype=float)
bin_p = np.array([[0.9, 0.2], [0.0, 0.4], [0.6, 1.0], [0.3, 0.8]])
bin_z = np.array([[2.0, -1.0], [-3.0, 0.5], [0.4, 20.0], [-0.7, 1.5]])
hinge_t = np.array([[1, -1, 1], [-1, -1, 1], [1, 1, -1], [-1, 1, -1]], dtype=float)

def mse(t, p): return ((p - t) ** 2).mean(-1)
def mae(t, p): return np.abs(p - t).mean(-1)
def mape(t, p): return 100 * (np.abs((t - p) / np.maximum(np.abs(t), EPS))).mean(-1)
def msle(t, p): return ((np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2).mean(-1)
def logcosh(t, p):
    x = p - t
    return np.log(np.cosh(x)).mean(-1)
def huber(t, p, d=1.0):
    e = p - t; a = np.abs(e)
    return np.where(a <= d, 0.5 * e * e, d * a - 0.5 * d * d).mean(-1)
def bce(t, p, ls=0.0):
    t = t * (1 - ls) + 0.5 * ls
    q = np.clip(p, LO, HI)
    return (-(t * np.log(q) + (1 - t) * np.log(1 - q))).mean(-1)
def bce_logits(t, z, ls=0.0):
    t = t * (1 - ls) + 0.5 * ls
    return (np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))).mean(-1)
def cce(t, p, ls=0.0):
    k = t.shape[-1]; t = t * (1 - ls) + ls / k
    q = np.clip(p / p.sum(-1, keepdims=True), LO, HI)
    return -(t * np.log(q)).sum(-1)
def cce_logits(t, z, ls=0.0):
    k = t.shape[-1]; t = t * (1 - ls) + ls / k
    m = z.max(-1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(-1, keepdims=True))
    return -(t * (z - lse)).sum(-1)
def hinge(t, p):
    if np.all((t == 0) | (t == 1)): t = 2 * t - 1
    return np.maximum(1 - t * p, 0).mean(-1)
def sq_hinge(t, p):
    if np.all((t == 0) | (t == 1)): t = 2 * t - 1
    return (np.maximum(1 - t * p, 0) ** 2).mean(-1)
def cat_hinge(t, p):
    pos = (t * p).sum(-1); neg = ((1 - t) * p).max(-1)
    return np.maximum(neg - pos + 1, 0)
def kld(t, p):
    t = np.clip(t, LO, 1); p = np.clip(p, LO, 1)
    return (t * np.log(t / p)).sum(-1)
def poisson(t, p): return (p - t * np.log(p + EPS)).mean(-1)

# torch cross-checks of the formulas above (where torch has the same loss)
tt = lambda a: torch.tensor(a, dtype=torch.float64)
assert np.allclose(mse(yt_reg, yp_reg), F.mse_loss(tt(yp_reg), tt(yt_reg), reduction='none').mean(-1).numpy())
assert np.allclose(mae(yt_reg, yp_reg), F.l1_loss(tt(yp_reg), tt(yt_reg), reduction='none').mean(-1).numpy())
assert np.allclose(huber(yt_reg, yp_reg, 0.7), F.huber_loss(tt(yp_reg), tt(yt_reg), reduction='none', delta=0.7).mean(-1).numpy())
assert np.allclose(cce_logits(onehot, logits, 0.2), F.cross_entropy(tt(logits), torch.tensor(labels), reduction='none', label_smoothing=0.2).numpy())
assert np.allclose(bce_logits(bin_t, bin_z), F.binary_cross_entropy_with_logits(tt(bin_z), tt(bin_t), reduction='none').mean(-1).numpy())
assert np.allclose(poisson(yt_pos, yp_pos), F.poisson_nll_loss(tt(yp_pos), tt(yt_pos), log_input=False, eps=EPS, reduction='none').mean(-1).numpy())
assert np.allclose(kld(onehot * 0.8 + 0.05, probs), F.kl_div(tt(np.log(probs + (probs == 0) * LO)), tt(onehot * 0.8 + 0.05), reduction='none').sum(-1).numpy())

out = {
  'inputs': dict(yt_reg=yt_reg, yp_reg=yp_reg, yt_pos=yt_pos, yp_pos=yp_pos, onehot=onehot, probs=probs,
                 logits=logits, bin_t=bin_t, bin_p=bin_p, bin_z=bin_z, hinge_t=hinge_t),
  'mse': mse(yt_reg, yp_reg), 'mae': mae(yt_reg, yp_reg), 'mape': mape(yt_reg, yp_reg),
  'msle': msle(yt_pos, yp_pos), 'log_cosh': logcosh(yt_reg, yp_reg),
  'huber': huber(yt_reg, yp_reg), 'huber_0.7': huber(yt_reg, yp_reg, 0.7),
  'bce': bce(bin_t, bin_p), 'bce_ls0.2': bce(bin_t, bin_p, 0.2),
  'bce_logits': bce_logits(bin_t, bin_z), 'bce_logits_ls0.2': bce_logits(bin_t, bin_z, 0.2),
  'cce': cce(onehot, probs), 'cce_ls0.1': cce(onehot, probs, 0.1),
  'cce_logits': cce_logits(onehot, logits), 'cce_logits_ls0.2': cce_logits(onehot, logits, 0.2),
  'hinge_pm1': hinge(hinge_t, yt_reg), 'hinge_01': hinge(bin_t, bin_z),
  'squared_hinge_pm1': sq_hinge(hinge_t, yt_reg), 'squared_hinge_01': sq_hinge(bin_t, bin_z),
  'categorical_hinge': cat_hinge(onehot, logits),
  'kld': kld(onehot * 0.8 + 0.05, probs), 'kld_onehot': kld(onehot, probs),
  'poisson': poisson(yt_pos, yp_pos),
}
def conv(v):
    if isinstance(v, dict): return {k: conv(x) for k, x in v.items()}
    return np.round(v, 10).tolist()
print(json.dumps(conv(out)))
