using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

[Collection(SystemCollection.Name)]
public sealed class OfficerPageTests(SystemFixture system) : IAsyncLifetime
{
    private readonly Browser _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task AnOfficerOpensTheCheckpointUrlOnAPhoneSignsInAnswersTheChecklistAndSeesTheCheckInConfirmed()
    {
        var page = await _browser.Phone();
        await page.GotoAsync($"{system.BaseUrl}/checkin?cp=cp-phone&code=PH-4411");
        await Browser.SignIn(page, "officer1", SystemFixture.OfficerPassword);

        // Pre-filled from the URL, with the checklist of that checkpoint.
        await Assertions.Expect(page.Locator("#checkpoint")).ToHaveValueAsync("cp-phone");
        await Assertions.Expect(page.Locator("#code")).ToHaveValueAsync("PH-4411");
        await Assertions.Expect(page.Locator("#checkpoint-name")).ToContainTextAsync("101 灭火器 Extinguisher");
        var seal = page.Locator(".item", new PageLocatorOptions { HasText = "Seal intact" });
        await seal.Locator("input[value=fail]").CheckAsync();
        await seal.Locator(".item-note").FillAsync("seal missing, pin loose");
        await page.ClickAsync("#submit");

        await Assertions.Expect(page.Locator("#check-in-done")).ToContainTextAsync("101 灭火器 Extinguisher");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 360"), "The page must fit a 360 px screen.");

        using var op = await system.Operator();
        var ledger = await op.GetFromJsonAsync<JsonElement[]>("/api/checkins?checkpointId=cp-phone&officer=officer1");
        var findings = Assert.Single(ledger!).GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal([("Pressure in green", true, (string?)null), ("Seal intact", false, "seal missing, pin loose")],
            findings.Select(f => (f.GetProperty("item").GetString()!, f.GetProperty("ok").GetBoolean(), f.GetProperty("note").GetString())));
    }

    [Theory]
    [InlineData("/officer.html", "officer1", SystemFixture.OfficerPassword)]
    [InlineData("/gate.html", "guard.clock", Accounts.Password)]
    public async Task ThePhoneAndTheGateShowTimesOnTheSitesClockInABrowserSetToUtc(string path, string user, string password)
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        await Accounts.Ensure(admin, "guard.clock", "guard");
        var context = await _browser.Instance.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US", TimezoneId = "UTC" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(system.BaseUrl + path);
        await Browser.SignIn(page, user, password);

        // The e2e site is in Asia/Shanghai (UTC+8): midnight UTC is 08:00 there, not the browser's 00:00.
        await page.WaitForFunctionAsync("() => I18n.timeZone !== undefined");
        Assert.Equal("Asia/Shanghai", await page.EvaluateAsync<string>("I18n.timeZone"));
        Assert.Contains("08:00:00", await page.EvaluateAsync<string>("I18n.formatTime('2026-12-03T00:00:00Z')"));
        Assert.Equal("2026-12-03T00:00:00.000Z", await page.EvaluateAsync<string>("I18n.fromSiteTime('2026-12-03T08:00')"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task AWrongCodeSaysSoAndKeepsEverythingTheOfficerTyped()
    {
        var page = await _browser.Phone();
        await page.GotoAsync($"{system.BaseUrl}/checkin?cp=cp-phone&code=PH-0000");
        await Browser.SignIn(page, "officer1", SystemFixture.OfficerPassword);
        var pressure = page.Locator(".item", new PageLocatorOptions { HasText = "Pressure in green" });
        await pressure.Locator("input[value=fail]").CheckAsync();
        await pressure.Locator(".item-note").FillAsync("needle in the red");

        await page.ClickAsync("#submit");

        await Assertions.Expect(page.Locator("#check-in-error")).ToContainTextAsync("does not match");
        await Assertions.Expect(page.Locator("#code")).ToHaveValueAsync("PH-0000");
        await Assertions.Expect(pressure.Locator(".item-note")).ToHaveValueAsync("needle in the red");
        await Assertions.Expect(pressure.Locator("input[value=fail]")).ToBeCheckedAsync();
    }

    [Fact]
    public async Task LosingTheConnectionSaysSoKeepsTheAnswersAndTheCheckInGoesThroughOnceBackOnline()
    {
        var page = await _browser.Phone();
        await page.GotoAsync($"{system.BaseUrl}/checkin?cp=cp-phone&code=PH-4411");
        await Browser.SignIn(page, "admin", SystemFixture.AdminPassword);
        var seal = page.Locator(".item", new PageLocatorOptions { HasText = "Seal intact" });
        await seal.Locator(".item-note").FillAsync("written in the basement");

        await page.Context.SetOfflineAsync(true);
        await page.ClickAsync("#submit");

        await Assertions.Expect(page.Locator("#check-in-error")).ToContainTextAsync("No connection");
        await Assertions.Expect(seal.Locator(".item-note")).ToHaveValueAsync("written in the basement");

        await page.Context.SetOfflineAsync(false);
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#check-in-done")).ToContainTextAsync("101 灭火器 Extinguisher");
    }
}
