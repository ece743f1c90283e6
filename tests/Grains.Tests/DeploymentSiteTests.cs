using System.Text;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Tests;

/// <summary>docs/interface.md §13: a folder of site files is one deployment; what is wrong between them refuses all of them.</summary>
public sealed class DeploymentSiteTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sp-sites-").FullName;

    private static string School(string id, string letter, string zone = "Asia/Shanghai", string? device = null) => $$"""
    {
      "id": "{{id}}", "name": "{{id}}", "timeZone": "{{zone}}",
      "buildings": [ { "id": "{{letter}}-b", "name": "楼", "rooms": [ { "id": "{{letter}}-r", "name": "室" } ] } ],
      "devices": [ { "id": "{{device ?? letter + "-meter"}}", "room": "{{letter}}-r", "system": "power", "secret": "s" } ],
      "checkpoints": [ { "id": "{{letter}}-cp", "room": "{{letter}}-r", "name": "点", "code": "C", "everyMinutes": 60 } ]
    }
    """;

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_folder, name), text);

    [Fact]
    public void AFolderIsOneDeploymentInNameOrderAndEachPlaceKnowsItsSiteAndClock()
    {
        Write("2-b.json", School("school-b", "b", "Europe/Berlin"));
        Write("1-a.json", School("school-a", "a"));
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "not a site");

        var read = SiteLoader.Read(_folder);
        Assert.Equal(["school-a", "school-b"], read.Sites.Select(s => s.Id));
        // The text the cluster agrees on reads back as the same sites.
        Assert.Equal(["school-a", "school-b"], SiteLoader.ParseAll(new MemoryStream(Encoding.UTF8.GetBytes(read.Text)), "agreed").Select(s => s.Id));

        var catalog = new SiteCatalog(read.Sites);
        Assert.Equal("school-a", catalog.First.Id);
        Assert.Equal("school-b", catalog.Devices["b-meter"].Site.Id);
        Assert.Equal("Europe/Berlin", catalog.Checkpoints["b-cp"].Site.Definition.TimeZone);
        Assert.Equal("school-b", catalog.SiteOf(null, "b-r"));
        Assert.Equal("school-a", catalog.SiteOf("gone-device"));
    }

    [Fact]
    public void TwoSitesWithOneIdOrAnIdUsedByTwoSitesAreRefusedNamingBothFiles()
    {
        Write("a.json", School("school-a", "a"));
        Write("b.json", School("school-a", "b"));
        Write("c.json", School("school-c", "c", device: "a-meter"));
        Write("d.json", "{ \"id\": ");

        var problems = Assert.Throws<SiteInvalidException>(() => SiteLoader.Read(_folder)).Problems;
        Assert.Contains(problems, p => p.File.EndsWith("b.json") && p.Path == "$.id" && p.Reason.Contains("already defined in") && p.Reason.Contains("a.json"));
        Assert.Contains(problems, p => p.File.EndsWith("c.json") && p.Path == "$.devices[0].id" && p.Reason.Contains("'a-meter' is already used by site 'school-a'"));
        Assert.Contains(problems, p => p.File.EndsWith("d.json"));
    }

    [Fact]
    public void AJoinedTextNamesEachSiteByItsPlaceAndNothingMayFollowIt()
    {
        static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

        Assert.Equal(["school-a", "school-b"], SiteLoader.ParseAll(Utf8($"/* agreed */ [{School("school-a", "a")},{School("school-b", "b")},] "), "agreed").Select(s => s.Id));

        var twice = Assert.Throws<SiteInvalidException>(() => SiteLoader.ParseAll(Utf8($"[{School("school-a", "a")},{School("school-a", "b")}, 5]"), "agreed")).Problems;
        Assert.Contains(twice, p => p.File == "agreed[1]" && p.Path == "$.id" && p.Reason.Contains("agreed[0]"));
        Assert.Contains(twice, p => p.File == "agreed[2]");

        var after = Assert.Single(Assert.Throws<SiteInvalidException>(() => SiteLoader.ParseAll(Utf8(School("school-a", "a") + "\n x"), "one.json")).Problems);
        Assert.Equal("one.json", after.File);
        Assert.Contains("line 7", after.Reason);
        Assert.Contains("the file holds no site", Assert.Single(Assert.Throws<SiteInvalidException>(() => SiteLoader.ParseAll(Utf8("[ ]"), "none")).Problems).Reason);
        Assert.Equal("cut", Assert.Single(Assert.Throws<SiteInvalidException>(() => SiteLoader.ParseAll(Utf8($"[{School("school-a", "a")}"), "cut")).Problems).File);
    }

    [Fact]
    public void AChangeToOneSiteRestartsOnlyThatSitesPlaces()
    {
        var a = SiteLoader.ParseAll(new MemoryStream(Encoding.UTF8.GetBytes(School("school-a", "a"))), "a");
        var b = SiteLoader.ParseAll(new MemoryStream(Encoding.UTF8.GetBytes(School("school-b", "b"))), "b");
        var catalog = new SiteCatalog([.. a, .. b]);

        // School B moves to another clock: its checkpoint and device run on it; school A's are untouched.
        var moved = SiteLoader.ParseAll(new MemoryStream(Encoding.UTF8.GetBytes(School("school-b", "b", "Europe/Berlin"))), "b");
        var changes = catalog.Apply([.. a, .. moved], 2);
        Assert.Equal(["b-meter"], changes.Devices);
        Assert.Equal(["b-cp"], changes.Checkpoints);
        Assert.DoesNotContain("a-r", changes.Rooms);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
