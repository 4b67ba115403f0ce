// DataDirs: where datasets live. A dataset named N is the folder <root>/N, searched in this order:
//   1. the explicit root: --data-dir if given, else $PROBLAB_DATA (if set);
//   2. the user cache: $XDG_CACHE_HOME/problab, else ~/.cache/problab (Windows: %LOCALAPPDATA%\problab\cache).
// A folder that exists is "the real data": loaders then require its files and fail loudly if one is missing
// or malformed. When no folder exists, a downloader was given (the CLI's --download) and the dataset has a
// canonical URL, the files are fetched into a temporary folder in the cache, MD5-checked, and the folder is
// renamed into place, so an interrupted download never looks like a complete dataset. Otherwise Locate
// returns null and the loader uses its synthetic stand-in.
using System.Security.Cryptography;

namespace ProbLab.Data;

/// <summary>Resolves dataset folders from --data-dir, $PROBLAB_DATA and the user cache, downloading only when allowed.</summary>
public sealed class DataDirs
{
    /// <summary>Name of the environment variable holding the data root.</summary>
    public const string EnvVar = "PROBLAB_DATA";

    private readonly IDownloader? _downloader;

    /// <summary>The explicit data root (--data-dir or $PROBLAB_DATA), or null when neither was given.</summary>
    public string? Root { get; }

    /// <summary>Where <see cref="Root"/> came from: "--data-dir", "$PROBLAB_DATA", or "none".</summary>
    public string RootOrigin { get; }

    /// <summary>The user cache folder searched after <see cref="Root"/> and used for downloads.</summary>
    public string CacheDir { get; }

    /// <summary>True when a downloader was supplied, i.e. missing downloadable datasets are fetched.</summary>
    public bool DownloadsEnabled => _downloader is not null;

    /// <summary>Creates a resolver from explicit values (used by tests and by <see cref="FromEnvironment"/>).</summary>
    /// <param name="dataDir">The --data-dir value, or null.</param>
    /// <param name="envDataDir">The $PROBLAB_DATA value, or null/empty.</param>
    /// <param name="cacheDir">The cache folder.</param>
    /// <param name="downloader">Downloader for missing datasets; null disables downloads.</param>
    public DataDirs(string? dataDir, string? envDataDir, string cacheDir, IDownloader? downloader = null)
    {
        if (!string.IsNullOrEmpty(dataDir)) (Root, RootOrigin) = (Path.GetFullPath(dataDir), "--data-dir");
        else if (!string.IsNullOrEmpty(envDataDir)) (Root, RootOrigin) = (Path.GetFullPath(envDataDir), "$" + EnvVar);
        else (Root, RootOrigin) = (null, "none");
        CacheDir = Path.GetFullPath(cacheDir);
        _downloader = downloader;
    }

    /// <summary>Resolver from --data-dir, the environment (<paramref name="getEnv"/>, default the process's) and the platform cache folder.</summary>
    public static DataDirs FromEnvironment(string? dataDir = null, IDownloader? downloader = null, Func<string, string?>? getEnv = null)
    {
        getEnv ??= Environment.GetEnvironmentVariable;
        return new DataDirs(dataDir, getEnv(EnvVar), DefaultCacheDir(getEnv), downloader);
    }

    /// <summary>The platform's user cache folder for ProbLab.</summary>
    public static string DefaultCacheDir(Func<string, string?> getEnv)
    {
        string? xdg = getEnv("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "problab");
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "problab", "cache");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "problab");
    }

    /// <summary>Roots searched, in order: the explicit root (if any), then the cache.</summary>
    public IReadOnlyList<string> SearchRoots => Root is null ? [CacheDir] : [Root, CacheDir];

    /// <summary>The first existing folder for <paramref name="dataset"/> among <see cref="SearchRoots"/>, or null; never downloads.</summary>
    public string? Find(string dataset)
    {
        foreach (var root in SearchRoots)
        {
            string dir = Path.Combine(root, dataset);
            if (Directory.Exists(dir)) return dir;
        }
        return null;
    }

    /// <summary>The dataset's folder: found (<see cref="Find"/>), else downloaded when allowed and possible, else null (use a stand-in).</summary>
    /// <exception cref="IOException">A download was attempted and failed (one-line message naming the URL or file).</exception>
    public string? Locate(DatasetInfo dataset, CancellationToken cancel = default)
    {
        var found = Find(dataset.Name);
        if (found is not null || _downloader is null || !dataset.IsDownloadable) return found;
        return Download(dataset, cancel);
    }

    /// <summary>One line explaining why a dataset was not found and how to provide it (for stand-in provenance).</summary>
    public string MissingReason(DatasetInfo dataset)
    {
        string looked = string.Join(" or ", SearchRoots.Select(r => Path.Combine(r, dataset.Name)));
        string how = dataset.IsDownloadable
            ? "pass --download to fetch it, or --data-dir / $" + EnvVar
            : $"{dataset.NoUrlNote}; put it under --data-dir / ${EnvVar}";
        return $"no folder {looked}; {how}";
    }

    private string Download(DatasetInfo dataset, CancellationToken cancel)
    {
        Directory.CreateDirectory(CacheDir);
        string final = Path.Combine(CacheDir, dataset.Name);
        string staging = Path.Combine(CacheDir, $".{dataset.Name}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var file in dataset.Files)
            {
                string target = Path.Combine(staging, file.Name);
                _downloader!.Download(file.Url!, target, cancel);
                if (file.Md5 is not null) CheckMd5(target, file);
            }
            Directory.Move(staging, final);
            return final;
        }
        catch
        {
            try { Directory.Delete(staging, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    private static void CheckMd5(string path, DataFile file)
    {
        using var stream = File.OpenRead(path);
        string actual = Convert.ToHexStringLower(MD5.HashData(stream));
        if (actual != file.Md5)
            throw new IOException($"downloaded {file.Url} has MD5 {actual}, expected {file.Md5}; not using it");
    }
}
