using System.Text.Json;

namespace SafetyPatrol.Sites;

/// <summary>Reads and validates a site file; either the whole site or <see cref="SiteInvalidException"/>.</summary>
public static class SiteLoader
{
    public static SiteDefinition Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new SiteInvalidException([new SiteProblem(file, "$", "the file does not exist")]);
        }

        using var stream = File.OpenRead(file);
        return Parse(stream, file);
    }

    public static SiteDefinition Parse(Stream json, string file)
    {
        SiteDefinition? site;
        try
        {
            site = JsonSerializer.Deserialize<SiteDefinition>(json, SiteJson.Options);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, column {ex.BytePositionInLine + 1})" : "";
            throw new SiteInvalidException([new SiteProblem(file, ex.Path ?? "$", FirstSentence(ex.Message) + where)]);
        }

        if (site is null)
        {
            throw new SiteInvalidException([new SiteProblem(file, "$", "the file holds no site")]);
        }

        var problems = SiteValidator.Validate(site, file);
        return problems.Count > 0 ? throw new SiteInvalidException(problems) : site;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
