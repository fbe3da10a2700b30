#!/usr/bin/python3
"""Expected outputs and gradients of neurona's convolution and pooling layers, from PyTorch.

Run: /usr/bin/python3 packages/layers/test/reference/conv_reference.py > packages/layers/test/reference/conv-expected.json

Each case is a Keras layer config (camelCase, as neurona's) with closed-form weights and inputs:
value i of a tensor with salt s is (((i*37 + s*101) % 257) - 128) / 128 (exact in float32), in
Keras's layouts (channels last unless the case says otherwise; Conv kernels [k..., in/groups, out],
transposed kernels [k..., out, in], depthwise kernels [k..., in, multiplier]). The layer is
computed with torch in float64 following Keras's documented maths, independently of neurona:
TensorFlow's 'same' padding (odd cell after) as an explicit pad, 'causal' as a left pad, Keras's
transposed-conv output sizes and crops (keras/src/backend/common/backend_utils.py), average
pooling over the real cells of a 'same' window. Gradients are those of sum(y * G) for a
closed-form G (salt 99), with respect to the input and every weight.
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def cf(shape, salt):
    n = int(np.prod(shape)) if len(shape) else 1
    i = np.arange(n)
    return ((((i * 37 + salt * 101) % 257) - 128) / 128.0).reshape(shape)


def tf_same(n, k, s, d):
    keff = (k - 1) * d + 1
    out = -(-n // s)
    total = max((out - 1) * s + keff - n, 0)
    return total // 2, total - total // 2


def tup(v, r):
    return list(v) if isinstance(v, (list, tuple)) else [v] * r


def to_torch(x, df):
    """A channels-last (or first) numpy array to NC... torch layout."""
    t = torch.tensor(x, requires_grad=True)
    return t, (t.movedim(-1, 1) if df == 'channels_last' else t)


def from_torch(y, df):
    return y.movedim(1, -1) if df == 'channels_last' else y


def pad_spatial(x, pads, value=0.0):
    """pads: [(before, after)] per spatial axis of an NC... tensor."""
    flat = []
    for b, a in reversed(pads):
        flat += [b, a]
    return F.pad(x, flat, value=value) if any(flat) else x


CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONVT = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def kernel_to_torch(k, r):
    """[k..., a, b] -> [b, a, k...] (torch conv weight from a Keras conv kernel)."""
    return k.permute(r + 1, r, *range(r))


def conv_forward(xt, r, cfg, kernel, bias):
    ks = tup(cfg['kernelSize'], r)
    st = tup(cfg.get('strides', 1), r)
    dl = tup(cfg.get('dilationRate', 1), r)
    pad = cfg.get('padding', 'valid')
    sp = xt.shape[2:]
    if pad == 'same':
        xt = pad_spatial(xt, [tf_same(sp[i], ks[i], st[i], dl[i]) for i in range(r)])
    elif pad == 'causal':
        xt = pad_spatial(xt, [((ks[0] - 1) * dl[0], 0)])
    return CONV[r](xt, kernel_to_torch(kernel, r), bias, stride=st, dilation=dl, groups=cfg.get('groups', 1))


def keras_jax_padding(k, s, d, padding, op):
    """Keras's _convert_conv_transpose_padding_args_from_keras_to_jax."""
    k = (k - 1) * d + 1
    if padding == 'valid':
        op = max(k, s) - k if op is None else op
        return k - 1, k - 1 + op
    pad_len = s + k - 2 if op is None else k + k % 2 - 2 + op
    left = min(pad_len // 2 + pad_len % 2, k - 1)
    return left, pad_len - left


def conv_transpose_forward(xt, r, cfg, kernel, bias):
    ks = tup(cfg['kernelSize'], r)
    st = tup(cfg.get('strides', 1), r)
    dl = tup(cfg.get('dilationRate', 1), r)
    op = cfg.get('outputPadding')
    op = [None] * r if op is None else tup(op, r)
    y = CONVT[r](xt, kernel.permute(r + 1, r, *range(r)), None, stride=st, dilation=dl)
    # crop (or zero-extend) to Keras's window, as its torch backend does
    for i in range(r):
        left, right = keras_jax_padding(ks[i], st[i], dl[i], cfg.get('padding', 'valid'), op[i])
        keff = (ks[i] - 1) * dl[i] + 1
        cl, cr = keff - 1 - left, keff - 1 - right
        ax = 2 + i
        if cl < 0 or cr < 0:
            pads = [(0, 0)] * r
            pads[i] = (max(-cl, 0), max(-cr, 0))
            y = pad_spatial(y, pads)
            cl, cr = max(cl, 0), max(cr, 0)
        y = y.narrow(ax, cl, y.shape[ax] - cl - cr)
    if bias is not None:
        y = y + bias.reshape(1, -1, *([1] * r))
    return y


def depthwise_forward(xt, r, cfg, kernel, bias):
    ks = tup(cfg['kernelSize'], r)
    st = tup(cfg.get('strides', 1), r)
    dl = tup(cfg.get('dilationRate', 1), r)
    C = xt.shape[1]
    M = kernel.shape[-1]
    w = kernel.reshape(*ks, 1, C * M)
    pad = cfg.get('padding', 'valid')
    if pad == 'same':
        xt = pad_spatial(xt, [tf_same(xt.shape[2 + i], ks[i], st[i], dl[i]) for i in range(r)])
    return CONV[r](xt, kernel_to_torch(w, r), bias, stride=st, dilation=dl, groups=C)


def pool_forward(xt, r, cfg, mode):
    ps = tup(cfg.get('poolSize', 2), r)
    st = tup(cfg['strides'] if cfg.get('strides') is not None else ps, r)
    pad = cfg.get('padding', 'valid')
    pads = [tf_same(xt.shape[2 + i], ps[i], st[i], 1) for i in range(r)] if pad == 'same' else [(0, 0)] * r
    if mode == 'max':
        xp = pad_spatial(xt, pads, value=-float('inf'))
        y = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[r](xp, ps, st)
        # the maximum of every window must be unique (a tie would make the gradient ambiguous)
        unf = xp
        for i in range(r):
            unf = unf.unfold(2 + i, ps[i], st[i])
        flat = unf.reshape(*unf.shape[: 2 + r], -1)
        top2 = flat.topk(2, dim=-1).values if flat.shape[-1] > 1 else None
        if top2 is not None:
            assert (top2[..., 0] - top2[..., 1]).abs().min() > 1e-9, 'tie in a max-pool window'
        return y
    avg = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[r]
    xp = pad_spatial(xt, pads)
    ones = pad_spatial(torch.ones_like(xt), pads)
    return avg(xp, ps, st) / avg(ones, ps, st)


def global_forward(xt, r, cfg, mode):
    axes = tuple(range(2, 2 + r))
    keep = cfg.get('keepdims', False)
    if mode == 'max':
        y = xt
        for a in reversed(axes):
            y = y.max(dim=a, keepdim=keep).values
        return y
    return xt.mean(dim=axes, keepdim=keep)


CASES = []


def case(name, cls, r, x_shape, config, kind, weights=()):
    CASES.append(dict(name=name, cls=cls, r=r, x=x_shape, config=config, kind=kind, weights=weights))


# --- convolutions ------------------------------------------------------------------------------
case('Conv2D valid, bias', 'Conv2D', 2, [2, 6, 7, 3], dict(filters=4, kernelSize=3), 'conv')
case('Conv2D same, strides 2, kernel [3, 2] (asymmetric padding)', 'Conv2D', 2, [2, 7, 6, 3], dict(filters=5, kernelSize=[3, 2], strides=2, padding='same'), 'conv')
case('Conv2D same, dilation 2', 'Conv2D', 2, [1, 8, 8, 2], dict(filters=3, kernelSize=3, dilationRate=2, padding='same'), 'conv')
case('Conv2D groups 2, no bias', 'Conv2D', 2, [2, 5, 5, 4], dict(filters=6, kernelSize=3, groups=2, useBias=False), 'conv')
case('Conv2D channels_first, same', 'Conv2D', 2, [2, 3, 6, 5], dict(filters=4, kernelSize=3, padding='same', dataFormat='channels_first'), 'conv')
case('Conv2D relu', 'Conv2D', 2, [2, 6, 6, 2], dict(filters=3, kernelSize=2, activation='relu'), 'conv')
case('Conv1D valid', 'Conv1D', 1, [2, 9, 3], dict(filters=4, kernelSize=3), 'conv')
case('Conv1D causal, dilation 2', 'Conv1D', 1, [2, 9, 3], dict(filters=4, kernelSize=3, padding='causal', dilationRate=2), 'conv')
case('Conv1D same, strides 2, groups 2', 'Conv1D', 1, [2, 8, 4], dict(filters=6, kernelSize=4, strides=2, padding='same', groups=2), 'conv')
case('Conv3D valid, strides [1, 2, 1]', 'Conv3D', 3, [1, 4, 5, 4, 2], dict(filters=3, kernelSize=[2, 3, 2], strides=[1, 2, 1]), 'conv')
case('Conv3D same, dilation [2, 1, 1]', 'Conv3D', 3, [1, 5, 4, 4, 2], dict(filters=2, kernelSize=2, dilationRate=[2, 1, 1], padding='same'), 'conv')
case('Conv3D channels_first', 'Conv3D', 3, [1, 2, 3, 4, 4], dict(filters=3, kernelSize=2, dataFormat='channels_first'), 'conv')
# --- transposed ---------------------------------------------------------------------------------
case('Conv2DTranspose valid, strides 2', 'Conv2DTranspose', 2, [2, 3, 4, 3], dict(filters=2, kernelSize=3, strides=2), 'convt')
case('Conv2DTranspose same, strides 2', 'Conv2DTranspose', 2, [1, 3, 3, 2], dict(filters=4, kernelSize=3, strides=2, padding='same'), 'convt')
case('Conv2DTranspose same, strides 2, outputPadding 1, kernel 4', 'Conv2DTranspose', 2, [1, 3, 4, 2], dict(filters=3, kernelSize=4, strides=2, padding='same', outputPadding=1), 'convt')
case('Conv2DTranspose valid, dilation 2', 'Conv2DTranspose', 2, [1, 4, 3, 2], dict(filters=2, kernelSize=[2, 3], dilationRate=2), 'convt')
case('Conv2DTranspose channels_first, valid, strides 3 > kernel 2', 'Conv2DTranspose', 2, [1, 2, 3, 2], dict(filters=3, kernelSize=2, strides=3, dataFormat='channels_first'), 'convt')
case('Conv1DTranspose same, strides 2', 'Conv1DTranspose', 1, [2, 5, 3], dict(filters=2, kernelSize=3, strides=2, padding='same'), 'convt')
case('Conv1DTranspose valid, outputPadding 1', 'Conv1DTranspose', 1, [2, 4, 2], dict(filters=3, kernelSize=2, strides=2, outputPadding=1), 'convt')
case('Conv3DTranspose same, strides 2', 'Conv3DTranspose', 3, [1, 2, 3, 2, 2], dict(filters=2, kernelSize=2, strides=2, padding='same'), 'convt')
# --- depthwise and separable -------------------------------------------------------------------
case('DepthwiseConv2D multiplier 2, same, strides 2', 'DepthwiseConv2D', 2, [2, 6, 5, 3], dict(kernelSize=3, depthMultiplier=2, strides=2, padding='same'), 'depthwise')
case('DepthwiseConv2D dilation 2, relu', 'DepthwiseConv2D', 2, [1, 7, 7, 2], dict(kernelSize=3, dilationRate=2, activation='relu'), 'depthwise')
case('DepthwiseConv1D multiplier 3, same', 'DepthwiseConv1D', 1, [2, 8, 2], dict(kernelSize=3, depthMultiplier=3, padding='same'), 'depthwise')
case('SeparableConv2D multiplier 2, strides 2', 'SeparableConv2D', 2, [2, 6, 7, 3], dict(filters=4, kernelSize=3, depthMultiplier=2, strides=2), 'separable')
case('SeparableConv2D same, dilation 2, channels_first', 'SeparableConv2D', 2, [1, 2, 7, 6], dict(filters=3, kernelSize=3, dilationRate=2, padding='same', dataFormat='channels_first'), 'separable')
case('SeparableConv1D multiplier 2, same', 'SeparableConv1D', 1, [2, 7, 3], dict(filters=4, kernelSize=3, depthMultiplier=2, padding='same'), 'separable')
# --- pooling ------------------------------------------------------------------------------------
for mode, prefix in (('max', 'MaxPooling'), ('avg', 'AveragePooling')):
    case(f'{prefix}1D default', f'{prefix}1D', 1, [2, 9, 3], dict(), mode)
    case(f'{prefix}1D 3, strides 2, same', f'{prefix}1D', 1, [2, 8, 3], dict(poolSize=3, strides=2, padding='same'), mode)
    case(f'{prefix}2D default', f'{prefix}2D', 2, [2, 6, 7, 3], dict(), mode)
    case(f'{prefix}2D 3, strides 2, same', f'{prefix}2D', 2, [2, 7, 6, 2], dict(poolSize=3, strides=2, padding='same'), mode)
    case(f'{prefix}2D [2, 3], strides 1, channels_first', f'{prefix}2D', 2, [1, 3, 5, 6], dict(poolSize=[2, 3], strides=1, dataFormat='channels_first'), mode)
    case(f'{prefix}3D default', f'{prefix}3D', 3, [1, 4, 4, 5, 2], dict(), mode)
    case(f'{prefix}3D [2, 3, 2], strides [2, 2, 1], same', f'{prefix}3D', 3, [1, 3, 5, 4, 2], dict(poolSize=[2, 3, 2], strides=[2, 2, 1], padding='same'), mode)
for mode, prefix in (('gmax', 'GlobalMaxPooling'), ('gavg', 'GlobalAveragePooling')):
    case(f'{prefix}1D', f'{prefix}1D', 1, [2, 7, 3], dict(), mode)
    case(f'{prefix}2D keepdims', f'{prefix}2D', 2, [2, 4, 5, 3], dict(keepdims=True), mode)
    case(f'{prefix}2D channels_first', f'{prefix}2D', 2, [2, 3, 4, 5], dict(dataFormat='channels_first'), mode)
    case(f'{prefix}3D', f'{prefix}3D', 3, [1, 3, 4, 3, 2], dict(), mode)


def run(c):
    r = c['r']
    cfg = c['config']
    df = cfg.get('dataFormat', 'channels_last')
    x_np = cf(c['x'], 1)
    x, xt = to_torch(x_np, df)
    C = c['x'][-1] if df == 'channels_last' else c['x'][1]
    kind = c['kind']
    weights = {}  # name -> (torch tensor, salt)
    if kind in ('conv', 'convt', 'depthwise', 'separable'):
        ks = tup(cfg['kernelSize'], r)
        use_bias = cfg.get('useBias', True)
        if kind == 'conv':
            shapes = [('kernel', ks + [C // cfg.get('groups', 1), cfg['filters']])]
            out_c = cfg['filters']
        elif kind == 'convt':
            shapes = [('kernel', ks + [cfg['filters'], C])]
            out_c = cfg['filters']
        elif kind == 'depthwise':
            m = cfg.get('depthMultiplier', 1)
            shapes = [('kernel', ks + [C, m])]
            out_c = C * m
        else:
            m = cfg.get('depthMultiplier', 1)
            shapes = [('depthwise_kernel', ks + [C, m]), ('pointwise_kernel', [1] * r + [C * m, cfg['filters']])]
            out_c = cfg['filters']
        if use_bias:
            shapes.append(('bias', [out_c]))
        for i, (name, shape) in enumerate(shapes):
            salt = 3 + i
            weights[name] = (torch.tensor(cf(shape, salt), requires_grad=True), salt, shape)
        b = weights['bias'][0] if use_bias else None
        if kind == 'conv':
            y = conv_forward(xt, r, cfg, weights['kernel'][0], b)
        elif kind == 'convt':
            y = conv_transpose_forward(xt, r, cfg, weights['kernel'][0], b)
        elif kind == 'depthwise':
            y = depthwise_forward(xt, r, cfg, weights['kernel'][0], b)
        else:
            h = depthwise_forward(xt, r, dict(cfg, padding=cfg.get('padding', 'valid')), weights['depthwise_kernel'][0], None)
            y = CONV[r](h, kernel_to_torch(weights['pointwise_kernel'][0], r), b)
        if cfg.get('activation') == 'relu':
            assert y.abs().min() > 1e-2, 'a relu input sits near its kink (finite differences would cross it)'
            y = torch.relu(y)
    elif kind in ('max', 'avg'):
        y = pool_forward(xt, r, cfg, kind)
    else:
        y = global_forward(xt, r, cfg, 'max' if kind == 'gmax' else 'avg')
    if kind in ('max', 'avg', 'gmax', 'gavg', 'conv', 'convt', 'depthwise', 'separable') and y.dim() == 2 + r:
        y_k = from_torch(y, df)
    else:
        y_k = y
    G = torch.tensor(cf(list(y_k.shape), 99))
    (y_k * G).sum().backward()
    grads = {name: w.grad.numpy().ravel().tolist() for name, (w, _, _) in weights.items()}
    return {
        'name': c['name'],
        'className': c['cls'],
        'config': cfg,
        'inputShape': c['x'],
        'weightSalts': {name: salt for name, (_, salt, _) in weights.items()},
        'outputShape': list(y_k.shape),
        'output': y_k.detach().numpy().ravel().tolist(),
        'inputGrad': x.grad.numpy().ravel().tolist(),
        'weightGrads': grads,
    }


def f32(v):
    return float(np.float32(v))


out = []
for c in CASES:
    res = run(c)
    for key in ('output', 'inputGrad'):
        res[key] = [f32(v) for v in res[key]]
    res['weightGrads'] = {k: [f32(v) for v in g] for k, g in res['weightGrads'].items()}
    out.append(res)
json.dump({'generator': f'conv_reference.py (torch {torch.__version__}, float64, rounded to float32)', 'cases': out}, sys.stdout, separators=(',', ':'))
sys.stdout.write('\n')
