using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

[Collection(SystemCollection.Name)]
public sealed class TicketApiTests(SystemFixture system)
{
    [Fact]
    public async Task TheConsoleIsToldWhoCanBeGivenARepairEveryEnabledTechnicianAndNobodyElse()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await Accounts.Ensure(admin, "tech.pick", "technician");
        await Accounts.Ensure(admin, "tech.gone", "technician");
        (await admin.PatchAsJsonAsync("/api/users/tech.gone", new { disabled = true })).EnsureSuccessStatusCode();
        using var op = await system.Operator();

        var technicians = (await op.GetFromJsonAsync<JsonElement[]>("/api/technicians"))!;
        var pick = Assert.Single(technicians, t => t.GetProperty("username").GetString() == "tech.pick");
        Assert.Equal("tech.pick", pick.GetProperty("displayName").GetString());
        Assert.DoesNotContain(technicians, t => t.GetProperty("username").GetString() is "tech.gone" or "operator1" or "officer1" or "admin");

        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/technicians")).StatusCode);
    }

    [Fact]
    public async Task ARepairOpenedFromAFindingIsWorkedByItsTechnicianSignedOffByItsReporterAndResolvesTheAlert()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await Accounts.Ensure(admin, "tech.zhang", "technician");
        await Accounts.Ensure(admin, "tech.other", "technician");
        await Accounts.Ensure(admin, "officer.two", "officer");
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        using var tech = await system.SignIn("tech.zhang", Accounts.Password);
        using var otherTech = await system.SignIn("tech.other", Accounts.Password);
        using var otherOfficer = await system.SignIn("officer.two", Accounts.Password);
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        // The officer finds a loose bolt, and opens a repair from the finding's alert with one call.
        var checkIn = await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-weekly", code = "WK-1", findings = new[] { new { item = "Bolts tight", ok = false, note = "two bolts loose" } } });
        Assert.Equal(HttpStatusCode.Created, checkIn.StatusCode);
        var finding = await console.Next("alertRaised", a => a.GetProperty("checkpointId").GetString() == "cp-weekly");
        var alertId = finding.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await officer.PostAsJsonAsync("/api/tickets", new { title = "x", alertId = Guid.NewGuid().ToString() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsJsonAsync("/api/tickets", new { title = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsJsonAsync("/api/tickets", new { title = "x", assignee = "nobody.at.all" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.PostAsJsonAsync("/api/tickets", new { title = "x" })).StatusCode);
        var created = await officer.PostAsJsonAsync("/api/tickets", new { title = "攀爬架螺栓松动 Loose bolts", alertId, assignee = "tech.zhang" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ticket = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = ticket.GetProperty("id").GetString()!;
        Assert.Equal(("assigned", "officer1", "annex", "annex-2", alertId), (ticket.GetProperty("status").GetString(), ticket.GetProperty("reporter").GetString(),
            ticket.GetProperty("buildingId").GetString(), ticket.GetProperty("roomId").GetString(), ticket.GetProperty("alertId").GetString()));
        await console.Next("ticketUpdated", t => t.GetProperty("id").GetString() == id);

        // Each sees what is theirs: the technician their work, the other technician nothing, the officer what they reported.
        Assert.Contains((await tech.GetFromJsonAsync<JsonElement[]>("/api/tickets"))!, t => t.GetProperty("id").GetString() == id);
        Assert.DoesNotContain((await otherTech.GetFromJsonAsync<JsonElement[]>("/api/tickets"))!, t => t.GetProperty("id").GetString() == id);
        Assert.Contains((await officer.GetFromJsonAsync<JsonElement[]>("/api/tickets?status=assigned"))!, t => t.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherTech.PatchAsJsonAsync($"/api/tickets/{id}", new { status = "in-progress" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PatchAsJsonAsync($"/api/tickets/{id}", new { status = "in-progress" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tech.PatchAsJsonAsync($"/api/tickets/{id}", new { status = "signed-off" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await tech.PatchAsJsonAsync($"/api/tickets/{id}", new { status = "done" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/tickets/{id}/sign-off", new { accepted = true, note = "ok" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await tech.PatchAsJsonAsync($"/api/tickets/{id}", new { status = "in-progress", note = "on my way" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tech.PatchAsJsonAsync($"/api/tickets/{id}", new { status = "done", note = "bolts replaced" })).StatusCode);

        // Only the reporter (or an operator) signs off; a refusal sends it back to work.
        Assert.Equal(HttpStatusCode.Forbidden, (await otherOfficer.PostAsJsonAsync($"/api/tickets/{id}/sign-off", new { accepted = true, note = "ok" })).StatusCode);
        var rejected = await officer.PostAsJsonAsync($"/api/tickets/{id}/sign-off", new { accepted = false, note = "one bolt still loose" });
        Assert.Equal("in-progress", (await rejected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await tech.PatchAsJsonAsync($"/api/tickets/{id}", new { status = "done", note = "tightened" });
        var signed = await officer.PostAsJsonAsync($"/api/tickets/{id}/sign-off", new { accepted = true, note = "checked, all tight" });
        var final = await signed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("signed-off", "officer1"), (final.GetProperty("status").GetString(), final.GetProperty("signedOffBy").GetString()));
        Assert.Equal(["created", "assigned", "in-progress", "done", "rejected", "done", "signed-off"],
            final.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()!).ToArray());

        var resolved = await console.Next("alertUpdated", a => a.GetProperty("id").GetString() == alertId && a.GetProperty("status").GetString() == "resolved");
        Assert.Equal("officer1", resolved.GetProperty("resolvedBy").GetString());
        using var op = await system.Operator();
        var history = (await op.GetFromJsonAsync<JsonElement>($"/api/alerts/{alertId}")).GetProperty("history");
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("note").GetString()!.Contains("checked, all tight"));
        // The note is the system's: a console shows it in its language from its key, the technician's words as written.
        var signedOff = history.EnumerateArray().Single(h => h.GetProperty("action").GetString() == "resolved");
        Assert.Equal("note.repairSignedOff", signedOff.GetProperty("noteKey").GetString());
        Assert.Contains("checked, all tight", signedOff.GetProperty("noteArgs").GetProperty("note").GetString());
    }

    [Fact]
    public async Task ATicketNotStartedInHalfAnHourRaisesTicketOverdueAndStartingItClearsIt()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await Accounts.Ensure(admin, "tech.sla", "technician");
        using var op = await system.Operator();
        using var tech = await system.SignIn("tech.sla", Accounts.Password);
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        var created = await op.PostAsJsonAsync("/api/tickets", new { title = "Leaking tap", roomId = "plant-switch", assignee = "tech.sla" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal("plant", (await op.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("buildingId").GetString());

        await system.Advance(TimeSpan.FromMinutes(29));
        Assert.False((await op.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}")).GetProperty("overdue").GetBoolean());
        await system.Advance(TimeSpan.FromMinutes(1));
        var overdue = await console.Next("alertRaised", a => a.GetProperty("type").GetString() == "ticket.overdue" && a.GetProperty("ticketId").GetString() == id);
        Assert.Equal(("ticket", "minor", "plant-switch"), (overdue.GetProperty("category").GetString(), overdue.GetProperty("severity").GetString(), overdue.GetProperty("roomId").GetString()));
        var late = await op.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        Assert.True(late.GetProperty("overdue").GetBoolean());
        var lateEntry = late.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("action").GetString() == "overdue");
        Assert.Equal(("note.notStartedWithin", "30 min"), (lateEntry.GetProperty("noteKey").GetString(), lateEntry.GetProperty("noteArgs").GetProperty("limit").GetString()));

        await tech.PatchAsJsonAsync($"/api/tickets/{id}", new { status = "in-progress" });
        var cleared = await console.Next("alertUpdated", a => a.GetProperty("id").GetString() == overdue.GetProperty("id").GetString() && !a.GetProperty("active").GetBoolean());
        Assert.Equal("ticket.overdue", cleared.GetProperty("type").GetString());
    }
}
