// `problab trueskill ...`: the TrueSkill command group (one file per subcommand):
//   update    closed-form posterior after one game        gibbs     Gibbs sampling of one game vs the exact answer
//   adf       one filtering pass with predictions         ep        order-independent expectation propagation
//   simulate  synthetic league → match CSV
// `problab rate` (RateCommand) is the user-facing rating of any match log.
using System.CommandLine;

namespace ProbLab.Cli.Commands;

/// <summary>The `trueskill` command group.</summary>
public static class TrueSkillCommand
{
    /// <summary>Creates `trueskill` and its subcommands.</summary>
    public static Command Create(CliApp app)
    {
        var cmd = new Command("trueskill", "TrueSkill: one-game updates, Gibbs sampling, ADF and EP over match files, simulated leagues.");
        cmd.Subcommands.Add(TrueSkillUpdateCommand.Create(app));
        cmd.Subcommands.Add(TrueSkillGibbsCommand.Create(app));
        cmd.Subcommands.Add(TrueSkillAdfCommand.Create(app));
        cmd.Subcommands.Add(TrueSkillEpCommand.Create(app));
        cmd.Subcommands.Add(TrueSkillSimulateCommand.Create(app));
        return cmd;
    }
}
