// Downloading dataset files. DataDirs only downloads through an injected IDownloader, so nothing is ever
// fetched unless the caller asked for it (the CLI's --download flag); tests pass none or a fake one.
using System.Net.Http;

namespace ProbLab.Data;

/// <summary>Fetches one URL into a local file.</summary>
public interface IDownloader
{
    /// <summary>Writes the content of <paramref name="url"/> to <paramref name="destinationPath"/> (which the caller later renames).</summary>
    /// <exception cref="IOException">The transfer failed; the message is one line naming the URL.</exception>
    void Download(string url, string destinationPath, CancellationToken cancel);
}

/// <summary>Plain HTTP(S) downloader on <see cref="HttpClient"/> with a whole-transfer timeout.</summary>
public sealed class HttpDownloader : IDownloader
{
    private readonly TimeSpan _timeout;

    /// <summary>Creates a downloader; <paramref name="timeout"/> bounds each whole transfer (default 10 minutes).</summary>
    public HttpDownloader(TimeSpan? timeout = null) => _timeout = timeout ?? TimeSpan.FromMinutes(10);

    /// <inheritdoc/>
    public void Download(string url, string destinationPath, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = _timeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("problab");
        try
        {
            using var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
                throw new IOException($"could not download {url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            using var body = response.Content.ReadAsStream(cancel);
            using var file = new FileStream(destinationPath, FileMode.Create, FileAccess.Write, FileShare.None);
            body.CopyTo(file);
        }
        catch (HttpRequestException e)
        {
            throw new IOException(DataFormatException.OneLine($"could not download {url}: {e.Message}"), e);
        }
        catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new IOException($"could not download {url}: timed out after {_timeout.TotalSeconds:F0} s", e);
        }
    }
}
