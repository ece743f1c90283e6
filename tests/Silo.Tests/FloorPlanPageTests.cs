using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>docs/interface.md §13 in Chromium: an admin uploads a floor plan and drags things onto it; the console shows it live.</summary>
[Collection(SitesSystemCollection.Name)]
public sealed partial class FloorPlanPageTests(SitesSystemFixture system) : IAsyncLifetime
{
    private readonly Browser _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [GeneratedRegex(@"\bpulse\b")]
    private static partial Regex Pulse();

    [Fact]
    public async Task AnAdminPlacesAFloorsThingsOnItsPlanAndAnAlarmPulsesThereUntilAcknowledged()
    {
        // The building's plan: upload a picture of floor 1.
        var page = await OpenPlan("en-US");
        await page.Locator("#plan-upload").SetInputFilesAsync(new FilePayload { Name = "floor-1.png", MimeType = "image/png", Buffer = FloorPlanApiTests.Png(400, 300) });
        await Assertions.Expect(page.Locator("#plan-status")).ToHaveTextAsync("Plan uploaded.");
        var box = page.Locator("#plan-stage .plan-box");
        await Assertions.Expect(box).ToBeVisibleAsync();

        // Drag the meter and the checkpoint from the list onto the plan, and save.
        await page.Locator("#plan-edit").ClickAsync();
        var size = (await box.BoundingBoxAsync())!;
        await page.Locator(".plan-chip[data-id=a-meter]").DragToAsync(box, new LocatorDragToOptions { TargetPosition = new TargetPosition { X = size.Width / 4, Y = size.Height / 2 } });
        await page.Locator(".plan-chip[data-id=a-cp]").DragToAsync(box, new LocatorDragToOptions { TargetPosition = new TargetPosition { X = size.Width * 3 / 4, Y = size.Height / 2 } });
        await Assertions.Expect(page.Locator(".plan-chip[data-id=a-meter]")).ToHaveCountAsync(0);
        await page.Locator("#plan-save").ClickAsync();
        await Assertions.Expect(page.Locator("#plan-status")).ToHaveTextAsync("Positions saved.");

        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        var kept = (await admin.GetFromJsonAsync<JsonElement>("/api/buildings/a-b/floors/1/plan")).GetProperty("positions").EnumerateArray()
            .ToDictionary(p => p.GetProperty("id").GetString()!, p => (X: p.GetProperty("x").GetDouble(), Y: p.GetProperty("y").GetDouble()));
        Assert.InRange(kept["a-meter"].X, 0.2, 0.3);
        Assert.InRange(kept["a-meter"].Y, 0.45, 0.55);
        Assert.InRange(kept["a-cp"].X, 0.7, 0.8);

        // The meter's battery runs low: its marker pulses in its alarm's colour; a click opens the alert.
        var meter = page.Locator(".plan-marker[data-id=a-meter]");
        using (var device = await MqttDevices.Connect(system, "a-meter", "s"))
        {
            await device.Publish("devices/a-meter/telemetry", """{"upsBattery": 5}""");
        }

        await Assertions.Expect(meter).ToHaveClassAsync(Pulse());
        await Assertions.Expect(meter).ToHaveAttributeAsync("data-state", "alarm");
        await meter.ClickAsync();
        await Assertions.Expect(page.Locator("li.alert.focused")).ToContainTextAsync("a-meter");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "floor-plan-1440x900.png") });

        // Acknowledged (by anyone, anywhere): it stops pulsing, and keeps its colour while the alarm is unresolved.
        var open = (await admin.GetFromJsonAsync<JsonElement>("/api/alerts?status=open&limit=1000")).EnumerateArray()
            .Where(a => a.GetProperty("deviceId").GetString() == "a-meter").Select(a => a.GetProperty("id").GetString()).ToList();
        (await admin.PostAsJsonAsync("/api/alerts/acknowledge", new { ids = open })).EnsureSuccessStatusCode();
        await Assertions.Expect(meter).Not.ToHaveClassAsync(Pulse());
        await Assertions.Expect(meter).ToHaveAttributeAsync("data-state", "alarm");

        // On a larger screen the plan grows and the markers stay on their places.
        // The plan is drawn anew whenever an alert or the site changes, so the box and its marker are measured together,
        // in one turn of the page, once the plan has been fitted to the larger card.
        await page.SetViewportSizeAsync(1920, 1080);
        var measured = await page.WaitForFunctionAsync("""
            wider => {
              const box = document.querySelector("#plan-stage .plan-box");
              const marker = box?.querySelector(".plan-marker[data-id=a-meter]");
              if (!marker) return null;
              const b = box.getBoundingClientRect(), m = marker.getBoundingClientRect();
              return b.width > wider ? { at: (m.left + m.width / 2 - b.left) / b.width } : null;
            }
            """, (double)size.Width, new PageWaitForFunctionOptions { PollingInterval = 50 });
        var spot = await measured.JsonValueAsync<JsonElement>();
        Assert.InRange(spot.GetProperty("at").GetDouble(), 0.2, 0.3);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "floor-plan-1920x1080.png") });
    }

    [Fact]
    public async Task APictureThatIsNotOneIsRefusedInThePagesLanguage()
    {
        var page = await OpenPlan("zh-CN");
        await page.Locator("#plan-upload").SetInputFilesAsync(new FilePayload { Name = "floor-1.txt", MimeType = "text/plain", Buffer = "not a picture"u8.ToArray() });
        await Assertions.Expect(page.Locator("#plan-error")).ToHaveTextAsync("操作失败：平面图须是 PNG、JPEG 或 SVG 图片。");
    }

    /// <summary>The console of school A as its admin, in <paramref name="locale"/>'s language, with building a-b's plan open.</summary>
    private async Task<IPage> OpenPlan(string locale)
    {
        var page = await _browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = locale, ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        await page.GotoAsync(system.BaseUrl + "/?site=school-a");
        await Browser.SignIn(page, "admin", SystemFixture.AdminPassword);
        await page.WaitForSelectorAsync("#connection[data-state=online]");
        await page.Locator("li[data-building=a-b] .open-plan").ClickAsync();
        await Assertions.Expect(page.Locator("#plan-view")).ToBeVisibleAsync();
        return page;
    }
}
