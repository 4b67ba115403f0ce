# Side-by-side reference for `problab bench gemm`: single-thread fp32 GEMM GFLOP/s in PyTorch 1.13.
# Debian's python3-torch links the reference (netlib) BLAS, so plain `a @ b` is slow; its fast fp32 path
# is oneDNN (mkldnn), reached through torch._C._nn.mkldnn_linear on mkldnn tensors. Both are printed.
# Usage: /usr/bin/python3 tools/bench_torch_gemm.py [sizes=256,512,1024] [repeats=7]
import sys, time, torch
sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "256,512,1024").split(",")]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
torch.set_num_threads(1)
print("torch", torch.__version__, "BLAS_INFO=generic" if "BLAS_INFO=generic" in torch.__config__.show() else "")

def best(fn):
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return min(times)

for n in sizes:
    a, b = torch.randn(n, n), torch.randn(n, n)
    flops = 2.0 * n ** 3
    plain = best(lambda: a @ b) if n <= 512 else float("nan")   # netlib is minutes at 1024
    am, bt = a.to_mkldnn(), b.t().contiguous().to_mkldnn()      # linear computes a @ weight.T
    onednn = best(lambda: torch._C._nn.mkldnn_linear(am, bt, None))
    print(f"n={n:5d}  a@b {flops / plain / 1e9:8.1f} GFLOP/s   oneDNN {flops / onednn / 1e9:8.1f} GFLOP/s")
