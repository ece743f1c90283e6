namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>A system of two schools, one site file each in a folder (docs/interface.md §13); school B's alerts are also sent to its bureau's webhook.</summary>
public sealed class SitesSystemFixture : SystemFixture
{
    public HookReceiver Hooks { get; } = new(Ports.Free());

    public static string School(string id, string letter) => $$"""
    {
      "id": "{{id}}", "name": "{{letter}} 校 School {{letter}}", "timeZone": "Asia/Shanghai",
      "buildings": [ { "id": "{{letter}}-b", "name": "{{letter}} 楼", "rooms": [ { "id": "{{letter}}-r", "name": "{{letter}} 配电室" } ] } ],
      "devices": [
        { "id": "{{letter}}-meter", "room": "{{letter}}-r", "system": "power", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "{{letter}}-smoke", "room": "{{letter}}-r", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "{{letter}}-heat", "room": "{{letter}}-r", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "{{letter}}-meter2", "room": "{{letter}}-r", "system": "power", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "{{letter}}-meter3", "room": "{{letter}}-r", "system": "power", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "{{letter}}-meter4", "room": "{{letter}}-r", "system": "power", "secret": "s", "heartbeatSeconds": 8640000 }
      ],
      "checkpoints": [ { "id": "{{letter}}-cp", "room": "{{letter}}-r", "name": "{{letter}} 配电柜", "code": "C", "everyMinutes": 600, "graceMinutes": 0 } ]
    }
    """;

    /// <summary>
    /// Each device (secret "s") sends <paramref name="reading"/>, one after the other; the alert each raises, as
    /// <paramref name="console"/> receives it, before the next one sends: anything of an earlier device comes first.
    /// </summary>
    public async Task<IReadOnlyList<System.Text.Json.JsonElement>> RaiseInTurn(ConsoleClient console, string reading, params string[] devices)
    {
        List<System.Text.Json.JsonElement> alerts = [];
        foreach (var device in devices)
        {
            using var sensor = await MqttDevices.Connect(this, device, "s");
            await sensor.Publish($"devices/{device}/telemetry", reading);
            alerts.Add(await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == device));
        }

        return alerts;
    }

    protected override IReadOnlyDictionary<string, string> SiteFolder => new Dictionary<string, string>
    {
        ["a.json"] = School("school-a", "a"),
        ["b.json"] = School("school-b", "b"),
    };

    protected override IEnumerable<string> MoreSettings =>
    [
        "--SafetyPatrol:Notify:Channels:bureau-b:Type=webhook",
        $"--SafetyPatrol:Notify:Channels:bureau-b:Url={Hooks.Url("/bureau-b")}",
        "--SafetyPatrol:Notify:Routes:0:MinSeverity=critical",
        "--SafetyPatrol:Notify:Routes:0:Sites:0=school-b",
        "--SafetyPatrol:Notify:Routes:0:Channels:0=bureau-b",
    ];

    protected override Task BeforeStart() => Hooks.Start();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Hooks.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SitesSystemCollection : ICollectionFixture<SitesSystemFixture>
{
    public const string Name = "sites";
}
