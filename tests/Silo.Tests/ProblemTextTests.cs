using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>Problems said by key (docs/interface.md, "Problems by key"): the API's English and each page's language from one key.</summary>
[Collection(SystemCollection.Name)]
public sealed partial class ProblemTextTests(SystemFixture system)
{
    [GeneratedRegex(@"(?:ProblemText\.Of|ApiProblem\.NotFound)\(""(?<key>[^""]+)""")]
    private static partial Regex KeyUse();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Value();

    [Fact]
    public void EveryProblemTheServerSaysHasItsTextInEveryLanguageWithTheSameValues()
    {
        var top = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(top, "SafetyPatrol.sln")))
        {
            top = Path.GetDirectoryName(top.TrimEnd(Path.DirectorySeparatorChar))!;
        }

        var keys = new[] { "Web", "Grains", "Grains.Abstractions" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(top, project), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => KeyUse().Matches(File.ReadAllText(file)).Select(m => m.Groups["key"].Value))
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(keys.Count > 80, $"only {keys.Count} problem keys were found in the source: has the way they are written changed?");

        var languages = Web.Strings.Languages.ToDictionary(l => l, l => JsonSerializer.Deserialize<Dictionary<string, string>>(
            File.ReadAllText(Path.Combine(top, "Web", "wwwroot", "i18n", $"{l}.json")))!);
        var missing = keys.SelectMany(k => languages.Where(l => !l.Value.ContainsKey("err." + k)).Select(l => $"{l.Key}: err.{k}")).ToList();
        Assert.Empty(missing);
        var values = keys.Select(k => (Key: k, Sets: languages.Values.Select(s => string.Join(",", Value().Matches(s["err." + k]).Select(m => m.Value).Order(StringComparer.Ordinal))).Distinct().ToList()))
            .Where(k => k.Sets.Count > 1).Select(k => $"err.{k.Key}: {string.Join(" / ", k.Sets)}").ToList();
        Assert.Empty(values);
    }

    [Fact]
    public async Task AProblemAnsweredOverHttpCarriesItsKeyAndValuesBesideItsEnglish()
    {
        using var op = await system.Operator();

        // Something that is not there: the detail, and its key.
        var missing = await op.GetAsync("/api/alerts/no-such-alert");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var notThere = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("No alert 'no-such-alert'.", "noAlert", "no-such-alert"), (notThere.GetProperty("detail").GetString(),
            notThere.GetProperty("detailKey").GetProperty("key").GetString(), notThere.GetProperty("detailKey").GetProperty("args").GetProperty("id").GetString()));

        // Fields: each problem by field, in English and by key.
        var invalid = await op.PostAsJsonAsync("/api/tickets", new { title = "", description = new string('x', 2001), roomId = "plant-switch" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var fields = await invalid.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("At most 2000 characters.", fields.GetProperty("errors").GetProperty("description")[0].GetString());
        var description = fields.GetProperty("errorKeys").GetProperty("description")[0];
        Assert.Equal(("tooLong", "2000"), (description.GetProperty("key").GetString(), description.GetProperty("args").GetProperty("max").GetString()));
        Assert.Equal("required", fields.GetProperty("errorKeys").GetProperty("title")[0].GetProperty("key").GetString());

        // A problem a grain found: the key it gave, the English from it.
        var ticket = await (await op.PostAsJsonAsync("/api/tickets", new { title = "Loose bolt", roomId = "plant-switch" })).Content.ReadFromJsonAsync<JsonElement>();
        var early = await op.PatchAsJsonAsync($"/api/tickets/{ticket.GetProperty("id").GetString()}", new { status = "done" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        var conflict = await early.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Start it (in-progress) before marking it done.", "ticket.startFirst"),
            (conflict.GetProperty("detail").GetString(), conflict.GetProperty("detailKey").GetProperty("key").GetString()));
    }
}
