# Reference values for the vision layers of issue 11, part B (test/vision-b.test.ts and
# test/vision-b-training.test.ts): normalization, padding, cropping, up-sampling, permutation,
# merging, rescaling, resizing, cropping and the affine image transforms.
#
# Everything follows Keras 3's documented maths, computed independently in float64:
# - BatchNormalization, LayerNormalization, GroupNormalization: torch.nn.functional
#   (batch_norm / layer_norm / group_norm) on Keras's layouts, gradients by torch.autograd;
#   the moving-statistics update (Keras: biased batch variance) in numpy.
# - Resizing / UpSampling2D(bilinear) / CenterCrop: torch.nn.functional.interpolate
#   (half-pixel centres, align_corners=False, as TensorFlow's resize), nearest as torch's
#   'nearest-exact'; gradients by torch.autograd.
# - The affine transforms (RandomRotation/Translation/Zoom): a numpy re-implementation of
#   TensorFlow's ImageProjectiveTransformV3 (image_ops.h: MapCoordinate per fill mode, nearest
#   and bilinear interpolation), which Keras's TensorFlow backend calls.
# - The rest (padding, cropping, repetition, permutation, merges, Dot) in numpy.
#
# Regenerate (from packages/layers): /usr/bin/python3 test/reference/vision_b.py
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(11)
CASES = {}


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def rand(*shape, lo=-2.0, hi=2.0):
    return f32(rng.uniform(lo, hi, size=shape))


def away(*shape):
    # values at least 0.2 away from 0 and from each other's ties (max/min merges)
    v = rng.uniform(0.2, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    return f32(v)


def packed(a):
    a = np.asarray(a, dtype=np.float64)
    # 9 significant digits: every float32 input round-trips exactly, references keep ~1e-9
    return {'shape': list(a.shape), 'values': [float('%.9g' % v) for v in a.ravel()]}


def add(name, inputs, expected, **extra):
    ins = inputs if isinstance(inputs, list) else [inputs]
    outs = expected if isinstance(expected, list) else [expected]
    entry = {
        'inputs': [packed(a) for a in ins],
        'expected': [packed(o) for o in outs],
    }
    for k, v in extra.items():
        if isinstance(v, np.ndarray):
            entry[k] = packed(v)
        elif isinstance(v, dict):
            entry[k] = {kk: packed(vv) for kk, vv in v.items()}
        else:
            entry[k] = v
    CASES[name] = entry


def grads_of(fn, tensors, probe):
    ts = [torch.tensor(t, requires_grad=True) for t in tensors]
    y = fn(*ts)
    (y * torch.tensor(probe)).sum().backward()
    return y.detach().numpy(), [t.grad.numpy() for t in ts]


# ---- BatchNormalization -------------------------------------------------------------------
EPS = 1e-3
x = rand(4, 3, 3, 5)
gamma, beta = f32(rng.uniform(0.5, 1.5, 5)), f32(rng.uniform(-0.5, 0.5, 5))
mm, mv = f32(rng.uniform(-0.5, 0.5, 5)), f32(rng.uniform(0.5, 2.0, 5))
probe = rand(4, 3, 3, 5)


def bn_train(xx, g, b):
    y = F.batch_norm(xx.permute(0, 3, 1, 2), None, None, g, b, training=True, eps=EPS)
    return y.permute(0, 2, 3, 1)


y, (gx, gg, gb) = grads_of(bn_train, [x, gamma, beta], probe)
mean = x.mean(axis=(0, 1, 2))
var = x.var(axis=(0, 1, 2))  # biased, as Keras's ops.moments
add('BatchNormalization train', x, y, gamma=gamma, beta=beta, movingMean=mm, movingVariance=mv, probe=probe,
    grads={'x': gx, 'gamma': gg, 'beta': gb},
    movingAfter={'mean': mm * 0.99 + mean * 0.01, 'variance': mv * 0.99 + var * 0.01},
    movingAfterMomentum09={'mean': mm * 0.9 + mean * 0.1, 'variance': mv * 0.9 + var * 0.1})
add('BatchNormalization inference', x, (x - mm) / np.sqrt(mv + EPS) * gamma + beta, gamma=gamma, beta=beta, movingMean=mm, movingVariance=mv)
# channels first (axis 1), no center
xcf = rand(3, 4, 2, 2)
g4 = f32(rng.uniform(0.5, 1.5, 4))
probe = rand(3, 4, 2, 2)
ycf, (gx, gg) = grads_of(lambda a, g: F.batch_norm(a, None, None, g, None, training=True, eps=EPS), [xcf, g4], probe)
add('BatchNormalization axis 1 no center train', xcf, ycf, gamma=g4, probe=probe, grads={'x': gx, 'gamma': gg})

# ---- LayerNormalization -------------------------------------------------------------------
x = rand(3, 4, 6)
g6, b6 = f32(rng.uniform(0.5, 1.5, 6)), f32(rng.uniform(-0.5, 0.5, 6))
probe = rand(3, 4, 6)
y, (gx, gg, gb) = grads_of(lambda a, g, b: F.layer_norm(a, [6], g, b, EPS), [x, g6, b6], probe)
add('LayerNormalization', x, y, gamma=g6, beta=b6, probe=probe, grads={'x': gx, 'gamma': gg, 'beta': gb})
x = rand(2, 3, 4, 2)
g34 = f32(rng.uniform(0.5, 1.5, (3, 4)))
y = F.layer_norm(torch.tensor(x).permute(0, 3, 1, 2), [3, 4], torch.tensor(g34), None, EPS).permute(0, 2, 3, 1).numpy()
add('LayerNormalization axes 1 2 no center', x, y, gamma=g34)

# ---- GroupNormalization -------------------------------------------------------------------
x = rand(2, 3, 3, 6)
g6b, b6b = f32(rng.uniform(0.5, 1.5, 6)), f32(rng.uniform(-0.5, 0.5, 6))
probe = rand(2, 3, 3, 6)


def gn(groups):
    return lambda a, g, b: F.group_norm(a.permute(0, 3, 1, 2), groups, g, b, EPS).permute(0, 2, 3, 1)


y, (gx, gg, gb) = grads_of(gn(3), [x, g6b, b6b], probe)
add('GroupNormalization groups 3', x, y, gamma=g6b, beta=b6b, probe=probe, grads={'x': gx, 'gamma': gg, 'beta': gb})
y, (gx, gg, gb) = grads_of(gn(6), [x, g6b, b6b], probe)
add('GroupNormalization groups -1 (instance)', x, y, gamma=g6b, beta=b6b, probe=probe, grads={'x': gx, 'gamma': gg, 'beta': gb})
xc = rand(2, 4, 5)  # channels first, axis 1
y = F.group_norm(torch.tensor(xc), 2, None, None, EPS).numpy()
add('GroupNormalization axis 1 groups 2 no affine', xc, y)

# ---- UnitNormalization --------------------------------------------------------------------
x = rand(3, 5)
add('UnitNormalization', x, x / np.sqrt(np.maximum((x ** 2).sum(-1, keepdims=True), 1e-24)))
x = rand(2, 3, 4)
add('UnitNormalization axes 1 2', x, x / np.sqrt(np.maximum((x ** 2).sum((1, 2), keepdims=True), 1e-24)))

# ---- ZeroPadding, Cropping ----------------------------------------------------------------
x = rand(2, 4, 3)
add('ZeroPadding1D [1, 2]', x, np.pad(x, [(0, 0), (1, 2), (0, 0)]))
x = rand(2, 3, 4, 2)
add('ZeroPadding2D [[1, 0], [2, 1]]', x, np.pad(x, [(0, 0), (1, 0), (2, 1), (0, 0)]))
xcf = rand(2, 2, 3, 4)
add('ZeroPadding2D 1 channels_first', xcf, np.pad(xcf, [(0, 0), (0, 0), (1, 1), (1, 1)]))
x3 = rand(1, 2, 3, 2, 2)
add('ZeroPadding3D [1, 0, 2]', x3, np.pad(x3, [(0, 0), (1, 1), (0, 0), (2, 2), (0, 0)]))
x = rand(2, 6, 3)
add('Cropping1D [1, 2]', x, x[:, 1:4, :])
x = rand(2, 5, 6, 2)
add('Cropping2D [[1, 2], [0, 3]]', x, x[:, 1:3, 0:3, :])
xcf = rand(2, 2, 5, 4)
add('Cropping2D 1 channels_first', xcf, xcf[:, :, 1:4, 1:3])
x3 = rand(1, 4, 4, 5, 2)
add('Cropping3D [[1, 1], [0, 2], [2, 0]]', x3, x3[:, 1:3, 0:2, 2:5, :])

# ---- UpSampling ---------------------------------------------------------------------------
x = rand(2, 3, 2)
add('UpSampling1D 3', x, np.repeat(x, 3, axis=1))
x = rand(2, 2, 3, 2)
add('UpSampling2D [2, 3] nearest', x, np.repeat(np.repeat(x, 2, axis=1), 3, axis=2))
probe = rand(2, 4, 9, 2)


def bilinear(a, oh, ow):
    return F.interpolate(a.permute(0, 3, 1, 2), size=(oh, ow), mode='bilinear', align_corners=False).permute(0, 2, 3, 1)


y, (gx,) = grads_of(lambda a: bilinear(a, 4, 9), [x], probe)
add('UpSampling2D [2, 3] bilinear', x, y, probe=probe, grads={'x': gx})
x3 = rand(1, 2, 2, 1, 2)
add('UpSampling3D [2, 1, 3]', x3, np.repeat(np.repeat(np.repeat(x3, 2, axis=1), 1, axis=2), 3, axis=3))

# ---- Permute, RepeatVector ----------------------------------------------------------------
x = rand(2, 3, 4, 5)
add('Permute [3, 1, 2]', x, np.transpose(x, (0, 3, 1, 2)))
x = rand(3, 4)
add('RepeatVector 3', x, np.repeat(x[:, None, :], 3, axis=1))

# ---- merges -------------------------------------------------------------------------------
a, b, c = away(3, 4), away(3, 4), away(3, 4)
add('Multiply 3 inputs', [a, b, c], a * b * c)
add('Subtract', [a, b], a - b)
add('Average 3 inputs', [a, b, c], (a + b + c) / 3)
add('Maximum', [a, b], np.maximum(a, b))
add('Minimum 3 inputs', [a, b, c], np.minimum(np.minimum(a, b), c))
a3, b2 = away(3, 2, 4), away(3, 4)
add('Multiply ranks 3 and 2', [a3, b2], a3 * b2[:, None, :])
a1 = away(3, 1, 4)
add('Add-like broadcast: Maximum [3, 1, 4] and [3, 2, 4]', [a1, a3], np.maximum(a1, a3))
# Dot
p, q = rand(3, 5), rand(3, 5)
add('Dot 1', [p, q], (p * q).sum(1, keepdims=True))


def l2n(t, axis):
    return t / np.sqrt(np.maximum((t ** 2).sum(axis, keepdims=True), 1e-14))


add('Dot -1 normalize', [p, q], (l2n(p, 1) * l2n(q, 1)).sum(1, keepdims=True))
m1, m2 = rand(2, 3, 4), rand(2, 4, 5)
add('Dot [2, 1]', [m1, m2], np.einsum('bik,bkj->bij', m1, m2))
n1, n2 = rand(2, 4, 3), rand(2, 4, 5)
add('Dot [1, 1]', [n1, n2], np.einsum('bki,bkj->bij', n1, n2))
add('Dot [1, 1] normalize', [n1, n2], np.einsum('bki,bkj->bij', l2n(n1, 1), l2n(n2, 1)))
v1 = rand(2, 4)
add('Dot [1, 2] rank 2 and 3', [v1, m1], np.einsum('bk,bik->bi', v1, m1))

# ---- Rescaling, Resizing, CenterCrop, RandomCrop (inference) ------------------------------
x = f32(rng.integers(0, 256, size=(2, 3, 4, 3)))
add('Rescaling 1/255', x, x * np.float32(1 / 255))
add('Rescaling 1/127.5 offset -1', x, x * np.float32(1 / 127.5) - 1)
add('Rescaling per channel', x, x * np.array([0.5, 1.0, 2.0]) + np.array([1.0, 0.0, -1.0]))

img = rand(2, 5, 7, 3, lo=0, hi=1)


def resize(a, oh, ow, mode='bilinear'):
    t = torch.tensor(a).permute(0, 3, 1, 2)
    if mode == 'bilinear':
        r = F.interpolate(t, size=(oh, ow), mode='bilinear', align_corners=False)
    else:
        r = F.interpolate(t, size=(oh, ow), mode='nearest-exact')
    return r.permute(0, 2, 3, 1).numpy()


def crop_box(h, w, th, tw):
    ch = max(min(h, int(float(w * th) / tw)), 1)
    cw = max(min(w, int(float(h * tw) / th)), 1)
    return int(float(h - ch) / 2), int(float(w - cw) / 2), ch, cw


add('Resizing 8x4 bilinear', img, resize(img, 8, 4))
add('Resizing 3x10 nearest', img, resize(img, 3, 10, 'nearest'))
add('Resizing 2x3 bilinear (down)', img, resize(img, 2, 3))
top, left, ch, cw = crop_box(5, 7, 4, 4)
add('Resizing 4x4 cropToAspectRatio', img, resize(img[:, top:top + ch, left:left + cw], 4, 4))
# pad_to_aspect_ratio to 6x6: Keras pads one axis, the same amount on both sides
ph = max(5, int(float(7 * 6) / 6))
hs = int(float(ph - 5) / 2)
padded = np.pad(img, [(0, 0), (hs, hs), (0, 0), (0, 0)], constant_values=0.5)
add('Resizing 6x6 padToAspectRatio fill 0.5', img, resize(padded, 6, 6))
probe = rand(2, 4, 9, 3)
y, (gx,) = grads_of(lambda a: bilinear(a, 4, 9), [img], probe)
add('Resizing 4x9 gradient', img, y, probe=probe, grads={'x': gx})
add('CenterCrop 3x4', img, img[:, 1:4, 1:5])
top, left, ch, cw = crop_box(5, 7, 6, 6)
add('CenterCrop 6x6 (smart resize)', img, resize(img[:, top:top + ch, left:left + cw], 6, 6))
top, left, ch, cw = crop_box(5, 7, 3, 3)
add('RandomCrop 3x3 inference', img, resize(img[:, top:top + ch, left:left + cw], 3, 3))


# ---- affine transforms: TensorFlow's ImageProjectiveTransformV3 ----------------------------
def map_coord(c, n, mode):
    if mode == 'reflect':
        if c < 0:
            if n <= 1:
                c = 0.0
            else:
                sz2 = 2 * n
                if c < sz2:
                    c = sz2 * int(-c / sz2) + c
                c = c + sz2 if c < -n else -c - 1
        elif c > n - 1:
            if n <= 1:
                c = 0.0
            else:
                sz2 = 2 * n
                c -= sz2 * int(c / sz2)
                if c >= n:
                    c = sz2 - c - 1
        return min(max(c, 0.0), n - 1.0)
    if mode == 'wrap':
        if c < 0:
            if n <= 1:
                c = 0.0
            else:
                sz = n - 1
                c += n * (int(-c / sz) + 1)
        elif c > n - 1:
            if n <= 1:
                c = 0.0
            else:
                sz = n - 1
                c -= n * int(c / sz)
        return min(max(c, 0.0), n - 1.0)
    if mode == 'nearest':
        return min(max(c, 0.0), n - 1.0)
    return c  # constant


def transform(images, mats, interpolation, fill_mode, fill_value=0.0):
    b, h, w, ch = images.shape
    out = np.zeros_like(images)

    def read(i, y, x, k):
        if 0 <= y < h and 0 <= x < w:
            return images[i, int(y), int(x), k]
        return fill_value

    for i in range(b):
        t = mats[i]
        for y in range(h):
            for x in range(w):
                proj = t[6] * x + t[7] * y + 1
                ix = (t[0] * x + t[1] * y + t[2]) / proj
                iy = (t[3] * x + t[4] * y + t[5]) / proj
                xin, yin = map_coord(ix, w, fill_mode), map_coord(iy, h, fill_mode)
                for k in range(ch):
                    if interpolation == 'nearest':
                        # std::round: halves away from zero
                        ry = math.floor(yin + 0.5) if yin >= 0 else -math.floor(-yin + 0.5)
                        rx = math.floor(xin + 0.5) if xin >= 0 else -math.floor(-xin + 0.5)
                        out[i, y, x, k] = read(i, ry, rx, k)
                    else:
                        y0, x0 = math.floor(yin), math.floor(xin)
                        y1, x1 = y0 + 1, x0 + 1
                        top = (x1 - xin) * read(i, y0, x0, k) + (xin - x0) * read(i, y0, x1, k)
                        bot = (x1 - xin) * read(i, y1, x0, k) + (xin - x0) * read(i, y1, x1, k)
                        out[i, y, x, k] = (y1 - yin) * top + (yin - y0) * bot
    return out


def rotation(angle_turns, h, w):
    a = angle_turns * 2 * math.pi
    c, s = math.cos(a), math.sin(a)
    cx, cy = 0.5 * (w - 1), 0.5 * (h - 1)
    return [c, -s, cx - cx * c + cy * s, s, c, cy - cx * s - cy * c, 0, 0]


def translation(ty, tx):
    return [1, 0, -tx, 0, 1, -ty, 0, 0]


def zoom(zy, zx, h, w):
    return [zx, 0, (w - 1) / 2 * (1 - zx), 0, zy, (h - 1) / 2 * (1 - zy), 0, 0]


img = rand(2, 5, 6, 2, lo=0, hi=1)
for mode in ['reflect', 'wrap', 'constant', 'nearest']:
    for interp in ['bilinear', 'nearest']:
        mats = [rotation(0.1, 5, 6)] * 2
        add(f'RandomRotation 0.1 turn {mode} {interp}', img, transform(img, mats, interp, mode, 0.25))
# TensorFlow's gradient of the transform: the output gradient transformed by the inverse matrices
# (image_ops.py _image_projective_transform_grad), same interpolation and fill mode, fill 0


def inverse_flat(t):
    m = np.array([[t[0], t[1], t[2]], [t[3], t[4], t[5]], [t[6], t[7], 1.0]])
    inv = np.linalg.inv(m)
    inv = inv / inv[2, 2]
    return [inv[0, 0], inv[0, 1], inv[0, 2], inv[1, 0], inv[1, 1], inv[1, 2], inv[2, 0], inv[2, 1]]


probe = rand(2, 5, 6, 2)
mats = [rotation(0.1, 5, 6)] * 2
add('RandomRotation 0.1 turn gradient', img, transform(img, mats, 'bilinear', 'reflect'), probe=probe,
    grads={'x': transform(probe, [inverse_flat(m) for m in mats], 'bilinear', 'reflect', 0.0)})
mats = [translation(0.2 * 5, -0.3 * 6)] * 2
add('RandomTranslation [0.2, 0.2] [-0.3, -0.3] reflect bilinear', img, transform(img, mats, 'bilinear', 'reflect'))
mats = [zoom(1.5, 0.75, 5, 6)] * 2
add('RandomZoom [0.5, 0.5] [-0.25, -0.25] constant nearest', img, transform(img, mats, 'nearest', 'constant', 0.0))
mats = [zoom(0.6, 0.6, 5, 6)] * 2
add('RandomZoom [-0.4, -0.4] wrap bilinear', img, transform(img, mats, 'bilinear', 'wrap'))

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, 'vision-b.json'), 'w') as fh:
    json.dump({'generator': f'vision_b.py (numpy {np.__version__}, torch {torch.__version__}, float64)', 'cases': CASES}, fh, indent=None, separators=(',', ':'))
    fh.write('\n')
print(f'{len(CASES)} cases')
