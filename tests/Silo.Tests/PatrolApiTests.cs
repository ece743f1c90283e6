using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

[Collection(SystemCollection.Name)]
public sealed class PatrolApiTests(SystemFixture system)
{
    private static readonly string[] AlertEvents = ["alertRaised", "alertUpdated"];

    [Fact]
    public async Task ACheckpointWithARotatingCodeTakesTheCodeItsDisplayShowsNowAndNotTheKeyOrAnOldCode()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);

        // The display is set up from the key (otpauth://, as an authenticator app takes it); the officer types what it shows.
        var key = await admin.GetFromJsonAsync<JsonElement>("/api/checkpoints/cp-display/code-key");
        var uri = key.GetProperty("uri").GetString()!;
        Assert.StartsWith("otpauth://totp/SafetyPatrol:cp-display?", uri);
        var secret = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(uri).Query)["secret"].ToString();
        var display = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret), step: 30);
        string Shown(TimeSpan ago) => display.ComputeTotp((system.Time.GetUtcNow() - ago).UtcDateTime);

        foreach (var code in new[] { "display-key-e2e-0123456789", Shown(TimeSpan.FromMinutes(2)) })
        {
            var refused = await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-display", code });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        }

        (await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-display", code = Shown(TimeSpan.Zero) })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/checkpoints/cp-101/code-key")).StatusCode);
        using var op = await system.Operator();
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/checkpoints/cp-display/code-key")).StatusCode);
    }

    [Fact]
    public async Task CheckInsAreRefusedPreciselyAndAValidOneReachesTheConsoleWithItsBuildingAndRoom()
    {
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        using var op = await system.Operator();
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        var valid = new { checkpointId = "cp-101", code = "T1-101-7F3A", findings = new[] { new { item = "Door locked", ok = true } } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await system.Anonymous.PostAsJsonAsync("/api/checkins", valid)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("/api/checkins", valid)).StatusCode);
        var empty = await officer.PostAsync("/api/checkins", new StringContent("", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsJsonAsync("/api/checkins", new { code = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-nowhere", code = "x" })).StatusCode);
        var wrong = await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-101", code = "WRONG" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);

        var before = system.Time.GetUtcNow();
        var created = await officer.PostAsJsonAsync("/api/checkins", valid);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var checkIn = await created.Content.ReadFromJsonAsync<JsonElement>();
        var pushed = await console.Next("checkInRecorded", c => c.GetProperty("id").GetString() == checkIn.GetProperty("id").GetString());
        Assert.Equal(("cp-101", "teach-1-101", "teach-1", "officer1"),
            (pushed.GetProperty("checkpointId").GetString(), pushed.GetProperty("roomId").GetString(), pushed.GetProperty("buildingId").GetString(), pushed.GetProperty("officer").GetString()));
        Assert.Equal(before, pushed.GetProperty("at").GetDateTimeOffset());

        // The same officer again within a minute: recorded once.
        var again = await officer.PostAsJsonAsync("/api/checkins", valid);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(checkIn.GetProperty("id").GetString(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        var ledger = await op.GetFromJsonAsync<JsonElement[]>("/api/checkins?checkpointId=cp-101");
        Assert.Single(ledger!, c => c.GetProperty("at").GetDateTimeOffset() == before);
    }

    [Fact]
    public async Task AFailedChecklistItemRaisesAFindingAlertCarryingTheItemAndTheNote()
    {
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        var response = await officer.PostAsJsonAsync("/api/checkins", new
        {
            checkpointId = "cp-ui",
            code = "ui-7788",
            findings = new object[] { new { item = "Bolts tight", ok = false, note = "顶部横杆两颗螺栓松动" }, new { item = "Mats intact", ok = true } },
        });
        Assert.True(response.IsSuccessStatusCode);

        var finding = await console.Next("alertRaised", a => a.GetProperty("checkpointId").GetString() == "cp-ui" && a.GetProperty("category").GetString() == "finding");
        Assert.Equal(("Bolts tight", "顶部横杆两颗螺栓松动", "officer1"),
            (finding.GetProperty("item").GetString(), finding.GetProperty("note").GetString(), finding.GetProperty("officer").GetString()));
        Assert.Equal("teach-1-102", finding.GetProperty("roomId").GetString());
    }

    [Fact]
    public async Task ACheckpointDueEveryMinuteRaisesOverdueWithinFiveSecondsOfItsDueTimeAndGoesInactiveOnCheckIn()
    {
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        using var op = await system.Operator();
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        // Start from a known visit, then stay away.
        await system.Advance(TimeSpan.FromMinutes(2));
        var visit = await (await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-minute", code = "T1-102-0001" })).Read();
        var due = visit.GetProperty("at").GetDateTimeOffset() + TimeSpan.FromMinutes(1);
        await system.Advance(TimeSpan.FromSeconds(59));
        Assert.DoesNotContain(await op.GetFromJsonAsync<JsonElement[]>("/api/inspections/overdue") ?? [], c => c.GetProperty("id").GetString() == "cp-minute");

        await system.Advance(TimeSpan.FromSeconds(1));

        var overdue = await console.Next(AlertEvents, a => a.GetProperty("checkpointId").GetString() == "cp-minute" && a.GetProperty("active").GetBoolean());
        Assert.Equal(("inspection.overdue", "inspection", "warning"), (overdue.GetProperty("type").GetString(), overdue.GetProperty("category").GetString(), overdue.GetProperty("severity").GetString()));
        Assert.InRange(overdue.GetProperty("lastChangedAt").GetDateTimeOffset() - due, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        var list = await op.GetFromJsonAsync<JsonElement[]>("/api/inspections/overdue");
        var entry = Assert.Single(list!, c => c.GetProperty("id").GetString() == "cp-minute");
        Assert.Equal(overdue.GetProperty("id").GetString(), entry.GetProperty("alertId").GetString());

        // Still unvisited a full interval later: escalated one step and pushed.
        await system.Advance(TimeSpan.FromSeconds(61));
        var escalated = await console.Next("alertUpdated", a => a.GetProperty("id").GetString() == overdue.GetProperty("id").GetString() && a.GetProperty("escalationLevel").GetInt32() == 1);
        Assert.Equal("minor", escalated.GetProperty("severity").GetString());

        await (await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-minute", code = "T1-102-0001" })).Read();

        var cleared = await console.Next("alertUpdated", a => a.GetProperty("id").GetString() == overdue.GetProperty("id").GetString() && !a.GetProperty("active").GetBoolean());
        Assert.Equal("inspection.overdue", cleared.GetProperty("type").GetString());
        Assert.DoesNotContain(await op.GetFromJsonAsync<JsonElement[]>("/api/inspections/overdue") ?? [], c => c.GetProperty("id").GetString() == "cp-minute");
    }

    [Fact]
    public async Task ARouteWhoseRoundIsNotCompletedInTimeRaisesAPatrolAlertNamingTheRoute()
    {
        using var op = await system.Operator();
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        var round = await op.GetFromJsonAsync<JsonElement>("/api/patrol/board");
        var current = round.GetProperty("rounds").EnumerateArray().Single(r => r.GetProperty("routeId").GetString() == "switch-round");
        var dueAt = current.GetProperty("dueAt").GetDateTimeOffset();

        // Whichever round is under way now: let it run past its deadline (or into the next one's).
        await system.Advance(dueAt - system.Time.GetUtcNow() + TimeSpan.FromHours(1));

        var alert = await console.Next(AlertEvents, a => a.GetProperty("routeId").GetString() == "switch-round" && a.GetProperty("type").GetString() == "patrol.roundMissed");
        Assert.Equal(("patrol", "major"), (alert.GetProperty("category").GetString(), alert.GetProperty("severity").GetString()));
        Assert.Contains("配电巡检 Switch round", alert.GetProperty("message").GetString());
        Assert.Contains("配电柜 Switchgear", alert.GetProperty("message").GetString());

        var rounds = await op.GetFromJsonAsync<JsonElement[]>("/api/rounds?routeId=switch-round");
        Assert.Contains(rounds!, r => r.GetProperty("status").GetString() == "missed" && r.GetProperty("missing")[0].GetString() == "cp-lonely");
    }

    [Fact]
    public async Task AnOfficerReadsOnlyTheirOwnCheckInsFromTheLedger()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await (await admin.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-lonely", code = "PL-SW-9" })).Read();
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);

        var mine = await officer.GetFromJsonAsync<JsonElement[]>("/api/checkins?officer=admin");
        var all = await admin.GetFromJsonAsync<JsonElement[]>("/api/checkins?checkpointId=cp-lonely");

        Assert.All(mine!, c => Assert.Equal("officer1", c.GetProperty("officer").GetString()));
        Assert.Contains(all!, c => c.GetProperty("officer").GetString() == "admin");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/checkins?from=yesterday")).StatusCode);
    }
}
