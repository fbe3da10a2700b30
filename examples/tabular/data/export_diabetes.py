"""Export scikit-learn's bundled diabetes table (Efron et al. 2004: 442 patients, 10 baseline
variables in their original units, and a disease progression score one year later) once, as
diabetes.csv with a fixed 80/20 train/test split column, and fit the baselines the example is
compared with (scikit-learn 1.2, committed in baselines.json).
Run: /usr/bin/python3 export_diabetes.py"""
import json
import os

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

here = os.path.dirname(os.path.abspath(__file__))
d = load_diabetes(scaled=False)
X, y = d.data, d.target
names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
rng = np.random.default_rng(2024)
test = np.zeros(len(y), dtype=bool)
test[rng.permutation(len(y))[: round(0.2 * len(y))]] = True
with open(os.path.join(here, "diabetes.csv"), "w") as f:
    f.write(",".join(names + ["target", "split"]) + "\n")
    for row, t, is_test in zip(X, y, test):
        f.write(",".join(f"{v:g}" for v in row) + f",{t:g},{'test' if is_test else 'train'}\n")

def scores(model):
    model.fit(X[~test], y[~test])
    p = model.predict(X[test])
    return {
        "mae": mean_absolute_error(y[test], p),
        "rmse": mean_squared_error(y[test], p) ** 0.5,
        "r2": r2_score(y[test], p),
    }

mean_pred = np.full(test.sum(), y[~test].mean())
out = {
    "rows": int(len(y)), "train": int((~test).sum()), "test": int(test.sum()),
    "mean_predictor": {"mae": mean_absolute_error(y[test], mean_pred), "rmse": mean_squared_error(y[test], mean_pred) ** 0.5, "r2": r2_score(y[test], mean_pred)},
    "linear_regression": scores(LinearRegression()),
    "ridge_alpha_1_standardized": scores(__import__("sklearn.pipeline", fromlist=["make_pipeline"]).make_pipeline(__import__("sklearn.preprocessing", fromlist=["StandardScaler"]).StandardScaler(), Ridge(alpha=1.0))),
    "train_mean": X[~test].mean(axis=0).tolist(),
    "train_variance": X[~test].var(axis=0).tolist(),
}
with open(os.path.join(here, "baselines.json"), "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps({k: v for k, v in out.items() if not k.startswith("train_")}, indent=1))
