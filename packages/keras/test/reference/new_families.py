"""Expected predictions of the Keras files of the vision and sequence families (real files in
../fixtures/real, files generated from Keras 3's layout in ../fixtures/generated), computed
independently of neurona: h5py reads the weights, the forward pass is written here in numpy
(float64) with Keras's maths: TF 'same' padding (extra padding after), causal padding, LSTM gates
i, f, c, o, GRU gates z, r, h with reset_after, BatchNormalization in inference, masking by
Masking / Embedding(mask_zero) carried through the recurrent layers, Keras 2's hard_sigmoid
(clip(0.2x + 0.5)) for files Keras 1/2 wrote and Keras 3's (relu6(x + 3) / 6) for Keras 3 files.

Writes ../fixtures/new-families-expected.json.
Run: /usr/bin/python3 new_families.py   (numpy, h5py; no Keras)
"""
import io
import json
import os
import re
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")

# file, input kind, input shape without the batch dimension (None: from the file)
FILES = [
    ("real/dl4j-masking-lstm-keras2.2.0.h5", "masked"),
    ("real/dl4j-bilstm-tfkeras2.2.4.h5", "normal"),
    ("real/dl4j-lstm-repeat-tfkeras2.2.4.h5", "normal"),
    ("real/dl4j-simplernn-tfkeras2.2.4.h5", "normal"),
    ("real/dl4j-functional-lstm-keras2.0.8.h5", "normal"),
    ("real/dl4j-cnn-batchnorm-keras2.1.3.h5", "normal"),
    ("real/dl4j-depthwise-tfkeras2.2.4.h5", "normal"),
    ("real/dl4j-causal-conv1d-tfkeras2.2.4.h5", "normal"),
    ("generated/embedding-gru-keras3.keras", "ids"),
    ("generated/convnet-keras3.keras", "normal"),
]


def to_snake(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def act(name, x, keras2):
    if name in (None, "linear"):
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "hard_sigmoid":
        return np.clip(0.2 * x + 0.5, 0, 1) if keras2 else np.clip(x + 3, 0, 6) / 6
    if name == "tanh":
        return np.tanh(x)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError(name)


def text(v):
    return v.decode() if isinstance(v, bytes) else v


def load(path):
    """(model config, {layer name: [weights]}, keras 2?) of a .keras zip or a legacy HDF5 file."""
    with open(path, "rb") as f:
        head = f.read(2)
    if head == b"PK":
        with zipfile.ZipFile(path) as z:
            config = json.loads(z.read("config.json"))
            h5 = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
        layers = [l for l in config["config"]["layers"] if l["class_name"] != "InputLayer"]
        counts, weights = {}, {}
        for l in layers:
            base = to_snake(l["class_name"])
            n = counts.get(base)
            counts[base] = 0 if n is None else n + 1
            p = "layers/" + (base if n is None else f"{base}_{n + 1}")
            # saving_lib's paths: a layer's own vars, a recurrent layer's cell, a wrapper's layers
            subs = {
                "Bidirectional": ["forward_layer/cell/vars", "backward_layer/cell/vars"],
                "LSTM": ["cell/vars"],
                "GRU": ["cell/vars"],
                "SimpleRNN": ["cell/vars"],
            }.get(l["class_name"], ["vars"])
            ws = []
            for s in subs:
                g = h5[f"{p}/{s}"]
                ws += [np.array(g[str(i)]) for i in range(len(g))]
            weights[l["config"]["name"]] = ws
        return config, weights, False
    h5 = h5py.File(path, "r")
    config = json.loads(h5.attrs["model_config"])
    version = text(h5.attrs.get("keras_version", "1"))
    mw = h5["model_weights"]
    weights = {}
    for name in mw.attrs["layer_names"]:
        name = text(name)
        g = mw[name]
        weights[name] = [np.array(g[text(n)]) for n in g.attrs["weight_names"]]
    return config, weights, not version.startswith("3")


def layer_list(config):
    c = config["config"]
    return c if isinstance(c, list) else c["layers"]


def same_pad(n, k, s, d):
    """TF's 'same' padding of one axis: (before, after), the odd one after."""
    eff = (k - 1) * d + 1
    out = -(-n // s)
    total = max((out - 1) * s + eff - n, 0)
    return total // 2, total - total // 2


def conv(x, w, strides, padding, dilation, depthwise=False):
    """N-d convolution, channels last: x [b, *spatial, cin], w [*k, cin, cout] (or [*k, cin, mult])."""
    nd = x.ndim - 2
    ks = w.shape[:nd]
    pads = []
    for i in range(nd):
        if padding == "same":
            pads.append(same_pad(x.shape[1 + i], ks[i], strides[i], dilation[i]))
        elif padding == "causal":
            pads.append(((ks[i] - 1) * dilation[i], 0))
        else:
            pads.append((0, 0))
    x = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    outs = [(x.shape[1 + i] - ((ks[i] - 1) * dilation[i] + 1)) // strides[i] + 1 for i in range(nd)]
    cin = x.shape[-1]
    cout = cin * w.shape[-1] if depthwise else w.shape[-1]
    y = np.zeros((x.shape[0], *outs, cout))
    for idx in np.ndindex(*ks):
        sl = tuple(slice(idx[i] * dilation[i], idx[i] * dilation[i] + (outs[i] - 1) * strides[i] + 1, strides[i]) for i in range(nd))
        patch = x[(slice(None),) + sl + (slice(None),)]
        if depthwise:
            # output channel c * mult + m
            y += (patch[..., :, None] * w[idx][None]).reshape(*patch.shape[:-1], cout)
        else:
            y += patch @ w[idx]
    return y


def max_pool(x, pool, strides, padding):
    nd = x.ndim - 2
    if padding == "same":
        pads = [same_pad(x.shape[1 + i], pool[i], strides[i], 1) for i in range(nd)]
        x = np.pad(x, [(0, 0)] + pads + [(0, 0)], constant_values=-np.inf)
    outs = [(x.shape[1 + i] - pool[i]) // strides[i] + 1 for i in range(nd)]
    y = np.full((x.shape[0], *outs, x.shape[-1]), -np.inf)
    for idx in np.ndindex(*pool):
        sl = tuple(slice(idx[i], idx[i] + (outs[i] - 1) * strides[i] + 1, strides[i]) for i in range(nd))
        y = np.maximum(y, x[(slice(None),) + sl + (slice(None),)])
    return y


def run_rnn(cls, c, w, x, mask, keras2, go_backwards=False):
    """One recurrent layer over [b, t, f]; masked steps keep the state and repeat the output."""
    units = c["units"]
    a, ra = c.get("activation", "tanh"), c.get("recurrent_activation", "sigmoid")
    b, t = x.shape[0], x.shape[1]
    h = np.zeros((b, units))
    cell = np.zeros((b, units))
    steps = range(t - 1, -1, -1) if go_backwards else range(t)
    outs = []
    use_bias = c.get("use_bias", True)
    for s in steps:
        xt = x[:, s]
        if cls == "LSTM":
            z = xt @ w[0] + h @ w[1] + (w[2] if use_bias else 0)
            i, f, g, o = np.split(z, 4, axis=-1)
            nc = act(ra, f, keras2) * cell + act(ra, i, keras2) * act(a, g, keras2)
            nh = act(ra, o, keras2) * act(a, nc, keras2)
        elif cls == "GRU":
            reset_after = c.get("reset_after", False)
            bias = w[2] if use_bias else np.zeros((2, 3 * units)) if reset_after else np.zeros(3 * units)
            bi, br = (bias[0], bias[1]) if reset_after else (bias, np.zeros(3 * units))
            xz, xr, xh = np.split(xt @ w[0] + bi, 3, axis=-1)
            uz, ur, uh = np.split(w[1], 3, axis=-1)
            brz, brr, brh = np.split(br, 3)
            z = act(ra, xz + h @ uz + brz, keras2)
            r = act(ra, xr + h @ ur + brr, keras2)
            hh = act(a, xh + r * (h @ uh + brh), keras2) if reset_after else act(a, xh + (r * h) @ uh, keras2)
            nh = z * h + (1 - z) * hh
            nc = cell
        elif cls == "SimpleRNN":
            nh = act(a, xt @ w[0] + h @ w[1] + (w[2] if use_bias else 0), keras2)
            nc = cell
        else:
            raise ValueError(cls)
        if mask is not None:
            m = mask[:, s][:, None]
            nh = np.where(m, nh, h)
            nc = np.where(m, nc, cell)
        h, cell = nh, nc
        outs.append(h)
    if c.get("return_sequences"):
        y = np.stack(outs, axis=1)
        return y[:, ::-1] if go_backwards else y
    return h


def forward(config, weights, x, keras2):
    """Every model here is a chain (Sequential, or a functional chain)."""
    mask = None
    for l in layer_list(config):
        cls, c = l["class_name"], l["config"]
        w = weights.get(c.get("name", l.get("name")), [])
        fmt = c.get("data_format", "channels_last")
        if fmt not in ("channels_last", None):
            raise ValueError(f"{cls}: {fmt}")
        if cls in ("InputLayer", "Dropout", "SpatialDropout2D"):
            continue
        if cls == "Masking":
            mask = np.any(x != c.get("mask_value", 0.0), axis=-1)
            x = x * mask[..., None]
        elif cls == "Embedding":
            ids = x.astype(np.int64)
            if c.get("mask_zero"):
                mask = ids != 0
            x = w[0][ids]
        elif cls == "Dense":
            x = x @ w[0] + (w[1] if len(w) > 1 else 0)
            x = act(c.get("activation"), x, keras2)
        elif cls == "Activation":
            x = act(c["activation"], x, keras2)
        elif cls in ("LSTM", "GRU", "SimpleRNN"):
            seq = c.get("return_sequences")
            x = run_rnn(cls, c, w, x, mask, keras2, c.get("go_backwards", False))
            mask = mask if seq else None
        elif cls == "Bidirectional":
            inner = c["layer"]["config"]
            half = len(w) // 2
            fwd = run_rnn(c["layer"]["class_name"], inner, w[:half], x, mask, keras2)
            bwd = run_rnn(c["layer"]["class_name"], inner, w[half:], x, mask, keras2, go_backwards=True)
            if c.get("merge_mode", "concat") != "concat":
                raise ValueError(c["merge_mode"])
            x = np.concatenate([fwd, bwd], axis=-1)
            mask = mask if inner.get("return_sequences") else None
        elif cls == "RepeatVector":
            x = np.repeat(x[:, None], c["n"], axis=1)
        elif cls in ("Conv1D", "Conv2D", "DepthwiseConv2D"):
            nd = x.ndim - 2
            y = conv(x, w[0], c["strides"], c["padding"], c.get("dilation_rate", [1] * nd), cls == "DepthwiseConv2D")
            if c.get("use_bias", True):
                y = y + w[1]
            x = act(c.get("activation"), y, keras2)
        elif cls == "BatchNormalization":
            # weights: gamma, beta (when scale/center), moving mean, moving variance
            ws = list(w)
            gamma = ws.pop(0) if c.get("scale", True) else 1.0
            beta = ws.pop(0) if c.get("center", True) else 0.0
            mean, var = ws
            x = gamma * (x - mean) / np.sqrt(var + c.get("epsilon", 1e-3)) + beta
        elif cls == "MaxPooling2D":
            x = max_pool(x, c["pool_size"], c["strides"] or c["pool_size"], c["padding"])
        elif cls == "GlobalMaxPooling2D":
            x = x.max(axis=(1, 2))
        elif cls == "ZeroPadding2D":
            (t, b), (le, r) = c["padding"]
            x = np.pad(x, [(0, 0), (t, b), (le, r), (0, 0)])
        elif cls == "Cropping2D":
            (t, b), (le, r) = c["cropping"]
            x = x[:, t : x.shape[1] - b, le : x.shape[2] - r]
        elif cls == "UpSampling2D":
            sh, sw = c["size"]
            x = np.repeat(np.repeat(x, sh, axis=1), sw, axis=2)
        elif cls == "Flatten":
            x = x.reshape(x.shape[0], -1)
        else:
            raise ValueError(cls)
    return x


def input_shape(config):
    for l in layer_list(config):
        c = l["config"]
        for key in ("batch_shape", "batch_input_shape"):
            if key in c:
                return c[key][1:], l
    raise ValueError("no input shape")


def main():
    out = {}
    rng = np.random.default_rng(20260113)
    for f, kind in FILES:
        path = os.path.join(FIXTURES, f)
        config, weights, keras2 = load(path)
        shape, first = input_shape(config)
        if kind == "ids":
            vocab = next(l["config"]["input_dim"] for l in layer_list(config) if l["class_name"] == "Embedding")
            x = rng.integers(1, vocab, size=(4, *shape)).astype(np.float32)
            # trailing padding, of different lengths, and a fully padded row
            x[0, -2:] = 0
            x[1, -1:] = 0
            x[3, :] = 0
        else:
            x = rng.normal(size=(4, *shape)).astype(np.float32)
            if kind == "masked":
                x[0, -3:] = 0
                x[1, 4:6] = 0
                x[2, :] = 0
        y = forward(config, {k: [v.astype(np.float64) for v in ws] for k, ws in weights.items()}, x.astype(np.float64), keras2)
        out[os.path.basename(f)] = {"dir": os.path.dirname(f), "shape": list(x.shape), "input": x.ravel().tolist(), "outputShape": list(y.shape), "output": y.ravel().tolist()}
    with open(os.path.join(FIXTURES, "new-families-expected.json"), "w") as fh:
        json.dump(out, fh)
    print("wrote", len(out), "files")


if __name__ == "__main__":
    main()
