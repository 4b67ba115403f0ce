// Byte-level CSV plumbing for the match readers: block reading with line splitting (LF or CRLF, optional
// UTF-8 BOM), in-place field splitting with RFC 4180 quotes ("" escapes; no newlines inside quotes), and
// a byte-keyed name table. Nothing here allocates per line; lines longer than the buffer grow it.
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace ProbLab.Data;

/// <summary>Called once per line with the line's bytes (no line terminator; mutable so quotes can be undone in place).</summary>
internal delegate void LineHandler(Span<byte> line, long lineNumber);

internal static class CsvLines
{
    /// <summary>Calls <paramref name="onLine"/> for every line of <paramref name="stream"/> (1-based line numbers).</summary>
    public static void ForEachLine(Stream stream, string source, LineHandler onLine)
    {
        byte[] buf = new byte[1 << 20];
        int start = 0, end = 0;
        long lineNumber = 0;
        bool first = true, eof = false;
        while (true)
        {
            // Shift the unfinished line to the front and refill.
            if (start > 0) { Buffer.BlockCopy(buf, start, buf, 0, end - start); end -= start; start = 0; }
            if (end == buf.Length) Array.Resize(ref buf, buf.Length * 2);   // one line longer than the buffer
            if (!eof)
            {
                int read = stream.Read(buf, end, buf.Length - end);
                if (read == 0) eof = true;
                end += read;
            }
            if (first && end - start >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) start = 3;
            first = false;
            while (true)
            {
                int nl = buf.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (nl < 0) break;
                int len = nl;
                if (len > 0 && buf[start + len - 1] == (byte)'\r') len--;
                onLine(buf.AsSpan(start, len), ++lineNumber);
                start += nl + 1;
            }
            if (eof)
            {
                int len = end - start;
                if (len > 0 && buf[start + len - 1] == (byte)'\r') len--;
                if (len > 0) onLine(buf.AsSpan(start, len), ++lineNumber);
                return;
            }
        }
    }

    /// <summary>Splits <paramref name="line"/> at commas into <paramref name="fields"/> (content ranges, quotes removed
    /// and "" unescaped in place, unquoted fields trimmed of spaces/tabs); returns the number of fields.</summary>
    /// <exception cref="FormatException">An unterminated quote or text after a closing quote.</exception>
    public static int Split(Span<byte> line, Range[] fields, string source, long lineNumber)
    {
        int count = 0, i = 0, n = line.Length;
        while (true)
        {
            while (i < n && (line[i] == (byte)' ' || line[i] == (byte)'\t')) i++;
            int fieldStart = i, fieldEnd;
            if (i < n && line[i] == (byte)'"')
            {
                // Quoted: copy content down over the opening quote, collapsing "" to ".
                int w = i; i++;
                while (true)
                {
                    if (i >= n) throw new FormatException($"{source}: line {lineNumber}: field {count + 1} has an unterminated quote");
                    byte c = line[i];
                    if (c == (byte)'"')
                    {
                        if (i + 1 < n && line[i + 1] == (byte)'"') { line[w++] = (byte)'"'; i += 2; continue; }
                        i++;
                        break;
                    }
                    line[w++] = c; i++;
                }
                fieldEnd = w;
                while (i < n && (line[i] == (byte)' ' || line[i] == (byte)'\t')) i++;
                if (i < n && line[i] != (byte)',') throw new FormatException($"{source}: line {lineNumber}: field {count + 1} has text after its closing quote");
            }
            else
            {
                int comma = line[i..].IndexOf((byte)',');
                i = comma < 0 ? n : i + comma;
                fieldEnd = i;
                while (fieldEnd > fieldStart && (line[fieldEnd - 1] == (byte)' ' || line[fieldEnd - 1] == (byte)'\t')) fieldEnd--;
            }
            if (count < fields.Length) fields[count] = new Range(fieldStart, fieldEnd);
            count++;
            if (i >= n) return count;
            i++;   // skip the comma
        }
    }

    /// <summary>The bytes of a field found by <see cref="Split"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> line, Range r) => line[r];

    /// <summary>Parses ASCII digits (at most 9) into a non-negative int.</summary>
    public static bool TryParseNonNegativeInt(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 9) return false;
        foreach (byte c in s)
        {
            uint d = (uint)(c - '0');
            if (d > 9) return false;
            value = value * 10 + (int)d;
        }
        return true;
    }

    /// <summary>Decodes a field as UTF-8 text.</summary>
    public static string Text(ReadOnlySpan<byte> line, Range r) => Encoding.UTF8.GetString(line[r]);
}

/// <summary>Interns UTF-8 names to dense indices 0, 1, 2, ... in first-seen order (open addressing, no per-lookup allocation).</summary>
/// <remarks>With many distinct names every lookup is a cache miss, so a 16-byte slot holds what a lookup needs: 24 hash
/// bits, the name's length and id, and its first 8 bytes. Names of up to 8 bytes are resolved from the slot alone;
/// longer ones also compare the rest in the byte arena. A mismatch is rejected without leaving the slot array.</remarks>
internal sealed class NameTable
{
    private struct Slot
    {
        public ulong Key;      // (hash top 24 bits << 40) | (min(length, 255) << 32) | (id + 1); 0 = empty
        public ulong Prefix;   // first 8 bytes of the name, zero-padded
    }

    private byte[] _arena = new byte[1 << 16];
    private int _arenaUsed;
    private (int Offset, int Length)[] _entries = new (int, int)[256];
    private Slot[] _slots = new Slot[512];   // power of two, load factor ≤ ½
    private int _count;

    /// <summary>Number of distinct names.</summary>
    public int Count => _count;

    /// <summary>The index of <paramref name="name"/>, adding it if new.</summary>
    public int GetOrAdd(ReadOnlySpan<byte> name)
    {
        ulong h = Hash(name);
        ulong tag = (h & 0xFFFF_FF00_0000_0000UL) | ((ulong)Math.Min(name.Length, 255) << 32);
        ulong prefix = Prefix(name);
        int mask = _slots.Length - 1;
        int s = (int)h & mask;
        while (true)
        {
            ref Slot slot = ref _slots[s];
            if (slot.Key == 0) return Add(name, tag, prefix, s);
            if ((slot.Key & 0xFFFF_FFFF_0000_0000UL) == tag && slot.Prefix == prefix)
            {
                int id = (int)(uint)slot.Key - 1;
                if (name.Length <= 8) return id;   // length and all bytes already matched
                var (offset, length) = _entries[id];
                if (name.SequenceEqual(_arena.AsSpan(offset, length))) return id;
            }
            s = (s + 1) & mask;
        }
    }

    private static ulong Prefix(ReadOnlySpan<byte> name)
    {
        if (name.Length >= 8) return BinaryPrimitives.ReadUInt64LittleEndian(name);
        ulong p = 0;
        for (int i = 0; i < name.Length; i++) p |= (ulong)name[i] << (8 * i);
        return p;
    }

    private int Add(ReadOnlySpan<byte> name, ulong tag, ulong prefix, int slot)
    {
        int id = _count++;
        if (id == _entries.Length) Array.Resize(ref _entries, id * 2);
        if (_arenaUsed + name.Length > _arena.Length) Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + name.Length));
        name.CopyTo(_arena.AsSpan(_arenaUsed));
        _entries[id] = (_arenaUsed, name.Length);
        _arenaUsed += name.Length;
        _slots[slot] = new Slot { Key = tag | (uint)(id + 1), Prefix = prefix };
        if (2 * _count > _slots.Length) Rehash();
        return id;
    }

    private void Rehash()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        int mask = _slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot.Key == 0) continue;
            var (offset, length) = _entries[(int)(uint)slot.Key - 1];
            int s = (int)Hash(_arena.AsSpan(offset, length)) & mask;
            while (_slots[s].Key != 0) s = (s + 1) & mask;
            _slots[s] = slot;
        }
    }

    /// <summary>Name of index <paramref name="id"/>.</summary>
    public string NameOf(int id) => Encoding.UTF8.GetString(_arena, _entries[id].Offset, _entries[id].Length);

    /// <summary>All names by index.</summary>
    public string[] ToNames()
    {
        var names = new string[_count];
        for (int i = 0; i < _count; i++) names[i] = NameOf(i);
        return names;
    }

    // 8 bytes at a time: xor in, multiply by an odd 64-bit constant (golden ratio), rotate; a final avalanche.
    // Only used for the table, never written anywhere, so the exact function does not matter beyond spread.
    private static ulong Hash(ReadOnlySpan<byte> s)
    {
        ulong h = 0x9E3779B97F4A7C15UL ^ (ulong)s.Length;
        while (s.Length >= 8)
        {
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(s)) * 0x9E3779B97F4A7C15UL, 29);
            s = s[8..];
        }
        ulong tail = 0;
        for (int i = 0; i < s.Length; i++) tail |= (ulong)s[i] << (8 * i);
        h = (h ^ tail) * 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 31);
    }
}
