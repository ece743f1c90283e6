using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>The system as a process: start, kill -9, start again; and starts that must fail clearly.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AfterKillDashNineAndARestartAcknowledgedResolvedAndOpenAlertsAreAllStillThere()
    {
        var site = E2eSite.WriteTo(_temp.Path);
        var http = Ports.Free();
        var mqtt = Ports.Free();
        string[] args =
        [
            $"--Urls=http://127.0.0.1:{http}", $"--SafetyPatrol:SiteFile={site}", $"--SafetyPatrol:DataDir={Path.Combine(_temp.Path, "data")}",
            "--SafetyPatrol:AdminPassword=restart-pass", $"--SafetyPatrol:Mqtt:Port={mqtt}",
            $"--SafetyPatrol:SiloPort={Ports.Free()}", $"--SafetyPatrol:GatewayPort={Ports.Free()}",
        ];
        var baseUrl = $"http://127.0.0.1:{http}";

        string acknowledgedId, resolvedId, openId, token;
        int version;
        await using (var first = SiloProcess.Start(args))
        {
            await first.WaitUntilHealthy(baseUrl, TimeSpan.FromSeconds(60));
            using var client = await ProcessClients.SignIn(baseUrl, "admin", "restart-pass");
            token = client.DefaultRequestHeaders.Authorization!.Parameter!;
            await client.PostAsJsonAsync("/api/users", new { username = "survivor", password = "survivor-1", role = "operator" });

            await ProcessClients.Publish(mqtt, "smoke-101", "s3cr3t", "devices/smoke-101/telemetry", """{"smoke": true}""");
            await ProcessClients.Publish(mqtt, "smoke-102", "other-secret", "devices/smoke-102/telemetry", """{"smoke": true}""");
            await ProcessClients.Publish(mqtt, "meter-1", "m", "devices/meter-1/telemetry", """{"voltage": 190}""");
            var alerts = await (await client.GetAsync("/api/alerts?status=all")).Read();
            string IdOf(string device) => alerts.EnumerateArray().Single(a => a.GetProperty("deviceId").GetString() == device).GetProperty("id").GetString()!;
            (acknowledgedId, resolvedId, openId) = (IdOf("smoke-101"), IdOf("smoke-102"), IdOf("meter-1"));

            await (await client.PostAsJsonAsync($"/api/alerts/{acknowledgedId}/acknowledge", new { note = "checking" })).Read();
            await (await client.PostAsJsonAsync($"/api/alerts/{resolvedId}/resolve", new { note = "test of the detector" })).Read();
            version = (await (await client.GetAsync("/api/site")).Read()).GetProperty("version").GetInt32();
            await first.Kill();
        }

        await using var second = SiloProcess.Start(args);
        await second.WaitUntilHealthy(baseUrl, TimeSpan.FromSeconds(60));
        using var again = new HttpClient { BaseAddress = new Uri(baseUrl) };

        // The token issued before the crash is still good: the signing key lives in DataDir.
        again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var acknowledged = await (await again.GetAsync($"/api/alerts/{acknowledgedId}")).Read();
        var resolved = await (await again.GetAsync($"/api/alerts/{resolvedId}")).Read();
        var open = await (await again.GetAsync($"/api/alerts/{openId}")).Read();
        Assert.Equal(("acknowledged", "admin"), (acknowledged.GetProperty("status").GetString(), acknowledged.GetProperty("acknowledgedBy").GetString()));
        Assert.Equal("checking", acknowledged.GetProperty("history")[1].GetProperty("note").GetString());
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Equal(("open", true, 190.0), (open.GetProperty("status").GetString(), open.GetProperty("active").GetBoolean(), open.GetProperty("value").GetDouble()));

        // Aggregates are rebuilt from the log: the switch room still shows its open undervoltage.
        var siteView = await (await again.GetAsync("/api/site")).Read();
        // The same site file again is the same version: the restarted node finds its text kept and makes no new one.
        Assert.Equal(version, siteView.GetProperty("version").GetInt32());
        var plant = siteView.GetProperty("buildings").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "plant");
        Assert.Equal(("major", 1), (plant.GetProperty("worstSeverity").GetString(), plant.GetProperty("openAlerts").GetInt32()));

        // A reading of the still-active condition goes to the same alert as its latest value; the users are still there.
        await ProcessClients.Publish(mqtt, "meter-1", "m", "devices/meter-1/telemetry", """{"voltage": 191}""");
        var repeated = await (await again.GetAsync($"/api/alerts/{openId}")).Read();
        Assert.Equal((1, 191.0, "Voltage 191 V below 207 V"),
            (repeated.GetProperty("occurrences").GetInt32(), repeated.GetProperty("value").GetDouble(), repeated.GetProperty("message").GetString()));
        var login = await again.PostAsJsonAsync("/api/auth/token", new { username = "survivor", password = "survivor-1" });
        Assert.True(login.IsSuccessStatusCode);
    }

    [Fact]
    public async Task AfterKillDashNineVisitorsOnSiteAndAnOperatorsArmingAreStillThere()
    {
        Directory.CreateDirectory(_temp.Path);
        var site = Path.Combine(_temp.Path, "security.json");
        await File.WriteAllTextAsync(site, SecuritySystemFixture.Site);
        var (http, mqtt) = (Ports.Free(), Ports.Free());
        string[] args =
        [
            $"--Urls=http://127.0.0.1:{http}", $"--SafetyPatrol:SiteFile={site}", $"--SafetyPatrol:DataDir={Path.Combine(_temp.Path, "data")}",
            "--SafetyPatrol:AdminPassword=restart-pass", $"--SafetyPatrol:Mqtt:Port={mqtt}",
            $"--SafetyPatrol:SiloPort={Ports.Free()}", $"--SafetyPatrol:GatewayPort={Ports.Free()}",
        ];
        var baseUrl = $"http://127.0.0.1:{http}";
        string visitorId, token;
        bool armed;
        await using (var first = SiloProcess.Start(args))
        {
            await first.WaitUntilHealthy(baseUrl, TimeSpan.FromSeconds(60));
            using var client = await ProcessClients.SignIn(baseUrl, "admin", "restart-pass");
            token = client.DefaultRequestHeaders.Authorization!.Parameter!;
            var visitor = await (await client.PostAsJsonAsync("/api/visitors", new
            {
                name = "周九", phone = "13700137000", idNumber = "11010519491231002X", hostName = "陈老师", hostRoomId = "office-201",
                purpose = "面试 interview", expectedDeparture = DateTimeOffset.UtcNow.AddHours(3),
            })).Read();
            visitorId = visitor.GetProperty("id").GetString()!;
            var zones = (await client.GetFromJsonAsync<JsonElement[]>("/api/zones"))!;
            armed = zones.Single(z => z.GetProperty("id").GetString() == "doors").GetProperty("armed").GetBoolean();

            // Whatever the hour, the operator turns the door zone the other way for a while.
            var changed = await (await client.PostAsJsonAsync($"/api/zones/doors/{(armed ? "disarm" : "arm")}", new { reason = "before the crash", minutes = 120 })).Read();
            Assert.Equal(!armed, changed.GetProperty("armed").GetBoolean());
            await first.Kill();
        }

        await using var second = SiloProcess.Start(args);
        await second.WaitUntilHealthy(baseUrl, TimeSpan.FromSeconds(60));
        using var again = new HttpClient { BaseAddress = new Uri(baseUrl) };
        again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var onSite = (await again.GetFromJsonAsync<JsonElement[]>("/api/visitors?onSite=true"))!;
        Assert.Contains(onSite, v => v.GetProperty("id").GetString() == visitorId && v.GetProperty("idNumberMasked").GetString() == "110***********002X");
        var doors = (await again.GetFromJsonAsync<JsonElement[]>("/api/zones"))!.Single(z => z.GetProperty("id").GetString() == "doors");
        Assert.Equal((!armed, "operator", "before the crash"),
            (doors.GetProperty("armed").GetBoolean(), doors.GetProperty("source").GetString(), doors.GetProperty("override").GetProperty("reason").GetString()));

        // And the devices follow it: a door opened now alarms exactly when the zone is armed.
        await ProcessClients.Publish(mqtt, "door-2", "d2", "devices/door-2/telemetry", """{"door": "open"}""");
        var alerts = (await again.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all"))!;
        Assert.Equal(!armed, alerts.Any(a => a.GetProperty("type").GetString() == "security.door-opened-armed"));
    }

    [Fact]
    public async Task ADeviceThatWasOfflineIsStillOfflineAfterKillDashNineAndItsAlertClearsWhenItReturns()
    {
        var http = Ports.Free();
        var mqtt = Ports.Free();
        string[] args =
        [
            $"--Urls=http://127.0.0.1:{http}", $"--SafetyPatrol:SiteFile={E2eSite.WriteTo(_temp.Path)}", $"--SafetyPatrol:DataDir={Path.Combine(_temp.Path, "data")}",
            "--SafetyPatrol:AdminPassword=restart-pass", $"--SafetyPatrol:Mqtt:Port={mqtt}",
            $"--SafetyPatrol:SiloPort={Ports.Free()}", $"--SafetyPatrol:GatewayPort={Ports.Free()}",
        ];
        var baseUrl = $"http://127.0.0.1:{http}";
        await using (var first = SiloProcess.Start(args))
        {
            await first.WaitUntilHealthy(baseUrl, TimeSpan.FromSeconds(60));

            // Started with --Urls, it listens there without Kestrel's warning that it is "overriding" the address.
            Assert.Contains($"Now listening on: {baseUrl}", first.Output);
            Assert.DoesNotContain("Overriding address", first.Output);
            await ProcessClients.Publish(mqtt, "gate-cam", "cam", "devices/gate-cam/status", "offline");
            using var client = await ProcessClients.SignIn(baseUrl, "admin", "restart-pass");
            Assert.False((await (await client.GetAsync("/api/devices/gate-cam")).Read()).GetProperty("online").GetBoolean());
            await first.Kill();
        }

        await using var second = SiloProcess.Start(args);
        await second.WaitUntilHealthy(baseUrl, TimeSpan.FromSeconds(60));
        using var again = await ProcessClients.SignIn(baseUrl, "admin", "restart-pass");
        Assert.False((await (await again.GetAsync("/api/devices/gate-cam")).Read()).GetProperty("online").GetBoolean());
        var site = await (await again.GetAsync("/api/site")).Read();
        var building = site.GetProperty("buildings").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "teach-1");
        Assert.Equal(1, building.GetProperty("devicesOffline").GetInt32());

        await ProcessClients.Publish(mqtt, "gate-cam", "cam", "devices/gate-cam/status", "online");
        var alerts = await (await again.GetAsync("/api/alerts?status=all")).Read();
        var offline = alerts.EnumerateArray().Single(a => a.GetProperty("deviceId").GetString() == "gate-cam");
        Assert.Equal(("device.offline", false), (offline.GetProperty("type").GetString(), offline.GetProperty("active").GetBoolean()));
        Assert.True((await (await again.GetAsync("/api/devices/gate-cam")).Read()).GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task ASiteFileThatDoesNotValidateStopsTheStartWithEveryProblemListed()
    {
        var site = Path.Combine(_temp.Path, "broken.json");
        await File.WriteAllTextAsync(site, E2eSite.Json
            .Replace("\"room\": \"teach-1-102\", \"system\": \"fire\", \"secret\": \"other-secret\"", "\"room\": \"nowhere\", \"system\": \"steam\", \"secret\": \"other-secret\"")
            .Replace("\"timeZone\": \"Asia/Shanghai\"", "\"timeZone\": \"Mars/Olympus\"")
            .Replace("\"name\": \"102 烟感 Smoke 102\"", "\"name\": \" \""));

        await using var process = SiloProcess.Start($"--SafetyPatrol:SiteFile={site}", "--SafetyPatrol:AdminPassword=whatever-1",
            $"--SafetyPatrol:DataDir={_temp.Path}", $"--Urls=http://127.0.0.1:{Ports.Free()}");
        var exit = await process.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        Assert.Contains("$.timeZone: 'Mars/Olympus' is not a known time zone", process.Output);
        Assert.Contains("$.devices[1].room: 'nowhere' is not a room of this site", process.Output);
        Assert.Contains("$.devices[1].system: 'steam' is not one of power, water, fire, gas", process.Output);
        Assert.Matches(@"\$\.devices\[\d+\]\.name: must be 1 to 100 characters when given", process.Output);
        Assert.Contains(site, process.Output);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "safetypatrol.db")), "Nothing may be half-loaded.");
    }

    [Fact]
    public async Task AFolderOfSitesThatShareAnIdStopsTheStartNamingBothFilesAndARouteOfNoSiteToo()
    {
        var folder = Path.Combine(_temp.Path, "sites");
        Directory.CreateDirectory(folder);
        const string School = """{ "id": "ID", "name": "N", "timeZone": "Asia/Shanghai", "buildings": [ { "id": "B", "name": "楼", "rooms": [ { "id": "R", "name": "室" } ] } ] }""";
        await File.WriteAllTextAsync(Path.Combine(folder, "a.json"), School.Replace("ID", "school-a").Replace("\"B\"", "\"a-b\"").Replace("\"R\"", "\"a-r\""));
        await File.WriteAllTextAsync(Path.Combine(folder, "b.json"), School.Replace("ID", "school-b").Replace("\"B\"", "\"a-b\"").Replace("\"R\"", "\"b-r\""));
        string[] common = [$"--SafetyPatrol:SiteFile={folder}", "--SafetyPatrol:AdminPassword=whatever-1", $"--SafetyPatrol:DataDir={_temp.Path}", $"--Urls=http://127.0.0.1:{Ports.Free()}"];

        await using (var process = SiloProcess.Start(common))
        {
            Assert.NotEqual(0, await process.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains("b.json: $.buildings[0].id: 'a-b' is already used by site 'school-a'", process.Output);
            Assert.False(File.Exists(Path.Combine(_temp.Path, "safetypatrol.db")), "Nothing may be half-loaded.");
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "b.json"), School.Replace("ID", "school-b").Replace("\"B\"", "\"b-b\"").Replace("\"R\"", "\"b-r\""));
        await using (var process = SiloProcess.Start([.. common, "--SafetyPatrol:Notify:Channels:duty:Type=webhook", "--SafetyPatrol:Notify:Channels:duty:Url=http://127.0.0.1:9/",
            "--SafetyPatrol:Notify:Channels:duty:Language=fr", "--SafetyPatrol:Notify:Routes:0:Sites:0=school-c", "--SafetyPatrol:Notify:Routes:0:Channels:0=duty"]))
        {
            Assert.NotEqual(0, await process.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains("SafetyPatrol:Notify:Routes:0:Sites names 'school-c', which is not a site (the sites are school-a, school-b)", process.Output);
            Assert.Contains("SafetyPatrol:Notify:Channels:duty:Language 'fr' is not one of zh-CN, en.", process.Output);
        }
    }

    [Fact]
    public async Task AStartWithoutAnAdminPasswordFailsNamingTheSetting()
    {
        await using var process = SiloProcess.Start($"--SafetyPatrol:DataDir={_temp.Path}", $"--Urls=http://127.0.0.1:{Ports.Free()}");
        var exit = await process.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        Assert.Contains("SafetyPatrol:AdminPassword is not set", process.Output);
    }



}
