"""Reference values for einsum (packages/tensor/src/einsum.ts): torch.einsum forward values and
the gradients of sum(out * r) for each operand. Run: python3 einsum_reference.py > ../fixtures/einsum-reference.json"""
import json

import numpy as np
import torch

rng = np.random.default_rng(3)
CASES = [
    ("ab,bc->ac", [(3, 4), (4, 5)]),
    ("abc,cd->abd", [(2, 3, 4), (4, 5)]),
    ("abc,cde->abde", [(2, 3, 4), (4, 2, 3)]),
    ("abcd,cde->abe", [(2, 3, 2, 4), (2, 4, 5)]),
    ("aecd,abcd->acbe", [(2, 5, 3, 4), (2, 6, 3, 4)]),
    ("acbe,aecd->abcd", [(2, 3, 6, 5), (2, 5, 3, 4)]),
    ("...b,bc->...c", [(2, 3, 4), (4, 5)]),
    ("ab...,bc->ac...", [(2, 3, 4), (3, 5)]),
    ("abc,c->ab", [(2, 3, 4), (4,)]),
    ("ab,ab->a", [(3, 4), (3, 4)]),
    ("ab,cd->abcd", [(2, 3), (2, 2)]),
    ("abc,bd->ad", [(2, 3, 4), (3, 5)]),
    ("ab->ba", [(3, 4)]),
    ("abc->b", [(2, 3, 4)]),
]
out = []
for eq, shapes in CASES:
    xs = [torch.tensor(rng.normal(size=s), dtype=torch.float64, requires_grad=True) for s in shapes]
    y = torch.einsum(eq.replace("...", "..."), *xs)
    r = torch.tensor(rng.normal(size=tuple(y.shape)), dtype=torch.float64)
    (y * r).sum().backward()
    out.append({
        "equation": eq,
        "inputs": [{"shape": list(s), "values": x.detach().numpy().ravel().tolist()} for s, x in zip(shapes, xs)],
        "output": {"shape": list(y.shape), "values": y.detach().numpy().ravel().tolist()},
        "probe": r.numpy().ravel().tolist(),
        "grads": [x.grad.numpy().ravel().tolist() for x in xs],
    })
print(json.dumps(out))
