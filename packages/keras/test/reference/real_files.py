"""Expected predictions of the real Keras files in ../fixtures/real, computed independently of
neurona: the file's weights are read with h5py and the forward pass is written here in numpy,
layer by layer, from the file's own config. Writes ../fixtures/real-expected.json.

Run: /usr/bin/python3 real_files.py   (numpy, h5py; no Keras)
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = os.path.join(HERE, "..", "fixtures", "real")

FILES = [
    "flownet-final-keras3.9.2.keras",
    "flownet-2506-keras3.9.2.keras",
    "hls4ml-mlp-streaming-keras2.11.keras",
    "dl4j-leakyrelu-keras2.3.1.h5",
    "dl4j-elu-keras2.3.1.h5",
    "dl4j-relu-keras2.3.1.h5",
    "dl4j-softmax-keras2.3.1.h5",
    "dl4j-sparse-xent-keras2.3.1.h5",
    "dl4j-tfkeras-mlp-2.2.4tf.h5",
    "dl4j-tfkeras-act-2.2.4tf.h5",
    "dl4j-adam-keras2.0.9.h5",
    "dl4j-dense-keras1.2.2.h5",
    "dl4j-dense-keras2.1.3.h5",
    "dl4j-embedding-keras2.3.1.h5",
]


def to_snake(name):
    import re
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def activation(name, x):
    if name in (None, "linear"):
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "elu":
        return np.where(x > 0, x, np.exp(x) - 1)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError(name)


def load(path):
    """(model_config, {layer name: [weights]}) of a .keras zip or a legacy HDF5 file."""
    with open(path, "rb") as f:
        head = f.read(4)
    if head[:2] == b"PK":
        with zipfile.ZipFile(path) as z:
            config = json.loads(z.read("config.json"))
            h5 = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
        layers = [l for l in config["config"]["layers"] if l["class_name"] != "InputLayer"]
        counts, weights = {}, {}
        for l in layers:
            base = to_snake(l["class_name"])
            n = counts.get(base)
            counts[base] = 0 if n is None else n + 1
            p = "layers/" + (base if n is None else f"{base}_{n + 1}") + "/vars"
            g = h5[p] if p in h5 else {}
            weights[l["config"]["name"]] = [np.array(g[str(i)]) for i in range(len(g))]
        return config, weights
    h5 = h5py.File(path, "r")
    config = json.loads(h5.attrs["model_config"])
    mw = h5["model_weights"]
    weights = {}
    for name in mw.attrs["layer_names"]:
        name = name.decode() if isinstance(name, bytes) else name
        g = mw[name]
        names = [n.decode() if isinstance(n, bytes) else n for n in g.attrs["weight_names"]]
        weights[name] = [np.array(g[n]) for n in names]
    return config, weights


def layer_list(config):
    c = config["config"]
    return c if isinstance(c, list) else c["layers"]


def forward(config, weights, x):
    # every model here is a chain (Sequential, or a functional chain)
    for l in layer_list(config):
        cls, c = l["class_name"], l["config"]
        w = weights.get(c.get("name", l.get("name")), [])
        if cls == "InputLayer" or cls == "Dropout":
            continue
        if cls == "Dense":
            x = x @ w[0]
            if len(w) > 1:
                x = x + w[1]
            x = activation(c.get("activation"), x)
        elif cls == "Activation":
            x = activation(c["activation"], x)
        elif cls == "LeakyReLU":
            a = c.get("negative_slope", c.get("alpha", 0.3))
            x = np.where(x >= 0, x, a * x)
        elif cls == "ELU":
            a = c.get("alpha", 1.0)
            x = np.where(x > 0, x, a * (np.exp(x) - 1))
        elif cls == "ReLU":
            mv, ns, th = c.get("max_value"), c.get("negative_slope", 0.0), c.get("threshold", 0.0)
            y = np.where(x >= th, x, ns * (x - th))
            x = np.minimum(y, mv) if mv is not None else y
        elif cls == "Softmax":
            x = activation("softmax", x)
        elif cls == "Embedding":
            x = w[0][x.astype(np.int64)]
        elif cls == "Flatten":
            x = x.reshape(x.shape[0], -1)
        else:
            raise ValueError(cls)
    return x


def input_width(config, weights):
    for l in layer_list(config):
        c = l["config"]
        for key in ("batch_shape", "batch_input_shape"):
            if key in c:
                return c[key][-1]
    raise ValueError("no input shape")


out = {}
rng = np.random.default_rng(20260101)
for f in FILES:
    config, weights = load(os.path.join(REAL, f))
    n = input_width(config, weights)
    first = layer_list(config)[0]
    if first["class_name"] == "Embedding":
        # token ids in [0, input_dim)
        x = rng.integers(0, first["config"]["input_dim"], size=(5, n)).astype(np.float32)
    else:
        x = rng.normal(size=(5, n)).astype(np.float32)
    # the forward pass in float64 from float32 weights: independent of any float32 summation order
    y = forward(config, {k: [v.astype(np.float64) for v in ws] for k, ws in weights.items()}, x.astype(np.float64))
    out[f] = {"input": x.tolist(), "output": y.tolist()}
with open(os.path.join(HERE, "..", "fixtures", "real-expected.json"), "w") as fh:
    json.dump(out, fh)
print("wrote", len(out), "files")
