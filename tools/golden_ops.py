# Generates tests/ProbLab.Tests/TestData/golden_ops.json: forward values and input gradients of a few
# composite ops, and short optimizer trajectories, from PyTorch 1.13 (Debian python3-torch).
# Run from the repo root: /usr/bin/python3 tools/golden_ops.py   (never run by the build or the tests)
import json, math, torch
torch.manual_seed(0)
torch.set_default_dtype(torch.float64)  # golden values in double; the C# side runs float32

def t(x): return x.detach().reshape(-1).tolist()

cases = {}
def record(name, inputs, fn):
    xs = [x.clone().requires_grad_(True) for x in inputs]
    y = fn(*xs)
    r = torch.linspace(-1, 1, y.numel()).reshape(y.shape)   # fixed weighting, reproducible in C#
    (y * r).sum().backward()
    cases[name] = {"inputs": [{"shape": list(x.shape), "data": t(x)} for x in xs],
                   "output": {"shape": list(y.shape), "data": t(y)},
                   "grads": [t(x.grad) for x in xs]}

x = torch.randn(3, 8); w = torch.randn(8); b = torch.randn(8)
record("layer_norm", [x, w, b], lambda x, w, b: torch.nn.functional.layer_norm(x, (8,), w, b, 1e-5))
logits = torch.randn(5, 7) * 3
targets = [3, 0, 6, 2, 2]
record("cross_entropy", [logits], lambda z: torch.nn.functional.cross_entropy(z, torch.tensor(targets)).reshape(1))
cases["cross_entropy"]["targets"] = targets
record("gelu_tanh", [torch.randn(11) * 2], lambda z: torch.nn.functional.gelu(z, approximate="tanh"))
record("log_softmax", [torch.randn(4, 6) * 4], lambda z: torch.log_softmax(z, -1))
record("softplus", [torch.randn(9) * 5], lambda z: torch.nn.functional.softplus(z))
a = torch.randn(2, 3, 4); m = torch.randn(2, 4, 5)
record("bmm", [a, m], lambda a, m: a @ m)

# Optimizer trajectories: minimise f(p) = Σ c·(p − target)² + 0.1·Σ p³ from a fixed start (float32, as in C#).
def traj(make, steps=6):
    torch.set_default_dtype(torch.float32)
    p0 = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.3]])
    target = torch.tensor([[1.0, 0.0, -1.0], [0.5, 0.25, 2.0]])
    c = torch.tensor([[1.0, 2.0, 0.5], [3.0, 1.0, 0.1]])
    p = p0.clone().requires_grad_(True); bias = torch.tensor([0.3, -0.7], requires_grad=True)
    opt = make([p, bias]); out = []
    for _ in range(steps):
        opt.zero_grad()
        loss = (c * (p - target) ** 2).sum() + 0.1 * (p ** 3).sum() + (bias ** 2).sum() * 2
        loss.backward(); opt.step()
        out.append({"p": t(p), "bias": t(bias)})
    torch.set_default_dtype(torch.float64)
    return out

optims = {
    "sgd": traj(lambda ps: torch.optim.SGD(ps, lr=0.05)),
    "sgd_momentum_nesterov_wd": traj(lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    "adam": traj(lambda ps: torch.optim.Adam(ps, lr=0.1)),
    "adam_l2": traj(lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.8, 0.95), weight_decay=0.1)),
    "adamw": traj(lambda ps: torch.optim.AdamW([{"params": [ps[0]], "weight_decay": 0.1}, {"params": [ps[1]], "weight_decay": 0.0}], lr=0.1, betas=(0.9, 0.95))),
}
with open("tests/ProbLab.Tests/TestData/golden_ops.json", "w") as f:
    json.dump({"generator": "tools/golden_ops.py", "torch": torch.__version__, "ops": cases, "optimizers": optims}, f, indent=1)
print("wrote", len(cases), "op cases and", len(optims), "optimizer trajectories")
