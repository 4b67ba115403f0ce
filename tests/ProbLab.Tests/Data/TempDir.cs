// A fresh temporary directory per test, deleted afterwards; fixtures are written into it by the tests.
using System.Text;

namespace ProbLab.Tests;

public sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "problab-test-" + Guid.NewGuid().ToString("N"));

    public TempDir() => Directory.CreateDirectory(Path);

    /// <summary>Full path of <paramref name="relative"/> inside this directory.</summary>
    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes a text file (creating folders) and returns its full path.</summary>
    public string Write(string relative, string text)
    {
        string p = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        File.WriteAllText(p, text, new UTF8Encoding(false));
        return p;
    }

    /// <summary>Writes a binary file (creating folders) and returns its full path.</summary>
    public string Write(string relative, byte[] bytes)
    {
        string p = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    /// <summary>Every file below this directory, as paths relative to it.</summary>
    public string[] Files(string relative = "") =>
        Directory.Exists(this[relative])
            ? Directory.GetFiles(this[relative], "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(Path, f)).Order().ToArray()
            : [];

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
