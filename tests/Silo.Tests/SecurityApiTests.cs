using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>The security system through real clients: mosquitto_pub and MQTTnet devices, arming by the clock and by operators over HTTP.</summary>
[Collection(SecuritySystemCollection.Name)]
public sealed class SecurityApiTests(SecuritySystemFixture system)
{
    [Fact]
    public async Task ABeamBrokenByDayIsAReadingAndTheSameBeamBrokenAfterTheNightWindowOpensIsAnIntrusionAlarm()
    {
        await system.AdvanceToLocal(10, 0);
        using var op = await system.Operator();
        await MosquittoPub("beam-1", "b1", """{"intrusion": true}""");
        await MosquittoPub("beam-1", "b1", """{"intrusion": false}""");
        Assert.Empty(await AlertsOf(op, "beam-1"));
        var perimeter = (await op.GetFromJsonAsync<JsonElement[]>("/api/zones"))!.Single(z => z.GetProperty("id").GetString() == "perimeter");
        Assert.Equal((false, "schedule"), (perimeter.GetProperty("armed").GetBoolean(), perimeter.GetProperty("source").GetString()));

        // The window opening is pushed to every console as it happens.
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        await system.AdvanceToLocal(22, 0);
        var pushed = await console.Next("zoneChanged", z => z.GetProperty("id").GetString() == "perimeter");
        Assert.Equal((true, "schedule"), (pushed.GetProperty("armed").GetBoolean(), pushed.GetProperty("source").GetString()));
        perimeter = (await op.GetFromJsonAsync<JsonElement[]>("/api/zones"))!.Single(z => z.GetProperty("id").GetString() == "perimeter");
        Assert.True(perimeter.GetProperty("armed").GetBoolean());
        await MosquittoPub("beam-1", "b1", """{"intrusion": true}""");
        var alert = Assert.Single(await AlertsOf(op, "beam-1"));
        Assert.Equal(("security.intrusion", "critical", "alarm"), (alert.GetProperty("type").GetString(), alert.GetProperty("severity").GetString(), alert.GetProperty("class").GetString()));
        await MosquittoPub("beam-1", "b1", """{"intrusion": false}""");
        await op.PostAsJsonAsync($"/api/alerts/{alert.GetProperty("id").GetString()}/resolve", new { note = "fox" });
    }

    [Fact]
    public async Task AnMqttNetDoorFollowsAnOperatorsArmAndDisarmWithReasonsInTheAuditLogAndLimitsRefused()
    {
        await system.AdvanceToLocal(12, 0);
        using var op = await system.Operator();
        using var door = await MqttDevices.Connect(system, "door-2", "d2");
        await door.Publish("devices/door-2/telemetry", """{"door": "open"}""");
        await door.Publish("devices/door-2/telemetry", """{"door": "closed"}""");
        Assert.Empty(await AlertsOf(op, "door-2"));

        var armed = await (await op.PostAsJsonAsync("/api/zones/doors/arm", new { reason = "校长出差 principal away", minutes = 30 })).Read();
        Assert.Equal((true, "operator"), (armed.GetProperty("armed").GetBoolean(), armed.GetProperty("source").GetString()));
        await door.Publish("devices/door-2/telemetry", """{"door": "open"}""");
        var alert = Assert.Single(await AlertsOf(op, "door-2"));
        Assert.Equal(("security.door-opened-armed", "alarm"), (alert.GetProperty("type").GetString(), alert.GetProperty("class").GetString()));
        await door.Publish("devices/door-2/telemetry", """{"door": "closed"}""");

        // A disarm always ends, within the zone's limit (240 min by default), and always says why.
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/api/zones/doors/disarm", new { reason = "cleaning", minutes = 241 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/api/zones/doors/disarm", new { reason = "cleaning" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/api/zones/doors/disarm", new { minutes = 10 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsJsonAsync("/api/zones/nowhere/disarm", new { reason = "x", minutes = 10 })).StatusCode);
        var disarmed = await (await op.PostAsJsonAsync("/api/zones/doors/disarm", new { reason = "保洁 cleaning", minutes = 10 })).Read();
        Assert.False(disarmed.GetProperty("armed").GetBoolean());
        using var guard = await system.Guard();
        Assert.Equal(HttpStatusCode.Forbidden, (await guard.PostAsJsonAsync("/api/zones/doors/arm", new { reason = "x" })).StatusCode);
        Assert.Equal(2, (await guard.GetFromJsonAsync<JsonElement[]>("/api/zones"))!.Length);

        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        var audit = (await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?action=zones&limit=50"))!;
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "POST /api/zones/{id}/arm" && e.GetProperty("detail").GetString()!.Contains("principal away"));
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "POST /api/zones/{id}/disarm" && e.GetProperty("outcome").GetInt32() == 200
            && e.GetProperty("detail").GetString()!.Contains("cleaning"));
    }

    [Fact]
    public async Task APanicButtonPressedDuringADrillReachesTheOperatorUnsuppressed()
    {
        using var op = await system.Operator();
        (await op.PostAsJsonAsync("/api/buildings/gate/drill", new { minutes = 20, note = "fire drill" })).EnsureSuccessStatusCode();
        await MosquittoPub("panic-1", "p1", """{"panic": true}""");
        var alert = Assert.Single(await AlertsOf(op, "panic-1"));
        Assert.Equal(("security.panic", JsonValueKind.Null), (alert.GetProperty("type").GetString(), alert.GetProperty("suppressed").ValueKind));
        await MosquittoPub("panic-1", "p1", """{"panic": false}""");
        await system.Advance(TimeSpan.FromMinutes(20));
    }

    /// <summary>At QoS 1: mosquitto_pub exits once the reading has been taken.</summary>
    private async Task MosquittoPub(string device, string secret, string json)
    {
        var (exit, output) = await MqttDevices.MosquittoPub(system, device, secret, $"devices/{device}/telemetry", json, qos: 1);
        Assert.True(exit == 0, output);
    }

    private static async Task<JsonElement[]> AlertsOf(HttpClient client, string device) =>
        [.. (await client.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=unresolved&limit=1000"))!.Where(a => a.GetProperty("deviceId").GetString() == device)];
}
