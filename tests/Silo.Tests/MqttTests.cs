using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

[Collection(SystemCollection.Name)]
public sealed class MqttTests(SystemFixture system)
{
    [Fact]
    public async Task MosquittoPubWithDefaultOptionsPutsACriticalSmokeAlertOnAConnectedConsole()
    {
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        var (exit, output) = await MqttDevices.MosquittoPub(system, "smoke-101", "s3cr3t", "devices/smoke-101/telemetry", """{"smoke": true}""");
        Assert.True(exit == 0, output);

        var raised = await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "smoke-101");
        Assert.Equal("fire.smoke", raised.GetProperty("type").GetString());
        Assert.Equal("critical", raised.GetProperty("severity").GetString());
        Assert.Equal("open", raised.GetProperty("status").GetString());
        Assert.Equal("teach-1", raised.GetProperty("buildingId").GetString());
        Assert.Equal("teach-1-101", raised.GetProperty("roomId").GetString());

        // The same reading again is no new occurrence; the condition clearing and returning is, on the same alert.
        (exit, output) = await MqttDevices.MosquittoPub(system, "smoke-101", "s3cr3t", "devices/smoke-101/telemetry", """{"smoke": true}""", qos: 1);
        Assert.True(exit == 0, output);
        (exit, output) = await MqttDevices.MosquittoPub(system, "smoke-101", "s3cr3t", "devices/smoke-101/telemetry", """{"smoke": false}""", qos: 1);
        Assert.True(exit == 0, output);
        (exit, output) = await MqttDevices.MosquittoPub(system, "smoke-101", "s3cr3t", "devices/smoke-101/telemetry", """{"smoke": true}""", qos: 1);
        Assert.True(exit == 0, output);
        var updated = await console.Next("alertUpdated", a => a.GetProperty("id").GetString() == raised.GetProperty("id").GetString() && a.GetProperty("active").GetBoolean());
        Assert.Equal(2, updated.GetProperty("occurrences").GetInt32());
        Assert.DoesNotContain(console.Drain(), e => e.Name == "alertRaised" && e.Payload.GetProperty("deviceId").GetString() == "smoke-101");

        using var http = await system.Operator();
        var open = await http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all");
        Assert.Single(open!, a => a.GetProperty("deviceId").GetString() == "smoke-101");
    }

    [Fact]
    public async Task ASmokeReadingReachesAConnectedConsoleWithinOneSecondOfReachingTheBroker()
    {
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        using var device = await MqttDevices.Connect(system, "smoke-latency", "fast");

        // Timed from before the publish leaves this client, so the figure can only overstate docs/interface.md §6's latency.
        var clock = Stopwatch.StartNew();
        var raised = console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "smoke-latency");
        await device.Publish("devices/smoke-latency/telemetry", """{"smoke": true}""");
        await raised;

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task ReadingsSentFasterThanTheyAreTakenAreAllTakenInOrderAndAQos1OneIsAcknowledgedOnlyAfterThoseBeforeIt()
    {
        using var http = await system.Operator();
        var before = (await Stats(http)).GetProperty("readingsAccepted").GetInt64();
        using var device = await MqttDevices.Connect(system, "flood-1", "fl");

        // QoS 0 as fast as the socket takes them: they queue behind the device grain's call and go in batches.
        const int Flood = 500;
        for (var i = 1; i <= Flood; i++)
        {
            await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("devices/flood-1/telemetry").WithPayload($$"""{"voltage": {{i}}}""").Build());
        }

        await device.Publish("devices/flood-1/telemetry", """{"voltage": 230}""");

        // The PUBACK came: that reading and every one before it are taken, so nothing here needs waiting for.
        Assert.Equal(230, (await http.GetFromJsonAsync<JsonElement>("/api/devices/flood-1")).GetProperty("lastReading").GetProperty("voltage").GetDouble());
        Assert.Equal(before + Flood + 1, (await Stats(http)).GetProperty("readingsAccepted").GetInt64());

        // A status message does not overtake the readings before it: were it taken first, they would bring the device back online.
        for (var i = 1; i <= Flood; i++)
        {
            await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("devices/flood-1/telemetry").WithPayload($$"""{"voltage": {{230 + (i % 2)}}}""").Build());
        }

        await device.Publish("devices/flood-1/status", "offline");
        var status = await http.GetFromJsonAsync<JsonElement>("/api/devices/flood-1");
        Assert.False(status.GetProperty("online").GetBoolean());
        Assert.Equal(230, status.GetProperty("lastReading").GetProperty("voltage").GetDouble());
        Assert.Equal(before + 2 * Flood + 1, (await Stats(http)).GetProperty("readingsAccepted").GetInt64());
    }

    [Fact]
    public async Task AnEventThatReachesAWebHostTwiceReachesEachConsoleOnce()
    {
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        var bridge = system.Services.GetRequiredService<SafetyPatrol.Web.Hubs.ConsoleHubBridge>();
        var status = new SafetyPatrol.Devices.DeviceStatusChange("meter-1", false, DateTimeOffset.UtcNow);
        var marker = new SafetyPatrol.Devices.DeviceStatusChange("meter-1", true, DateTimeOffset.UtcNow.AddSeconds(1));

        // As Orleans may resend a one-way message: the same event twice, then another one.
        await bridge.OnEvents([new("deviceStatusChanged", status, "meter-1", 1)]);
        await bridge.OnEvents([new("deviceStatusChanged", status, "meter-1", 1), new("deviceStatusChanged", marker, "meter-1", 2)]);

        var copies = 0;
        await console.Next("deviceStatusChanged", d =>
        {
            copies += d.GetProperty("at").GetDateTimeOffset() == status.At ? 1 : 0;
            return d.GetProperty("at").GetDateTimeOffset() == marker.At;
        });
        Assert.Equal(1, copies);
    }

    [Fact]
    public async Task AWrongSecretAndAnUnknownDeviceAreRefusedAtConnect()
    {
        var (exit, output) = await MqttDevices.MosquittoPub(system, "smoke-101", "wrong", "devices/smoke-101/telemetry", """{"smoke": true}""");
        Assert.NotEqual(0, exit);
        Assert.Contains("bad user name or password", output, StringComparison.OrdinalIgnoreCase);

        (exit, output) = await MqttDevices.MosquittoPub(system, "no-such-device", "s3cr3t", "devices/no-such-device/telemetry", """{"smoke": true}""");
        Assert.NotEqual(0, exit);
        Assert.Contains("bad user name or password", output, StringComparison.OrdinalIgnoreCase);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => MqttDevices.Connect(system, "smoke-102", "s3cr3t"));
        Assert.Contains("BadUserNameOrPassword", refused.Message + refused.InnerException?.Message);
    }

    [Fact]
    public async Task ADevicePublishingUnderAnotherDevicesTopicIsDroppedAndCounted()
    {
        using var http = await system.Operator();
        var before = await Stats(http);
        using var intruder = await MqttDevices.Connect(system, "smoke-102", "other-secret");

        await intruder.Publish("devices/smoke-restart/telemetry", """{"smoke": true}""");
        await intruder.Publish("devices/smoke-102/status", "online");

        var after = await Stats(http);
        Assert.Equal(before.GetProperty("droppedBy").GetProperty("foreignTopic").GetInt64() + 1, after.GetProperty("droppedBy").GetProperty("foreignTopic").GetInt64());
        var victim = await http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all");
        Assert.DoesNotContain(victim!, a => a.GetProperty("deviceId").GetString() == "smoke-restart");
        Assert.True(intruder.IsConnected);
    }

    [Fact]
    public async Task BadPayloadsAreDroppedAndCountedWhileTheConnectionAndSystemCarryOn()
    {
        using var http = await system.Operator();
        var before = (await Stats(http)).GetProperty("droppedBy");
        using var device = await MqttDevices.Connect(system, "bad-input", "b");

        await device.Publish("devices/bad-input/telemetry", "{not json");
        await device.Publish("devices/bad-input/telemetry", JsonSerializer.Serialize(new { note = new string('x', 20_000) }));
        await device.Publish("devices/bad-input/telemetry", JsonSerializer.Serialize(Enumerable.Range(0, 100).ToDictionary(i => $"m{i}", i => i)));
        await device.Publish("devices/bad-input/telemetry", """{"leak": true}""");

        var alert = await AlertOf(http, "bad-input");
        Assert.Equal("water.leak", alert.GetProperty("type").GetString());
        var after = (await Stats(http)).GetProperty("droppedBy");
        Assert.Equal(before.GetProperty("badPayload").GetInt64() + 1, after.GetProperty("badPayload").GetInt64());
        Assert.Equal(before.GetProperty("tooLarge").GetInt64() + 1, after.GetProperty("tooLarge").GetInt64());
        Assert.Equal(before.GetProperty("tooManyMetrics").GetInt64() + 1, after.GetProperty("tooManyMetrics").GetInt64());
        Assert.True(device.IsConnected);
        Assert.Equal(HttpStatusCode.OK, (await system.Anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task UndervoltageFromAnMqtt5ClientWithAnEmptyClientIdCarriesValueAndThreshold()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", system.MqttPort)
            .WithCredentials("meter-1", "m")
            .WithClientId("")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .Build());

        await client.Publish("devices/meter-1/telemetry", """{"voltage": 198.4, "current": 12.5, "ts": "2026-11-26T10:00:00+08:00"}""");

        using var http = await system.Operator();
        var alert = await AlertOf(http, "meter-1");
        Assert.Equal("power.undervoltage", alert.GetProperty("type").GetString());
        Assert.Equal(198.4, alert.GetProperty("value").GetDouble());
        Assert.Equal(207, alert.GetProperty("threshold").GetDouble());
        Assert.Equal("Voltage 198.4 V below 207 V", alert.GetProperty("message").GetString());
        Assert.Equal("rule.below", alert.GetProperty("messageKey").GetString());
        var args = alert.GetProperty("messageArgs");
        Assert.Equal(("voltage", "198.4", "207", "V"), (args.GetProperty("metric").GetString(), args.GetProperty("value").GetString(),
            args.GetProperty("threshold").GetString(), args.GetProperty("unit").GetString()));

        var device = await http.GetFromJsonAsync<JsonElement>("/api/devices/meter-1");
        Assert.Equal(12.5, device.GetProperty("lastReading").GetProperty("current").GetDouble());
        Assert.Equal(DateTimeOffset.Parse("2026-11-26T02:00:00Z"), device.GetProperty("lastReadingAt").GetDateTimeOffset());
        Assert.True(device.GetProperty("online").GetBoolean());
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task ADeviceThatSaysItIsOfflineRaisesDeviceOfflineAndComesBackWithOnline()
    {
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        var (exit, output) = await MqttDevices.MosquittoPub(system, "gate-cam", "cam", "devices/gate-cam/status", "offline");
        Assert.True(exit == 0, output);

        // The alert is raised first, then the status change is pushed.
        var alert = await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "gate-cam");
        Assert.Equal(("device.offline", "device", true), (alert.GetProperty("type").GetString(), alert.GetProperty("category").GetString(), alert.GetProperty("active").GetBoolean()));
        var down = await console.Next("deviceStatusChanged", d => d.GetProperty("deviceId").GetString() == "gate-cam");
        Assert.False(down.GetProperty("online").GetBoolean());
        using var http = await system.Operator();
        Assert.False((await http.GetFromJsonAsync<JsonElement>("/api/devices/gate-cam")).GetProperty("online").GetBoolean());

        (exit, output) = await MqttDevices.MosquittoPub(system, "gate-cam", "cam", "devices/gate-cam/status", "online");
        Assert.True(exit == 0, output);

        await console.Next("alertUpdated", a => a.GetProperty("id").GetString() == alert.GetProperty("id").GetString() && !a.GetProperty("active").GetBoolean());
        var up = await console.Next("deviceStatusChanged", d => d.GetProperty("deviceId").GetString() == "gate-cam");
        Assert.True(up.GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task ADeviceWhoseConnectionDropsIsReportedOfflineByItsLastWill()
    {
        await using var console = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", system.MqttPort)
            .WithCredentials("gate-will", "will")
            .WithWillTopic("devices/gate-will/status")
            .WithWillPayload("offline")
            .WithWillRetain()
            .Build());

        // Gone without a DISCONNECT packet, as a device losing power or network is.
        client.Dispose();

        var alert = await console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "gate-will");
        Assert.Equal("device.offline", alert.GetProperty("type").GetString());
        var down = await console.Next("deviceStatusChanged", d => d.GetProperty("deviceId").GetString() == "gate-will");
        Assert.False(down.GetProperty("online").GetBoolean());
    }

    private static async Task<JsonElement> Stats(HttpClient http) => await http.GetFromJsonAsync<JsonElement>("/api/stats");

    private static async Task<JsonElement> AlertOf(HttpClient http, string deviceId)
    {
        var alerts = await http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all");
        return Assert.Single(alerts!, a => a.GetProperty("deviceId").GetString() == deviceId);
    }
}
