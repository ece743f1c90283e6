namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>
/// A system whose alerts are notified to a local HTTP receiver and SMTP sink. Each building of its
/// site has a route of its own, so each test raises alerts in its own building and sees only its deliveries.
/// </summary>
public sealed class NotifySystemFixture : SystemFixture
{
    public const string PublicUrl = "http://console.school.test";
    public const string WebhookSecret = "duty-secret";
    public const string DingTalkSecret = "SECding-secret";
    public const string FeishuSecret = "feishu-secret";

    public HookReceiver Hooks { get; } = new(Ports.Free());

    public SmtpSink Mail { get; } = new(Ports.Free());

    protected override string SiteJson => """
    {
      "id": "notify", "name": "通知测试校区", "timeZone": "Asia/Shanghai",
      "buildings": [
        { "id": "b-hooks", "name": "第一教学楼", "rooms": [ { "id": "r-hooks", "name": "一年级一班" } ] },
        { "id": "b-flaky", "name": "Flaky", "rooms": [ { "id": "r-flaky", "name": "Flaky room" } ] },
        { "id": "b-bad", "name": "Bad", "rooms": [ { "id": "r-bad", "name": "Bad room" } ] },
        { "id": "b-robots", "name": "综合楼", "rooms": [ { "id": "r-robots", "name": "配电室" } ] },
        { "id": "b-mail", "name": "行政楼", "rooms": [ { "id": "r-mail", "name": "校长室" } ] },
        { "id": "b-slow", "name": "Slow", "rooms": [ { "id": "r-slow", "name": "Slow room" } ] },
        { "id": "b-ladder", "name": "医务楼", "rooms": [ { "id": "r-ladder", "name": "氧气间" } ] },
        { "id": "b-overdue", "name": "操场", "rooms": [ { "id": "r-overdue", "name": "攀爬架" } ] }
      ],
      "devices": [
        { "id": "hooks-smoke", "room": "r-hooks", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "shelf-hook", "room": "r-hooks", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "flaky-smoke", "room": "r-flaky", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "bad-smoke", "room": "r-bad", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "robots-smoke", "room": "r-robots", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "mail-smoke", "room": "r-mail", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "slow-smoke", "room": "r-slow", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "ladder-smoke", "room": "r-ladder", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 }
      ],
      "checkpoints": [
        { "id": "cp-overdue", "room": "r-overdue", "name": "攀爬架螺栓 Climbing frame bolts", "code": "OV-1", "everyMinutes": 1, "graceMinutes": 0 }
      ],
      "routes": []
    }
    """;

    protected override IEnumerable<string> MoreSettings =>
    [
        $"--SafetyPatrol:Notify:PublicUrl={PublicUrl}",
        .. Channel("duty", "webhook", Hooks.Url("/ok"), WebhookSecret),
        .. Channel("flaky", "webhook", Hooks.Url("/flaky")),
        .. Channel("bad", "webhook", Hooks.Url("/bad")),
        .. Channel("slow", "webhook", Hooks.Url("/slow")),
        .. Channel("ladder", "webhook", Hooks.Url("/ladder")),
        .. Channel("wecom", "wecom", Hooks.Url("/wecom") + "?key=wecom-key"),
        .. Channel("dingtalk", "dingtalk", Hooks.Url("/dingtalk") + "?access_token=ding-token", DingTalkSecret),
        .. Channel("feishu", "feishu", Hooks.Url("/feishu"), FeishuSecret),
        // The other robots and the director write in Chinese, as a channel does unless told otherwise.
        "--SafetyPatrol:Notify:Channels:dingtalk:Language=en",
        "--SafetyPatrol:Notify:Channels:director:Type=email",
        $"--SafetyPatrol:Notify:Channels:director:Smtp=smtp://127.0.0.1:{Mail.Port}",
        "--SafetyPatrol:Notify:Channels:director:From=patrol@school.test",
        "--SafetyPatrol:Notify:Channels:director:To:0=director@school.test",
        .. Route(0, "major", "b-hooks", "duty"),
        .. Route(1, "major", "b-flaky", "flaky"),
        .. Route(2, "major", "b-bad", "bad"),
        .. Route(3, "critical", "b-robots", "wecom", "dingtalk", "feishu"),
        .. Route(4, "critical", "b-mail", "director"),
        .. Route(5, "critical", "b-slow", "slow", "duty"),
        .. Route(6, "critical", "b-ladder", "ladder"),
        "--SafetyPatrol:Notify:Routes:6:AfterSeconds=120",
        "--SafetyPatrol:Notify:Routes:6:RepeatSeconds=300",
        .. Route(7, "minor", "b-overdue", "duty"),
    ];

    protected override Task BeforeStart() => Hooks.Start();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Hooks.DisposeAsync();
        Mail.Dispose();
    }

    private static IEnumerable<string> Channel(string name, string type, string url, string? secret = null) =>
    [
        $"--SafetyPatrol:Notify:Channels:{name}:Type={type}",
        $"--SafetyPatrol:Notify:Channels:{name}:Url={url}",
        .. secret is null ? Array.Empty<string>() : [$"--SafetyPatrol:Notify:Channels:{name}:Secret={secret}"],
    ];

    private static IEnumerable<string> Route(int index, string minSeverity, string building, params string[] channels) =>
    [
        $"--SafetyPatrol:Notify:Routes:{index}:MinSeverity={minSeverity}",
        $"--SafetyPatrol:Notify:Routes:{index}:Buildings:0={building}",
        .. channels.Select((c, i) => $"--SafetyPatrol:Notify:Routes:{index}:Channels:{i}={c}"),
    ];
}

[CollectionDefinition(Name)]
public sealed class NotifySystemCollection : ICollectionFixture<NotifySystemFixture>
{
    public const string Name = "notify system";
}
