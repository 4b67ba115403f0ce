// AtomicFile: write a file so readers see either the old or the complete new content, never half of it:
// write a temporary file in the same directory (same file system, so the rename is atomic), then rename.
using System.Text;

namespace ProbLab.Reports;

/// <summary>Atomic file writes: temp file in the target directory, flushed, then renamed over the target.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM) to <paramref name="path"/> atomically, creating the directory if needed.</summary>
    /// <exception cref="IOException">When the directory cannot be created or the file cannot be written (message names the path).</exception>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Writes bytes to <paramref name="path"/> atomically; on failure the temp file is removed and the target is untouched.</summary>
    /// <exception cref="IOException">When the directory cannot be created or the file cannot be written (message names the path).</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        try
        {
            Directory.CreateDirectory(dir);
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw new IOException($"cannot write '{full}': {e.Message}", e);
        }
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { /* best effort: the original error is the one to report */ }
        catch (UnauthorizedAccessException) { }
    }
}
