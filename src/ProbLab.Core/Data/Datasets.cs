// The dataset catalog: each dataset's folder name, its files, and a canonical download URL with the
// expected MD5 where a public one exists. Course datasets (Europe, Serie A, chess, deepul) have no
// canonical URL: they must be placed under --data-dir / $PROBLAB_DATA by hand (see SOURCES in the README).
namespace ProbLab.Data;

/// <summary>One file of a dataset; <see cref="Url"/> and <see cref="Md5"/> are set when it can be downloaded.</summary>
public sealed record DataFile(string Name, string? Url = null, string? Md5 = null);

/// <summary>A dataset's folder name, files and, when it has no public URL, a note saying where it comes from.</summary>
public sealed record DatasetInfo(string Name, string Title, IReadOnlyList<DataFile> Files, string? NoUrlNote = null)
{
    /// <summary>True when every file has a canonical URL, so <see cref="DataDirs"/> can download it.</summary>
    public bool IsDownloadable => Files.All(f => f.Url is not null);
}

/// <summary>The datasets ProbLab knows by name.</summary>
public static class Datasets
{
    private const string MnistMirror = "https://ossci-datasets.s3.amazonaws.com/mnist/";

    /// <summary>HUJI IML ex4/ex5 Europe city coordinates (33 countries).</summary>
    public static readonly DatasetInfo Europe = new("europe", "Europe city coordinates",
        [new("train.csv"), new("validation.csv"), new("test.csv")],
        "HUJI IML 67577 course data; no canonical URL");

    /// <summary>MNIST handwritten digits, gzip IDX files; MD5s are the canonical ones torchvision checks.</summary>
    public static readonly DatasetInfo Mnist = new("mnist", "MNIST digits",
    [
        new("train-images-idx3-ubyte.gz", MnistMirror + "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        new("train-labels-idx1-ubyte.gz", MnistMirror + "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        new("t10k-images-idx3-ubyte.gz", MnistMirror + "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        new("t10k-labels-idx1-ubyte.gz", MnistMirror + "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]);

    /// <summary>Karpathy's tiny Shakespeare (1,115,394 characters).</summary>
    public static readonly DatasetInfo Shakespeare = new("shakespeare", "Tiny Shakespeare",
        [new("input.txt", "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt", "6fb458f1232090904fb40fe944165e91")]);

    /// <summary>Serie A 2018/19 results (Uppsala APML TrueSkill project).</summary>
    public static readonly DatasetInfo SerieA = new("seriea", "Serie A 2018/19 results",
        [new("SerieA.csv")], "Uppsala APML course data; no canonical URL");

    /// <summary>Lichess games (Kaggle datasnaek/chess).</summary>
    public static readonly DatasetInfo Chess = new("chess", "Lichess games",
        [new("games.csv")], "Kaggle dataset datasnaek/chess (needs a Kaggle login); no canonical URL");

    /// <summary>Berkeley CS294-158 (deepul) homework 1 data that could be recovered.</summary>
    public static readonly DatasetInfo Deepul = new("deepul", "deepul HW1 data",
        [new("poetry.json"), new("q1_dset1_train.txt"), new("q1_dset1_test.txt"), new("q1_dset2_train_seed0.txt"), new("q1_dset2_test_seed0.txt")],
        "CS294-158 course data; no canonical URL");

    /// <summary>Every dataset, in display order.</summary>
    public static IReadOnlyList<DatasetInfo> All { get; } = [Europe, Mnist, Shakespeare, SerieA, Chess, Deepul];

    /// <summary>Looks a dataset up by name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No dataset has that name; the message lists the known names.</exception>
    public static DatasetInfo Get(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown dataset '{name}' (known: {string.Join(", ", All.Select(d => d.Name))})");
}
