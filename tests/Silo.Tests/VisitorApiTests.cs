using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SafetyPatrol.Grains.Visitors;
using SafetyPatrol.Silo.Storage;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>Visitors at the gate over HTTP: registration and its checks, personal data, the overdue alarm, retention (photo included), reports.</summary>
[Collection(SecuritySystemCollection.Name)]
public sealed class VisitorApiTests(SecuritySystemFixture system)
{
    private const string IdNumber = "11010519491231002X";

    /// <summary>A real (decodable) 8×6 PNG, as a phone's camera would give a real picture.</summary>
    private static readonly byte[] Picture = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAGCAIAAABxZ0isAAAAEUlEQVR4nGM4ISeHFTEMpAQAaYgwwWSFouIAAAAASUVORK5CYII=");

    [Fact]
    public async Task AGuardRegistersAVisitorWhoseIdNumberIsKeptOnlyMaskedAndEveryReadOfTheRecordIsAudited()
    {
        using var guard = await system.Guard();
        var first = await Register(guard, "王芳", "440304199001011233", "office-201", TimeSpan.FromHours(2));
        Assert.Equal(("440***********1233", 0, true, "王老师 Ms Wang"), (first.GetProperty("idNumberMasked").GetString(), first.GetProperty("previousVisits").GetInt32(),
            first.GetProperty("onSite").GetBoolean(), first.GetProperty("hostName").GetString()));
        Assert.Equal("行政楼 Office 校长室 Principal", first.GetProperty("hostPlace").GetString());
        Assert.Matches("^[A-Z2-9]{8}$", first.GetProperty("pass").GetString());
        var again = await Register(guard, "王芳", "4403 0419 9001 0112 33", "office-202", TimeSpan.FromHours(1));
        Assert.Equal(1, again.GetProperty("previousVisits").GetInt32());

        var id = first.GetProperty("id").GetString();
        var read = await (await guard.GetAsync($"/api/visitors/{id}")).Read();
        Assert.Equal("王芳", read.GetProperty("name").GetString());
        var found = (await guard.GetFromJsonAsync<JsonElement[]>("/api/visitors?idNumber=440304199001011233"))!;
        Assert.Equal(2, found.Length);
        Assert.Contains((await guard.GetFromJsonAsync<JsonElement[]>("/api/visitors?onSite=true&q=王"))!, v => v.GetProperty("id").GetString() == id);
        Assert.Equal("image/svg+xml", (await guard.GetAsync($"/api/visitors/{id}/pass.svg")).Content.Headers.ContentType?.MediaType);

        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync($"/api/visitors/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/visitors")).StatusCode);

        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        var audit = (await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?user=guard1&action=visitors&limit=100"))!;
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == $"GET /api/visitors/{id}" && e.GetProperty("target").GetString() == id);
        Assert.Contains(audit, e => e.GetProperty("detail").GetString()!.Contains("\"idNumber\":\"440***********1233\""));
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "POST /api/visitors/");

        // Nowhere in what the node keeps (database and its write-ahead log) or answers is the whole number.
        var everything = await (await admin.GetAsync("/api/audit?limit=5000&format=csv")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("440304199001011233", everything);
        foreach (var file in Directory.GetFiles(system.DataDir, SqliteStore.FileName + "*"))
        {
            using var copy = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var text = new StreamReader(copy, Encoding.Latin1);
            Assert.DoesNotContain("440304199001011233", await text.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task BadInputAnswers400WithEveryProblemAndNothingIsSaved()
    {
        using var guard = await system.Guard();
        var before = (await guard.GetFromJsonAsync<JsonElement[]>("/api/visitors?limit=1000"))!.Length;
        var response = await guard.PostAsJsonAsync("/api/visitors", new
        {
            name = "李四", phone = "13800138000", idNumber = "110105194912310021", hostName = "张老师", hostRoomId = "office-999",
            purpose = "家长会", expectedDeparture = system.Time.GetUtcNow().AddMinutes(-5),
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Equal(["expectedDeparture", "hostRoomId", "idNumber"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("check digit", errors.GetProperty("idNumber")[0].GetString());
        Assert.Contains("past", errors.GetProperty("expectedDeparture")[0].GetString());
        // Each also by key, for a page to show in its language.
        var keys = problem.GetProperty("errorKeys");
        Assert.Equal(("idCard.checkDigit", "departurePast", "hostRoom", "office-999"), (keys.GetProperty("idNumber")[0].GetProperty("key").GetString(),
            keys.GetProperty("expectedDeparture")[0].GetProperty("key").GetString(), keys.GetProperty("hostRoomId")[0].GetProperty("key").GetString(),
            keys.GetProperty("hostRoomId")[0].GetProperty("args").GetProperty("room").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await guard.PostAsJsonAsync("/api/visitors", new { })).StatusCode);
        Assert.Equal(before, (await guard.GetFromJsonAsync<JsonElement[]>("/api/visitors?limit=1000"))!.Length);
    }

    [Fact]
    public async Task AVisitorStillOnSiteAfterDeparturePlusGraceRaisesVisitorOverdueWhichEscalatesAndCheckingOutAtTheGateClearsIt()
    {
        using var guard = await system.Guard();
        using var op = await system.Operator();
        var visitor = await Register(guard, "赵六", IdNumber, "office-202", TimeSpan.FromHours(1));
        var (id, pass) = (visitor.GetProperty("id").GetString(), visitor.GetProperty("pass").GetString()!);

        await system.Advance(TimeSpan.FromMinutes(60 + 29));
        Assert.Null(await OverdueOf(op, id));
        await system.Advance(TimeSpan.FromMinutes(1));
        var alert = (await OverdueOf(op, id))!.Value;
        Assert.Equal(("minor", "visitor", "supervisory", true, "office-202"), (alert.GetProperty("severity").GetString(), alert.GetProperty("category").GetString(),
            alert.GetProperty("class").GetString(), alert.GetProperty("active").GetBoolean(), alert.GetProperty("roomId").GetString()));
        Assert.DoesNotContain("赵六", alert.GetProperty("message").GetString());
        Assert.True((await (await guard.GetAsync($"/api/visitors/{id}")).Read()).GetProperty("overdue").GetBoolean());

        await system.Advance(TimeSpan.FromMinutes(60));
        alert = (await OverdueOf(op, id))!.Value;
        Assert.Equal(("major", 1), (alert.GetProperty("severity").GetString(), alert.GetProperty("escalationLevel").GetInt32()));

        // Scanned at the gate: the pass's code, in whatever case the scanner types it.
        var left = await (await guard.PostAsJsonAsync("/api/visitors/checkout", new { pass = pass.ToLowerInvariant() })).Read();
        Assert.Equal(("guard1", false, false), (left.GetProperty("checkedOutBy").GetString(), left.GetProperty("onSite").GetBoolean(), left.GetProperty("overdue").GetBoolean()));
        Assert.False((await OverdueOf(op, id))!.Value.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await guard.PostAsync($"/api/visitors/{id}/checkout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await guard.PostAsJsonAsync("/api/visitors/checkout", new { pass = "NOPASS99" })).StatusCode);
    }

    [Fact]
    public async Task TheDailyVisitorLogIsInTheReportsAndTheHandoverAndVisitsAreDeletedRetentionDaysAfterTheyEnded()
    {
        using var guard = await system.Guard();
        using var op = await system.Operator();
        using var picture = new ByteArrayContent(Picture);
        picture.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        var photoId = (await (await guard.PostAsync("/api/photos", picture)).Read()).GetProperty("id").GetString();
        var visitor = await Register(guard, "钱七 Qian", "310115198506152343", "office-201", TimeSpan.FromHours(3), photoId);
        var (id, pass) = (visitor.GetProperty("id").GetString(), visitor.GetProperty("pass").GetString()!);
        Assert.Equal(photoId, visitor.GetProperty("photoId").GetString());
        var day = system.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        using (var smoke = await MqttDevices.Connect(system, "smoke-report", "sr"))
        {
            // An alarm of the day, of a detector only this test uses: the report counts it by class.
            await smoke.Publish("devices/smoke-report/telemetry", """{"smoke": true}""");
        }

        var handover = await (await op.GetAsync("/api/reports/handover")).Read();
        Assert.Contains(handover.GetProperty("visitorsOnSite").EnumerateArray(), v => v.GetProperty("id").GetString() == id);
        var report = await (await op.GetAsync($"/api/reports/daily?date={day}")).Read();
        Assert.Contains(report.GetProperty("visitors").EnumerateArray(), v => v.GetProperty("pass").GetString() == pass);
        Assert.Contains(report.GetProperty("byClass").EnumerateArray(), c => c.GetProperty("class").GetString() == "alarm" && c.GetProperty("count").GetInt32() >= 1);
        var csv = await (await op.GetAsync($"/api/reports/daily?date={day}&format=csv")).Content.ReadAsStringAsync();
        Assert.Contains($"{pass},钱七 Qian,13800138000,310***********2343", csv);
        var xlsx = await op.GetAsync($"/api/reports/daily?date={day}&format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        var visitorsByDay = (await guard.GetFromJsonAsync<JsonElement[]>($"/api/visitors?date={day}"))!;
        Assert.Contains(visitorsByDay, v => v.GetProperty("id").GetString() == id);

        (await guard.PostAsync($"/api/visitors/{id}/checkout", null)).EnsureSuccessStatusCode();
        var retention = system.Services.GetRequiredService<VisitorRetention>();
        await system.Advance(TimeSpan.FromDays(29));
        await retention.Prune();
        Assert.Equal(HttpStatusCode.OK, (await guard.GetAsync($"/api/visitors/{id}")).StatusCode);
        await system.Advance(TimeSpan.FromDays(1.2));
        Assert.True(await retention.Prune() >= 1);
        Assert.Equal(HttpStatusCode.NotFound, (await guard.GetAsync($"/api/visitors/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await guard.GetAsync($"/api/photos/{photoId}")).StatusCode);
    }

    private async Task<JsonElement> Register(HttpClient guard, string name, string idNumber, string room, TimeSpan stay, string? photoId = null) =>
        await (await guard.PostAsJsonAsync("/api/visitors", new
        {
            name, phone = "13800138000", idNumber, hostName = "王老师 Ms Wang", hostRoomId = room, purpose = "家长会 parents' meeting",
            expectedDeparture = system.Time.GetUtcNow() + stay, photoId,
        })).Read();

    private static async Task<JsonElement?> OverdueOf(HttpClient op, string? visitorId) =>
        (await op.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all&limit=1000"))!
            .Cast<JsonElement?>().FirstOrDefault(a => a!.Value.TryGetProperty("visitorId", out var v) && v.GetString() == visitorId);
}
