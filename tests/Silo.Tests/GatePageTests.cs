using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>The gate page on a guard's phone and the console's class filter, in Chromium, in English and Chinese.</summary>
[Collection(SecuritySystemCollection.Name)]
public sealed class GatePageTests(SecuritySystemFixture system) : IAsyncLifetime
{
    private readonly Browser _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task AGuardOnAPhoneRegistersAVisitorShowsThePassWithItsQrCodeAndChecksTheVisitorOutByScanningIt()
    {
        var page = await _browser.Phone();
        await SignInAtTheGate(page);
        var (form, departure) = await FillMistyped(page, "孙八 Sun", "李老师 Mr Li", "送材料 delivery");
        await form.Locator("button[type=submit]").ClickAsync();

        // A mistyped number is refused with the reason, and what was typed stays.
        await Assertions.Expect(page.Locator("#register-error")).ToContainTextAsync("check digit");
        await Assertions.Expect(form.Locator("input[name=name]")).ToHaveValueAsync("孙八 Sun");
        await form.Locator("input[name=idNumber]").FillAsync("11010519491231002x");
        await form.Locator("button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator("#pass")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#pass-id")).ToHaveTextAsync("110***********002X");
        var pass = (await page.Locator("#pass-code").TextContentAsync())!;
        Assert.Matches("^[A-Z2-9]{8}$", pass);
        using (var guard = await system.Guard())
        {
            var registered = (await guard.GetFromJsonAsync<JsonElement[]>($"/api/visitors?pass={pass}"))!.Single();
            var expected = new DateTimeOffset(departure.Year, departure.Month, departure.Day, departure.Hour, departure.Minute, 0, TimeSpan.Zero);
            Assert.Equal(expected, registered.GetProperty("expectedDeparture").GetDateTimeOffset());
        }

        Assert.True(await page.Locator("#pass-qr").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        await Assertions.Expect(page.Locator("#visitors .visitor", new PageLocatorOptions { HasText = "孙八 Sun" })).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"));

        // A scanner types the code and Enter.
        await page.Locator("#scan").FillAsync(pass);
        await page.Locator("#scan").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#checkout-result")).ToContainTextAsync($"({pass}) checked out");
        await Assertions.Expect(page.Locator("#visitors .visitor", new PageLocatorOptions { HasText = "孙八 Sun" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AChineseGatePageSaysWhatIsWrongInChinese()
    {
        var context = await _browser.Instance.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 360, Height = 740 } });
        var page = await context.NewPageAsync();
        await SignInAtTheGate(page);
        var (form, _) = await FillMistyped(page, "周九", "李老师", "送材料");
        await form.Locator("button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator("#register-error")).ToContainTextAsync("校验码不符：有字符输错了。");
        await Assertions.Expect(page.Locator("#register-error")).Not.ToContainTextAsync("check digit");
        await context.CloseAsync();
    }

    private async Task SignInAtTheGate(IPage page)
    {
        (await system.Guard()).Dispose();
        await page.GotoAsync($"{system.BaseUrl}/gate.html");
        await Browser.SignIn(page, "guard1", SecuritySystemFixture.GuardPassword);
    }

    /// <summary>
    /// The registration form filled in with an ID-card number whose check digit is mistyped (…0021; …002X is right).
    /// Site time runs on the fake clock: the departure is two hours after it, typed on the site's clock (Asia/Shanghai)
    /// whatever the browser's zone. Returns the form and that departure (UTC).
    /// </summary>
    private async Task<(ILocator Form, DateTimeOffset Departure)> FillMistyped(IPage page, string name, string host, string purpose)
    {
        var form = page.Locator("#register");
        await form.Locator("input[name=name]").FillAsync(name);
        await form.Locator("input[name=phone]").FillAsync("13900139000");
        await form.Locator("input[name=idNumber]").FillAsync("110105194912310021");
        await form.Locator("input[name=hostName]").FillAsync(host);
        await form.Locator("select[name=hostRoomId]").SelectOptionAsync("office-202");
        await form.Locator("input[name=purpose]").FillAsync(purpose);
        var departure = system.Time.GetUtcNow().AddHours(2);
        var onSiteClock = TimeZoneInfo.ConvertTime(departure, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        await form.Locator("input[name=expectedDeparture]").FillAsync(onSiteClock.ToString("yyyy-MM-dd'T'HH:mm"));
        return (form, departure);
    }

    [Fact]
    public async Task TheConsoleFiltersAlertsByClassShowsZonesAndVisitorsAndSpeaksChinese()
    {
        await system.Advance(TimeSpan.FromMinutes(1));
        using (var camera = await MqttDevices.Connect(system, "cam-1", "c1"))
        using (var smoke = await MqttDevices.Connect(system, "smoke-1", "s1"))
        {
            await camera.Publish("devices/cam-1/telemetry", """{"video": "lost"}""");
            await smoke.Publish("devices/smoke-1/telemetry", """{"smoke": true}""");
        }

        var context = await _browser.Instance.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(system.BaseUrl);
        await Browser.SignIn(page, "operator1", SystemFixture.OperatorPassword);
        await page.WaitForSelectorAsync("#connection[data-state=online]");
        var list = page.Locator("#alert-list");
        await Assertions.Expect(list.Locator(".alert[data-class=alarm]", new() { HasText = "smoke-1" })).ToBeVisibleAsync();
        await Assertions.Expect(list.Locator(".alert[data-class=trouble]", new() { HasText = "cam-1" }).Locator(".alarm-class")).ToHaveTextAsync("故障");

        await page.SelectOptionAsync("#class-filter", "trouble");
        await Assertions.Expect(list.Locator(".alert[data-class=alarm]")).ToHaveCountAsync(0);
        await Assertions.Expect(list.Locator(".alert[data-class=trouble]", new() { HasText = "cam-1" })).ToBeVisibleAsync();
        await Assertions.Expect(list.Locator(".alert[data-class=trouble] .type", new() { HasText = "视频丢失" })).ToBeVisibleAsync();

        // Zones with their state; an operator disarms one with a reason, and every console sees it.
        var perimeter = page.Locator(".zone[data-id=perimeter]");
        await Assertions.Expect(perimeter.Locator("strong")).ToHaveTextAsync("周界 Perimeter");
        var armedNow = await perimeter.GetAttributeAsync("data-armed");
        await perimeter.Locator(".zone-reason").FillAsync("巡查 patrol check");
        await perimeter.Locator(".zone-toggle").ClickAsync();
        await Assertions.Expect(page.Locator(".zone[data-id=perimeter]")).Not.ToHaveAttributeAsync("data-armed", armedNow!);
        await Assertions.Expect(page.Locator(".zone[data-id=perimeter]")).ToContainTextAsync("巡查 patrol check");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "console-security-zh-CN.png") });
        await context.CloseAsync();
    }

    [Fact]
    public async Task TheConsoleSeesVisitorsComeAndGoFromThePushAndTheReportsPageShowsTheVisitorLog()
    {
        using var guard = await system.Guard();
        var page = await _browser.OperatorConsole(system);
        var onSite = page.Locator("#visitors-on-site li", new PageLocatorOptions { HasText = "吴十 Wu" });
        await Assertions.Expect(onSite).ToHaveCountAsync(0);

        var visitor = await (await guard.PostAsJsonAsync("/api/visitors", new
        {
            name = "吴十 Wu", phone = "13600136000", idNumber = "440304199001011233", hostName = "周老师 Ms Zhou", hostRoomId = "office-202",
            purpose = "送货 delivery", expectedDeparture = system.Time.GetUtcNow().AddHours(1),
        })).Read();
        await Assertions.Expect(onSite).ToContainTextAsync("周老师 Ms Zhou");
        var id = visitor.GetProperty("id").GetString();
        (await guard.PostAsync($"/api/visitors/{id}/checkout", null)).EnsureSuccessStatusCode();
        await Assertions.Expect(onSite).ToHaveCountAsync(0);

        // The day's visitor log on the reports page, as it prints: pass, name, the masked number, when they left.
        var day = system.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        await page.GotoAsync($"{system.BaseUrl}/reports.html?kind=daily&date={day}");
        await Assertions.Expect(page.Locator("#report h2")).ToContainTextAsync(day);
        var row = page.Locator("#report tr", new PageLocatorOptions { HasText = visitor.GetProperty("pass").GetString()! });
        await Assertions.Expect(row).ToContainTextAsync("吴十 Wu");
        await Assertions.Expect(row).ToContainTextAsync("440***********1233");
        await Assertions.Expect(row).Not.ToContainTextAsync("On site now");
    }
}
