"""Writes tiny_cnn.h5, a Keras 2 (TensorFlow backend) Sequential model in the HDF5 layout model.save() produces, and
tiny_cnn_expected.json, its softmax output for two fixed inputs computed here with numpy.

Needs only h5py and numpy (no TensorFlow): pip install h5py numpy && python3 make_tiny_cnn.py
The model: 8x8x1 input (channels_last) -> Conv2D(4, 3x3, relu) -> MaxPooling2D(2) -> Flatten -> Dense(16, relu,
name "features") -> Dense(3, softmax, name "predictions"), loss categorical_crossentropy. Weights are seeded random.
"""
import json

import h5py
import numpy as np

rng = np.random.default_rng(7)
kernel = rng.normal(0, 0.5, (3, 3, 1, 4)).astype(np.float32)      # Keras Conv2D kernel: (kh, kw, in, out)
conv_bias = rng.normal(0, 0.1, (4,)).astype(np.float32)
dense_kernel = rng.normal(0, 0.3, (36, 16)).astype(np.float32)    # Flatten of (3, 3, 4) in h, w, c order
dense_bias = rng.normal(0, 0.1, (16,)).astype(np.float32)
out_kernel = rng.normal(0, 0.3, (16, 3)).astype(np.float32)
out_bias = rng.normal(0, 0.1, (3,)).astype(np.float32)

init = {"kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None,
        "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
layers = [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 8, 8, 1], "dtype": "float32",
                                            "sparse": False, "ragged": False, "name": "conv2d_input"}},
    {"class_name": "Conv2D", "config": dict(name="conv2d", trainable=True, batch_input_shape=[None, 8, 8, 1],
                                            dtype="float32", filters=4, kernel_size=[3, 3], strides=[1, 1],
                                            padding="valid", data_format="channels_last", dilation_rate=[1, 1],
                                            groups=1, activation="relu", use_bias=True, **init)},
    {"class_name": "MaxPooling2D", "config": dict(name="max_pooling2d", trainable=True, dtype="float32",
                                                  pool_size=[2, 2], padding="valid", strides=[2, 2],
                                                  data_format="channels_last")},
    {"class_name": "Flatten", "config": dict(name="flatten", trainable=True, dtype="float32",
                                             data_format="channels_last")},
    {"class_name": "Dense", "config": dict(name="features", trainable=True, dtype="float32", units=16,
                                           activation="relu", use_bias=True, **init)},
    {"class_name": "Dense", "config": dict(name="predictions", trainable=True, dtype="float32", units=3,
                                           activation="softmax", use_bias=True, **init)},
]
model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
training_config = {"loss": "categorical_crossentropy", "metrics": ["accuracy"], "weighted_metrics": None,
                   "loss_weights": None, "optimizer_config": {"class_name": "SGD", "config": {
                       "name": "SGD", "learning_rate": 0.01, "decay": 0.0, "momentum": 0.0, "nesterov": False}}}
weights = {"conv2d": [("kernel:0", kernel), ("bias:0", conv_bias)], "max_pooling2d": [], "flatten": [],
           "features": [("kernel:0", dense_kernel), ("bias:0", dense_bias)],
           "predictions": [("kernel:0", out_kernel), ("bias:0", out_bias)]}

with h5py.File("tiny_cnn.h5", "w") as f:
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = b"2.4.0"
    f.attrs["model_config"] = json.dumps(model_config).encode()
    f.attrs["training_config"] = json.dumps(training_config).encode()
    mw = f.create_group("model_weights")
    mw.attrs["backend"] = b"tensorflow"
    mw.attrs["keras_version"] = b"2.4.0"
    mw.attrs["layer_names"] = np.array([name.encode() for name in weights], dtype="S")
    for name, params in weights.items():
        g = mw.create_group(name)
        g.attrs["weight_names"] = np.array([f"{name}/{w}".encode() for w, _ in params], dtype="S")
        for w, value in params:
            g.create_dataset(f"{name}/{w}", data=value)


def forward(x):  # x: (n, 8, 8, 1), channels_last
    n = x.shape[0]
    conv = np.zeros((n, 6, 6, 4), np.float64)
    for i in range(6):
        for j in range(6):
            patch = x[:, i:i + 3, j:j + 3, :]                      # (n, 3, 3, 1)
            conv[:, i, j, :] = np.tensordot(patch, kernel, axes=([1, 2, 3], [0, 1, 2]))
    conv = np.maximum(conv + conv_bias, 0)
    pooled = conv.reshape(n, 3, 2, 3, 2, 4).max(axis=(2, 4))      # (n, 3, 3, 4)
    hidden = np.maximum(pooled.reshape(n, 36) @ dense_kernel + dense_bias, 0)
    logits = hidden @ out_kernel + out_bias
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


inputs = np.stack([np.arange(64).reshape(8, 8) / 63.0, np.cos(np.arange(64)).reshape(8, 8)])[..., None]
with open("tiny_cnn_expected.json", "w") as f:
    json.dump({"inputs_hw": inputs[..., 0].tolist(), "softmax": forward(inputs).tolist()}, f, indent=1)
