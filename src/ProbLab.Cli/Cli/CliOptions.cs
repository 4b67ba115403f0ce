// Option factories with our own value parsers, so a bad value gives a precise one-line message
// ("invalid value 'abc' for --seed: expected an integer") instead of a type name, and so the defaults of a
// command's config record are the option defaults. Every command builds its options with these.
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ProbLab.Cli;

/// <summary>Typed option constructors with validating parsers and one-line error messages.</summary>
public static class CliOptions
{
    /// <summary>An integer option in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> Int(string name, string description, int defaultValue, int min = int.MinValue, int max = int.MaxValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, name, s => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : (int?)null,
            "an integer", v => v >= min && v <= max, Range(min, max)),
    };

    /// <summary>A 64-bit integer option (e.g. --seed).</summary>
    public static Option<long> Long(string name, string description, long defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, name, s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : (long?)null,
            "an integer", _ => true, ""),
    };

    /// <summary>A finite floating-point option in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<double> Double(string name, string description, double defaultValue, double min = double.MinValue, double max = double.MaxValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, name, s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : (double?)null,
            "a finite number", v => v >= min && v <= max, $"between {min} and {max}"),
    };

    /// <summary>A comma-separated list of integers, each in [<paramref name="min"/>, <paramref name="max"/>] (e.g. --sizes 256,512).</summary>
    public static Option<int[]> IntList(string name, string description, int[] defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        List(name, description, defaultValue,
            s => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : null, "an integer", "1,2,3",
            v => v >= min && v <= max, (_, v) => $"{v} is not {Range(min, max)}");

    /// <summary>
    /// A comma-separated list of finite numbers, each in [<paramref name="min"/>, <paramref name="max"/>] (e.g. --sweep 0,1,7.5);
    /// <paramref name="items"/> names them in the range error ("guidance weights must be ≥ 0, got -2").
    /// </summary>
    public static Option<double[]> DoubleList(string name, string description, double[] defaultValue, double min = double.MinValue, double max = double.MaxValue, string items = "values") =>
        List(name, description, defaultValue,
            s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null, "a finite number", "0,1,7.5",
            v => v >= min && v <= max, (part, _) => $"{items} must be {Range(min, max)}, got {part}");

    // Splits the token at commas and parses each part; the first bad part is a one-line error naming the whole value.
    private static Option<T[]> List<T>(string name, string description, T[] defaultValue, Func<string, T?> parse, string expected, string example,
        Func<T, bool> inRange, Func<string, T, string> rangeError) where T : struct => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            var values = new T[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (parse(parts[i]) is not { } v)
                {
                    r.AddError($"invalid value '{text}' for {name}: '{parts[i]}' is not {expected} (expected a comma-separated list like {example})");
                    return [];
                }
                if (!inRange(v))
                {
                    r.AddError($"invalid value '{text}' for {name}: {rangeError(parts[i], v)}");
                    return [];
                }
                values[i] = v;
            }
            return values;
        },
    };

    /// <summary>A comma-separated list of names (e.g. --only spiral,data); empty entries are rejected.</summary>
    public static Option<string[]> NameList(string name, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => [],
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Any(p => p.Length == 0)) { r.AddError($"invalid value '{text}' for {name}: expected a comma-separated list of names"); return []; }
            return parts;
        },
    };

    /// <summary>A path option (no existence check; commands decide).</summary>
    public static Option<string?> Path(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (text.Length == 0 || text.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0) { r.AddError($"invalid path '{text}' for {name}"); return null; }
            return text;
        },
    };

    /// <summary>A boolean switch (present = true).</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static T Parse<T>(ArgumentResult r, string name, Func<string, T?> parse, string expected, Func<T, bool> inRange, string range) where T : struct
    {
        string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
        if (parse(text) is not { } value) { r.AddError($"invalid value '{text}' for {name}: expected {expected}"); return default; }
        if (!inRange(value)) { r.AddError($"invalid value '{text}' for {name}: must be {range}"); return default; }
        return value;
    }

    private static string Range(double min, double max) =>
        (min, max) switch
        {
            (double.MinValue, double.MaxValue) => "finite",
            (_, double.MaxValue) => string.Create(CultureInfo.InvariantCulture, $"≥ {min}"),
            (double.MinValue, _) => string.Create(CultureInfo.InvariantCulture, $"≤ {max}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"between {min} and {max}"),
        };

    private static string Range(long min, long max) =>
        (min, max) switch
        {
            (int.MinValue, int.MaxValue) => "an integer",
            (_, int.MaxValue) => $"at least {min}",
            (int.MinValue, _) => $"at most {max}",
            _ => $"between {min} and {max}",
        };

    /// <summary>A string option restricted to <paramref name="allowed"/>; a bad value is a one-line error listing them.</summary>
    public static Option<string> Choice(string name, string description, string[] allowed, string defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (allowed.Contains(text)) return text;
            r.AddError($"invalid value '{text}' for {name}: expected one of {string.Join(", ", allowed)}");
            return defaultValue;
        },
    };

    /// <summary>An enum option spelled in kebab-case (RoundRobin → round-robin); a bad value lists the choices.</summary>
    public static Option<T> Choice<T>(string name, string description, T defaultValue) where T : struct, Enum
    {
        var names = Enum.GetValues<T>().ToDictionary(v => ConfigText.Kebab(v.ToString()), v => v);
        string[] allowed = [.. names.Keys];
        return new Option<T>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                string t = r.Tokens.Count > 0 ? r.Tokens[0].Value.ToLowerInvariant() : "";
                if (names.TryGetValue(t, out var v)) return v;
                r.AddError($"invalid value '{(r.Tokens.Count > 0 ? r.Tokens[0].Value : "")}' for {name}: expected one of {string.Join(", ", allowed)}");
                return defaultValue;
            },
        };
    }
}
