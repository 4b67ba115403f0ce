// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of
// JSON {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}},
// then the raw little-endian tensor bytes. Loadable by PyTorch via safetensors.torch.load_file.
// We write F32 only and read F32 (plus F64/F16/BF16 converted to float) so foreign checkpoints open too.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProbLab.Data;
using ProbLab.Tensors;

namespace ProbLab.Checkpoints;

/// <summary>Reads and writes tensors in the safetensors format.</summary>
public static class Safetensors
{
    /// <summary>Serialises named tensors (and optional string metadata) to bytes; names are written in sorted order.</summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        foreach (var name in names)
        {
            var t = tensors[name];
            long bytes = (long)t.Size * 4;
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // pad with spaces to 8-byte alignment, as the reference writer does
        var result = new byte[8 + padded + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        json.CopyTo(result, 8);
        for (int i = json.Length; i < padded; i++) result[8 + i] = (byte)' ';
        long pos = 8 + padded;
        foreach (var name in names)
        {
            var t = tensors[name];
            var dst = result.AsSpan((int)pos, t.Size * 4);
            if (BitConverter.IsLittleEndian) System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Data.AsSpan()).CopyTo(dst);
            else for (int i = 0; i < t.Size; i++) BinaryPrimitives.WriteSingleLittleEndian(dst.Slice(i * 4), t.Data[i]);
            pos += t.Size * 4;
        }
        return result;
    }

    /// <summary>Writes a safetensors file atomically (temp file in the same folder, then rename).</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.WriteAllBytes(path, Serialize(tensors, metadata));

    /// <summary>Parses safetensors bytes into tensors and metadata.</summary>
    /// <exception cref="InvalidDataException">The header is malformed or offsets are out of range; the message names <paramref name="source"/>.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Deserialize(byte[] bytes, string source = "<bytes>")
    {
        if (bytes.Length < 8) throw new InvalidDataException($"{source}: not a safetensors file (shorter than 8 bytes)");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > (ulong)(bytes.Length - 8)) throw new InvalidDataException($"{source}: header length {n} exceeds the file size");
        JsonObject header;
        try { header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n))!.AsObject(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
        { throw new InvalidDataException($"{source}: malformed safetensors header ({e.Message.Split('\n')[0]})"); }
        long dataStart = 8 + (long)n;
        var tensors = new Dictionary<string, Tensor>();
        var meta = new Dictionary<string, string>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                foreach (var (k, v) in node!.AsObject()) meta[k] = v!.GetValue<string>();
                continue;
            }
            try
            {
                var o = node!.AsObject();
                string dtype = o["dtype"]!.GetValue<string>();
                int[] shape = o["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ToArray();
                var offs = o["data_offsets"]!.AsArray();
                long begin = offs[0]!.GetValue<long>(), end = offs[1]!.GetValue<long>();
                int count = ShapeUtil.CheckedSize(shape);
                if (begin < 0 || end < begin || dataStart + end > bytes.Length)
                    throw new InvalidDataException($"{source}: tensor '{name}' data offsets [{begin}, {end}) are outside the file");
                tensors[name] = new Tensor(Decode(bytes.AsSpan((int)(dataStart + begin), (int)(end - begin)), dtype, count, name, source), shape);
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException or ArgumentException)
            {
                throw new InvalidDataException($"{source}: malformed entry for tensor '{name}' ({e.Message.Split('\n')[0]})");
            }
        }
        return (tensors, meta);
    }

    /// <summary>Reads a safetensors file.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path) =>
        Deserialize(File.ReadAllBytes(path), path);

    private static float[] Decode(ReadOnlySpan<byte> src, string dtype, int count, string name, string source)
    {
        int width = dtype switch { "F32" => 4, "F64" => 8, "F16" or "BF16" => 2, _ => throw new InvalidDataException($"{source}: tensor '{name}' has unsupported dtype {dtype}") };
        if (src.Length != count * width) throw new InvalidDataException($"{source}: tensor '{name}' has {src.Length} bytes, expected {count * width} for its shape");
        var r = new float[count];
        for (int i = 0; i < count; i++)
            r[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(src.Slice(i * 4)),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(src.Slice(i * 8)),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(src.Slice(i * 2)),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src.Slice(i * 2)) << 16),
            };
        return r;
    }
}
