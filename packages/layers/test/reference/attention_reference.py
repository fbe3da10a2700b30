"""Reference values for the attention layers, in PyTorch, written from Keras 3's documented maths
with plain matrix products (not einsum): projections x @ W.reshape(d, heads*dim) + b, scaled
dot-product attention, Keras's masked softmax (masked scores -> -1e9, masked weights -> 0),
output projection. Gradients of sum(out * r) w.r.t. the inputs and every weight come from
torch.autograd. Run: /usr/bin/python3 attention_reference.py > ../fixtures/attention-reference.json
"""
import json

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(11)


def t(shape, scale=1.0):
    return torch.tensor(rng.normal(size=shape) * scale, requires_grad=True)


def masked_softmax(s, mask):
    if mask is None:
        return torch.softmax(s, -1)
    s = torch.where(mask, s, torch.full_like(s, -1e9))
    return torch.where(mask, torch.softmax(s, -1), torch.zeros_like(s))


def mha(q_in, v_in, k_in, W, heads, kd, vd, mask):
    B, T, d = q_in.shape
    S = v_in.shape[1]
    q = (q_in @ W["qk"].reshape(d, heads * kd) + W["qb"].reshape(-1)).reshape(B, T, heads, kd)
    k = (k_in @ W["kk"].reshape(k_in.shape[2], heads * kd) + W["kb"].reshape(-1)).reshape(B, S, heads, kd)
    v = (v_in @ W["vk"].reshape(v_in.shape[2], heads * vd) + W["vb"].reshape(-1)).reshape(B, S, heads, vd)
    q = q.permute(0, 2, 1, 3) / np.sqrt(kd)
    k = k.permute(0, 2, 1, 3)
    v = v.permute(0, 2, 1, 3)
    scores = q @ k.transpose(-1, -2)  # B, N, T, S
    w = masked_softmax(scores, None if mask is None else mask[:, None, :, :])
    o = (w @ v).permute(0, 2, 1, 3).reshape(B, T, heads * vd)
    out = o @ W["ok"].reshape(heads * vd, -1) + W["ob"]
    return out, w


def case_mha(name, B, T, S, d, heads, kd, vd, mask_kind, key_dim=None):
    q_in, v_in = t((B, T, d)), t((B, S, d))
    k_in = t((B, S, key_dim)) if key_dim else v_in
    dk = key_dim or d
    W = {
        "qk": t((d, heads, kd), 0.5), "qb": t((heads, kd), 0.1),
        "kk": t((dk, heads, kd), 0.5), "kb": t((heads, kd), 0.1),
        "vk": t((d, heads, vd), 0.5), "vb": t((heads, vd), 0.1),
        "ok": t((heads, vd, d), 0.5), "ob": t((d,), 0.1),
    }
    mask = None
    amask = None
    if mask_kind == "attention":
        amask = rng.random((B, T, S)) > 0.3
        amask[0, 1, :] = False  # a fully masked query row gives zeros
        mask = torch.tensor(amask)
    elif mask_kind == "causal":
        mask = torch.tensor(np.tril(np.ones((T, S), dtype=bool)))[None].expand(B, T, S)
    elif mask_kind == "query_value":
        qm = np.ones((B, T), dtype=bool); qm[1, -1] = False
        vm = np.ones((B, S), dtype=bool); vm[0, -2:] = False
        mask = torch.tensor(qm[:, :, None] & vm[:, None, :])
        amask = {"query": qm.tolist(), "value": vm.tolist()}
    out, w = mha(q_in, v_in, k_in, W, heads, kd, vd, mask)
    r = torch.tensor(rng.normal(size=out.shape))
    (out * r).sum().backward()
    ins = [q_in, v_in] + ([k_in] if key_dim else [])
    order = ["qk", "qb", "kk", "kb", "vk", "vb", "ok", "ob"]
    return {
        "name": name, "numHeads": heads, "keyDim": kd, "valueDim": vd,
        "inputs": [{"shape": list(x.shape), "values": x.detach().numpy().ravel().tolist()} for x in ins],
        "weights": [{"shape": list(W[k].shape), "values": W[k].detach().numpy().ravel().tolist()} for k in order],
        "mask": amask.tolist() if isinstance(amask, np.ndarray) else amask,
        "maskKind": mask_kind,
        "output": out.detach().numpy().ravel().tolist(),
        "scores": w.detach().numpy().ravel().tolist(),
        "probe": r.numpy().ravel().tolist(),
        "inputGrads": [x.grad.numpy().ravel().tolist() for x in ins],
        "weightGrads": [W[k].grad.numpy().ravel().tolist() for k in order],
    }


def case_gqa(B, T, S, d, nq, nkv, hd, causal):
    q_in, v_in = t((B, T, d)), t((B, S, d))
    W = {
        "qk": t((d, nq, hd), 0.5), "qb": t((nq, hd), 0.1),
        "kk": t((d, nkv, hd), 0.5), "kb": t((nkv, hd), 0.1),
        "vk": t((d, nkv, hd), 0.5), "vb": t((nkv, hd), 0.1),
        "ok": t((nq, hd, d), 0.5), "ob": t((d,), 0.1),
    }
    q = (q_in @ W["qk"].reshape(d, -1) + W["qb"].reshape(-1)).reshape(B, T, nq, hd)
    k = (v_in @ W["kk"].reshape(d, -1) + W["kb"].reshape(-1)).reshape(B, S, nkv, hd)
    v = (v_in @ W["vk"].reshape(d, -1) + W["vb"].reshape(-1)).reshape(B, S, nkv, hd)
    rep = nq // nkv
    k = torch.repeat_interleave(k, rep, dim=2)
    v = torch.repeat_interleave(v, rep, dim=2)
    s = (q.permute(0, 2, 1, 3) / np.sqrt(hd)) @ k.permute(0, 2, 3, 1)
    mask = torch.tensor(np.tril(np.ones((T, S), dtype=bool)))[None, None] if causal else None
    w = masked_softmax(s, mask)
    o = (w @ v.permute(0, 2, 1, 3)).permute(0, 2, 1, 3).reshape(B, T, nq * hd)
    out = o @ W["ok"].reshape(nq * hd, d) + W["ob"]
    r = torch.tensor(rng.normal(size=out.shape))
    (out * r).sum().backward()
    order = ["qk", "qb", "kk", "kb", "vk", "vb", "ok", "ob"]
    return {
        "numQueryHeads": nq, "numKeyValueHeads": nkv, "headDim": hd, "causal": causal,
        "inputs": [{"shape": list(x.shape), "values": x.detach().numpy().ravel().tolist()} for x in [q_in, v_in]],
        "weights": [{"shape": list(W[k].shape), "values": W[k].detach().numpy().ravel().tolist()} for k in order],
        "output": out.detach().numpy().ravel().tolist(),
        "probe": r.numpy().ravel().tolist(),
        "inputGrads": [x.grad.numpy().ravel().tolist() for x in [q_in, v_in]],
        "weightGrads": [W[k].grad.numpy().ravel().tolist() for k in order],
    }


def case_dense(kind, B=2, T=3, S=4, d=5):
    q, v, k = t((B, T, d)), t((B, S, d)), t((B, S, d))
    qm = np.ones((B, T), dtype=bool); qm[0, -1] = False
    vm = np.ones((B, S), dtype=bool); vm[1, 2] = False  # every row keeps a position (Keras requires it)
    weights = {}
    if kind == "dot_scale":
        scale = torch.tensor(1.7, requires_grad=True); weights = {"scale": scale}
        s = (q @ k.transpose(-1, -2)) * scale
    elif kind == "concat":
        scale = torch.tensor(0.8, requires_grad=True); csw = torch.tensor(1.3, requires_grad=True)
        weights = {"scale": scale, "concat_score_weight": csw}
        s = csw * torch.tanh(scale * (q[:, :, None, :] + k[:, None, :, :])).sum(-1)
    else:  # additive
        scale = t((d,), 0.5); weights = {"scale": scale}
        s = (scale * torch.tanh(q[:, :, None, :] + k[:, None, :, :])).sum(-1)
    causal = np.tril(np.ones((T, S), dtype=bool))
    smask = torch.tensor(vm[:, None, :] & causal[None])
    s = torch.where(smask, s, s - 1e9)
    w = torch.softmax(s, -1)
    out = w @ v
    out = torch.where(torch.tensor(qm)[:, :, None], out, torch.zeros_like(out))
    r = torch.tensor(rng.normal(size=out.shape))
    (out * r).sum().backward()
    return {
        "kind": kind,
        "inputs": [{"shape": list(x.shape), "values": x.detach().numpy().ravel().tolist()} for x in [q, v, k]],
        "weights": [{"shape": list(x.shape), "values": x.detach().numpy().ravel().tolist()} for x in weights.values()],
        "queryMask": qm.tolist(), "valueMask": vm.tolist(),
        "output": out.detach().numpy().ravel().tolist(),
        "scores": w.detach().numpy().ravel().tolist(),
        "probe": r.numpy().ravel().tolist(),
        "inputGrads": [x.grad.numpy().ravel().tolist() for x in [q, v, k]],
        "weightGrads": [x.grad.numpy().ravel().tolist() for x in weights.values()],
    }


out = {
    "mha": [
        case_mha("no mask", 2, 4, 5, 6, 2, 3, 4, None),
        case_mha("attention mask", 2, 4, 5, 6, 2, 3, 3, "attention"),
        case_mha("causal", 2, 4, 4, 6, 3, 2, 2, "causal"),
        case_mha("query and value masks, separate key", 2, 3, 5, 4, 2, 3, 3, "query_value", key_dim=7),
    ],
    "gqa": [case_gqa(2, 4, 4, 6, 4, 2, 3, True), case_gqa(1, 3, 5, 4, 2, 1, 2, False)],
    "dense": [case_dense("dot_scale"), case_dense("concat"), case_dense("additive")],
}
print(json.dumps(out))
