using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

[Collection(SystemCollection.Name)]
public sealed class AccountAndAuditTests(SystemFixture system)
{
    [Fact]
    public async Task AnAdminListsChangesDisablesAndResetsAccountsAndAUserChangesTheirOwnPassword()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await Accounts.Ensure(admin, "guard.li", "officer");

        var users = await admin.GetFromJsonAsync<JsonElement[]>("/api/users");
        var listed = Assert.Single(users!, u => u.GetProperty("username").GetString() == "guard.li");
        Assert.Equal("officer", listed.GetProperty("role").GetString());
        Assert.DoesNotContain("password", (await admin.GetStringAsync("/api/users")).ToLowerInvariant());
        Assert.DoesNotContain("sessionVersion", await admin.GetStringAsync("/api/users"));
        using var op = await system.Operator();
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/users")).StatusCode);

        var changed = await admin.PatchAsJsonAsync("/api/users/guard.li", new { role = "technician", displayName = "李师傅" });
        Assert.Equal(("technician", "李师傅"), await RoleAndName(changed));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PatchAsJsonAsync("/api/users/guard.li", new { role = "janitor" })).StatusCode);

        // Signed in, then the admin resets the password: the old token stops at once, the new password works.
        using var before = await SignIn("guard.li", Accounts.Password);
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/users/guard.li/password", new { password = "short" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/users/nobody.here/password", new { password = "long-enough-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/users/guard.li/password", new { password = "reset-pass-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await system.Anonymous.PostAsJsonAsync("/api/auth/token", new { username = "guard.li", password = Accounts.Password })).StatusCode);

        // Their own change needs the current password.
        using var after = await SignIn("guard.li", "reset-pass-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await after.PostAsJsonAsync("/api/me/password", new { currentPassword = "wrong-one-1", newPassword = "my-own-pass-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await after.PostAsJsonAsync("/api/me/password", new { currentPassword = "reset-pass-1", newPassword = "short" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await after.PostAsJsonAsync("/api/me/password", new { currentPassword = "reset-pass-1", newPassword = "my-own-pass-1" })).StatusCode);
        using var own = await SignIn("guard.li", "my-own-pass-1");

        // Disabled: every token stops at once.
        await admin.PatchAsJsonAsync("/api/users/guard.li", new { disabled = true });
        Assert.Equal(HttpStatusCode.Unauthorized, (await own.GetAsync("/api/me")).StatusCode);
        var disabled = Assert.Single((await admin.GetFromJsonAsync<JsonElement[]>("/api/users"))!, u => u.GetProperty("username").GetString() == "guard.li");
        Assert.True(disabled.GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task TheAuditLogKeepsSignInsFailedTooAndEveryChangeWithoutPasswordsAndExportsThemAsCsv()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await Accounts.Ensure(admin, "audit.wang", "operator");
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await system.Anonymous.PostAsJsonAsync("/api/auth/token", new { username = "Audit.Wang", password = "not-the-password" })).StatusCode);
        using var wang = await SignIn("audit.wang", Accounts.Password);
        Assert.Equal(HttpStatusCode.Created, (await wang.PostAsJsonAsync("/api/tickets", new { title = "审计 Audit me", roomId = "lab-1" })).StatusCode);
        await admin.PostAsJsonAsync("/api/users/audit.wang/password", new { password = "secret-reset-9" });

        var entries = (await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?user=audit.wang"))!;
        var signIns = entries.Where(e => e.GetProperty("action").GetString() == "sign-in").Select(e => e.GetProperty("outcome").GetInt32()).ToList();
        Assert.Equal([200, 401], signIns.Order());
        var ticket = Assert.Single(entries, e => e.GetProperty("action").GetString() == "POST /api/tickets");
        Assert.Equal((201, "127.0.0.1"), (ticket.GetProperty("outcome").GetInt32(), ticket.GetProperty("address").GetString()));
        Assert.Contains("Audit me", ticket.GetProperty("detail").GetString());
        var reset = Assert.Single((await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?user=admin&action=/password"))!,
            e => e.GetProperty("target").GetString() == "audit.wang");
        Assert.DoesNotContain("secret-reset-9", reset.GetProperty("detail").GetString());
        Assert.DoesNotContain("not-the-password", await admin.GetStringAsync("/api/audit?limit=100000"));

        var csv = await admin.GetAsync("/api/audit?user=audit.wang&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("at,user,action,target,outcome,address,detail,site", lines[0]);
        Assert.Equal(entries.Length, lines.Length - 1);

        // Read only, and for admins only.
        using var op = await system.Operator();
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await admin.DeleteAsync("/api/audit")).StatusCode);
    }

    [Fact]
    public async Task TheAuditLogIsReadAPageAtATimeNewestFirstWithNothingSkippedOrRepeated()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await Accounts.Ensure(admin, "audit.page", "operator");
        using var user = await SignIn("audit.page", Accounts.Password);
        for (var i = 0; i < 5; i++)
        {
            (await user.PostAsJsonAsync("/api/tickets", new { title = $"page {i}", roomId = "lab-1" })).EnsureSuccessStatusCode();
        }

        var all = (await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?user=audit.page&action=tickets"))!.Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(5, all.Count);

        // Pages of two: 2, 2, 1; each names the next until the last, and together they are the whole log, in order (the test's
        // clock stands still, so the entries share their time and the pages are cut by id).
        List<string?> paged = [];
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await admin.GetAsync("/api/audit?user=audit.page&action=tickets&limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            var page = (await response.Content.ReadFromJsonAsync<JsonElement[]>())!;
            paged.AddRange(page.Select(e => e.GetProperty("id").GetString()));
            cursor = response.Headers.TryGetValues("X-Next-Cursor", out var next) ? next.Single() : null;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(all, paged);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/audit?cursor=not-a-cursor")).StatusCode);
    }

    private static async Task<(string?, string?)> RoleAndName(HttpResponseMessage response)
    {
        var user = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (user.GetProperty("role").GetString(), user.GetProperty("displayName").GetString());
    }

    /// <summary>A fresh sign-in (not the fixture's cached token): these tests end sessions on purpose.</summary>
    private async Task<HttpClient> SignIn(string username, string password)
    {
        var response = await system.Anonymous.PostAsJsonAsync("/api/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var client = new HttpClient { BaseAddress = new Uri(system.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
