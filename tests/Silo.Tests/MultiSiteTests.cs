using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>
/// docs/interface.md §13: one system of two schools. An operator of school A is answered and sent only what A holds;
/// B's ids are "not there" (404); an operator of every site sees both.
/// </summary>
[Collection(SitesSystemCollection.Name)]
public sealed class MultiSiteTests(SitesSystemFixture system)
{
    [Fact]
    public async Task AnOperatorOfOneSiteIsAnsweredAndSentOnlyWhatThatSiteHolds()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        foreach (var (name, site) in new[] { ("op-a", "school-a"), ("op-b", "school-b") })
        {
            (await admin.PostAsJsonAsync("/api/users", new { username = name, password = SystemFixture.OperatorPassword, role = "operator", sites = new[] { site } }))
                .EnsureSuccessStatusCode();
        }

        using var opA = await system.SignIn("op-a", SystemFixture.OperatorPassword);
        await using var consoleA = await ConsoleClient.Connect(system, await system.Token("op-a", SystemFixture.OperatorPassword));
        await using var consoleB = await ConsoleClient.Connect(system, await system.Token("op-b", SystemFixture.OperatorPassword));
        await using var consoleAll = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        // B's meter sees undervoltage; B's console and the console of every site hear of it.
        using var meterB = await MqttDevices.Connect(system, "b-meter", "s");
        await meterB.Publish("devices/b-meter/telemetry", """{"mains": false}""");
        var alertB = await consoleB.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "b-meter");
        Assert.Equal("school-b", alertB.GetProperty("siteId").GetString());
        await consoleAll.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "b-meter");

        // Then A's: by the time it reaches A's console, anything of B's sent to it would have come first.
        using var meterA = await MqttDevices.Connect(system, "a-meter", "s");
        await meterA.Publish("devices/a-meter/telemetry", """{"mains": false}""");
        var alertA = await consoleA.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "a-meter");
        await consoleAll.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "a-meter");
        Assert.DoesNotContain(consoleA.Drain(), e => e.Payload.GetRawText().Contains("b-", StringComparison.Ordinal));
        Assert.DoesNotContain(consoleB.Drain(), e => e.Payload.GetRawText().Contains("a-meter", StringComparison.Ordinal));

        // The API: A's alerts, site and board only; B's ids are not there, not even to acknowledge.
        var alerts = await opA.GetFromJsonAsync<JsonElement>("/api/alerts?status=all");
        Assert.Equal([alertA.GetProperty("id").GetString()], alerts.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        var idB = alertB.GetProperty("id").GetString();
        foreach (var path in new[] { $"/api/alerts/{idB}", "/api/devices/b-meter", "/api/checkpoints/b-cp", "/api/site?siteId=school-b", "/api/alerts?buildingId=b-b", "/api/patrol/board?buildingId=b-b" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await opA.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await opA.PostAsJsonAsync($"/api/alerts/{idB}/acknowledge", new { note = "not mine" })).StatusCode);
        var bulk = await (await opA.PostAsJsonAsync("/api/alerts/acknowledge", new { ids = new[] { idB } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(bulk.GetProperty("alerts").EnumerateArray());
        Assert.Equal("school-a", (await opA.GetFromJsonAsync<JsonElement>("/api/site")).GetProperty("id").GetString());
        Assert.Equal(["school-a"], (await opA.GetFromJsonAsync<JsonElement>("/api/sites")).EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var board = await opA.GetFromJsonAsync<JsonElement>("/api/patrol/board");
        Assert.Equal(["a-cp"], board.GetProperty("checkpoints").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("a 校 School a", (await opA.GetFromJsonAsync<JsonElement>("/api/reports/daily?date=2026-12-04")).GetProperty("site").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await opA.GetAsync("/api/reports/daily?date=2026-12-04&siteId=school-b")).StatusCode);

        // The paperwork too: B's rooms are not offered at the gate, and B's tickets are not there.
        var places = await opA.GetFromJsonAsync<JsonElement>("/api/visitors/places");
        Assert.Equal(["a-r"], places.EnumerateArray().Select(p => p.GetProperty("roomId").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await opA.PostAsJsonAsync("/api/tickets", new { title = "门锁坏了 Lock broken", roomId = "b-r" })).StatusCode);
        var ticketB = await (await admin.PostAsJsonAsync("/api/tickets", new { title = "门锁坏了 Lock broken", roomId = "b-r" })).Content.ReadFromJsonAsync<JsonElement>();
        var ticketA = await (await opA.PostAsJsonAsync("/api/tickets", new { title = "灯不亮 Light out", roomId = "a-r" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.NotFound, (await opA.GetAsync($"/api/tickets/{ticketB.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal([ticketA.GetProperty("id").GetString()],
            (await opA.GetFromJsonAsync<JsonElement>("/api/tickets")).EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.DoesNotContain(consoleA.Drain(), e => e.Payload.GetRawText().Contains("b-r", StringComparison.Ordinal));

        // An operator of every site reads both, one site at a time when asked.
        using var all = await system.Operator();
        Assert.Equal(["school-a", "school-b"], (await all.GetFromJsonAsync<JsonElement>("/api/sites")).EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var ofB = await all.GetFromJsonAsync<JsonElement>("/api/alerts?status=all&siteId=school-b");
        Assert.Equal([idB], ofB.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal("school-b", (await all.GetFromJsonAsync<JsonElement>("/api/site?siteId=school-b")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task AUserGivenASiteThatDoesNotExistIsRefusedAndNotCreated()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        var refused = await admin.PostAsJsonAsync("/api/users", new { username = "op-x", password = SystemFixture.OperatorPassword, role = "operator", sites = new[] { "school-a", "nowhere" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("sites")[0].GetString();
        Assert.Contains("'nowhere'", errors);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsJsonAsync("/api/users/op-x", new { displayName = "x" })).StatusCode);
    }
}
