using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.FileProviders;
using SafetyPatrol.Alerts;

namespace SafetyPatrol.Web;

/// <summary>
/// The console's strings (<c>wwwroot/i18n/{language}.json</c>) for text the server writes itself, such as a
/// notification: one table for both, so a channel reads what a console of its language shows.
/// </summary>
public sealed class Strings
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    /// <summary>The languages there are strings for.</summary>
    public static readonly IReadOnlyList<string> Languages = [Chinese, English];

    private static readonly ConcurrentDictionary<string, Strings> Loaded = new(StringComparer.Ordinal);

    private readonly Dictionary<string, string> _strings;

    private Strings(Dictionary<string, string> strings) => _strings = strings;

    /// <summary>The strings of <paramref name="language"/> (one of <see cref="Languages"/>).</summary>
    public static Strings For(string language) => Loaded.GetOrAdd(language, static name =>
    {
        if (!Languages.Contains(name))
        {
            throw new ArgumentOutOfRangeException(nameof(language), name, $"Not one of {string.Join(", ", Languages)}.");
        }

        var file = new EmbeddedFileProvider(typeof(Strings).Assembly, "SafetyPatrol.Web.wwwroot").GetFileInfo($"i18n/{name}.json");
        using var stream = file.CreateReadStream();
        return new Strings(JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!);
    });

    /// <summary>The string of <paramref name="key"/> with each <c>{name}</c> filled in, or the key when there is none (as the console's <c>I18n.t</c>).</summary>
    public string T(string key, IReadOnlyDictionary<string, string>? values = null)
    {
        var text = _strings.GetValueOrDefault(key, key);
        foreach (var (name, value) in values ?? new Dictionary<string, string>())
        {
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>What an alert of <paramref name="type"/> is called, or the type itself.</summary>
    public string TypeName(string type) => _strings.GetValueOrDefault("type." + type, type);

    /// <summary>An alert's message from its key and values, as the console's <c>I18n.message</c>; its English text when the key is unknown.</summary>
    public string Message(Alert alert)
    {
        if (alert.MessageKey is not { } key || !_strings.ContainsKey("msg." + key))
        {
            return alert.Message;
        }

        var values = new Dictionary<string, string>(alert.MessageArgs ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (values.TryGetValue("metric", out var metric))
        {
            values["metric"] = _strings.GetValueOrDefault("metric." + metric, metric);
        }

        return T("msg." + key, values);
    }
}
