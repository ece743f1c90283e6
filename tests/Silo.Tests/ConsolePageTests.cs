using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

[Collection(SystemCollection.Name)]
public sealed class ConsolePageTests(SystemFixture system) : IAsyncLifetime
{
    private readonly Browser _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/officer.html")]
    [InlineData("/gate.html")]
    [InlineData("/reports.html")]
    [InlineData("/tickets.html")]
    [InlineData("/admin.html")]
    [InlineData("/password.html")]
    public async Task EveryPageLoadsWithItsIconAndNothingItAsksForIsMissing(string path)
    {
        var page = await _browser.Instance.NewPageAsync();
        List<string> missing = [];
        page.Response += (_, response) =>
        {
            if (response.Status == 404)
            {
                missing.Add(response.Url);
            }
        };
        await page.GotoAsync(system.BaseUrl + path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

        Assert.Empty(missing);
        Assert.Equal("image/svg+xml", (await page.APIRequest.GetAsync(system.BaseUrl + "/favicon.ico")).Headers["content-type"]);
    }

    [Fact]
    public async Task AnOperatorSeesANewAlertLiveAndAcknowledgesAndResolvesItWithANote()
    {
        var page = await _browser.OperatorConsole(system);
        Assert.Contains("中南路小学 E2E", await page.TextContentAsync("#site-name"));
        // Other tests leave smoke alerts in this building, which the console would show as one flood row.
        await page.Locator("#alert-search").FillAsync("smoke-ui");

        using var device = await MqttDevices.Connect(system, "smoke-ui", "ui");
        await device.Publish("devices/smoke-ui/telemetry", """{"smoke": true}""");

        // No reload: the alert arrives over SignalR, coloured by severity, with the room's Chinese name.
        var row = page.Locator("li.alert", new PageLocatorOptions { HasText = "smoke-ui" });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-severity", "critical");
        await Assertions.Expect(row.Locator(".where")).ToContainTextAsync("一年级一班");
        await Assertions.Expect(page.Locator("li[data-building=teach-1] .dot").First).ToHaveAttributeAsync("data-severity", "critical");

        await row.Locator(".note").FillAsync("guard sent to room 101");
        await row.Locator(".acknowledge").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "acknowledged");
        await Assertions.Expect(row.Locator(".status")).ToContainTextAsync("operator1");

        await row.Locator(".note").FillAsync("toast burnt in the staff room");
        await row.Locator(".resolve").ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);

        using var http = await system.Operator();
        var alerts = await http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=resolved");
        var id = alerts!.Single(a => a.GetProperty("deviceId").GetString() == "smoke-ui").GetProperty("id").GetString();
        var detail = await http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        Assert.Equal(
            ["guard sent to room 101", "toast burnt in the staff room"],
            detail.GetProperty("history").EnumerateArray().Skip(1).Select(h => h.GetProperty("note").GetString()));
    }

    [Fact]
    public async Task AnOperatorShelvesAnAlarmWithAReasonSoItIsSetApartThenBringsItBackAndAcknowledgesAFloodInOneGo()
    {
        var page = await _browser.OperatorConsole(system);
        await page.Locator("#alert-search").FillAsync("shelf-ui");

        using var first = await MqttDevices.Connect(system, "shelf-ui-1", "ui");
        await first.Publish("devices/shelf-ui-1/telemetry", """{"smoke": true}""");
        var row = page.Locator("#alert-list li.alert", new PageLocatorOptions { HasText = "shelf-ui-1" });
        await Assertions.Expect(row).ToHaveCountAsync(1);

        // Shelving needs a reason: without one the operator is told, and the alarm stays where it was.
        await row.Locator(".shelve").ClickAsync();
        await Assertions.Expect(row.Locator(".action-error")).ToContainTextAsync("why");
        await row.Locator(".shelve-minutes").SelectOptionAsync("60");
        await row.Locator(".note").FillAsync("detector being replaced");
        await row.Locator(".shelve").ClickAsync();

        var apart = page.Locator("#alert-list-apart li.alert", new PageLocatorOptions { HasText = "shelf-ui-1" });
        await Assertions.Expect(apart).ToHaveAttributeAsync("data-shelved", "true");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#apart-title")).ToContainTextAsync("Shelved (1)");
        await Assertions.Expect(apart.Locator(".shelved")).ToContainTextAsync("operator1");

        await page.Locator("#apart-title").ClickAsync();
        await apart.Locator(".unshelve").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-shelved", "false");
        await Assertions.Expect(page.Locator("#apart")).ToBeHiddenAsync();

        // A flood: every open alarm the filters show is acknowledged with one click.
        foreach (var id in new[] { "shelf-ui-2", "shelf-ui-3" })
        {
            using var device = await MqttDevices.Connect(system, id, "ui");
            await device.Publish($"devices/{id}/telemetry", """{"smoke": true}""");
        }

        var bulk = page.Locator("#acknowledge-shown");
        await Assertions.Expect(bulk).ToHaveTextAsync("Acknowledge all 3 shown");
        await bulk.ClickAsync();
        await Assertions.Expect(page.Locator("#alert-list li.alert[data-status=acknowledged]")).ToHaveCountAsync(3);
        await Assertions.Expect(bulk).ToBeHiddenAsync();

        // The alarm load of the last 24 hours, against ISA-18.2's target, with the sources that gave most.
        await page.Locator("#kpi-summary").ClickAsync();
        await Assertions.Expect(page.Locator("#kpi-summary")).ToContainTextAsync("per 10 min (target 1)");
        await Assertions.Expect(page.Locator("#kpi-figures [data-kpi=alarms]")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#kpi-sources li").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AnOperatorPutsADeviceOutOfServiceAndRunsADrillTheirAlarmsAreSetApartAndTheDrillIsReported()
    {
        var page = await _browser.OperatorConsole(system);
        await page.Locator("#show-devices").CheckAsync();
        var lab = page.Locator("li[data-building=lab]");
        await lab.Locator("summary").ClickAsync();

        // A detector under repair: out of service until lifted, with the reason.
        await lab.Locator("[data-device=oos-ui]").ClickAsync();
        var repair = lab.Locator(".out-of-service-form");
        await repair.Locator(".duration").SelectOptionAsync("");
        await repair.Locator(".reason").FillAsync("detector head replaced");
        await repair.Locator("button").ClickAsync();
        await Assertions.Expect(lab.Locator("[data-device=oos-ui]")).ToHaveAttributeAsync("data-out-of-service", "true");

        using (var device = await MqttDevices.Connect(system, "oos-ui", "ui"))
        {
            await device.Publish("devices/oos-ui/telemetry", """{"smoke": true}""");
        }

        var repaired = page.Locator("#alert-list-apart li.alert", new PageLocatorOptions { HasText = "oos-ui" });
        await Assertions.Expect(repaired).ToHaveAttributeAsync("data-suppressed", "out-of-service");
        await Assertions.Expect(page.Locator("#alert-list li.alert", new PageLocatorOptions { HasText = "oos-ui" })).ToHaveCountAsync(0);

        // Back in service while it still sees smoke: the alarm is the operator's again.
        await lab.Locator("[data-device=oos-ui]").ClickAsync();
        await lab.Locator(".back-in-service").ClickAsync();
        await Assertions.Expect(page.Locator("#alert-list li.alert", new PageLocatorOptions { HasText = "oos-ui" })).ToHaveAttributeAsync("data-suppressed", "");

        // A fire drill in the building: its alarm is the drill's, acknowledged, and in the drill's report.
        var drill = lab.Locator(".drill-form");
        await drill.Locator(".reason").FillAsync("autumn fire drill");
        await drill.Locator("button").ClickAsync();
        await Assertions.Expect(lab).ToHaveAttributeAsync("data-drill", "true");
        using (var device = await MqttDevices.Connect(system, "drill-ui", "ui"))
        {
            await device.Publish("devices/drill-ui/telemetry", """{"smoke": true}""");
        }

        await page.Locator("#apart-title").ClickAsync();
        var drilled = page.Locator("#alert-list-apart li.alert", new PageLocatorOptions { HasText = "drill-ui" });
        await Assertions.Expect(drilled).ToHaveAttributeAsync("data-suppressed", "drill");
        await drilled.Locator(".acknowledge").ClickAsync();
        await Assertions.Expect(drilled).ToHaveAttributeAsync("data-status", "acknowledged");
        await lab.Locator(".drill-report").ClickAsync();
        await Assertions.Expect(lab.Locator(".report")).ToContainTextAsync("1 alarms fired, 1 acknowledged");
        await Assertions.Expect(lab.Locator(".report li")).ToContainTextAsync("operator1");

        // The drill's quarter of an hour passes: the building's badge comes down by itself.
        await system.Advance(TimeSpan.FromMinutes(15));
        await Assertions.Expect(lab).Not.ToHaveAttributeAsync("data-drill", "true");
        // A whole room under refit: set from the site tree, marked there and on the patrol board, then lifted.
        await page.Locator("li[data-building=annex] details").EvaluateAsync("d => d.open = true");
        var boiler = page.Locator("li[data-room=annex-2]");
        await boiler.Locator(".room-handling").ClickAsync();
        var refit = boiler.Locator(".out-of-service-form");
        await refit.Locator(".duration").SelectOptionAsync("");
        await refit.Locator(".reason").FillAsync("boiler room refit");
        await refit.Locator("button").ClickAsync();
        await Assertions.Expect(boiler).ToHaveAttributeAsync("data-out-of-service", "true");
        await Assertions.Expect(page.Locator("tr[data-checkpoint=cp-annex]")).ToHaveAttributeAsync("data-out-of-service", "true");
        await boiler.Locator(".room-handling").ClickAsync();
        await boiler.Locator(".back-in-service").ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-checkpoint=cp-annex]")).Not.ToHaveAttributeAsync("data-out-of-service", "true");


    }

    [Fact]
    public async Task DevicesGoingOfflineTogetherAreOneRowThatOpensAndIsAcknowledgedAsAWhole()
    {
        var page = await _browser.OperatorConsole(system);

        // A switch fails: five devices of the annex say they are offline within a few seconds.
        foreach (var id in Enumerable.Range(1, 5).Select(i => $"blip-{i}"))
        {
            using var device = await MqttDevices.Connect(system, id, "blip");
            await device.Publish($"devices/{id}/status", "offline");
        }

        // Other tests' devices may have gone offline in the same minute (then the group is the site's): the search keeps to these five.
        await page.Locator("#alert-search").FillAsync("blip-");
        var group = page.Locator("li.alert-group");
        await Assertions.Expect(group.Locator(".group-text")).ToContainTextAsync("5 devices offline in");
        await Assertions.Expect(group.Locator(".group-cause")).ToContainTextAsync("communication loss");
        await Assertions.Expect(page.Locator("#alert-list > li.alert", new PageLocatorOptions { HasText = "blip-" })).ToHaveCountAsync(0);

        await group.Locator(".group-toggle").ClickAsync();
        await Assertions.Expect(group.Locator(".group-members li.alert")).ToHaveCountAsync(5);
        await group.Locator(".group-acknowledge").ClickAsync();
        await Assertions.Expect(group.Locator(".group-members li.alert[data-status=acknowledged]")).ToHaveCountAsync(5);
    }

    [Fact]
    public async Task ThePatrolBoardShowsEachRouteAndUpdatesACheckpointsLastVisitLive()
    {
        var page = await _browser.OperatorConsole(system);
        await Assertions.Expect(page.Locator(".round[data-route=switch-round] h3")).ToContainTextAsync("配电巡检 Switch round");

        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        var response = await admin.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-ui", code = "UI-7788" });
        Assert.True(response.IsSuccessStatusCode);

        var row = page.Locator("#checkpoint-table tr[data-checkpoint=cp-ui]");
        await Assertions.Expect(row).ToContainTextAsync("admin");
        await Assertions.Expect(row).ToContainTextAsync("on time");
    }

    [Fact]
    public async Task AChineseBrowserGetsTheConsoleInChineseAndCanSwitchToEnglish()
    {
        var page = await _browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });
        await page.GotoAsync(system.BaseUrl);

        await Assertions.Expect(page.Locator("#sign-in h2")).ToHaveTextAsync("登录");
        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("安全巡查");

        await page.SelectOptionAsync("#language", "en");
        await Assertions.Expect(page.Locator("#sign-in h2")).ToHaveTextAsync("Sign in");

        await Browser.SignIn(page, "operator1", "wrong-password");
        await Assertions.Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("Unknown user or wrong password.");
    }
}
