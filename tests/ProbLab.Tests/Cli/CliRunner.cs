// Runs `problab` in-process with captured stdout/stderr and a test host: no terminal, no network, a private
// cache folder, PROBLAB_DATA only when a test sets it, and optional test experiments. CLI tests share one
// xUnit collection because --threads sets a process-wide value (restored after each run).
using ProbLab.Cli;
using ProbLab.Cli.Experiments;

namespace ProbLab.Tests.Cli;

[CollectionDefinition("cli", DisableParallelization = true)]
public sealed class CliCollection;

public sealed record CliRun(int Code, string Stdout, string Stderr)
{
    /// <summary>Non-empty stderr lines.</summary>
    public string[] ErrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public static class CliRunner
{
    public static CliRun Run(TempDir tmp, string[] args, IReadOnlyList<IExperiment>? experiments = null,
        string? problabData = null, CancellationToken cancel = default)
    {
        var env = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = tmp["cache"] };
        if (problabData is not null) env["PROBLAB_DATA"] = problabData;
        var host = CliHost.ForTests(env, experiments) with { Cancel = cancel };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr, host);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Asserts a usage/runtime error: the code, nothing on stdout, exactly one stderr line starting "problab: ".</summary>
    public static string AssertOneLineError(CliRun run, int code)
    {
        Assert.True(code == run.Code, $"exit code {run.Code}, expected {code}; stderr: {run.Stderr}");
        Assert.Equal("", run.Stdout);
        var lines = run.ErrLines.Where(l => l.StartsWith("problab: ", StringComparison.Ordinal)).ToArray();
        Assert.Single(lines);
        Assert.DoesNotContain("   at ", run.Stderr); // no stack trace
        return lines[0];
    }
}
