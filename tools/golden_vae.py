# Generates tests/ProbLab.Tests/TestData/golden_vae.json: a small VAE with the exam's structure (in-h-(z, z),
# z-h-in, ReLU, Bernoulli/BCE-with-logits summed, KL to N(0, I)) with fixed weights, inputs and noise; the
# one-sample negative ELBO, its two terms, every parameter gradient, and the losses of 5 Adam (lr 1e-2)
# steps with fixed noise per step. PyTorch 1.13 (Debian python3-torch), float32 like the C# side.
# Run from the repo root: /usr/bin/python3 tools/golden_vae.py   (never run by the build or the tests)
import json, torch, torch.nn as nn, torch.nn.functional as F
torch.manual_seed(0)
IN, H, Z, B, STEPS = 12, 7, 2, 5, 5

class VAE(nn.Module):
    def __init__(s):
        super().__init__()
        s.enc = nn.Linear(IN, H); s.mu = nn.Linear(H, Z); s.logvar = nn.Linear(H, Z); s.dec = nn.Linear(Z, H); s.out = nn.Linear(H, IN)
    def forward(s, x, eps):
        h = F.relu(s.enc(x)); mu, lv = s.mu(h), s.logvar(h)
        z = mu + eps * (0.5 * lv).exp()
        logits = s.out(F.relu(s.dec(z)))
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        kl = -0.5 * (1 + lv - mu ** 2 - lv.exp()).sum()
        return rec + kl, rec, kl

m = VAE()
x = torch.rand(B, IN)
eps = [torch.randn(B, Z) for _ in range(STEPS + 1)]
flat = lambda t: t.detach().reshape(-1).tolist()
params = {n: {"shape": list(p.shape), "data": flat(p)} for n, p in m.named_parameters()}
loss, rec, kl = m(x, eps[0])
loss.backward()
grads = {n: flat(p.grad) for n, p in m.named_parameters()}
opt = torch.optim.Adam(m.parameters(), lr=1e-2)
losses = []
for t in range(STEPS):
    opt.zero_grad(); l, _, _ = m(x, eps[t + 1]); l.backward(); opt.step(); losses.append(l.item())
out = {"in": IN, "hidden": H, "latent": Z, "x": {"shape": [B, IN], "data": flat(x)},
       "eps": [flat(e) for e in eps], "params": params, "loss": loss.item(), "recon": rec.item(), "kl": kl.item(),
       "grads": grads, "adam_lr": 1e-2, "adam_losses": losses}
with open("tests/ProbLab.Tests/TestData/golden_vae.json", "w") as f:
    json.dump(out, f, indent=1)
print("loss", loss.item(), "adam", losses)
