"""Reference values for the preprocessing layers, following Keras 3's documented maths in NumPy
(no Keras or TensorFlow needed). Run: python3 preprocessing_reference.py > ../fixtures/preprocessing-reference.json
"""
import collections
import json
import math
import re

import numpy as np

rng = np.random.default_rng(7)
out = {}

# Normalization: per-feature mean/variance (axis=-1) and over everything (axis=None); batches
# merged with Keras's formula must equal the whole-data statistics.
x = rng.normal(3.0, 2.0, size=(50, 3)).astype(np.float32)
probe = rng.normal(0.0, 3.0, size=(4, 3)).astype(np.float32)
mean = x.astype(np.float64).mean(axis=0)
var = x.astype(np.float64).var(axis=0)
out["normalization"] = {
    "data": x.tolist(),
    "probe": probe.tolist(),
    "mean": mean.tolist(),
    "variance": var.tolist(),
    "output": ((probe - mean) / np.maximum(np.sqrt(var), 1e-7)).tolist(),
    "inverted": (mean + probe * np.maximum(np.sqrt(var), 1e-7)).tolist(),
    "mean_all": float(x.astype(np.float64).mean()),
    "variance_all": float(x.astype(np.float64).var()),
}
x3 = rng.normal(size=(6, 4, 2)).astype(np.float32)
out["normalization_axes"] = {
    "data": x3.tolist(),
    "mean_axis_1_2": x3.astype(np.float64).mean(axis=0).tolist(),
    "variance_axis_1_2": x3.astype(np.float64).var(axis=0).tolist(),
}


# Discretization: Keras's quantile summaries (keras/src/layers/preprocessing/discretization.py).
def summarize(values, epsilon):
    values = np.reshape(values, [-1])
    values = np.sort(values)
    elements = np.size(values)
    num_buckets = 1.0 / epsilon
    increment = elements / num_buckets
    step = max(increment, 1)
    start = step - 1
    boundaries = values[int(start) :: int(step)]
    weights = np.ones_like(boundaries)
    weights = weights * step
    return np.stack([boundaries, weights])


def compress_summary(summary, epsilon):
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_weight_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_weight_percents, summary[0])
    cum_weights = np.interp(percents, cum_weight_percents, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0]), cum_weights[:-1]))
    summary = np.stack((new_bins, new_weights))
    return summary.astype("float32")


def merge_summaries(prev_summary, next_summary, epsilon):
    merged = np.concatenate((prev_summary, next_summary), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return compress_summary(merged, epsilon)


def adapt(batches, num_bins, epsilon):
    summary = np.array([[], []], dtype="float32")
    for b in batches:
        summary = merge_summaries(summarize(np.array(b).astype("float32"), epsilon), summary, epsilon)
    return compress_summary(summary, 1.0 / num_bins)[0, :-1].tolist()


doc = [[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]
big = rng.gamma(2.0, 1.5, size=(1000,)).astype(np.float32)
out["discretization"] = {
    "doc_input": doc,
    "doc_boundaries": adapt([doc], 4, 0.01),
    "doc_ids": np.digitize(np.array(doc), adapt([doc], 4, 0.01)).tolist(),
    "big": big.tolist(),
    "big_boundaries_one_batch": adapt([big], 5, 0.01),
    "big_boundaries_batches_of_100": adapt([big[i : i + 100] for i in range(0, 1000, 100)], 5, 0.01),
    "big_boundaries_eps_0_05": adapt([big], 8, 0.05),
}


# Lookup vocabularies: counts descending, ties by token descending (np.lexsort(...)[::-1]).
def vocab(tokens, max_learned=None, drop=()):
    c = collections.Counter(t for t in tokens if t not in drop)
    items = sorted(c.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
    terms = [k for k, _ in items]
    return terms if max_learned is None else terms[:max_learned]


words = ["b", "a", "c", "b", "d", "a", "b", "e", "c", "f", "a", "g", "b", "zz", "zz", "zz", "zz"]
out["string_lookup"] = {"data": words, "vocab": vocab(words), "vocab_max_5": vocab(words, 5 - 1)}
ints = [12, 36, 1138, 42, 12, 36, 12, 7, 7, 7, 7, 1138]
out["integer_lookup"] = {"data": ints, "vocab": vocab(ints)}

# TextVectorization: Keras's standardize/split/ngrams and tf_idf = log(1 + n_docs / (1 + df)).
PUNCT = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'


def tokenize(s, ngrams=None):
    s = re.sub(r"[A-Z]", lambda m: m.group(0).lower(), s)
    s = re.sub(PUNCT, "", s)
    toks = [t for t in re.split(r"[ \t\n\v\f\r]+", s) if t]
    if ngrams:
        grams = []
        for w in ngrams:
            grams += [" ".join(toks[i : i + w]) for i in range(len(toks) - w + 1)]
        return grams
    return toks


texts = [
    "The quick brown fox jumps over the lazy dog.",
    "The dog sleeps; the FOX doesn't!",
    "Quick, quick: a brown dog?",
    "Émile's café — naïve (Ünïcödé) words stay as they are.",
]
docs = [tokenize(t) for t in texts]
v = vocab([t for d in docs for t in d], drop=("",))
full = ["", "[UNK]"] + v
idx = {t: i for i, t in enumerate(full)}
probe_texts = ["the lazy fox and the unknown cat", "QUICK brown dogs"]
seq = []
for t in probe_texts:
    ids = [idx.get(tok, 1) for tok in tokenize(t)][:6]
    seq.append(ids + [0] * (6 - len(ids)))
n_docs = len(docs)
df = collections.Counter(t for d in docs for t in set(d))
idf = [float(np.float32(math.log(1 + n_docs / (1 + df[t])))) for t in v]
mean_idf = float(np.mean(np.array(idf, dtype=np.float32)))
tfidf = []
vocab_nomask = ["[UNK]"] + v
idx2 = {t: i for i, t in enumerate(vocab_nomask)}
weights = [mean_idf] + idf
for t in probe_texts:
    row = [0.0] * len(vocab_nomask)
    for tok in tokenize(t):
        row[idx2.get(tok, 0)] += 1
    tfidf.append([r * w for r, w in zip(row, weights)])
docs2 = [tokenize(t, (1, 2)) for t in texts[:2]]
out["text_vectorization"] = {
    "texts": texts,
    "tokens": docs,
    "vocab": full,
    "probe": probe_texts,
    "int_6": seq,
    "idf": idf,
    "tf_idf": tfidf,
    "bigram_vocab": ["", "[UNK]"] + vocab([t for d in docs2 for t in d]),
}
print(json.dumps(out, indent=1, ensure_ascii=False))
