using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

[Collection(ReloadSystemCollection.Name)]
public sealed class SiteReloadTests(ReloadSystemFixture system)
{
    [Fact]
    public async Task AnInvalidFileIsRefusedWithEveryProblemAndAChangedOneIsAppliedWithoutARestart()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        using var op = await system.Operator();
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        var before = (await op.GetFromJsonAsync<JsonElement>("/api/site")).GetProperty("version").GetInt32();
        // A node is ready once the file it started on is the cluster's (SiteBootstrapper): never at version 0.
        Assert.True(before >= 1, $"version {before} when ready");
        using var gone = await MqttDevices.Connect(system, "meter-gone", "g");

        // Invalid: refused, every problem named, nothing changed.
        await File.WriteAllTextAsync(system.SiteFile, ReloadSystemFixture.Site
            .Replace("\"room\": \"r1\", \"system\": \"power\", \"secret\": \"a\"", "\"room\": \"nowhere\", \"system\": \"steam\", \"secret\": \"a\""));
        var refused = await admin.PostAsync("/api/site/reload", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problems = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("path").GetString()).ToList();
        Assert.Equal(["$.devices[0].room", "$.devices[0].system"], problems);
        Assert.Equal(before, (await op.GetFromJsonAsync<JsonElement>("/api/site")).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsync("/api/site/reload", null)).StatusCode);

        // Valid: a new device and checkpoint, one device removed, the undervoltage threshold raised. The file watch alone applies it.
        await File.WriteAllTextAsync(system.SiteFile, ReloadSystemFixture.Site
            .Replace("""{ "id": "meter-gone", "room": "r1", "system": "power", "secret": "g", "heartbeatSeconds": 8640000 }""",
                """{ "id": "meter-new", "room": "r1", "system": "power", "secret": "n", "heartbeatSeconds": 8640000 }""")
            .Replace("\"below\": 207", "\"below\": 230")
            .Replace("""[ { "id": "cp-r1",""", """[ { "id": "cp-new", "room": "r1", "name": "新巡检点", "code": "NEW", "schedule": "0 8 * * *", "withinMinutes": 60 }, { "id": "cp-r1","""));
        var changed = await console.Next("siteChanged", e => e.GetProperty("version").GetInt32() > before, TimeSpan.FromSeconds(15));
        var version = changed.GetProperty("version").GetInt32();
        Assert.Equal(version, (await op.GetFromJsonAsync<JsonElement>("/api/site")).GetProperty("version").GetInt32());

        // The new device connects and its rule is the new one; the removed device is refused and its open connection closed.
        using var fresh = await MqttDevices.Connect(system, "meter-new", "n");
        await fresh.Publish("devices/meter-new/telemetry", """{"voltage": 220}""");
        var alert = await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "meter-new");
        Assert.Equal(230, alert.GetProperty("threshold").GetDouble());
        await Assert.ThrowsAnyAsync<Exception>(() => MqttDevices.Connect(system, "meter-gone", "g"));
        // At QoS 1 the answer is the connection closing (no PUBACK), by which time the drop is counted.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<Exception>(() => gone.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("devices/meter-gone/telemetry")
            .WithPayload("""{"voltage": 200}""").WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), giveUp.Token));
        Assert.False(giveUp.IsCancellationRequested);
        var stats = await op.GetFromJsonAsync<JsonElement>("/api/stats");
        Assert.Equal(1, stats.GetProperty("droppedBy").GetProperty("removedDevice").GetInt64());

        // The new ledger is on the site with its schedule; the same file again makes no new version.
        var ledger = await op.GetFromJsonAsync<JsonElement>("/api/checkpoints/cp-new");
        Assert.Equal("0 8 * * *", ledger.GetProperty("schedule").GetString());
        var again = await (await admin.PostAsync("/api/site/reload", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((version, false), (again.GetProperty("version").GetInt32(), again.GetProperty("changed").GetBoolean()));
    }

    [Fact]
    public async Task ARoomUnderRepairThatANewVersionMovesToAnotherBuildingIsStillUnderRepairThereAndCanBeLifted()
    {
        using var op = await system.Operator();
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        const string rooms = "\"rooms\": [ { \"id\": \"r1\", \"name\": \"配电室\" } ] } ]";
        Assert.Contains(rooms, ReloadSystemFixture.Site);
        async Task Apply(string site)
        {
            var before = (await op.GetFromJsonAsync<JsonElement>("/api/site")).GetProperty("version").GetInt32();
            await File.WriteAllTextAsync(system.SiteFile, site);
            await console.Next("siteChanged", e => e.GetProperty("version").GetInt32() > before, TimeSpan.FromSeconds(15));
        }

        // A store room in building 1, and a building 2; the store room is refitted.
        await Apply(ReloadSystemFixture.Site.Replace(rooms, """
            "rooms": [ { "id": "r1", "name": "配电室" }, { "id": "r-move", "name": "库房" } ] },
            { "id": "b2", "name": "二号楼", "rooms": [ { "id": "r2", "name": "水泵房" } ] } ]
            """));
        (await op.PutAsJsonAsync("/api/rooms/r-move/out-of-service", new { note = "翻修 refit" })).EnsureSuccessStatusCode();

        // The next version has the store room in building 2: its refit goes with it, listed once, and is lifted there.
        await Apply(ReloadSystemFixture.Site.Replace(rooms, """
            "rooms": [ { "id": "r1", "name": "配电室" } ] },
            { "id": "b2", "name": "二号楼", "rooms": [ { "id": "r2", "name": "水泵房" }, { "id": "r-move", "name": "库房" } ] } ]
            """));
        var periods = (await op.GetFromJsonAsync<JsonElement>("/api/out-of-service")).EnumerateArray().Where(p => p.GetProperty("id").GetString() == "r-move").ToList();
        Assert.Equal("翻修 refit", Assert.Single(periods).GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync("/api/rooms/r-move/out-of-service")).StatusCode);
        Assert.DoesNotContain((await op.GetFromJsonAsync<JsonElement>("/api/out-of-service")).EnumerateArray(), p => p.GetProperty("id").GetString() == "r-move");
    }
}
