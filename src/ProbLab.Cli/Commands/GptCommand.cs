// `problab gpt ...`: the character-level GPT of HUJI IML ex5 (§4) on tiny Shakespeare.
//   problab gpt train  [--epochs 10 --block-size 10 --layers 3 --heads 3 --embd 48 --lr 3e-4 --batch-size 64 ...]
//                      [--checkpoint DIR] [--resume]
//   problab gpt sample --checkpoint DIR [--prompt "the "] [--tokens 30] [--top-k 5] [--temperature 1] [--samples 3]
using System.CommandLine;

namespace ProbLab.Cli.Commands;

/// <summary>The `gpt` command group.</summary>
public static class GptCommand
{
    /// <summary>Creates `gpt` with its subcommands.</summary>
    public static Command Create(CliApp app)
    {
        var gpt = new Command("gpt", "Character-level GPT on tiny Shakespeare: train, sample.");
        gpt.Subcommands.Add(GptTrainCommand.Create(app));
        gpt.Subcommands.Add(GptSampleCommand.Create(app));
        return gpt;
    }
}
