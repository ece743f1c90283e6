using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>
/// docs/interface.md, "Events that carry state": what the hub pushes is enough for the console, which asks the server for
/// nothing while alarms come and go (the hall's devices are these tests' own).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ConsolePushTests(SystemFixture system) : IAsyncLifetime
{
    private readonly Browser _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task AnAlarmPushesItsRoomsAndItsBuildingsNewTotalsAndItsEndPushesThemAgain()
    {
        using var op = await system.Operator();
        await using var console = await ConsoleClient.Connect(system, op.DefaultRequestHeaders.Authorization!.Parameter!);
        using var device = await MqttDevices.Connect(system, "hall-smoke-8", "hall");

        await device.Publish("devices/hall-smoke-8/telemetry", """{"smoke": true}""");
        var room = await console.Next("roomChanged", r => r.GetProperty("roomId").GetString() == "hall-1" && Child(r, "hall-smoke-8").OpenAlerts == 1);
        Assert.Equal(("hall", "critical", "critical"), (room.GetProperty("buildingId").GetString(), room.GetProperty("worstSeverity").GetString(),
            Child(room, "hall-smoke-8").Worst));
        var building = await console.Next("buildingChanged", b => b.GetProperty("buildingId").GetString() == "hall");
        Assert.Equal("critical", building.GetProperty("worstSeverity").GetString());

        // The alarm ends and is resolved: the room says so, in a later version; so does the alert.
        var raised = (await op.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=unresolved&limit=1000"))!.Single(a => a.GetProperty("deviceId").GetString() == "hall-smoke-8");
        await device.Publish("devices/hall-smoke-8/telemetry", """{"smoke": false}""");
        (await op.PostAsync($"/api/alerts/{raised.GetProperty("id").GetString()}/resolve", null)).EnsureSuccessStatusCode();
        var after = await console.Next("roomChanged", r => r.GetProperty("roomId").GetString() == "hall-1" && Child(r, "hall-smoke-8").OpenAlerts == 0);
        Assert.True(after.GetProperty("version").GetInt64() > room.GetProperty("version").GetInt64());
        var resolved = await op.GetFromJsonAsync<JsonElement>($"/api/alerts/{raised.GetProperty("id").GetString()}");
        Assert.True(resolved.GetProperty("version").GetInt64() > raised.GetProperty("version").GetInt64(), "each change of an alert is a later version");
    }

    [Fact]
    public async Task AnOpenConsoleAsksTheServerForNothingWhileAlarmsComeAndOnlyForTheGroupsInAFlood()
    {
        var (page, asked) = await CountingConsole();

        // Three alarms in the hall, one after another: the list, the building's colour and its count follow, and the
        // console asks for nothing.
        var hall = page.Locator("li[data-building=hall] > details > summary");
        for (var i = 1; i <= 3; i++)
        {
            await Alarm($"hall-smoke-{i}", smoke: true);
            await Assertions.Expect(page.Locator("li.alert", new PageLocatorOptions { HasText = $"hall-smoke-{i}" })).ToBeVisibleAsync();
            await Assertions.Expect(hall.Locator(".badge")).ToContainTextAsync($"{i} open");
        }

        await Assertions.Expect(hall.Locator(".dot")).ToHaveAttributeAsync("data-severity", "critical");
        Assert.Empty(asked);

        // Four more make a flood: the console asks for the groups, and only for them, and shows the flood as one row.
        for (var i = 4; i <= 7; i++)
        {
            await Alarm($"hall-smoke-{i}", smoke: true);
        }

        await Assertions.Expect(page.Locator("li.alert-group", new PageLocatorOptions { HasText = "礼堂" })).ToContainTextAsync("7 ×");
        await Assertions.Expect(hall.Locator(".badge")).ToContainTextAsync("7 open");
        Assert.All(asked, path => Assert.Equal("/api/alerts/groups", path));
        Assert.InRange(asked.Count, 1, 3);

        // The fire is out: every alarm ends and is resolved, and the hall is calm again on the console.
        using var op = await system.Operator();
        for (var i = 1; i <= 7; i++)
        {
            await Alarm($"hall-smoke-{i}", smoke: false);
        }

        foreach (var alert in (await op.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=unresolved&limit=1000"))!
            .Where(a => a.GetProperty("deviceId").GetString()?.StartsWith("hall-smoke-", StringComparison.Ordinal) == true))
        {
            (await op.PostAsync($"/api/alerts/{alert.GetProperty("id").GetString()}/resolve", null)).EnsureSuccessStatusCode();
        }

        await Assertions.Expect(hall.Locator(".dot")).Not.ToHaveAttributeAsync("data-severity", "critical");
        await Assertions.Expect(hall.Locator(".badge")).ToHaveTextAsync("");
    }

    [Fact]
    public async Task ARepairStartedElsewhereReachesAnOpenConsoleWithItsPeriodAndTheConsoleAsksForNothing()
    {
        var (page, asked) = await CountingConsole();
        using var op = await system.Operator();
        await using var hub = await ConsoleClient.Connect(system, op.DefaultRequestHeaders.Authorization!.Parameter!);
        var hallRoom = page.Locator("li[data-room=hall-1]");

        // Another operator takes a detector and then the whole room out of service: the event carries each period.
        (await op.PutAsJsonAsync("/api/devices/hall-smoke-8/out-of-service", new { note = "探头更换 head replaced" })).EnsureSuccessStatusCode();
        var device = await hub.Next("alarmHandlingChanged", c => c.GetProperty("id").GetString() == "hall-smoke-8");
        Assert.Equal(("device", "探头更换 head replaced"), (device.GetProperty("kind").GetString(), device.GetProperty("period").GetProperty("note").GetString()));
        await Assertions.Expect(hallRoom.Locator(".tag.out-of-service")).ToContainTextAsync("1");
        (await op.PutAsJsonAsync("/api/rooms/hall-1/out-of-service", new { note = "礼堂翻修 refit" })).EnsureSuccessStatusCode();
        await Assertions.Expect(hallRoom).ToHaveAttributeAsync("data-out-of-service", "true");

        // Both back in service: the events say so with no period, and the tags go.
        (await op.DeleteAsync("/api/rooms/hall-1/out-of-service")).EnsureSuccessStatusCode();
        (await op.DeleteAsync("/api/devices/hall-smoke-8/out-of-service")).EnsureSuccessStatusCode();
        var back = await hub.Next("alarmHandlingChanged", c => c.GetProperty("id").GetString() == "hall-smoke-8" && c.GetProperty("period").ValueKind == JsonValueKind.Null);
        Assert.Equal("device", back.GetProperty("kind").GetString());
        await Assertions.Expect(hallRoom).Not.ToHaveAttributeAsync("data-out-of-service", "true");
        await Assertions.Expect(hallRoom.Locator(".tag.out-of-service")).ToHaveCountAsync(0);
        Assert.Empty(asked);
    }

    [Fact]
    public async Task DrillsStartedElsewhereAndTheirEndsReachAnOpenConsoleEachWithItsDrillAndTheConsoleAsksForNothing()
    {
        var (page, asked) = await CountingConsole();
        using var op = await system.Operator();
        await using var hub = await ConsoleClient.Connect(system, op.DefaultRequestHeaders.Authorization!.Parameter!);
        var hall = page.Locator("li[data-building=hall]");
        async Task<string> Start(int minutes)
        {
            var drill = await (await op.PostAsJsonAsync("/api/buildings/hall/drill", new { minutes, note = "疏散演练 evacuation drill" })).Content.ReadFromJsonAsync<JsonElement>();
            var id = drill.GetProperty("id").GetString()!;
            var begun = await hub.Next("alarmHandlingChanged", c => c.GetProperty("kind").GetString() == "drill" && c.GetProperty("drill").GetProperty("id").GetString() == id);
            Assert.Equal(("hall", true), (begun.GetProperty("id").GetString(), begun.GetProperty("drill").GetProperty("active").GetBoolean()));
            return id;
        }

        Task<JsonElement> Ended(string id) => hub.Next("alarmHandlingChanged", c => c.GetProperty("kind").GetString() == "drill"
            && c.GetProperty("drill").GetProperty("id").GetString() == id && !c.GetProperty("drill").GetProperty("active").GetBoolean());

        // Two drills overlap: the first one's end is its own event, and the hall is still in the second.
        var first = await Start(minutes: 1);
        var second = await Start(minutes: 2);
        await Assertions.Expect(hall).ToHaveAttributeAsync("data-drill", "true");
        await system.Advance(TimeSpan.FromMinutes(1));
        await Ended(first);
        await Assertions.Expect(hall.Locator(".tag.drill").First).ToBeVisibleAsync();

        // The second's minute is over too (site time): the badge goes.
        await system.Advance(TimeSpan.FromMinutes(1));
        await Ended(second);
        await Assertions.Expect(hall).Not.ToHaveAttributeAsync("data-drill", "true");
        Assert.Empty(asked);
    }

    [Fact]
    public async Task ADeviceGoingOfflineAndBackShowsInTheTreeFromItsRoomsPushAlone()
    {
        var (page, asked) = await CountingConsole();
        await page.Locator("#show-devices").CheckAsync();
        await page.Locator("li[data-building=hall] details").EvaluateAsync("d => d.open = true");
        var detector = page.Locator("li[data-room=hall-1] [data-device=hall-smoke-7]");
        await Assertions.Expect(detector).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("offline"));

        using var device = await MqttDevices.Connect(system, "hall-smoke-7", "hall");
        await device.Publish("devices/hall-smoke-7/status", "offline");
        await Assertions.Expect(detector).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("offline"));
        await Assertions.Expect(page.Locator("li[data-room=hall-1] > .node .badge")).ToContainTextAsync("1 offline");

        await device.Publish("devices/hall-smoke-7/status", "online");
        await Assertions.Expect(detector).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("offline"));
        await Assertions.Expect(page.Locator("li[data-room=hall-1] > .node .badge")).Not.ToContainTextAsync("offline");
        Assert.Empty(asked);

        // Its offline alert, over now, is resolved: the hall is as the other tests expect it.
        using var op = await system.Operator();
        foreach (var alert in (await op.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=unresolved&limit=1000"))!
            .Where(a => a.GetProperty("deviceId").GetString() == "hall-smoke-7"))
        {
            (await op.PostAsync($"/api/alerts/{alert.GetProperty("id").GetString()}/resolve", null)).EnsureSuccessStatusCode();
        }
    }

    /// <summary>An operator's console, loaded, and the paths of the calls to <c>/api/</c> it makes from then on.</summary>
    private async Task<(IPage Page, ConcurrentQueue<string> Asked)> CountingConsole()
    {
        var page = await _browser.OperatorConsole(system);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var asked = new ConcurrentQueue<string>();
        page.Request += (_, request) =>
        {
            var path = new Uri(request.Url).AbsolutePath;
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                asked.Enqueue(path);
            }
        };
        return (page, asked);
    }

    private async Task Alarm(string deviceId, bool smoke)
    {
        using var device = await MqttDevices.Connect(system, deviceId, "hall");
        await device.Publish($"devices/{deviceId}/telemetry", smoke ? """{"smoke": true}""" : """{"smoke": false}""");
    }

    private static (string? Worst, int OpenAlerts) Child(JsonElement room, string id) =>
        room.GetProperty("children").EnumerateArray().Where(c => c.GetProperty("id").GetString() == id)
            .Select(c => (c.GetProperty("worstSeverity").GetString(), c.GetProperty("openAlerts").GetInt32())).Single();
}
