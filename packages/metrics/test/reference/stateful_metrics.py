# Reference values for the stateful metrics (test/stateful-reference.test.ts).
#
# - Precision, Recall, F1, FBeta over several batches must equal scikit-learn 1.2 on all samples at
#   once (with sample weights as Keras applies them).
# - AUC must equal a numpy re-implementation of Keras 3's algorithm (keras/src/metrics/
#   confusion_metrics.py AUC and metrics_utils.update_confusion_matrix_variables: thresholds with
#   epsilon ends, the bucket method for evenly spaced thresholds, Davis & Goadrich interpolation for
#   PR); scikit-learn's roc_auc_score / average_precision_score are given too, to measure what the
#   200-threshold approximation costs.
#
# Regenerate (from packages/metrics): /usr/bin/python3 test/reference/stateful_metrics.py
import json
import os

import numpy as np
from sklearn.metrics import (average_precision_score, f1_score, fbeta_score, precision_score,
                             recall_score, roc_auc_score)

EPS = 1e-7  # keras.backend.epsilon()
rng = np.random.default_rng(10)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def listify(a):
    return np.asarray(a).tolist()


# ---------------------------------------------------------------- classification (one-hot, 4 classes)
n, c = 157, 4
labels = rng.integers(0, c, n)
logits = rng.normal(size=(n, c)).astype(np.float32) + 1.5 * np.eye(c, dtype=np.float32)[labels]
probs = f32(np.exp(logits) / np.exp(logits).sum(1, keepdims=True))
onehot = np.eye(c, dtype=np.float32)[labels]
weights = f32(np.round(rng.uniform(0, 2, n), 2))
weights[::13] = 0  # masked samples
batches = [32, 32, 32, 32, 29]
arg = probs.argmax(1)
assert (np.sort(probs, 1)[:, -1] > np.sort(probs, 1)[:, -2]).all()  # no arg-max ties


def cls_expected(sw):
    e = {}
    for avg in ['micro', 'macro', 'weighted']:
        e[f'f1_{avg}'] = f1_score(labels, arg, average=avg, sample_weight=sw)
        e[f'fbeta2_{avg}'] = fbeta_score(labels, arg, beta=2, average=avg, sample_weight=sw)
        e[f'fbeta05_{avg}'] = fbeta_score(labels, arg, beta=0.5, average=avg, sample_weight=sw)
        # threshold 0.3: a multi-label decision per output
        e[f'f1_thr03_{avg}'] = f1_score(onehot, probs > 0.3, average=avg, sample_weight=sw, zero_division=0)
    # Keras's Precision/Recall flatten the outputs: the micro average of the multi-label problem
    e['precision_flat'] = precision_score(onehot, probs > 0.5, average='micro', sample_weight=sw)
    e['recall_flat'] = recall_score(onehot, probs > 0.5, average='micro', sample_weight=sw)
    e['precision_flat_thr02'] = precision_score(onehot, probs > 0.2, average='micro', sample_weight=sw)
    e['precision_class2'] = precision_score(onehot[:, 2], probs[:, 2] > 0.5, sample_weight=sw)
    e['recall_class2'] = recall_score(onehot[:, 2], probs[:, 2] > 0.5, sample_weight=sw)
    return e


classification = dict(yTrue=listify(onehot), yPred=listify(probs), weights=listify(weights), batches=batches,
                      expected=cls_expected(None), weighted=cls_expected(weights))

# ---------------------------------------------------------------- binary (one sigmoid output)
nb = 203
yb = rng.integers(0, 2, nb)
pb = f32(1 / (1 + np.exp(-(1.2 * (2 * yb - 1) + rng.normal(size=nb)))))
wb = f32(np.round(rng.uniform(0, 3, nb), 1))


def bin_expected(sw):
    return dict(precision=precision_score(yb, pb > 0.5, sample_weight=sw),
                recall=recall_score(yb, pb > 0.5, sample_weight=sw),
                precision_thr07=precision_score(yb, pb > 0.7, sample_weight=sw),
                recall_thr07=recall_score(yb, pb > 0.7, sample_weight=sw))


binary = dict(yTrue=listify(yb), yPred=listify(pb), weights=listify(wb), batches=[50, 50, 50, 53],
              expected=bin_expected(None), weighted=bin_expected(wb))


# ---------------------------------------------------------------- AUC: Keras 3's algorithm in numpy
def keras_thresholds(num_thresholds=200, thresholds=None):
    if thresholds is not None:
        inner = sorted(thresholds)
        evenly = is_evenly(np.array([0.0] + inner + [1.0]))
    else:
        inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        evenly = True
    return np.array([0.0 - EPS] + inner + [1.0 + EPS]), evenly


def is_evenly(t):
    if len(t) < 3:
        return False
    even = np.arange(len(t), dtype=np.float32) / (len(t) - 1)
    return bool(np.allclose(t, even, atol=EPS))


def keras_counts(y_true, y_pred, thresholds, evenly, sample_weight, multi_label, label_weights):
    """tp, fp, tn, fn as [T, L] (L = 1 unless multi_label), as update_confusion_matrix_variables."""
    y_true = (f32(y_true) != 0).astype(np.float32)
    y_pred = f32(y_pred)
    w = np.ones_like(y_pred) if sample_weight is None else np.broadcast_to(f32(sample_weight)[:, None], y_pred.shape)
    if label_weights is not None and not multi_label:
        w = w * f32(label_weights)[None, :]
    if not multi_label:
        y_true, y_pred, w = y_true.reshape(-1, 1), y_pred.reshape(-1, 1), w.reshape(-1, 1)
    t_count, labels_n = len(thresholds), y_true.shape[1]
    true_w, false_w = y_true * w, (1 - y_true) * w
    if evenly:
        # _update_confusion_matrix_variables_optimized: buckets, reversed cumulative sums
        p = np.clip(y_pred, 0, 1).astype(np.float32)
        bucket = np.maximum(np.ceil(p * np.float32(t_count - 1)) - 1, 0).astype(np.int64)
        tp = np.zeros((t_count, labels_n))
        fp = np.zeros((t_count, labels_n))
        for j in range(labels_n):
            tb = np.bincount(bucket[:, j], weights=true_w[:, j], minlength=t_count)
            fb = np.bincount(bucket[:, j], weights=false_w[:, j], minlength=t_count)
            tp[:, j] = np.cumsum(tb[::-1])[::-1]
            fp[:, j] = np.cumsum(fb[::-1])[::-1]
        fn = true_w.sum(0)[None, :] - tp
        tn = false_w.sum(0)[None, :] - fp
    else:
        pos = y_pred[None, :, :] > f32(thresholds)[:, None, None]
        tp = (pos * true_w[None]).sum(1)
        fp = (pos * false_w[None]).sum(1)
        fn = (~pos * true_w[None]).sum(1)
        tn = (~pos * false_w[None]).sum(1)
    return tp, fp, tn, fn


def div_no_nan(a, b):
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    out = np.zeros_like(a)
    np.divide(a, b, out=out, where=b != 0)
    return out


def keras_auc(tp, fp, tn, fn, curve, method, multi_label, label_weights):
    if curve == 'PR' and method == 'interpolation':
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = div_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        safe = np.where((p[:-1] > 0) & (p[1:] > 0), div_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
        terms = div_no_nan(slope * (dtp + intercept * np.log(safe)), np.maximum(tp[1:] + fn[1:], 0))
    else:
        recall = div_no_nan(tp, tp + fn)
        if curve == 'ROC':
            x, y = div_no_nan(fp, fp + tn), recall
        elif curve == 'PR':
            x, y = recall, div_no_nan(tp, tp + fp)
        else:  # PRGAIN
            scale = div_no_nan(tp + fn, tn + fp)
            rg = 1.0 - scale * div_no_nan(fn, tp)
            pg = 1.0 - scale * div_no_nan(fp, tp)
            rg = np.maximum(np.where(tp == 0, 0.0, rg), 0.0)
            pg = np.where(tp == 0, 1.0, pg)
            x, y = rg, pg
        if method == 'interpolation':
            h = (y[:-1] + y[1:]) / 2
        elif method == 'minoring':
            h = np.minimum(y[:-1], y[1:])
        else:
            h = np.maximum(y[:-1], y[1:])
        terms = (x[:-1] - x[1:]) * h
    by_label = terms.sum(0)
    if not multi_label:
        return float(by_label[0])
    if label_weights is None:
        return float(by_label.mean())
    lw = np.asarray(label_weights, float)
    return float(div_no_nan((by_label * lw).sum(), lw.sum()))


na = 300
ya = rng.integers(0, 2, na)
score = f32(1 / (1 + np.exp(-(1.0 * (2 * ya - 1) + 1.3 * rng.normal(size=na)))))
wa = f32(np.round(rng.uniform(0, 2, na), 2))
logit = f32(np.log(score) - np.log1p(-score))
# multi-label: 3 labels, each its own signal strength
nm, lm = 240, 3
ym = rng.integers(0, 2, (nm, lm))
pm = f32(1 / (1 + np.exp(-(np.array([0.4, 1.0, 2.0]) * (2 * ym - 1) + rng.normal(size=(nm, lm))))))
wm = f32(np.round(rng.uniform(0, 2, nm), 2))

auc_cases = []


def auc_case(name, y_true, y_pred, options, batches, sample_weight=None, sklearn=None):
    th, evenly = keras_thresholds(options.get('numThresholds', 200), options.get('thresholds'))
    multi = options.get('multiLabel', False)
    lw = options.get('labelWeights')
    pred = f32(1 / (1 + np.exp(-f32(y_pred)))) if options.get('fromLogits') else y_pred
    counts = keras_counts(np.asarray(y_true).reshape(len(y_true), -1), f32(pred).reshape(len(pred), -1), th, evenly,
                          sample_weight, multi, lw)
    value = keras_auc(*counts, options.get('curve', 'ROC'), options.get('summationMethod', 'interpolation'), multi, lw)
    auc_cases.append(dict(name=name, options=options, yTrue=listify(y_true), yPred=listify(y_pred), batches=batches,
                          weights=None if sample_weight is None else listify(sample_weight), evenly=evenly,
                          keras=value, sklearn=sklearn))


bat = [64, 64, 64, 64, 44]
auc_case('ROC', ya, score, {}, bat, sklearn=roc_auc_score(ya, score))
auc_case('ROC, sample weights', ya, score, {}, bat, wa, sklearn=roc_auc_score(ya, score, sample_weight=wa))
auc_case('ROC minoring', ya, score, {'summationMethod': 'minoring'}, bat)
auc_case('ROC majoring', ya, score, {'summationMethod': 'majoring'}, bat)
auc_case('ROC, 1000 thresholds', ya, score, {'numThresholds': 1000}, bat, sklearn=roc_auc_score(ya, score))
auc_case('ROC from logits', ya, logit, {'fromLogits': True}, bat, sklearn=roc_auc_score(ya, logit))
auc_case('PR interpolation', ya, score, {'curve': 'PR'}, bat, sklearn=average_precision_score(ya, score))
auc_case('PR interpolation, sample weights', ya, score, {'curve': 'PR'}, bat, wa,
         sklearn=average_precision_score(ya, score, sample_weight=wa))
auc_case('PR minoring', ya, score, {'curve': 'PR', 'summationMethod': 'minoring'}, bat)
auc_case('PR majoring', ya, score, {'curve': 'PR', 'summationMethod': 'majoring'}, bat)
auc_case('PRGAIN', ya, score, {'curve': 'PRGAIN'}, bat)
auc_case('uneven thresholds', ya, score, {'thresholds': [0.9, 0.1, 0.25, 0.5, 0.6, 0.33]}, bat)
auc_case('given even thresholds', ya, score, {'thresholds': [0.25, 0.5, 0.75]}, bat)
auc_case('PR, uneven thresholds, weights', ya, score, {'curve': 'PR', 'thresholds': [0.2, 0.45, 0.5, 0.8]}, bat, wa)
auc_case('multi-label ROC', ym, pm, {'multiLabel': True}, [100, 100, 40],
         sklearn=roc_auc_score(ym, pm, average='macro'))
auc_case('multi-label ROC, numLabels, label weights, sample weights', ym, pm,
         {'multiLabel': True, 'numLabels': 3, 'labelWeights': [1, 2, 0.5]}, [100, 100, 40], wm)
auc_case('multi-label PR', ym, pm, {'multiLabel': True, 'curve': 'PR'}, [100, 100, 40],
         sklearn=average_precision_score(ym, pm, average='macro'))
auc_case('flattened multi-output, label weights', ym, pm, {'labelWeights': [1, 0, 3]}, [100, 100, 40])
auc_case('flattened multi-output', ym, pm, {}, [100, 100, 40], sklearn=roc_auc_score(ym.ravel(), pm.ravel()))

out = dict(classification=classification, binary=binary, auc=auc_cases)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'stateful-metrics.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=None, separators=(',', ':'))
    f.write('\n')
for cse in auc_cases:
    if cse['sklearn'] is not None:
        print(f"{cse['name']:<40} keras {cse['keras']:.6f} sklearn {cse['sklearn']:.6f} diff {cse['keras'] - cse['sklearn']:+.2e}")
