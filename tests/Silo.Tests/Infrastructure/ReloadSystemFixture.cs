namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>A system of its own whose site file the tests rewrite while it runs.</summary>
public sealed class ReloadSystemFixture : SystemFixture
{
    public const string Site = """
    {
      "id": "reload", "name": "重载 Reload", "timeZone": "Asia/Shanghai",
      "buildings": [ { "id": "b1", "name": "一号楼", "rooms": [ { "id": "r1", "name": "配电室" } ] } ],
      "devices": [
        { "id": "meter-a", "room": "r1", "system": "power", "secret": "a", "heartbeatSeconds": 8640000 },
        { "id": "meter-gone", "room": "r1", "system": "power", "secret": "g", "heartbeatSeconds": 8640000 }
      ],
      "checkpoints": [ { "id": "cp-r1", "room": "r1", "name": "配电柜", "code": "R1", "everyMinutes": 600, "graceMinutes": 0 } ],
      "rules": [ { "id": "power-undervoltage", "system": "power", "metric": "voltage", "below": 207, "severity": "major" } ]
    }
    """;

    protected override string SiteJson => Site;
}

[CollectionDefinition(Name)]
public sealed class ReloadSystemCollection : ICollectionFixture<ReloadSystemFixture>
{
    public const string Name = "reload";
}
