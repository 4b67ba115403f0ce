#!/usr/bin/env python3
"""Golden values for ProbLab's conv2d / conv_transpose2d ops from PyTorch (Debian python3-torch 1.13).

Writes tests/ProbLab.Tests/TestData/conv_golden.json: a few small cases, each with the input x, weight w,
bias b (or null), a weighting R, the output y, and the gradients of L = sum(y * R) with respect to x, w, b.
Masked cases use y = conv2d(x, w * mask): the PixelCNN type-A / type-B masks (with colour groups for one).
Run from the repository root:  /usr/bin/python3 tools/golden_conv.py
Never run by the build or the tests; rerun deliberately and say why in the commit message.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20240611)
torch.set_default_dtype(torch.float64)  # compute in double, store rounded to float32 below


def pixelcnn_mask(oc, c, k, type_a, groups=1):
    """Same definition as ConvMask.PixelCnn: rows above centre and left of centre; centre tap per group."""
    m = torch.zeros(oc, c, k, k)
    centre = k // 2
    m[:, :, :centre, :] = 1
    m[:, :, centre, :centre] = 1
    for o in range(oc):
        for i in range(c):
            go, gi = o * groups // oc, i * groups // c
            on = (not type_a) if groups == 1 else (gi < go if type_a else gi <= go)
            m[o, i, centre, centre] = 1.0 if on else 0.0
    return m


RAW = {}


def flat(t):
    # float32 values with 9 significant digits (enough to round-trip a float32), spliced in as raw JSON text.
    key = f"@raw{len(RAW)}@"
    RAW[key] = "[" + ",".join(f"{v:.9g}" for v in t.detach().to(torch.float32).reshape(-1).tolist()) + "]"
    return {"shape": list(t.shape), "data": key}


def rounded(*shape):
    # Inputs are rounded to float32 first, so C# and PyTorch see bit-identical inputs.
    return torch.randn(*shape).to(torch.float32).to(torch.float64)


def case(name, kind, x_shape, w_shape, bias, stride, padding, output_padding=0, mask=None):
    x = rounded(*x_shape).requires_grad_()
    w = (rounded(*w_shape) * 0.5).requires_grad_()
    b = rounded(w_shape[1] if kind == "conv_transpose2d" else w_shape[0]).requires_grad_() if bias else None
    if kind == "conv2d":
        weff = w * mask if mask is not None else w
        y = F.conv2d(x, weff, b, stride=stride, padding=padding)
    else:
        y = F.conv_transpose2d(x, w, b, stride=stride, padding=padding, output_padding=output_padding)
    r = rounded(*y.shape)
    (y * r).sum().backward()
    out = {"name": name, "kind": kind, "stride": stride, "padding": padding, "output_padding": output_padding,
           "x": flat(x), "w": flat(w), "b": flat(b) if b is not None else None,
           "mask": flat(mask) if mask is not None else None, "r": flat(r), "y": flat(y),
           "dx": flat(x.grad), "dw": flat(w.grad), "db": flat(b.grad) if b is not None else None}
    return out


cases = [
    case("conv_s1_p1_bias", "conv2d", (2, 3, 6, 5), (4, 3, 3, 3), True, 1, 1),
    case("conv_s2_p0_nobias", "conv2d", (1, 2, 7, 8), (3, 2, 3, 2), False, 2, 0),
    case("conv_s2_p3_bias", "conv2d", (2, 2, 5, 5), (2, 2, 4, 4), True, 2, 3),
    case("conv_pixelcnn_A", "conv2d", (2, 1, 6, 6), (4, 1, 5, 5), True, 1, 2, mask=pixelcnn_mask(4, 1, 5, True)),
    case("conv_pixelcnn_B_groups", "conv2d", (1, 3, 5, 5), (6, 3, 3, 3), True, 1, 1, mask=pixelcnn_mask(6, 3, 3, False, 3)),
    case("convT_s2_p1_op1_bias", "conv_transpose2d", (2, 3, 4, 3), (3, 2, 3, 3), True, 2, 1, 1),
    case("convT_s1_p0_nobias", "conv_transpose2d", (1, 2, 3, 4), (2, 3, 2, 2), False, 1, 0),
    case("convT_s2_p0_4x4", "conv_transpose2d", (1, 2, 3, 3), (2, 2, 4, 4), True, 2, 0),
]

path = os.path.join("tests", "ProbLab.Tests", "TestData", "conv_golden.json")
text = json.dumps({"generator": "tools/golden_conv.py", "torch": torch.__version__, "cases": cases}, indent=1)
for key, raw in RAW.items():
    text = text.replace(f'"{key}"', raw)
with open(path + ".tmp", "w") as f:
    f.write(text + "\n")
os.replace(path + ".tmp", path)
print(f"wrote {path}: {len(cases)} cases, torch {torch.__version__}")
