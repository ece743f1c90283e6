using System.Net.Http.Json;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>
/// A system of its own for the security office: a gate, a fence with beams in a night zone, doors, a camera and
/// a panic button. Site time starts at the next 10:00 in Shanghai, so arming windows are where the tests expect.
/// </summary>
public sealed class SecuritySystemFixture : SystemFixture
{
    public const string GuardPassword = "guard-pass-1";

    public const string Site = """
    {
      "id": "secure", "name": "安防 Security school", "timeZone": "Asia/Shanghai",
      "buildings": [
        { "id": "gate", "name": "校门 Gate", "rooms": [ { "id": "gate-house", "name": "门卫室 Gate house" }, { "id": "fence", "name": "围墙 Fence" } ] },
        { "id": "office", "name": "行政楼 Office", "rooms": [ { "id": "office-201", "name": "校长室 Principal" }, { "id": "office-202", "name": "教务处 Academic office" } ] }
      ],
      "devices": [
        { "id": "beam-1", "room": "fence", "system": "security", "model": "perimeter-beam", "secret": "b1", "heartbeatSeconds": 8640000 },
        { "id": "beam-2", "room": "fence", "system": "security", "model": "perimeter-beam", "secret": "b2", "heartbeatSeconds": 8640000 },
        { "id": "door-1", "room": "gate-house", "system": "security", "model": "door-contact", "secret": "d1", "heartbeatSeconds": 8640000, "heldOpenSeconds": 60 },
        { "id": "door-2", "room": "office-201", "system": "security", "model": "door-contact", "secret": "d2", "heartbeatSeconds": 8640000 },
        { "id": "cam-1", "room": "gate-house", "system": "security", "model": "camera", "secret": "c1", "heartbeatSeconds": 8640000 },
        { "id": "panic-1", "room": "gate-house", "system": "security", "model": "panic-button", "secret": "p1", "heartbeatSeconds": 8640000 },
        { "id": "smoke-1", "room": "office-202", "system": "fire", "secret": "s1", "heartbeatSeconds": 8640000 },
        { "id": "smoke-report", "room": "office-202", "system": "fire", "secret": "sr", "heartbeatSeconds": 8640000 }
      ],
      "zones": [
        { "id": "perimeter", "name": "周界 Perimeter", "rooms": ["fence"], "maxDisarmMinutes": 60, "armed": [ { "cron": "0 22 * * *", "minutes": 480 } ] },
        { "id": "doors", "name": "门禁 Doors", "devices": ["door-*"], "armed": [ { "cron": "0 22 * * *", "minutes": 480 } ] }
      ]
    }
    """;

    protected override string SiteJson => Site;

    protected override Task BeforeStart()
    {
        // The next 10:00 in Shanghai (02:00 UTC) at least an hour away.
        var now = Time.GetUtcNow();
        var ten = new DateTimeOffset(now.UtcDateTime.Date.AddHours(2), TimeSpan.Zero);
        while (ten < now.AddHours(1))
        {
            ten = ten.AddDays(1);
        }

        Time.SetUtcNow(ten);
        return Task.CompletedTask;
    }

    /// <summary>Moves site time to the next local time of day in Shanghai.</summary>
    public Task AdvanceToLocal(int hour, int minute)
    {
        var local = Time.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        var target = new DateTimeOffset(local.Date + new TimeSpan(hour, minute, 0), local.Offset);
        return Advance((target <= local ? target.AddDays(1) : target) - local);
    }

    public async Task<HttpClient> Guard()
    {
        using var admin = await SignIn("admin", AdminPassword);
        await admin.PostAsJsonAsync("/api/users", new { username = "guard1", password = GuardPassword, role = "guard", displayName = "门卫 Guard" });
        return await SignIn("guard1", GuardPassword);
    }
}

[CollectionDefinition(Name)]
public sealed class SecuritySystemCollection : ICollectionFixture<SecuritySystemFixture>
{
    public const string Name = "security";
}
