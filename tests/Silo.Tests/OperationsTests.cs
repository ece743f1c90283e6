using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

[Collection(OperationsSystemCollection.Name)]
public sealed class OperationsTests(OperationsSystemFixture system)
{
    [Fact]
    public async Task MetricsAnswerOnTheirOwnPortOnlyWithReadingsDropsAlertsConsolePushNotificationsAndActiveGrains()
    {
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        using (var device = await MqttDevices.Connect(system, "smoke-101", "s3cr3t"))
        {
            await device.Publish("devices/smoke-101/telemetry", """{"smoke": true}""");
            await device.Publish("devices/smoke-101/telemetry", "not json");
        }

        await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "smoke-101");
        Assert.Equal(HttpStatusCode.NotFound, (await system.Anonymous.GetAsync("/metrics")).StatusCode);
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{system.MetricsPort}") };
        var text = await scraper.GetStringAsync("/metrics");
        var names = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]).ToHashSet();

        Assert.Contains("safetypatrol_readings_total", names);
        Assert.Contains("safetypatrol_readings_dropped_total", names);
        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("safetypatrol_readings_dropped_total{", StringComparison.Ordinal) && l.Contains("reason=\"badPayload\""));
        Assert.Contains(lines, l => l.StartsWith("safetypatrol_alerts_raised_total{", StringComparison.Ordinal) && l.Contains("severity=\"critical\""));
        Assert.Contains("safetypatrol_console_push_seconds_bucket", names);
        Assert.Contains("orleans_catalog_activations", names);
        Assert.Contains("http_server_request_duration_seconds_bucket", names);
        // The API is not on the metrics port.
        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync("/api/site")).StatusCode);
    }

    [Fact]
    public async Task AReadingThatRaisesAnAlertIsOneTraceFromMqttThroughTheGrainsToThePush()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("SafetyPatrol", StringComparison.Ordinal) || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        using (var device = await MqttDevices.Connect(system, "smoke-102", "other-secret"))
        {
            await device.Publish("devices/smoke-102/telemetry", """{"smoke": true}""");
        }

        await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "smoke-102");
        var root = Assert.Single(spans, s => s.DisplayName == "mqtt readings" && (string?)s.GetTagItem("device.id") == "smoke-102");
        var trace = spans.Where(s => s.TraceId == root.TraceId).Select(s => s.DisplayName).ToList();
        Assert.Contains(trace, name => name.Contains("IDeviceGrain") && name.Contains("Report"));
        Assert.Contains(trace, name => name.Contains("IAlertGrain") && name.Contains("Occur"));
        Assert.Contains(trace, name => name.Contains("IConsolePushGrain") && name.Contains("Push"));
    }

    [Fact]
    public async Task TheOrleansDashboardOpensForAnAdminFromTheConsoleAndForNobodyElse()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await system.Anonymous.GetAsync("/dashboard/")).StatusCode);
        using var op = await system.Operator();
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsync("/api/dashboard/session", null)).StatusCode);
        var cookies = new CookieContainer();
        using var operatorBrowser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(system.BaseUrl) };
        cookies.Add(new Uri(system.BaseUrl), new System.Net.Cookie("sp_dashboard", await system.Token("operator1", SystemFixture.OperatorPassword), "/dashboard"));
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorBrowser.GetAsync("/dashboard/")).StatusCode);

        await using var browser = new Browser();
        await browser.InitializeAsync();
        var page = await browser.Instance.NewPageAsync(new BrowserNewPageOptions { Locale = "en-US" });
        await page.GotoAsync(system.BaseUrl);
        await Browser.SignIn(page, "admin", SystemFixture.AdminPassword);
        await page.WaitForSelectorAsync("#connection[data-state=online]");
        await page.ClickAsync("#nav a[data-dashboard]");
        // The dashboard keeps polling its API, so its page is waited for by what it shows, not by its load event.
        await Assertions.Expect(page.GetByText("Total activations", new() { Exact = false }).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.EndsWith("/dashboard/", new Uri(page.Url).AbsolutePath);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "sp_dashboard");
        Assert.Equal((true, SameSiteAttribute.Strict, "/dashboard"), (cookie.HttpOnly, cookie.SameSite, cookie.Path));
    }
}
