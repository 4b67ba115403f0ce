// Entry point of the `problab` command. Run() is the whole CLI with explicit writers and host, so tests
// call it in-process; Main() wires it to the console and turns the first Ctrl-C into a clean exit 130
// (a second Ctrl-C kills the process the usual way).
using System.CommandLine;
using System.CommandLine.Help;

namespace ProbLab.Cli;

/// <summary>The `problab` program.</summary>
public static class Program
{
    /// <summary>Process entry point.</summary>
    public static int Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cts.IsCancellationRequested) return; // second Ctrl-C: let the runtime terminate us
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return Run(args, Console.Out, Console.Error, CliHost.ForProcess(cts.Token));
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs `problab args` writing to the given writers, with a test host (no terminal, no downloads, process environment).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, CliHost.ForTests() with { GetEnv = Environment.GetEnvironmentVariable });

    /// <summary>Runs `problab args`: parse errors → one stderr line and exit 2; otherwise the command's exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CliHost host)
    {
        var app = new CliApp(host, stdout, stderr);
        var root = app.BuildRoot();
        var parse = root.Parse(args);
        bool helpRequested = parse.Action is HelpAction;
        if (parse.Errors.Count > 0 && !helpRequested)
        {
            stderr.WriteLine($"problab: {ErrorText.ForParse(parse)}");
            return ErrorText.Usage;
        }
        return parse.Invoke(new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        });
    }
}
