// Config records → JSON (camelCase, for --json and report.json) and → "key = value" lines (kebab-case,
// matching the option names, for the header printed at the start of a run and for the HTML report).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ProbLab.Cli;

/// <summary>Serialises config records for printing, JSON output and reports.</summary>
public static class ConfigText
{
    /// <summary>Options for every JSON the CLI writes (camelCase, enums as strings, NaN/∞ as strings).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The config as a JSON object (public properties, camelCase).</summary>
    public static JsonObject ToJson(object config) =>
        JsonSerializer.SerializeToNode(config, config.GetType(), Json) as JsonObject ?? new JsonObject();

    /// <summary>The config as (kebab-case name, display value) pairs in declaration order.</summary>
    public static IReadOnlyList<(string Key, string Value)> ToPairs(object config) =>
        ToJson(config).Select(kv => (Kebab(kv.Key), Display(kv.Value))).ToList();

    /// <summary>"sizes = 256,512,1024" lines, indented, names aligned.</summary>
    public static IEnumerable<string> ToLines(object config)
    {
        var pairs = ToPairs(config);
        int width = pairs.Count == 0 ? 0 : pairs.Max(p => p.Key.Length);
        return pairs.Select(p => $"  {p.Key.PadRight(width)} = {p.Value}");
    }

    private static string Display(JsonNode? node) => node switch
    {
        null => "(none)",
        JsonArray a => a.Count == 0 ? "[]" : string.Join(",", a.Select(Display)),
        JsonValue v when v.TryGetValue(out string? s) => s ?? "",
        JsonValue v when v.TryGetValue(out double d) => d.ToString("G", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };

    /// <summary>camelCase or PascalCase → kebab-case (learningRate → learning-rate).</summary>
    internal static string Kebab(string camel) =>
        string.Concat(camel.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
