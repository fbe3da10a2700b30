"""Keras 3 `.keras` files for the families no permissively licensed real `.keras` file was found
for, written with h5py + zipfile from Keras 3.9's documented layout (keras/src/saving/saving_lib.py:
metadata.json, config.json from serialize_keras_object, model.weights.h5 with
layers/<snake class>[_n]/vars/<i>, a recurrent layer's weights under cell/vars), not by Keras:

- generated/embedding-gru-keras3.keras: Embedding(20, 8, mask_zero) → GRU(6, reset_after) → Dense(3, softmax)
- generated/convnet-keras3.keras: Conv2D(4, 3, same, relu) → BatchNormalization → MaxPooling2D(2)
  → Conv2D(6, 3, valid) → Dropout(0.25) → Flatten → Dense(5, softmax)

Weights are random (seeded). Run: /usr/bin/python3 generate_keras3.py, then new_families.py.
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "generated")


def obj(module, cls, config):
    return {"module": module, "class_name": cls, "config": config, "registered_name": None}


POLICY = obj("keras", "DTypePolicy", {"name": "float32"})


def init(cls, **config):
    return obj("keras.initializers", cls, config)


def layer(cls, config, input_shape=None):
    e = obj("keras.layers", cls, {"trainable": True, "dtype": POLICY, **config})
    if input_shape is not None:
        e["build_config"] = {"input_shape": input_shape}
    return e


def sequential(name, input_shape, dtype, layers):
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": POLICY,
            "layers": [obj("keras.layers", "InputLayer", {"batch_shape": [None, *input_shape], "dtype": dtype, "sparse": False, "ragged": False, "name": "input_layer"})] + layers,
        },
        "registered_name": None,
        "build_config": {"input_shape": [None, *input_shape]},
        "compile_config": None,
    }


def write(name, config, groups):
    """groups: {path of a vars group: [arrays]} (every layer's vars group, empty ones too)."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as h5:
        for path, arrays in groups.items():
            g = h5.require_group(path)
            g.attrs["name"] = path.split("/")[1] if path.startswith("layers/") else config["config"]["name"]
            for i, a in enumerate(arrays):
                g.create_dataset(str(i), data=a.astype(np.float32))
        h5.require_group("vars").attrs["name"] = config["config"]["name"]
    os.makedirs(OUT, exist_ok=True)
    with zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_STORED) as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.9.2", "date_saved": "2026-01-13@12:00:00"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", buf.getvalue())


def embedding_gru(rng):
    units, dim, vocab, t = 6, 8, 20, 7
    config = sequential(
        "embedding_gru",
        [t],
        "int32",
        [
            layer("Embedding", {"name": "embedding", "input_dim": vocab, "output_dim": dim, "embeddings_initializer": init("RandomUniform", minval=-0.05, maxval=0.05, seed=None), "embeddings_regularizer": None, "activity_regularizer": None, "embeddings_constraint": None, "mask_zero": True}, [None, t]),
            layer(
                "GRU",
                {
                    "name": "gru", "return_sequences": False, "return_state": False, "go_backwards": False, "stateful": False, "unroll": False, "zero_output_for_mask": False,
                    "units": units, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
                    "kernel_initializer": init("GlorotUniform", seed=None), "recurrent_initializer": init("Orthogonal", gain=1.0, seed=None), "bias_initializer": init("Zeros"),
                    "kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
                    "kernel_constraint": None, "recurrent_constraint": None, "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0, "reset_after": True, "seed": None,
                },
                [None, t, dim],
            ),
            layer("Dense", {"name": "dense", "units": 3, "activation": "softmax", "use_bias": True, "kernel_initializer": init("GlorotUniform", seed=None), "bias_initializer": init("Zeros"), "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None}, [None, units]),
        ],
    )
    n = lambda *s: rng.normal(0, 0.5, size=s)
    write(
        "embedding-gru-keras3.keras",
        config,
        {
            "layers/embedding/vars": [n(vocab, dim)],
            "layers/gru/vars": [],
            "layers/gru/cell/vars": [n(dim, 3 * units), n(units, 3 * units), n(2, 3 * units)],
            "layers/dense/vars": [n(units, 3), n(3)],
        },
    )


def convnet(rng):
    conv = lambda name, filters, padding, shape: layer(
        "Conv2D",
        {
            "name": name, "filters": filters, "kernel_size": [3, 3], "strides": [1, 1], "padding": padding, "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
            "activation": "relu" if name == "conv2d" else "linear", "use_bias": True, "kernel_initializer": init("GlorotUniform", seed=None), "bias_initializer": init("Zeros"),
            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
        },
        shape,
    )
    config = sequential(
        "convnet",
        [8, 8, 3],
        "float32",
        [
            conv("conv2d", 4, "same", [None, 8, 8, 3]),
            layer(
                "BatchNormalization",
                {
                    "name": "batch_normalization", "axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True,
                    "beta_initializer": init("Zeros"), "gamma_initializer": init("Ones"), "moving_mean_initializer": init("Zeros"), "moving_variance_initializer": init("Ones"),
                    "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None, "synchronized": False,
                },
                [None, 8, 8, 4],
            ),
            layer("MaxPooling2D", {"name": "max_pooling2d", "pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}),
            conv("conv2d_1", 6, "valid", [None, 4, 4, 4]),
            layer("Dropout", {"name": "dropout", "rate": 0.25, "seed": None, "noise_shape": None}),
            layer("Flatten", {"name": "flatten", "data_format": "channels_last"}),
            layer("Dense", {"name": "dense", "units": 5, "activation": "softmax", "use_bias": True, "kernel_initializer": init("GlorotUniform", seed=None), "bias_initializer": init("Zeros"), "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None}, [None, 24]),
        ],
    )
    n = lambda *s: rng.normal(0, 0.5, size=s)
    write(
        "convnet-keras3.keras",
        config,
        {
            "layers/conv2d/vars": [n(3, 3, 3, 4), n(4)],
            # gamma, beta, moving mean, moving variance
            "layers/batch_normalization/vars": [1 + n(4), n(4), n(4), rng.uniform(0.5, 2, size=4)],
            "layers/max_pooling2d/vars": [],
            "layers/conv2d_1/vars": [n(3, 3, 4, 6), n(6)],
            "layers/dropout/vars": [],
            "layers/flatten/vars": [],
            "layers/dense/vars": [n(24, 5), n(5)],
        },
    )


if __name__ == "__main__":
    rng = np.random.default_rng(13)
    embedding_gru(rng)
    convnet(rng)
    print("wrote", os.listdir(OUT))
