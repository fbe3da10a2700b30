# Reference outputs of scikit-learn 1.2 for the metrics tests.
# Regenerate: /usr/bin/python3 reference.py | python3 -c "import json,sys; json.dump(json.load(sys.stdin), open('sklearn-cases.json','w'), indent=1)"
import json
import warnings
import numpy as np
from sklearn.metrics import (classification_report, confusion_matrix, precision_recall_fscore_support,
                             precision_score, recall_score, f1_score, fbeta_score, accuracy_score)

rng = np.random.default_rng(3)
y10_true = rng.integers(0, 10, 200).tolist()
y10_pred = [t if rng.random() < 0.6 else int(rng.integers(0, 10)) for t in y10_true]
# ties for rounding: class 0 has precision 1/8 and recall 1/2 and so on (exact binary halves)
tie_true = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]
tie_pred = [0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 1, 1, 1]

base_t = [0, 1, 2, 2, 1, 0, 2, 1, 1, 0]
base_p = [0, 2, 2, 2, 1, 0, 1, 1, 0, 0]
report_cases = [
    ('issue example', base_t, base_p, {}),
    ('target names', base_t, base_p, dict(target_names=['cat', 'dog', 'bird'])),
    ('digits 4', base_t, base_p, dict(digits=4)),
    ('digits 0', base_t, base_p, dict(digits=0)),
    ('10 classes', y10_true, y10_pred, {}),
    ('10 classes digits 3', y10_true, y10_pred, dict(digits=3)),
    ('class never predicted', [0, 1, 2, 2, 1, 0], [0, 1, 1, 1, 1, 0], {}),
    ('label only in yPred', [0, 1, 1, 0], [0, 1, 2, 0], {}),
    ('labels subset gives micro avg', base_t, base_p, dict(labels=[0, 2])),
    ('labels with an absent class', base_t, base_p, dict(labels=[0, 1, 2, 3])),
    ('zero division 1', [0, 1, 2, 2, 1, 0], [0, 1, 1, 1, 1, 0], dict(zero_division=1)),
    ('zero division 0', [0, 1, 2, 2, 1, 0], [0, 1, 1, 1, 1, 0], dict(zero_division=0)),
    ('string labels', ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'], ['cat', 'pig', 'dog', 'cat', 'cat', 'dog'], {}),
    ('binary', [0, 1, 1, 0, 1, 1, 0], [0, 1, 0, 0, 1, 1, 1], {}),
    ('long target names', base_t, base_p, dict(target_names=['a rather long class name', 'b', 'c'])),
    ('round half even ties', tie_true, tie_pred, {}),
    ('round half even ties digits 1', tie_true, tie_pred, dict(digits=1)),
    ('round half even ties digits 3', tie_true, tie_pred, dict(digits=3)),
    ('nothing right', [0, 0, 1, 1], [1, 1, 0, 0], {}),
]

def run(f, *a, **k):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        out = f(*a, **k)
    msgs = []
    for x in w:
        m = f'{x.category.__name__}: {x.message}'
        if m not in msgs:
            msgs.append(m)
    return out, msgs

def jsonable(o):
    if isinstance(o, dict): return {str(k): jsonable(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)): return [jsonable(v) for v in o]
    if isinstance(o, np.ndarray): return jsonable(o.tolist())
    if isinstance(o, np.generic): return o.item()
    return o

reports = []
for name, t, p, kw in report_cases:
    text, warn = run(classification_report, t, p, **kw)
    d, _ = run(classification_report, t, p, output_dict=True, **kw)
    reports.append(dict(name=name, yTrue=t, yPred=p, options=kw, text=text, dict=jsonable(d), warnings=warn))

score_cases = []
for name, t, p in [('base', base_t, base_p), ('10 classes', y10_true, y10_pred),
                   ('never predicted', [0, 1, 2, 2, 1, 0], [0, 1, 1, 1, 1, 0])]:
    for avg in [None, 'micro', 'macro', 'weighted']:
        (pr, rc, f, s), _ = run(precision_recall_fscore_support, t, p, average=avg)
        ps, pw = run(precision_score, t, p, average=avg)
        rs, rw = run(recall_score, t, p, average=avg)
        fs, fw = run(f1_score, t, p, average=avg)
        f05, _ = run(fbeta_score, t, p, beta=0.5, average=avg)
        f2, _ = run(fbeta_score, t, p, beta=2, average=avg)
        score_cases.append(jsonable(dict(name=name, yTrue=t, yPred=p, average=avg, precision=pr, recall=rc, f1=f,
                                         support=s, precisionScore=ps, recallScore=rs, f1Score=fs, fbeta05=f05, fbeta2=f2,
                                         warnings=dict(precision=pw, recall=rw, f1=fw))))
binary = dict(yTrue=[0, 1, 1, 0, 1, 1, 0], yPred=[0, 1, 0, 0, 1, 1, 1])
binary['precision'] = precision_score(binary['yTrue'], binary['yPred'])
binary['recall'] = recall_score(binary['yTrue'], binary['yPred'])
binary['f1'] = f1_score(binary['yTrue'], binary['yPred'])
binary['precisionPos0'] = precision_score(binary['yTrue'], binary['yPred'], pos_label=0)
binary['accuracy'] = accuracy_score(binary['yTrue'], binary['yPred'])

cm = dict(
    base=confusion_matrix(base_t, base_p).tolist(),
    labels=confusion_matrix(base_t, base_p, labels=[2, 0]).tolist(),
    normTrue=confusion_matrix(base_t, base_p, normalize='true').tolist(),
    normPred=confusion_matrix(base_t, base_p, normalize='pred').tolist(),
    normAll=confusion_matrix(base_t, base_p, normalize='all').tolist(),
    ten=confusion_matrix(y10_true, y10_pred).tolist(),
)
print(json.dumps(dict(reports=reports, scores=score_cases, binary=binary, confusion=cm)))
