using System.Net.Http.Json;
using Microsoft.Playwright;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>docs/interface.md §13 in Chromium: the district overview, and one site's console opened from it.</summary>
[Collection(SitesSystemCollection.Name)]
public sealed class DistrictPageTests(SitesSystemFixture system) : IAsyncLifetime
{
    private readonly Browser _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task TheBureauSeesEverySiteAndOpensOneSitesConsoleWhichHearsThatSiteAlone()
    {
        var page = await _browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "en-US", ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        await page.GotoAsync(system.BaseUrl + "/district.html");
        await Browser.SignIn(page, "operator1", SystemFixture.OperatorPassword);
        await Assertions.Expect(page.Locator("tr.district-site")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#compliance-table tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#site-picker")).ToBeVisibleAsync();

        // Into school A's console: its site, its alarms, and nothing of school B's, though B's alarm comes first.
        await page.Locator("tr.district-site[data-site=school-a] td:first-child a").ClickAsync();
        await page.WaitForURLAsync("**/?site=school-a");
        await page.WaitForSelectorAsync("#connection[data-state=online]");
        await Assertions.Expect(page.Locator("#site-picker")).ToHaveValueAsync("school-a");
        await Assertions.Expect(page.Locator("#site-name")).ToContainTextAsync("School a");
        await Assertions.Expect(page.Locator("#nav a[href^='/district.html']")).ToBeVisibleAsync();

        await using var everySite = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        using (var meterB = await MqttDevices.Connect(system, "b-meter", "s"))
        {
            await meterB.Publish("devices/b-meter/telemetry", """{"breaker": "tripped"}""");
        }

        await everySite.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "b-meter" && a.GetProperty("type").GetString() == "power.breaker-tripped");
        using (var meterA = await MqttDevices.Connect(system, "a-meter", "s"))
        {
            await meterA.Publish("devices/a-meter/telemetry", """{"breaker": "tripped"}""");
        }

        await Assertions.Expect(page.Locator("#alert-list li.alert", new PageLocatorOptions { HasText = "a-meter" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("li.alert", new PageLocatorOptions { HasText = "b-meter" })).ToHaveCountAsync(0);

        // Back to every site with the picker: school B's alarm is there too.
        await page.Locator("#site-picker").SelectOptionAsync("");
        await page.WaitForSelectorAsync("#connection[data-state=online]");
        await Assertions.Expect(page.Locator("#alert-list li.alert", new PageLocatorOptions { HasText = "b-meter" }).First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ASupervisorSeesTheirSitesConsoleWithNothingToActOn()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new { username = "super-ui", password = SystemFixture.OperatorPassword, role = "supervisor", sites = new[] { "school-a" } }))
            .EnsureSuccessStatusCode();
        using (var sensor = await MqttDevices.Connect(system, "a-heat", "s"))
        {
            await sensor.Publish("devices/a-heat/telemetry", """{"heat": 90}""");
        }

        var page = await _browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "en-US", ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        await page.GotoAsync(system.BaseUrl);
        await Browser.SignIn(page, "super-ui", SystemFixture.OperatorPassword);
        await page.WaitForSelectorAsync("#connection[data-state=online]");
        await Assertions.Expect(page.Locator("#site-name")).ToContainTextAsync("School a");
        await Assertions.Expect(page.Locator("#alert-list li.alert", new PageLocatorOptions { HasText = "a-heat" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#alert-list li.alert .acknowledge:visible")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#nav a[href^='/reports.html']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#site-picker")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task AnAdminGivesARoleAtOneSiteAndTheConsoleOffersActionsOnlyThere()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new { username = "mixed-ui", password = SystemFixture.OperatorPassword, role = "supervisor", sites = new[] { "school-a", "school-b" } }))
            .EnsureSuccessStatusCode();
        await using var everySite = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        await system.RaiseInTurn(everySite, """{"mains": false}""", "a-meter4", "b-meter4");

        // The accounts page: school A, operator, given; saved with the row.
        var adminPage = await _browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "en-US", ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        await adminPage.GotoAsync(system.BaseUrl + "/admin.html");
        await Browser.SignIn(adminPage, "admin", SystemFixture.AdminPassword);
        var row = adminPage.Locator("#users tr[data-username=mixed-ui]");
        await row.Locator(".site-role-site").SelectOptionAsync("school-a");
        await row.Locator(".site-role-role").SelectOptionAsync("operator");
        await row.Locator(".site-role-give").ClickAsync();
        await Assertions.Expect(row.Locator(".site-roles .chip")).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator(".site-roles .chip")).ToContainTextAsync("School a: operator");
        await row.Locator(".save").ClickAsync();
        await Assertions.Expect(row.Locator(".row-status")).Not.ToBeEmptyAsync();
        var saved = (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/users")).EnumerateArray().Single(u => u.GetProperty("username").GetString() == "mixed-ui");
        Assert.Equal("operator", saved.GetProperty("siteRoles").GetProperty("school-a").GetString());

        // School B's console: a supervisor's, nothing to act on; school A's: an operator's, who acknowledges.
        var page = await _browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "en-US", ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        await page.GotoAsync(system.BaseUrl + "/?site=school-b");
        await Browser.SignIn(page, "mixed-ui", SystemFixture.OperatorPassword);
        await page.WaitForSelectorAsync("#connection[data-state=online]");
        await Assertions.Expect(page.Locator("#whoami")).ToContainTextAsync("(supervisor)");
        var alertB = page.Locator("#alert-list li.alert", new PageLocatorOptions { HasText = "b-meter4" }).First;
        await Assertions.Expect(alertB).ToBeVisibleAsync();
        await Assertions.Expect(alertB.Locator(".acknowledge:visible")).ToHaveCountAsync(0);
        await page.Locator("#site-picker").SelectOptionAsync("school-a");
        await page.WaitForSelectorAsync("#connection[data-state=online]");
        await Assertions.Expect(page.Locator("#whoami")).ToContainTextAsync("(operator)");
        var alertA = page.Locator("#alert-list li.alert", new PageLocatorOptions { HasText = "a-meter4" }).First;
        await Assertions.Expect(alertA.Locator(".acknowledge:visible")).ToHaveCountAsync(1);
    }
}
