namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>A demo run with the node's own device feed, on a fake clock, with devices that report every five minutes.</summary>
public sealed class DemoSystemFixture : SystemFixture
{
    protected override IEnumerable<string> MoreSettings => ["--SafetyPatrol:Demo=true", "--SafetyPatrol:DemoFeed=true"];

    protected override string SiteJson => """
    {
      "id": "demo-feed", "name": "演示 Demo feed", "timeZone": "Asia/Shanghai",
      "buildings": [ { "id": "main", "name": "主楼 Main", "rooms": [ { "id": "main-101", "name": "101" } ] } ],
      "devices": [
        { "id": "feed-smoke", "room": "main-101", "system": "fire", "model": "smoke-detector", "secret": "s", "heartbeatSeconds": 300 },
        { "id": "feed-meter", "room": "main-101", "system": "power", "model": "power-meter", "secret": "m", "heartbeatSeconds": 300 },
        { "id": "feed-door", "room": "main-101", "system": "security", "model": "door-contact", "secret": "d", "heartbeatSeconds": 300 }
      ]
    }
    """;
}

[CollectionDefinition(Name)]
public sealed class DemoSystemCollection : ICollectionFixture<DemoSystemFixture>
{
    public const string Name = "demo";
}
