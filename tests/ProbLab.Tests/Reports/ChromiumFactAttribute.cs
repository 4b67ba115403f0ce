// [ChromiumFact]: an xUnit fact that is reported as skipped (not silently passed) when no chromium binary
// is on PATH, plus the helper that finds the binary and takes a headless screenshot.
using System.Diagnostics;

namespace ProbLab.Tests.Reports;

/// <summary>A fact that runs only when chromium (or chromium-browser / google-chrome) is on PATH; otherwise xUnit reports it skipped.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Find() == null) Skip = "chromium not found on PATH (install Debian 'chromium' to run this test)";
    }
}

internal static class Chromium
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    /// <summary>Full path of the first chromium-like executable on PATH, or null.</summary>
    public static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in Names)
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>Renders a local HTML file headlessly and writes a PNG screenshot of the given window size.</summary>
    public static void Screenshot(string htmlPath, string pngPath, int width, int height, TimeSpan timeout)
    {
        string exe = Find() ?? throw new InvalidOperationException("chromium not found on PATH");
        string profile = Path.Combine(Path.GetTempPath(), "problab-chromium-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-dev-shm-usage",
                     "--no-first-run", "--force-device-scale-factor=1", $"--user-data-dir={profile}", $"--screenshot={pngPath}",
                     $"--window-size={width},{height}", new Uri(htmlPath).AbsoluteUri })
            psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start chromium");
            var stderr = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within {timeout.TotalSeconds} s");
            }
            if (!File.Exists(pngPath)) throw new InvalidOperationException($"chromium exited with {p.ExitCode} and wrote no screenshot: {stderr.Result}");
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
