using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>
/// docs/interface.md §13, roles per site: one account may be an operator of school A and something else at school B.
/// Each call is allowed by the role at the site of what it names; the hub sends each site's events as that site's role
/// would receive them, once.
/// </summary>
[Collection(SitesSystemCollection.Name)]
public sealed class SiteRoleTests(SitesSystemFixture system)
{
    [Fact]
    public async Task AnOperatorOfOneSiteAndSupervisorOfAnotherActsOnlyWhereTheyAreOperator()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new
        {
            username = "mixed-ab", password = SystemFixture.OperatorPassword, role = "supervisor",
            sites = new[] { "school-a", "school-b" }, siteRoles = new Dictionary<string, string> { ["school-a"] = "operator" },
        })).EnsureSuccessStatusCode();
        var token = await system.Token("mixed-ab", SystemFixture.OperatorPassword);
        await using var console = await ConsoleClient.Connect(system, token);
        using var mixed = await system.SignIn("mixed-ab", SystemFixture.OperatorPassword);

        // Both schools' alarms reach the console (it reads both), each once.
        var ids = (await system.RaiseInTurn(console, """{"mains": false}""", "b-meter2", "a-meter2"))
            .ToDictionary(a => a.GetProperty("deviceId").GetString()!, a => a.GetProperty("id").GetString()!);

        Assert.DoesNotContain(console.Drain(), e => e.Name == "alertRaised" && ids.ContainsValue(e.Payload.GetProperty("id").GetString()!));

        // Reads both; acts at A; at B, which it sees, it is refused as a supervisor (403), not told it is not there.
        var listed = (await mixed.GetFromJsonAsync<JsonElement>("/api/alerts?status=open")).EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList();
        Assert.Contains(ids["a-meter2"], listed);
        Assert.Contains(ids["b-meter2"], listed);
        Assert.Equal(HttpStatusCode.OK, (await mixed.PostAsJsonAsync($"/api/alerts/{ids["a-meter2"]}/acknowledge", new { note = "on my way" })).StatusCode);
        var refused = await mixed.PostAsJsonAsync($"/api/alerts/{ids["b-meter2"]}/acknowledge", new { note = "not mine to" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("supervisor", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await mixed.PutAsJsonAsync("/api/devices/b-meter2/out-of-service", new { note = "repair" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mixed.PostAsJsonAsync("/api/tickets", new { title = "门锁坏了 Lock broken", roomId = "b-r" })).StatusCode);
        var bulk = await (await mixed.PostAsJsonAsync("/api/alerts/acknowledge", new { ids = new[] { ids["b-meter2"] } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(bulk.GetProperty("alerts").EnumerateArray());
        Assert.Equal("open", (await admin.GetFromJsonAsync<JsonElement>($"/api/alerts/{ids["b-meter2"]}")).GetProperty("status").GetString());

        // A page of school B acts as B's supervisor throughout; A's ids are not there on it.
        mixed.DefaultRequestHeaders.Add("X-Site", "school-b");
        Assert.Equal(HttpStatusCode.Forbidden, (await mixed.PostAsJsonAsync($"/api/alerts/{ids["b-meter2"]}/acknowledge", new { note = "still not" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mixed.GetAsync($"/api/alerts/{ids["a-meter2"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await mixed.GetAsync($"/api/alerts/{ids["b-meter2"]}")).StatusCode);
    }

    [Fact]
    public async Task AnOfficerOfOneSiteWhoIsOperatorOfAnotherHearsOnlyTheOperatorSitesAlarms()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new
        {
            username = "mixed-ob", password = SystemFixture.OfficerPassword, role = "officer",
            siteRoles = new Dictionary<string, string> { ["school-a"] = "operator" },
        })).EnsureSuccessStatusCode();
        await using var console = await ConsoleClient.Connect(system, await system.Token("mixed-ob", SystemFixture.OfficerPassword));
        await using var everySite = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        // School B's undervoltage first, then A's: only A's reaches them, once.
        await system.RaiseInTurn(everySite, """{"mains": false}""", "b-meter3", "a-meter3");

        var alertA = await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "a-meter3");
        var rest = console.Drain();
        Assert.DoesNotContain(rest, e => e.Payload.GetRawText().Contains("b-meter3", StringComparison.Ordinal));
        Assert.DoesNotContain(rest, e => e.Name == "alertRaised" && e.Payload.GetProperty("id").GetString() == alertA.GetProperty("id").GetString());

        // The alert list keeps to where they read the console; they check in only where they are an officer.
        using var user = await system.SignIn("mixed-ob", SystemFixture.OfficerPassword);
        Assert.All((await user.GetFromJsonAsync<JsonElement>("/api/alerts?status=all")).EnumerateArray(), a => Assert.Equal("school-a", a.GetProperty("siteId").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsJsonAsync("/api/checkins", new { checkpointId = "a-cp", code = "C" })).StatusCode);
    }

    [Fact]
    public async Task RolesAtSitesThatAreNotTheUsersOrAnAdminsAreRefusedAndNothingIsSaved()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        async Task<string> Refused(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("siteRoles")[0].GetString()!;
        }

        Assert.Contains("'school-b'", await Refused(await admin.PostAsJsonAsync("/api/users", new
        {
            username = "op-ra", password = SystemFixture.OperatorPassword, role = "operator", sites = new[] { "school-a" },
            siteRoles = new Dictionary<string, string> { ["school-b"] = "supervisor" },
        })));
        Assert.Contains("admin", await Refused(await admin.PostAsJsonAsync("/api/users", new
        {
            username = "op-ra", password = SystemFixture.OperatorPassword, role = "admin", siteRoles = new Dictionary<string, string> { ["school-b"] = "operator" },
        })));
        Assert.Contains("'school-a'", await Refused(await admin.PostAsJsonAsync("/api/users", new
        {
            username = "op-ra", password = SystemFixture.OperatorPassword, role = "operator", siteRoles = new Dictionary<string, string> { ["school-a"] = "admin" },
        })));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsJsonAsync("/api/users/op-ra", new { displayName = "x" })).StatusCode);

        // A user whose sites shrink must give up the roles at the sites they leave, in the same change.
        (await admin.PostAsJsonAsync("/api/users", new
        {
            username = "op-rb", password = SystemFixture.OperatorPassword, role = "operator", siteRoles = new Dictionary<string, string> { ["school-b"] = "supervisor" },
        })).EnsureSuccessStatusCode();
        Assert.Contains("'school-b'", await Refused(await admin.PatchAsJsonAsync("/api/users/op-rb", new { sites = new[] { "school-a" } })));
        var user = await admin.GetFromJsonAsync<JsonElement>("/api/users");
        var rb = user.EnumerateArray().Single(u => u.GetProperty("username").GetString() == "op-rb");
        Assert.Equal(JsonValueKind.Null, rb.GetProperty("sites").ValueKind);
        Assert.Equal("supervisor", rb.GetProperty("siteRoles").GetProperty("school-b").GetString());
        var changed = await admin.PatchAsJsonAsync("/api/users/op-rb", new { sites = new[] { "school-a" }, siteRoles = new Dictionary<string, string>() });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("siteRoles").ValueKind);
    }

    [Fact]
    public async Task AnAdminOfOneSiteReadsTheAuditOfThatSiteAndOfTheAccounts()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new { username = "admin-a", password = SystemFixture.AdminPassword, role = "admin", sites = new[] { "school-a" } }))
            .EnsureSuccessStatusCode();

        // An operator of every site tries changes at each school (refused for what is missing: nothing changes, all is audited).
        using var op = await system.Operator();
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PutAsJsonAsync("/api/devices/b-meter3/out-of-service", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/api/tickets", new { roomId = "a-r" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/api/tickets", new { roomId = "b-r" })).StatusCode);

        using var adminA = await system.SignIn("admin-a", SystemFixture.AdminPassword);
        var seen = (await adminA.GetFromJsonAsync<JsonElement>("/api/audit?limit=1000")).EnumerateArray().ToList();
        Assert.Contains(seen, e => e.GetProperty("action").GetString() == "POST /api/tickets" && e.GetProperty("siteId").GetString() == "school-a");
        Assert.Contains(seen, e => e.GetProperty("action").GetString() == "POST /api/users" && e.GetProperty("siteId").ValueKind == JsonValueKind.Null);
        Assert.All(seen, e => Assert.NotEqual("school-b", e.GetProperty("siteId").GetString()));

        var all = (await admin.GetFromJsonAsync<JsonElement>("/api/audit?limit=1000")).EnumerateArray().ToList();
        Assert.Contains(all, e => e.GetProperty("action").GetString() == "PUT /api/devices/{id}/out-of-service" && e.GetProperty("siteId").GetString() == "school-b");
        Assert.Contains(all, e => e.GetProperty("action").GetString() == "POST /api/tickets" && e.GetProperty("siteId").GetString() == "school-b");
    }
}
