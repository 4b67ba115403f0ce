// The CLI's error contract, in one place:
//   usage errors (unknown option/command, bad value, missing subcommand) → one stderr line, exit 2;
//   failures from the library or the file system                          → one stderr line, exit 1;
//   Ctrl-C                                                                → "problab: interrupted", exit 130.
// Lines start with "problab: " and never contain a stack trace (set PROBLAB_DEBUG=1 to get one for bugs).
using System.CommandLine;
using System.CommandLine.Parsing;
using ProbLab.Data;

namespace ProbLab.Cli;

/// <summary>Exit codes and one-line messages for parse errors and exceptions.</summary>
public static class ErrorText
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A runtime failure: bad data, I/O, invalid argument values found by the library.</summary>
    public const int Failure = 1;

    /// <summary>A usage error: unknown option or command, bad option value.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, the shell convention).</summary>
    public const int Interrupted = 130;

    /// <summary>"problab bench gemm" for the command a parse ended in.</summary>
    public static string CommandPath(CommandResult? result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
            if (c.Parent is not null) names.Add(c.Command.Name); // the root's name is the host executable's; we say "problab"
        names.Add("problab");
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The one-line message for a parse that has errors.</summary>
    public static string ForParse(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        string path = CommandPath(parse.CommandResult);
        string subcommands = string.Join(", ", command.Subcommands.Where(s => !s.Hidden).Select(s => s.Name));
        if (parse.UnmatchedTokens.Count > 0)
        {
            string token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-')) return $"unknown option '{token}' for '{path}' (see '{path} --help')";
            if (command.Subcommands.Count > 0) return $"unknown command '{token}' for '{path}' (expected one of: {subcommands})";
            return $"unexpected argument '{token}' for '{path}'";
        }
        var error = parse.Errors[0];
        string msg = error.Message;
        if (msg.StartsWith("Required command was not provided", StringComparison.Ordinal))
            return $"'{path}' needs a command: {subcommands} (see '{path} --help')";
        const string missing = "Required argument missing for option: '";
        if (msg.StartsWith(missing, StringComparison.Ordinal))
            return $"option '{msg[missing.Length..].TrimEnd('.', '\'')}' needs a value";
        return DataFormatException.OneLine(msg.TrimEnd('.'));
    }

    /// <summary>True for exceptions whose message is meant for the user (data, I/O, argument checks).</summary>
    public static bool IsUserFacing(Exception e) => e is DataFormatException or IOException or UnauthorizedAccessException
        or ArgumentException or InvalidOperationException or NotSupportedException or UsageException;

    /// <summary>The one-line message of an exception: argument messages lose .NET's "(Parameter 'x')" suffix.</summary>
    public static string ForException(Exception e)
    {
        string msg = e switch
        {
            ArgumentOutOfRangeException a when a.ParamName is not null => $"{StripParam(a)} ({a.ParamName} = {a.ActualValue ?? "null"})",
            ArgumentException a => StripParam(a),
            _ => e.Message,
        };
        msg = DataFormatException.OneLine(msg);
        return IsUserFacing(e) ? msg : $"internal error: {e.GetType().Name}: {msg}";
    }

    // ArgumentException.Message is "text (Parameter 'name')" and, for out-of-range, a second line with the value.
    private static string StripParam(ArgumentException a)
    {
        string msg = a.Message.Split('\n')[0].TrimEnd();
        string suffix = a.ParamName is null ? "" : $" (Parameter '{a.ParamName}')";
        return suffix.Length > 0 && msg.EndsWith(suffix, StringComparison.Ordinal) ? msg[..^suffix.Length] : msg;
    }
}

/// <summary>A usage problem found after parsing (e.g. --only names an unknown experiment); exits with code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
