namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>A system of two schools, one site file each in a folder (docs/interface.md §13).</summary>
public sealed class SitesSystemFixture : SystemFixture
{
    public static string School(string id, string letter) => $$"""
    {
      "id": "{{id}}", "name": "{{letter}} 校 School {{letter}}", "timeZone": "Asia/Shanghai",
      "buildings": [ { "id": "{{letter}}-b", "name": "{{letter}} 楼", "rooms": [ { "id": "{{letter}}-r", "name": "{{letter}} 配电室" } ] } ],
      "devices": [ { "id": "{{letter}}-meter", "room": "{{letter}}-r", "system": "power", "secret": "s", "heartbeatSeconds": 8640000 } ],
      "checkpoints": [ { "id": "{{letter}}-cp", "room": "{{letter}}-r", "name": "{{letter}} 配电柜", "code": "C", "everyMinutes": 600, "graceMinutes": 0 } ]
    }
    """;

    protected override IReadOnlyDictionary<string, string> SiteFolder => new Dictionary<string, string>
    {
        ["a.json"] = School("school-a", "a"),
        ["b.json"] = School("school-b", "b"),
    };
}

[CollectionDefinition(Name)]
public sealed class SitesSystemCollection : ICollectionFixture<SitesSystemFixture>
{
    public const string Name = "sites";
}
