// Shared by `problab gpt ...` and the gpt report experiment: tiny Shakespeare (or its synthetic stand-in)
// with the course split, the training text's character vocabulary, and the windowed datasets; plus the
// checkpoint metadata key under which the vocabulary travels with the model.
using ProbLab.Data;

namespace ProbLab.Cli.Commands;

/// <summary>The character-level data of the IML ex5 GPT.</summary>
public sealed record CharGptData(CharVocab Vocab, TextWindows Train, TextWindows Test, DataSource Source)
{
    /// <summary>Checkpoint metadata key holding the vocabulary characters in id order.</summary>
    public const string VocabKey = "tokenizer.chars";

    /// <summary>Loads tiny Shakespeare from the data dirs (or the stand-in) and windows both splits with <paramref name="blockSize"/>.</summary>
    /// <exception cref="ArgumentException">The test text has a character the training vocabulary lacks, or a split is shorter than one window.</exception>
    public static CharGptData Load(DataDirs dirs, int blockSize, CancellationToken cancel)
    {
        var ds = ShakespeareData.Load(dirs, cancel: cancel);
        var train = ds.Vocab.Encode(ds.Split.Train);
        int[] test;
        try { test = ds.Vocab.Encode(ds.Split.Test); }
        catch (ArgumentException e) { throw new ArgumentException($"shakespeare test split: {e.Message}"); }
        return new CharGptData(ds.Vocab, new TextWindows(train, blockSize), new TextWindows(test, blockSize), ds.Source);
    }

    /// <summary>The vocabulary as stored in checkpoints.</summary>
    public static string VocabString(CharVocab vocab) => string.Concat(vocab.Chars);

    /// <summary>Encodes a user prompt; characters outside the vocabulary become a usage error naming them.</summary>
    /// <exception cref="UsageException">The prompt has a character the vocabulary lacks.</exception>
    public static int[] EncodePrompt(CharVocab vocab, string prompt, string option)
    {
        try { return vocab.Encode(prompt); }
        catch (ArgumentException e) { throw new UsageException($"invalid value for {option}: {e.Message}"); }
    }
}
