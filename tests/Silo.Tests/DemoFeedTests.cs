using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SafetyPatrol.Silo.Hosting;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>A bare demo start stays calm: the node feeds its devices until something publishes over MQTT.</summary>
[Collection(DemoSystemCollection.Name)]
public sealed class DemoFeedTests(DemoSystemFixture system)
{
    private static readonly string[] Devices = ["feed-smoke", "feed-meter", "feed-door"];

    [Fact]
    public async Task NoDeviceIsCalledSilentUntilSomethingPublishesOverMqttAndThenTheSilentOnesAre()
    {
        using var op = await system.Operator();

        // Ten minutes, twice the devices' heartbeat, with nothing publishing: the node's own feed keeps them online.
        var feed = system.Services.GetRequiredService<DemoFeed>();
        for (var minute = 1; minute <= 10; minute++)
        {
            await system.Advance(TimeSpan.FromMinutes(1));
            var now = system.Time.GetUtcNow();
            await feed.Fed(now).WaitAsync(TimeSpan.FromSeconds(10));
            foreach (var device in Devices)
            {
                Assert.True((await op.GetFromJsonAsync<JsonElement>($"/api/devices/{device}")).GetProperty("lastSeen").GetDateTimeOffset() >= now, $"{device} fed at minute {minute}");
            }
        }

        Assert.DoesNotContain(await Alerts(op), a => a.GetProperty("type").GetString() == "device.offline");

        // A device publishes over MQTT: the feed stops, and the others, which nothing feeds now, go silent after their heartbeat.
        var (exit, output) = await MqttDevices.MosquittoPub(system, "feed-meter", "m", "devices/feed-meter/telemetry", """{"voltage": 221}""", qos: 1);
        Assert.True(exit == 0, output);
        for (var minute = 1; minute <= 6; minute++)
        {
            await system.Advance(TimeSpan.FromMinutes(1));
        }

        var offline = (await Alerts(op)).Where(a => a.GetProperty("type").GetString() == "device.offline").Select(a => a.GetProperty("deviceId").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "feed-smoke", "feed-door" }, offline);
        Assert.Contains(system.Logs.Lines, l => l.Text.Contains("no longer feeds the devices itself"));
    }

    [Fact]
    public async Task TheDemoAccountsAreNamedInChineseFirst()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        var names = (await admin.GetFromJsonAsync<JsonElement[]>("/api/users"))!
            .ToDictionary(u => u.GetProperty("username").GetString()!, u => u.GetProperty("displayName").GetString());

        Assert.Equal(("系统管理员 Administrator", "值班室 Control room", "巡逻员 Patrol officer", "门卫 Gate guard", "维修工 Technician"),
            (names["admin"], names["operator"], names["officer"], names["guard"], names["technician"]));
    }

    private static async Task<JsonElement[]> Alerts(HttpClient op) => (await op.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all"))!;
}
