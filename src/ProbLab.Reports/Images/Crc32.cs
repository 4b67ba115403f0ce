// CRC-32 as used by PNG, zlib and gzip (ISO 3309 / ITU-T V.42): reflected polynomial 0xEDB88320,
// initial value and final XOR 0xFFFFFFFF, computed byte-wise with a 256-entry table (PNG spec, Annex D).
namespace ProbLab.Reports;

/// <summary>CRC-32 (PNG/zlib polynomial); <c>Crc32.Compute("123456789"u8)</c> is 0xCBF43926.</summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    /// <summary>Continues a running CRC: pass the previous result (start with 0) and the next bytes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        foreach (byte b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    /// <summary>CRC-32 of the bytes.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);
}
