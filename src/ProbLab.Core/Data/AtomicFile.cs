// AtomicFile: write a file completely or not at all. Content goes to a temporary file next to the target
// (same directory, hence same file system), which is renamed over the target only after it is complete
// and flushed. A crash or exception leaves either the old file or no file, never a half-written one.
namespace ProbLab.Data;

/// <summary>All-or-nothing file writes (temporary file in the same directory, then rename).</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> by calling <paramref name="write"/> on a temporary stream, then renaming it into place.</summary>
    /// <exception cref="IOException">The directory cannot be created or the file cannot be written.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        string tmp = TempPathFor(full);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true); w.Write(text); });

    /// <summary>Writes bytes atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));

    /// <summary>A unique temporary name next to <paramref name="fullPath"/>; starts with '.' so listings hide it.</summary>
    public static string TempPathFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath) ?? ".", $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

    /// <summary>Deletes a file if it exists, ignoring errors (used to clean up after a failure).</summary>
    public static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
