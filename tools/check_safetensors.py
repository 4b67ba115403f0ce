# Loads a ProbLab model.safetensors with PyTorch (no `safetensors` package needed: the format is an
# 8-byte little-endian header length, a JSON header, then raw little-endian tensors) and prints each
# tensor's name, shape and sum, so the numbers can be compared with ProbLab's own view of the file.
# Usage: /usr/bin/python3 tools/check_safetensors.py CHECKPOINT_DIR/model.safetensors
import json, struct, sys, torch
path = sys.argv[1]
with open(path, "rb") as f:
    raw = f.read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n])
meta = header.pop("__metadata__", {})
dtypes = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16}
tensors = {}
for name, info in sorted(header.items()):
    begin, end = info["data_offsets"]
    buf = bytearray(raw[8 + n + begin: 8 + n + end])
    t = torch.frombuffer(buf, dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    tensors[name] = t
    print(f"{name:40s} {str(tuple(t.shape)):16s} sum={t.double().sum().item():.6f}")
print("metadata:", meta)
