using System.Text;
using System.Text.Json;

namespace SafetyPatrol.Sites;

/// <summary>
/// Reads and validates site files; either every site or <see cref="SiteInvalidException"/>. A deployment is one
/// site file, or a folder holding one file per site (docs/interface.md §13); its text, as the cluster agrees on it,
/// is the one site object or a JSON array of them.
/// </summary>
public static class SiteLoader
{
    public static SiteDefinition Load(string file) => Read(file).Sites[0];

    public static SiteDefinition Parse(Stream json, string file) => OnlySite(ParseAll(json, file), file);

    /// <summary>
    /// The sites at <paramref name="path"/> (a site file, or a folder whose <c>*.json</c> files are read in name order)
    /// and their text for the cluster. Every problem of every file is listed, each with its own file.
    /// </summary>
    public static SiteFiles Read(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
            {
                throw new SiteInvalidException([new SiteProblem(path, "$", "the folder holds no site file (*.json)")]);
            }

            var problems = new List<SiteProblem>();
            var texts = new List<string>();
            var sites = new List<(SiteDefinition, string)>();
            foreach (var file in files)
            {
                var text = File.ReadAllText(file);
                try
                {
                    sites.Add((OnlySite(ParseAll(Encoding.UTF8.GetBytes(text), file), file), file));
                    texts.Add(text);
                }
                catch (SiteInvalidException ex)
                {
                    problems.AddRange(ex.Problems);
                }
            }

            problems.AddRange(SiteValidator.ValidateTogether(sites));
            return problems.Count > 0 ? throw new SiteInvalidException(problems) : new SiteFiles("[" + string.Join(",", texts) + "]", [.. sites.Select(s => s.Item1)]);
        }

        if (!File.Exists(path))
        {
            throw new SiteInvalidException([new SiteProblem(path, "$", "the file does not exist")]);
        }

        var json = File.ReadAllText(path);
        return new SiteFiles(json, ParseAll(Encoding.UTF8.GetBytes(json), path));
    }

    /// <summary>One site object, or an array of sites (as <see cref="Read"/> joins a folder's files); sites of an array are named <c>file[i]</c> in problems.</summary>
    public static IReadOnlyList<SiteDefinition> ParseAll(Stream json, string file)
    {
        using var copy = new MemoryStream();
        json.CopyTo(copy);
        return ParseAll(copy.GetBuffer().AsMemory(0, (int)copy.Length), file);
    }

    /// <summary>
    /// <see cref="ParseAll(Stream, string)"/> over UTF-8. An array is read one site at a time, never as one JSON document:
    /// a document rents buffers as large as its text from the shared array pool (at 1,000 sites, 48 MB), which keeps
    /// them for as long as the process runs.
    /// </summary>
    public static IReadOnlyList<SiteDefinition> ParseAll(ReadOnlyMemory<byte> json, string file)
    {
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var problems = new List<SiteProblem>();
        var sites = new List<(SiteDefinition, string)>();
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                var site = JsonElement.ParseValue(ref reader);
                ToTheEnd(ref reader);
                return [One(site, file)];
            }

            for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
            {
                var element = JsonElement.ParseValue(ref reader);
                var name = $"{file}[{i}]";
                try
                {
                    sites.Add((One(element, name), name));
                }
                catch (SiteInvalidException ex)
                {
                    problems.AddRange(ex.Problems);
                }
            }

            ToTheEnd(ref reader);
        }
        catch (JsonException ex)
        {
            throw Unreadable(ex, file);
        }

        if (sites.Count == 0 && problems.Count == 0)
        {
            problems.Add(new SiteProblem(file, "$", "the file holds no site"));
        }

        problems.AddRange(SiteValidator.ValidateTogether(sites));
        return problems.Count > 0 ? throw new SiteInvalidException(problems) : [.. sites.Select(s => s.Item1)];
    }

    /// <summary>Nothing but white space and comments may follow the sites: the reader throws on anything else.</summary>
    private static void ToTheEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }

    /// <summary>The one site of a site file; an array of them is a deployment's text, not a file's.</summary>
    private static SiteDefinition OnlySite(IReadOnlyList<SiteDefinition> sites, string file) => sites is [var site] ? site
        : throw new SiteInvalidException([new SiteProblem(file, "$", "one site was expected")]);

    private static SiteDefinition One(JsonElement element, string file)
    {
        SiteDefinition? site;
        try
        {
            site = element.Deserialize<SiteDefinition>(SiteJson.Options);
        }
        catch (JsonException ex)
        {
            throw Unreadable(ex, file);
        }

        if (site is null)
        {
            throw new SiteInvalidException([new SiteProblem(file, "$", "the file holds no site")]);
        }

        var problems = SiteValidator.Validate(site, file);
        return problems.Count > 0 ? throw new SiteInvalidException(problems) : site;
    }

    private static SiteInvalidException Unreadable(JsonException ex, string file)
    {
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, column {ex.BytePositionInLine + 1})" : "";
        return new SiteInvalidException([new SiteProblem(file, ex.Path ?? "$", FirstSentence(ex.Message) + where)]);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

/// <summary>The sites read from a site file or folder, and the text the cluster agrees on for them.</summary>
public sealed record SiteFiles(string Text, IReadOnlyList<SiteDefinition> Sites);
