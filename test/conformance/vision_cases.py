"""Expected values of the vision conformance vectors (vectors-vision.ts), in float64 with torch.

Imported by generate_expected.py. Inputs mirror `seq` of inputs.ts; layouts are channels last
(kernels [k..., in/groups, out], transposed kernels [k..., out, in], depthwise [k..., in, mult]).
'same' padding is TensorFlow's (the odd cell after); an average over a 'same' window counts only
its real cells; a transposed convolution is the input gradient of the convolution whose input
has its output's size (TensorFlow's conv_transpose).
"""
import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def seq(shape, salt, scale=1.0):
    n = int(np.prod(shape))
    i = np.arange(n)
    return torch.tensor(((((i * 37 + salt * 101) % 257) - 128) / 128.0).reshape(shape) * scale)


def same_pads(n, k, s, d=1):
    keff = (k - 1) * d + 1
    total = max((-(-n // s) - 1) * s + keff - n, 0)
    return total // 2, total - total // 2


def pad(x, pads, value=0.0):
    """x: N C spatial...; pads per spatial axis (before, after)."""
    flat = []
    for b, a in reversed(pads):
        flat += [b, a]
    return F.pad(x, flat, value=value)


def nc(x):
    return x.movedim(-1, 1)


def nl(y):
    return y.movedim(1, -1)


def w_torch(k, r):
    return k.permute(r + 1, r, *range(r))


CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


def conv(x, k, bias=None, strides=None, padding='valid', dilations=None, groups=1, relu=False):
    r = k.dim() - 2
    strides = strides or [1] * r
    dilations = dilations or [1] * r
    xt = nc(x)
    ks = list(k.shape[:r])
    if padding == 'same':
        xt = pad(xt, [same_pads(xt.shape[2 + i], ks[i], strides[i], dilations[i]) for i in range(r)])
    elif padding == 'causal':
        xt = pad(xt, [((ks[0] - 1) * dilations[0], 0)])
    y = CONV[r](xt, w_torch(k, r), bias, stride=strides, dilation=dilations, groups=groups)
    return nl(torch.relu(y) if relu else y)


def pool(x, k, s, padding, mode):
    r = len(k)
    xt = nc(x)
    pads = [same_pads(xt.shape[2 + i], k[i], s[i]) for i in range(r)] if padding == 'same' else [(0, 0)] * r
    if mode == 'max':
        return nl({1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[r](pad(xt, pads, -float('inf')), k, s))
    avg = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[r]
    return nl(avg(pad(xt, pads), k, s) / avg(pad(torch.ones_like(xt), pads), k, s))


def conv_transpose_same(x, k, s):
    """Keras Conv2DTranspose 'same', no output padding: output = input * s."""
    xt = nc(x)
    kh, kw = k.shape[:2]
    y = F.conv_transpose2d(xt, k.permute(3, 2, 0, 1), stride=s)
    out = [xt.shape[2] * s, xt.shape[3] * s]
    for i, kk in enumerate((kh, kw)):
        total = max((xt.shape[2 + i] - 1) * s + kk - out[i], 0)
        y = y.narrow(2 + i, total // 2, out[i])
    return nl(y)


def depthwise(x, k, strides, padding):
    C, M = k.shape[2], k.shape[3]
    return conv(x, k.reshape(k.shape[0], k.shape[1], 1, C * M), strides=strides, padding=padding, groups=C)


def convnet_gradients():
    x = seq([2, 7, 7, 2], 41)
    labels = torch.tensor([[1.0, 0, 0], [0, 0, 1]])
    p = [seq([3, 3, 2, 4], 42, 0.5), seq([4], 43, 0.25), seq([2, 2, 4, 3], 44, 0.5)]
    for t in p:
        t.requires_grad_(True)
    h1 = conv(x, p[0], p[1], relu=True)
    h2 = pool(h1, [2, 2], [1, 1], 'valid', 'avg')
    h3 = conv(h2, p[2], strides=[2, 2])
    flat = h3.reshape(2, -1, 3)
    top = flat.topk(2, dim=1).values
    assert (top[:, 0] - top[:, 1]).abs().min() > 1e-6, 'tie in a max-pool window'
    h4 = pool(h3, [2, 2], [2, 2], 'same', 'max')
    loss = -(labels * torch.log_softmax(h4.reshape(2, 3), 1)).sum(1).mean()
    loss.backward()
    return [loss.detach().numpy()] + [t.grad.numpy() for t in p]


VISION_CASES = {
    'conv 2-D valid': lambda: conv(seq([2, 5, 6, 3], 31), seq([3, 3, 3, 4], 32, 0.5)),
    'conv 2-D same stride 2 bias relu': lambda: conv(seq([2, 7, 6, 3], 33), seq([3, 2, 3, 5], 34, 0.5), seq([5], 35), strides=[2, 2], padding='same', relu=True),
    'conv 2-D dilation 2 groups 2': lambda: conv(seq([1, 8, 8, 4], 36), seq([3, 3, 2, 6], 37, 0.5), dilations=[2, 2], groups=2, padding='same'),
    'conv 1-D causal dilation 2': lambda: conv(seq([2, 9, 3], 38), seq([3, 3, 4], 39, 0.5), padding='causal', dilations=[2]),
    'conv 3-D strides [1, 2, 1]': lambda: conv(seq([1, 4, 5, 4, 2], 40), seq([2, 3, 2, 2, 3], 45, 0.5), strides=[1, 2, 1]),
    'convTranspose 2-D same stride 2': lambda: conv_transpose_same(seq([1, 3, 4, 2], 46), seq([3, 3, 3, 2], 47, 0.5), 2),
    'depthwiseConv 2-D multiplier 2 stride 2': lambda: depthwise(seq([2, 6, 5, 3], 48), seq([3, 3, 3, 2], 49, 0.5), [2, 2], 'same'),
    'maxPooling 2-D 2x2': lambda: pool(seq([2, 6, 7, 3], 50), [2, 2], [2, 2], 'valid', 'max'),
    'maxPooling 2-D 3 stride 2 same': lambda: pool(seq([2, 7, 6, 2], 51), [3, 3], [2, 2], 'same', 'max'),
    'averagePooling 2-D 3 stride 2 same': lambda: pool(seq([2, 7, 6, 2], 52), [3, 3], [2, 2], 'same', 'avg'),
    'averagePooling 3-D 2': lambda: pool(seq([1, 4, 4, 4, 2], 53), [2, 2, 2], [2, 2, 2], 'valid', 'avg'),
    'convnet loss and gradients': convnet_gradients,
}
