using System.Net.Http.Json;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>Sites in different time zones: a day asked for is each site's own day; a site added while a console is open.</summary>
public sealed class SiteCalendarTests(FarSitesFixture system) : IClassFixture<FarSitesFixture>
{
    [Fact]
    public async Task AGuardOfTwoSitesAskingForADayGetsTheVisitorsOfThatDayOnEachSitesOwnCalendar()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new { username = "far-guard", password = SystemFixture.OperatorPassword, role = "guard", sites = new[] { "east", "west" } }))
            .EnsureSuccessStatusCode();
        using var guard = await system.SignIn("far-guard", SystemFixture.OperatorPassword);

        // One visitor at each gate, at the same instant: it is one date in the east and the day before (or two) in the west.
        var now = system.Time.GetUtcNow();
        Dictionary<string, string> visitorAt = [];
        foreach (var (site, room, _) in FarSitesFixture.Sites)
        {
            var visitor = await (await guard.PostAsJsonAsync("/api/visitors", new
            {
                name = "访客 " + site, phone = "13800138000", idNumber = "11010519491231002X", hostName = "值班员", hostRoomId = room,
                purpose = "送货 delivery", expectedDeparture = now.AddHours(2),
            })).Read();
            visitorAt[site] = visitor.GetProperty("id").GetString()!;
        }

        foreach (var (site, _, zone) in FarSitesFixture.Sites)
        {
            var date = FarSitesFixture.DateAt(zone, now);
            foreach (var asker in new[] { guard, admin })
            {
                var found = (await asker.GetFromJsonAsync<JsonElement[]>($"/api/visitors?date={date}"))!.Select(v => v.GetProperty("id").GetString()).ToList();
                Assert.Equal([visitorAt[site]], found);
            }
        }

        // A page of one site asks for that site's day alone.
        using var westPage = new HttpRequestMessage(HttpMethod.Get, $"/api/visitors?date={FarSitesFixture.DateAt("Pacific/Pago_Pago", now)}");
        westPage.Headers.Add("X-Site", "west");
        var ofWest = await (await guard.SendAsync(westPage)).Read();
        Assert.Equal([visitorAt["west"]], ofWest.EnumerateArray().Select(v => v.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task AConsoleOfEverySiteWithARoleAtOneGetsTheAlarmsOfASiteAddedWhileItIsOpen()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new
        {
            username = "bureau", password = SystemFixture.OperatorPassword, role = "supervisor", siteRoles = new Dictionary<string, string> { ["east"] = "operator" },
        })).EnsureSuccessStatusCode();
        await using var console = await ConsoleClient.Connect(system, await system.Token("bureau", SystemFixture.OperatorPassword));

        // A school joins the district: its file is added to the folder and applied, the console left open.
        await File.WriteAllTextAsync(Path.Combine(system.SitesPath, "north.json"), """
            {
              "id": "north", "name": "北校 North", "timeZone": "Asia/Shanghai",
              "buildings": [ { "id": "north-b", "name": "北楼", "rooms": [ { "id": "north-r", "name": "配电室" } ] } ],
              "devices": [ { "id": "north-smoke", "room": "north-r", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 } ]
            }
            """);
        (await admin.PostAsync("/api/site/reload", null)).EnsureSuccessStatusCode();
        await console.Next("siteChanged", _ => true, TimeSpan.FromSeconds(15));

        using var smoke = await MqttDevices.Connect(system, "north-smoke", "s");
        await smoke.Publish("devices/north-smoke/telemetry", """{"smoke": true}""");
        var alert = await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "north-smoke");
        Assert.Equal("north", alert.GetProperty("siteId").GetString());
    }
}
