using Microsoft.Playwright;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

[Collection(SystemCollection.Name)]
public sealed class ApiTests(SystemFixture system)
{
    [Theory]
    [InlineData("/api/site")]
    [InlineData("/api/alerts")]
    [InlineData("/api/devices/smoke-101")]
    [InlineData("/api/stats")]
    public async Task CallsWithoutATokenAreRefusedWithAProblemDetail(string path)
    {
        var response = await system.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AlertsAreShelvedOnlyForATimeWithAReasonAndAcknowledgedInBulkWithUnknownIdsLeftOut()
    {
        using var http = await system.Operator();
        await using var console = await ConsoleClient.Connect(system, http.DefaultRequestHeaders.Authorization!.Parameter!);
        var ids = new List<string>();
        foreach (var device in new[] { "shelf-api-1", "shelf-api-2" })
        {
            var raised = console.Next("alertRaised", e => e.GetProperty("deviceId").GetString() == device);
            using var client = await MqttDevices.Connect(system, device, "api");
            await client.Publish($"devices/{device}/telemetry", """{"smoke": true}""");
            ids.Add((await raised).GetProperty("id").GetString()!);
        }

        // Bad shelving is refused and named; nothing changes.
        foreach (var bad in new object[] { new { minutes = 0, note = "x" }, new { minutes = 1441, note = "x" }, new { minutes = 30, note = " " }, new { note = "x" } })
        {
            var refused = await http.PostAsJsonAsync($"/api/alerts/{ids[0]}/shelve", bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync($"/api/alerts/no-such-{Guid.NewGuid():N}/shelve", new { minutes = 30, note = "x" })).StatusCode);
        Assert.True((await (await http.GetAsync($"/api/alerts/{ids[0]}")).Read()).GetProperty("shelvedUntil").ValueKind == JsonValueKind.Null);

        var pushed = console.Next("alertUpdated", e => e.GetProperty("id").GetString() == ids[0] && e.GetProperty("shelvedUntil").ValueKind == JsonValueKind.String);
        var shelved = await (await http.PostAsJsonAsync($"/api/alerts/{ids[0]}/shelve", new { minutes = 30, note = "sensor cleaned, watching it" })).Read();
        Assert.Equal("operator1", shelved.GetProperty("shelvedBy").GetString());
        var shelvedAt = shelved.GetProperty("history").EnumerateArray().Last().GetProperty("at").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromMinutes(30), shelved.GetProperty("shelvedUntil").GetDateTimeOffset() - shelvedAt);
        await pushed;
        var back = await (await http.PostAsJsonAsync($"/api/alerts/{ids[0]}/unshelve", new { note = "back in service" })).Read();
        Assert.Equal(JsonValueKind.Null, back.GetProperty("shelvedUntil").ValueKind);
        Assert.Equal(["shelved", "unshelved"], back.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()).Where(a => a!.Contains("shelved")));

        // Bulk: no ids, or too many, is refused; unknown ids are left out of the answer.
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/alerts/acknowledge", new { ids = Array.Empty<string>() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/alerts/acknowledge", new { ids = Enumerable.Range(0, 1001).Select(i => $"x{i}") })).StatusCode);
        var answer = await (await http.PostAsJsonAsync("/api/alerts/acknowledge", new { ids = ids.Append($"no-such-{Guid.NewGuid():N}"), note = "flood: broker restart" })).Read();
        var acknowledged = answer.GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(ids.Order(), acknowledged.Select(a => a.GetProperty("id").GetString()!).Order());
        Assert.All(acknowledged, a => Assert.Equal(("acknowledged", "operator1"), (a.GetProperty("status").GetString(), a.GetProperty("acknowledgedBy").GetString())));

        // The alarm load includes them; a period that ends before it starts is refused.
        var kpis = await (await http.GetAsync("/api/alerts/kpis")).Read();
        Assert.True(kpis.GetProperty("alarms").GetInt32() >= 2);
        Assert.Contains(kpis.GetProperty("topSources").EnumerateArray(), s => s.GetProperty("source").GetString()!.StartsWith("shelf-api", StringComparison.Ordinal)
            || kpis.GetProperty("topSources").GetArrayLength() == 10);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/alerts/kpis?from=2026-11-27T10:00:00Z&to=2026-11-27T09:00:00Z")).StatusCode);
    }

    [Fact]
    public async Task ADeviceIsPutOutOfServiceOnlyWithAReasonAndAnEndStillToComeAndDrillsAreChecked()
    {
        using var http = await system.Operator();
        foreach (var bad in new object[] { new { note = " " }, new { note = "repair", until = DateTimeOffset.UtcNow.AddMinutes(-5) }, new { until = DateTimeOffset.UtcNow.AddHours(1) } })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PutAsJsonAsync("/api/devices/oos-api/out-of-service", bad)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.PutAsJsonAsync("/api/devices/no-such-device/out-of-service", new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/api/buildings/no-such-building/drill", new { minutes = 10, note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/buildings/lab/drill", new { minutes = 0, note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/buildings/lab/drill", new { minutes = 10 })).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await (await http.GetAsync("/api/devices/oos-api")).Read()).GetProperty("outOfService").ValueKind);

        var until = DateTimeOffset.UtcNow.AddDays(2);
        var device = await (await http.PutAsJsonAsync("/api/devices/oos-api/out-of-service", new { until, note = "sensor sent for calibration" })).Read();
        var period = device.GetProperty("outOfService");
        Assert.Equal(("operator1", "sensor sent for calibration"), (period.GetProperty("by").GetString(), period.GetProperty("note").GetString()));
        Assert.Equal(until.ToUnixTimeSeconds(), period.GetProperty("until").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Contains((await http.GetFromJsonAsync<JsonElement[]>("/api/out-of-service"))!, p => p.GetProperty("id").GetString() == "oos-api");

        var lifted = await (await http.DeleteAsync("/api/devices/oos-api/out-of-service")).Read();
        Assert.Equal(JsonValueKind.Null, lifted.GetProperty("outOfService").ValueKind);
    }

    [Fact]
    public async Task TheApiDescribesItselfAsOpenApiAndTheReferencePageRendersItInABrowser()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(system.BaseUrl) };
        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Read();
        Assert.Equal("SafetyPatrol API", document.GetProperty("info").GetProperty("title").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/alerts/{id}/shelve", paths);
        Assert.Contains("/api/alerts/kpis", paths);
        Assert.Contains("/api/devices/{id}/out-of-service", paths);

        // Each operation names who may call it and the problems it can answer.
        var signOff = document.GetProperty("paths").GetProperty("/api/tickets/{id}/sign-off").GetProperty("post");
        Assert.Equal("any signed-in user", signOff.GetProperty("x-roles").GetString());
        Assert.Subset(new HashSet<string> { "200", "400", "401", "403", "404", "409", "503" }, signOff.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet());
        var createUser = document.GetProperty("paths").GetProperty("/api/users").GetProperty("post");
        Assert.Equal("admin", createUser.GetProperty("x-roles").GetString());
        Assert.Equal("Bearer", Assert.Single(createUser.GetProperty("security")[0].EnumerateObject()).Name);
        var signIn = document.GetProperty("paths").GetProperty("/api/auth/token").GetProperty("post");
        Assert.Equal("anyone", signIn.GetProperty("x-roles").GetString());
        Assert.True(signIn.GetProperty("responses").TryGetProperty("429", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));

        // Every operation says what it does before who may call it, and the roles are those its policy enforces.
        var operations = document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (Name: $"{o.Name.ToUpperInvariant()} {p.Name}", Summary: o.Value.GetProperty("summary").GetString()!))).ToList();
        Assert.All(operations, o => Assert.Matches(@"^(?!Roles:)[A-Z].{8,} \(roles: [^)]+\)$", o.Summary));
        Assert.Equal("The security zones (of one site, or every site the user sees) and whether each is armed (roles: guard, operator, admin, supervisor)",
            operations.Single(o => o.Name == "GET /api/zones").Summary);
        Assert.Equal("guard, operator, admin", document.GetProperty("paths").GetProperty("/api/visitors").GetProperty("post").GetProperty("x-roles").GetString());
        // A group read by supervisors, an action in it for operators and admins: the roles both policies allow.
        Assert.Equal("operator, admin, supervisor", document.GetProperty("paths").GetProperty("/api/alerts").GetProperty("get").GetProperty("x-roles").GetString());
        Assert.Equal("operator, admin", document.GetProperty("paths").GetProperty("/api/alerts/{id}/acknowledge").GetProperty("post").GetProperty("x-roles").GetString());

        await using var browser = new Browser();
        await browser.InitializeAsync();
        var page = await browser.Instance.NewPageAsync();
        List<string> blocked = [];
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy")) blocked.Add(message.Text); };
        await page.GotoAsync(system.BaseUrl + "/docs");
        await Assertions.Expect(page.GetByText("/api/alerts/{id}/shelve").First).ToBeAttachedAsync(new() { Timeout = 20_000 });
        Assert.Empty(blocked);
    }

    [Fact]
    public async Task PrometheusScrapesReadingsTakenAndDroppedAtMetrics()
    {
        using var device = await MqttDevices.Connect(system, "meter-1", "m");
        await device.Publish("devices/meter-1/telemetry", """{"voltage": 221}""");
        await device.Publish("devices/meter-1/telemetry", "not json");

        using var scraper = new HttpClient { BaseAddress = new Uri(system.BaseUrl) };
        var text = await scraper.GetStringAsync("/metrics");
        // One series per host; the test process runs several systems, and meters are seen process-wide.
        var accepted = text.Split('\n').Where(l => l.StartsWith("safetypatrol_readings_total", StringComparison.Ordinal)).ToList();
        // A sample is `name{labels} value [timestamp]`.
        static double Value(string sample) =>
            double.Parse(sample[((sample.LastIndexOf('}') is var brace and >= 0 ? brace : sample.IndexOf(' ')) + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accepted.Sum(Value) >= 1, string.Join("\n", accepted));
        Assert.Contains("safetypatrol_readings_dropped_total{", text);
        Assert.Contains("http_server_request_duration_seconds", text);
    }

    [Fact]
    public async Task AWrongPasswordIsRefused()
    {
        var response = await system.Anonymous.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "nope-nope" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OnlyAnAdminCreatesUsersAndEveryMistakeIsNamed()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        using var op = await system.Operator();

        var forbidden = await op.PostAsJsonAsync("/api/users", new { username = "x1", password = "longenough", role = "officer" });
        var invalid = await admin.PostAsJsonAsync("/api/users", new { username = "bad name", password = "short", role = "janitor" });
        var duplicate = await admin.PostAsJsonAsync("/api/users", new { username = "operator1", password = "longenough", role = "operator" });
        var created = await admin.PostAsJsonAsync("/api/users", new { username = "wang.fang", password = "longenough", role = "officer", displayName = "王芳" });

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("username", out _) && errors.TryGetProperty("password", out _) && errors.TryGetProperty("role", out _));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("wang.fang", "officer", "王芳"), (user.GetProperty("username").GetString(), user.GetProperty("role").GetString(), user.GetProperty("displayName").GetString()));
        Assert.False(user.TryGetProperty("password", out _) || user.TryGetProperty("passwordHash", out _));
        Assert.NotEmpty(await system.Token("wang.fang", "longenough"));
    }

    [Fact]
    public async Task AnOfficerCannotAcknowledgeWhileAnOperatorsAcknowledgeAndResolveArePushedAndKeptInTheHistory()
    {
        using var op = await system.Operator();
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        await using var console = await ConsoleClient.Connect(system, await system.Token("admin", SystemFixture.AdminPassword));
        using var device = await MqttDevices.Connect(system, "smoke-ops", "ops");

        await device.Publish("devices/smoke-ops/telemetry", """{"smoke": true}""");
        var id = (await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "smoke-ops")).GetProperty("id").GetString();

        var denied = await officer.PostAsJsonAsync($"/api/alerts/{id}/acknowledge", new { note = "not mine to do" });
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);

        var acknowledged = await op.PostAsJsonAsync($"/api/alerts/{id}/acknowledge", new { note = "保安已前往 guard on the way" });
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var pushedAck = await console.Next("alertUpdated", a => a.GetProperty("id").GetString() == id && a.GetProperty("status").GetString() == "acknowledged");
        Assert.Equal("operator1", pushedAck.GetProperty("acknowledgedBy").GetString());

        var resolved = await op.PostAsync($"/api/alerts/{id}/resolve", null);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        await console.Next("alertUpdated", a => a.GetProperty("id").GetString() == id && a.GetProperty("status").GetString() == "resolved");

        var detail = await op.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        var history = detail.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["raised", "acknowledged", "resolved"], history.Select(h => h.GetProperty("action").GetString()));
        Assert.Equal("保安已前往 guard on the way", history[1].GetProperty("note").GetString());
        Assert.Equal("operator1", history[2].GetProperty("by").GetString());

        // The same condition after resolve is a new alert.
        await device.Publish("devices/smoke-ops/telemetry", """{"smoke": true}""");
        var again = await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "smoke-ops");
        Assert.NotEqual(id, again.GetProperty("id").GetString());

        var resolvedList = await op.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=resolved");
        Assert.Contains(resolvedList!, a => a.GetProperty("id").GetString() == id);
        Assert.False(resolvedList![0].TryGetProperty("history", out _));
    }

    [Fact]
    public async Task TheSiteTreeCarriesEachBuildingRoomAndDeviceWithItsStatusAndChineseNames()
    {
        using var op = await system.Operator();
        using var device = await MqttDevices.Connect(system, "bad-input", "b");
        await device.Publish("devices/bad-input/telemetry", """{"leak": true}""");

        var site = await op.GetFromJsonAsync<JsonElement>("/api/site");

        Assert.Equal("中南路小学 E2E", site.GetProperty("name").GetString());
        var plant = site.GetProperty("buildings").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "plant");
        Assert.Equal("设备楼", plant.GetProperty("name").GetString());
        Assert.Equal("major", plant.GetProperty("worstSeverity").GetString());
        var room = plant.GetProperty("rooms").EnumerateArray().Single();
        Assert.Equal("配电室", room.GetProperty("name").GetString());
        var leak = room.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "bad-input");
        Assert.Equal(("major", true), (leak.GetProperty("worstSeverity").GetString(), leak.GetProperty("online").GetBoolean()));
        var teach = site.GetProperty("buildings").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "teach-1");
        var checkpoints = teach.GetProperty("rooms")[0].GetProperty("checkpoints").EnumerateArray().Select(c => c.GetProperty("id").GetString());
        Assert.Equal(["cp-101", "cp-phone"], checkpoints);
    }

    [Fact]
    public async Task UnknownAlertsAndDevicesAre404AndABadStatusFilterIs400()
    {
        using var op = await system.Operator();

        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/api/alerts/no-such-alert")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsync("/api/alerts/no-such-alert/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync("/api/devices/no-such-device")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/api/alerts?status=closed")).StatusCode);
    }

    [Fact]
    public async Task AlertsComePagedNewestFirstWithACursorThatSkipsNothingAndRepeatsNothing()
    {
        // Three alerts of our own at least, so pages of two have a second page.
        foreach (var (device, secret) in new[] { ("page-1", "p"), ("page-2", "p"), ("page-3", "p") })
        {
            var (exit, output) = await MqttDevices.MosquittoPub(system, device, secret, $"devices/{device}/telemetry", """{"smoke": true}""", qos: 1);
            Assert.True(exit == 0, output);
        }

        using var op = await system.Operator();
        var everything = (await op.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all&limit=1000"))!.Select(a => a.GetProperty("id").GetString()).ToList();
        List<string?> paged = [];
        string? cursor = null;
        do
        {
            var response = await op.GetAsync("/api/alerts?status=all&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            var page = (await response.Read()).EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList();
            Assert.NotEmpty(page);
            paged.AddRange(page);
            cursor = response.Headers.TryGetValues("X-Next-Cursor", out var next) ? next.Single() : null;
            if (cursor is not null)
            {
                Assert.Contains($"cursor={cursor}", response.Headers.GetValues("Link").Single());
            }
        }
        while (cursor is not null);

        Assert.True(everything.Count >= 3);
        Assert.Equal(everything, paged);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/api/alerts?cursor=not-a-cursor")).StatusCode);
    }
}
