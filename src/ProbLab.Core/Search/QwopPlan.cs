// QwopPlan: validation and parsing of QWOP plans (40 numbers). Text is comma- and/or whitespace-separated
// ("v1,...,v40", a file with one value per line, or a JSON array "[v1, ..., v40]" as `qwop search --json`
// prints it). Every error is one line naming the value's position (1-based) and, for text, its line.
using System.Globalization;
using System.Text;

namespace ProbLab.Search;

/// <summary>Checks and parses QWOP plans.</summary>
public static class QwopPlan
{
    /// <summary>Throws unless <paramref name="plan"/> has 40 finite values (values outside [−1, 1] are allowed: they are clipped).</summary>
    /// <exception cref="ArgumentException">Wrong length, or a NaN or infinite value (the message names the index).</exception>
    public static void Validate(ReadOnlySpan<double> plan, string name = "plan")
    {
        if (plan.Length != QwopSimulator.PlanLength)
            throw new ArgumentException($"{name} has {plan.Length} values; a QWOP plan needs exactly {QwopSimulator.PlanLength}");
        for (int i = 0; i < plan.Length; i++)
            if (!double.IsFinite(plan[i]))
                throw new ArgumentException($"{name}[{i}] is {plan[i].ToString(CultureInfo.InvariantCulture)}; plan values must be finite numbers");
    }

    /// <summary>Parses 40 numbers separated by commas and/or whitespace (optionally inside [ ]).</summary>
    /// <param name="text">The plan text.</param>
    /// <param name="source">What to call the text in error messages (an option name or a file path).</param>
    /// <exception cref="FormatException">An empty or non-numeric token, a NaN/infinite value, or not exactly 40 values; the message names the position.</exception>
    public static double[] Parse(string text, string source = "plan")
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new List<double>(QwopSimulator.PlanLength);
        var token = new StringBuilder();
        int line = 1, tokenLine = 1;
        bool sawComma = false, sawAny = false;
        string body = StripBrackets(text, source);
        for (int i = 0; i <= body.Length; i++)
        {
            char ch = i < body.Length ? body[i] : ' ';
            if (ch == ',' || char.IsWhiteSpace(ch))
            {
                if (token.Length > 0) { values.Add(ParseToken(token.ToString(), values.Count + 1, tokenLine, source)); token.Clear(); sawComma = false; }
                if (ch == ',')
                {
                    // A comma with no value since the previous comma (or the start) is an empty value.
                    if (sawComma || !sawAny) throw new FormatException($"{source}: empty value at position {values.Count + 1} (line {line})");
                    sawComma = true;
                }
                if (ch == '\n') line++;
                continue;
            }
            if (token.Length == 0) tokenLine = line;
            token.Append(ch);
            sawAny = true;
        }
        if (sawComma) throw new FormatException($"{source}: trailing comma after value {values.Count} (line {line})");
        if (values.Count != QwopSimulator.PlanLength)
            throw new FormatException($"{source} has {values.Count} values; a QWOP plan needs exactly {QwopSimulator.PlanLength}");
        return values.ToArray();
    }

    /// <summary>Reads and parses a plan file (see <see cref="Parse"/>).</summary>
    /// <exception cref="IOException">The file cannot be read (one-line message naming it).</exception>
    /// <exception cref="FormatException">The content is not a valid plan.</exception>
    public static double[] ParseFile(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new IOException($"cannot read plan file '{path}': {e.Message.ReplaceLineEndings(" ")}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Formats a plan as "v1,...,v40" with round-trip precision (what <see cref="Parse"/> reads back exactly).</summary>
    public static string Format(ReadOnlySpan<double> plan)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < plan.Length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(plan[i].ToString("R", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static double ParseToken(string token, int position, int line, string source)
    {
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw new FormatException($"{source}: value {position} (line {line}) '{Shorten(token)}' is not a number");
        if (!double.IsFinite(v))
            throw new FormatException($"{source}: value {position} (line {line}) is {token}; plan values must be finite numbers");
        return v;
    }

    /// <summary>Blanks one optional pair of enclosing brackets (so a JSON array is accepted), keeping line numbers.</summary>
    private static string StripBrackets(string text, string source)
    {
        int first = 0, last = text.Length - 1;
        while (first < text.Length && char.IsWhiteSpace(text[first])) first++;
        while (last >= 0 && char.IsWhiteSpace(text[last])) last--;
        bool open = first <= last && text[first] == '[', close = first < last && text[last] == ']';
        if (open && close)
        {
            var chars = text.ToCharArray();
            chars[first] = ' ';
            chars[last] = ' ';
            return new string(chars);
        }
        if (open || (first <= last && text[last] == ']'))
            throw new FormatException($"{source}: unbalanced '[' ']' around the plan values");
        return text;
    }

    private static string Shorten(string s) => s.Length <= 20 ? s : s[..20] + "...";
}
