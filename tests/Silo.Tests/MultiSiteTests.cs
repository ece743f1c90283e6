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
        var alerts = (await opA.GetFromJsonAsync<JsonElement>("/api/alerts?status=all")).EnumerateArray().ToList();
        Assert.Contains(alerts, a => a.GetProperty("id").GetString() == alertA.GetProperty("id").GetString());
        Assert.All(alerts, a => Assert.Equal("school-a", a.GetProperty("siteId").GetString()));
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
        var ofB = (await all.GetFromJsonAsync<JsonElement>("/api/alerts?status=all&siteId=school-b")).EnumerateArray().ToList();
        Assert.Contains(ofB, a => a.GetProperty("id").GetString() == idB);
        Assert.All(ofB, a => Assert.Equal("school-b", a.GetProperty("siteId").GetString()));
        Assert.Equal("school-b", (await all.GetFromJsonAsync<JsonElement>("/api/site?siteId=school-b")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task EachBuildingKeepsItsOwnRepairsAndAnOperatorOfOneSiteListsOnlyThatSites()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new { username = "op-a-repairs", password = SystemFixture.OperatorPassword, role = "operator", sites = new[] { "school-a" } }))
            .EnsureSuccessStatusCode();
        using var opA = await system.SignIn("op-a-repairs", SystemFixture.OperatorPassword);
        using var all = await system.Operator();

        (await all.PutAsJsonAsync("/api/devices/b-heat/out-of-service", new { note = "探头更换 head replaced" })).EnsureSuccessStatusCode();
        (await opA.PutAsJsonAsync("/api/devices/a-heat/out-of-service", new { note = "探头更换 head replaced" })).EnsureSuccessStatusCode();
        try
        {
            var ofEvery = (await all.GetFromJsonAsync<JsonElement>("/api/out-of-service")).EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
            Assert.Contains("a-heat", ofEvery);
            Assert.Contains("b-heat", ofEvery);
            var ofA = (await opA.GetFromJsonAsync<JsonElement>("/api/out-of-service")).EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
            Assert.Contains("a-heat", ofA);
            Assert.DoesNotContain("b-heat", ofA);
            Assert.Equal("探头更换 head replaced", (await all.GetFromJsonAsync<JsonElement>("/api/devices/b-heat")).GetProperty("outOfService").GetProperty("note").GetString());
        }
        finally
        {
            (await all.DeleteAsync("/api/devices/b-heat/out-of-service")).EnsureSuccessStatusCode();
            (await all.DeleteAsync("/api/devices/a-heat/out-of-service")).EnsureSuccessStatusCode();
        }

        Assert.DoesNotContain((await all.GetFromJsonAsync<JsonElement>("/api/out-of-service")).EnumerateArray(),
            p => p.GetProperty("id").GetString() is "a-heat" or "b-heat");

        // A drill of B's building: its report and its line are B's; to an operator of A they are not there.
        var drill = await (await all.PostAsJsonAsync("/api/buildings/b-b/drill", new { minutes = 1, note = "疏散演练 drill" })).Content.ReadFromJsonAsync<JsonElement>();
        try
        {
            var report = $"/api/drills/{drill.GetProperty("id").GetString()}/report";
            Assert.Equal(HttpStatusCode.OK, (await all.GetAsync(report)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await opA.GetAsync(report)).StatusCode);
            Assert.DoesNotContain((await opA.GetFromJsonAsync<JsonElement>("/api/drills")).EnumerateArray(), d => d.GetProperty("buildingId").GetString() == "b-b");
        }
        finally
        {
            // Over on site time, so B's alarms in the other tests are not the drill's.
            await system.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task TheDistrictOverviewPutsTheWorstSiteFirstWithItsLedgerCompliance()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        foreach (var (name, role) in new[] { ("officer-a", "officer"), ("bureau-a", "operator") })
        {
            (await admin.PostAsJsonAsync("/api/users", new { username = name, password = SystemFixture.OfficerPassword, role, sites = new[] { "school-a" } }))
                .EnsureSuccessStatusCode();
        }

        using var officerA = await system.SignIn("officer-a", SystemFixture.OfficerPassword);
        // Both checkpoints go unvisited past their interval: one inspection missed at each school.
        await system.Advance(TimeSpan.FromMinutes(601));
        // School A's officer comes late (still missed), then on time at the next visit; school B's checkpoint is not theirs.
        Assert.Equal(HttpStatusCode.Created, (await officerA.PostAsJsonAsync("/api/checkins", new { checkpointId = "a-cp", code = "C" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officerA.PostAsJsonAsync("/api/checkins", new { checkpointId = "b-cp", code = "C" })).StatusCode);
        await system.Advance(TimeSpan.FromMinutes(60));
        Assert.Equal(HttpStatusCode.Created, (await officerA.PostAsJsonAsync("/api/checkins", new { checkpointId = "a-cp", code = "C" })).StatusCode);

        using var bureau = await system.Operator();
        var overview = (await bureau.GetFromJsonAsync<JsonElement>("/api/district")).EnumerateArray().ToList();
        Assert.Equal(["school-b", "school-a"], overview.Select(s => s.GetProperty("id").GetString()));
        var (b, a) = (overview[0], overview[1]);
        Assert.Equal((1, 0, 1, 0.0), (b.GetProperty("overdueInspections").GetInt32(), b.GetProperty("last7Days").GetProperty("onTime").GetInt32(),
            b.GetProperty("last7Days").GetProperty("missed").GetInt32(), b.GetProperty("last30Days").GetProperty("rate").GetDouble()));
        Assert.Equal((0, 1, 1, 0.5), (a.GetProperty("overdueInspections").GetInt32(), a.GetProperty("last7Days").GetProperty("onTime").GetInt32(),
            a.GetProperty("last7Days").GetProperty("missed").GetInt32(), a.GetProperty("last30Days").GetProperty("rate").GetDouble()));

        // A user of school A sees school A alone; the month's compliance across sites comes as JSON, CSV and Excel.
        using var ofA = await system.SignIn("bureau-a", SystemFixture.OfficerPassword);
        Assert.Equal(["school-a"], (await ofA.GetFromJsonAsync<JsonElement>("/api/district")).EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var month = TimeZoneInfo.ConvertTime(system.Time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyy-MM");
        var report = (await bureau.GetFromJsonAsync<JsonElement>($"/api/reports/compliance?month={month}")).EnumerateArray().ToList();
        Assert.Equal([("school-a", 1, 1, 1), ("school-b", 1, 0, 1)], report.Select(s => (s.GetProperty("id").GetString(), s.GetProperty("checkpoints").GetInt32(),
            s.GetProperty("counts").GetProperty("onTime").GetInt32(), s.GetProperty("counts").GetProperty("missed").GetInt32())));
        var csv = await bureau.GetStringAsync($"/api/reports/compliance?month={month}&format=csv");
        Assert.Contains("school-b,b 校 School b," + month + ",1,0,1,0", csv);
        var xlsx = await bureau.GetAsync($"/api/reports/compliance?month={month}&format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await bureau.GetAsync("/api/reports/compliance?month=last")).StatusCode);
    }

    [Fact]
    public async Task ARouteOfOneSiteIsTakenByThatSitesAlertsAlone()
    {
        using var op = await system.Operator();
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        using (var smokeA = await MqttDevices.Connect(system, "a-smoke", "s"))
        {
            await smokeA.Publish("devices/a-smoke/telemetry", """{"smoke": true}""");
        }

        var alertA = await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "a-smoke");
        using (var smokeB = await MqttDevices.Connect(system, "b-smoke", "s"))
        {
            await smokeB.Publish("devices/b-smoke/telemetry", """{"smoke": true}""");
        }

        // School B's bureau is told, with its own school named; school A's alarm, raised first, takes no route.
        var hook = await system.Hooks.Next("/bureau-b", h => h.Body.Contains("\"b-smoke\"", StringComparison.Ordinal));
        using var body = JsonDocument.Parse(hook.Body);
        Assert.Equal("b-smoke", body.RootElement.GetProperty("alert").GetProperty("deviceId").GetString());
        Assert.Equal(("school-b", "b 校 School b"), (body.RootElement.GetProperty("site").GetProperty("id").GetString(), body.RootElement.GetProperty("site").GetProperty("name").GetString()));
        Assert.Empty((await op.GetFromJsonAsync<JsonElement>($"/api/notifications?alertId={alertA.GetProperty("id").GetString()}")).EnumerateArray());
    }

    [Fact]
    public async Task AChangedSiteFileOfTheFolderIsAppliedWithoutARestartAndOneThatClashesWithAnotherSiteIsRefused()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        var before = (await admin.GetFromJsonAsync<JsonElement>("/api/site?siteId=school-b")).GetProperty("version").GetInt32();

        // A third file whose device is school A's: refused, naming that file; nothing changes.
        var clash = Path.Combine(system.SitesPath, "c.json");
        await File.WriteAllTextAsync(clash, SitesSystemFixture.School("school-c", "c").Replace("\"c-meter\"", "\"a-meter\""));
        var refused = await admin.PostAsync("/api/site/reload", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems")[0];
        Assert.EndsWith("c.json", problem.GetProperty("file").GetString());
        Assert.Contains("'a-meter' is already used by site 'school-a'", problem.GetProperty("reason").GetString());
        File.Delete(clash);
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>("/api/sites")).GetArrayLength());

        // School B gains a device: its file alone changes, the folder's watch applies it, and the device may connect.
        var b = Path.Combine(system.SitesPath, "b.json");
        await File.WriteAllTextAsync(b, (await File.ReadAllTextAsync(b)).Replace("""
        "devices": [
        """, """
        "devices": [
            { "id": "b-new", "room": "b-r", "system": "water", "secret": "n", "heartbeatSeconds": 8640000 },
        """));
        await console.Next("siteChanged", e => e.GetProperty("version").GetInt32() > before, TimeSpan.FromSeconds(15));
        using var added = await MqttDevices.Connect(system, "b-new", "n");
        await added.Publish("devices/b-new/telemetry", """{"leak": true}""");
        var alert = await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "b-new");
        Assert.Equal("school-b", alert.GetProperty("siteId").GetString());
    }

    [Fact]
    public async Task ASupervisorOfOneSiteReadsItsConsoleReportsAndOverviewAndChangesNothing()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new { username = "super-a", password = SystemFixture.OperatorPassword, role = "supervisor", sites = new[] { "school-a" } }))
            .EnsureSuccessStatusCode();
        using var supervisor = await system.SignIn("super-a", SystemFixture.OperatorPassword);
        await using var console = await ConsoleClient.Connect(system, await system.Token("super-a", SystemFixture.OperatorPassword));
        await using var everySite = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        // School B's heat alarm first, then school A's: the supervisor's console hears A's alone.
        await system.RaiseInTurn(everySite, """{"heat": 80}""", "b-heat", "a-heat");

        var alert = await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "a-heat");
        Assert.DoesNotContain(console.Drain(), e => e.Payload.GetRawText().Contains("b-heat", StringComparison.Ordinal));

        // Reads: alerts, the site, a report, the overview, of school A.
        Assert.All((await supervisor.GetFromJsonAsync<JsonElement>("/api/alerts?status=all")).EnumerateArray(), a => Assert.Equal("school-a", a.GetProperty("siteId").GetString()));
        Assert.Equal("school-a", (await supervisor.GetFromJsonAsync<JsonElement>("/api/site")).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync("/api/reports/daily?date=2026-12-04")).StatusCode);
        Assert.Equal(["school-a"], (await supervisor.GetFromJsonAsync<JsonElement>("/api/district")).EnumerateArray().Select(s => s.GetProperty("id").GetString()));

        // Changes nothing: not acknowledged, no repair mode, no drill, no zone armed.
        var id = alert.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsJsonAsync($"/api/alerts/{id}/acknowledge", new { note = "seen" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PutAsJsonAsync("/api/devices/a-heat/out-of-service", new { note = "repair" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsJsonAsync("/api/buildings/a-b/drill", new { note = "drill", minutes = 10 })).StatusCode);
        Assert.Equal("open", (await admin.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}")).GetProperty("status").GetString());
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
