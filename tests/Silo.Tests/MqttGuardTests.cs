using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>The MQTT listener probed as an attacker would, through raw sockets and stock clients.</summary>
[Collection(GuardedSystemCollection.Name)]
public sealed class MqttGuardTests(GuardedSystemFixture system)
{
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);

    public static TheoryData<string, byte[]> PartialPackets => new()
    {
        { "CONNECT type byte only", [0x10] },
        { "PUBLISH type byte only", [0x30] },
        { "CONNECT with half a length", [0x10, 0x80] },
        { "CONNECT cut short", [0x10, 0x20, 0x00, 0x04, (byte)'M'] },
    };

    [Theory]
    [MemberData(nameof(PartialPackets))]
    public async Task AConnectionThatEndsInTheMiddleOfAPacketIsClosedAtOnceAndCounted(string what, byte[] bytes)
    {
        using var http = await system.Operator();
        var before = await Closed(http, "brokenPacket");
        using var raw = await RawMqtt.Open(system.MqttPort);

        await raw.Send(bytes);
        raw.FinishSending();

        Assert.True(await raw.ClosedByServer(Promptly), what);
        Assert.Equal(before + 1, await Closed(http, "brokenPacket"));
    }

    [Fact]
    public async Task APartialPacketAfterASuccessfulConnectClosesTheConnectionAndTheDeviceCanStillReport()
    {
        using var http = await system.Operator();
        var before = await Closed(http, "brokenPacket");
        using (var raw = await RawMqtt.Open(system.MqttPort))
        {
            await raw.Send(RawMqtt.Connect("smoke-101", "s3cr3t"));
            await raw.Send(0x30, 0x40, 0x00, 0x10);
            raw.FinishSending();
            Assert.True(await raw.ClosedByServer(Promptly));
        }

        Assert.Equal(before + 1, await Closed(http, "brokenPacket"));
        var (exit, output) = await MqttDevices.MosquittoPub(system, "heat-1", "hot", "devices/heat-1/telemetry", """{"heat": 21}""");
        Assert.True(exit == 0, output);
        var health = await system.Anonymous.GetAsync("/health");
        Assert.True(health.StatusCode == HttpStatusCode.OK, await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AConnectionThatNeverSendsConnectIsClosedAfterTheDeadline()
    {
        using var http = await system.Operator();
        var before = await Closed(http, "noConnect");
        using var raw = await RawMqtt.Open(system.MqttPort);

        // The deadline here is 1 s; the connection must be gone well before the 5 s this waits.
        Assert.True(await raw.ClosedByServer(Promptly));
        Assert.Equal(before + 1, await Closed(http, "noConnect"));
    }

    [Fact]
    public async Task AConnectionWhoseFirstPacketIsNotConnectIsClosedAtOnce()
    {
        using var raw = await RawMqtt.Open(system.MqttPort);

        await raw.Send(0xC0, 0x00); // PINGREQ

        Assert.True(await raw.ClosedByServer(TimeSpan.FromMilliseconds(900)), "closed before the 1 s CONNECT deadline");
    }

    [Fact]
    public async Task ConnectionsFromOneAddressAreCappedAndAPlaceFreesWhenOneCloses()
    {
        using var http = await system.Operator();
        var before = await Closed(http, "addressLimit");
        List<IDisposable> open = [];
        try
        {
            for (var i = 0; i < GuardedSystemFixture.ConnectionsPerAddress; i++)
            {
                open.Add(await MqttDevices.Connect(system, "smoke-102", "other-secret"));
            }

            using (var extra = await RawMqtt.Open(system.MqttPort))
            {
                Assert.True(await extra.ClosedByServer(Promptly));
            }

            Assert.Equal(before + 1, await Closed(http, "addressLimit"));
            open[0].Dispose();
            open.RemoveAt(0);
            Assert.True(await ConnectsWithin(attempts: 200), "a place frees once a connection closes");
        }
        finally
        {
            open.ForEach(c => c.Dispose());
        }
    }

    [Theory]
    [InlineData("""{"heat": 1e309}""")]
    [InlineData("""{"heat": -1e309}""")]
    [InlineData("""{"heat": 1e400, "ts": 1}""")]
    public async Task NumbersThatAreNotFiniteAreDroppedAndCountedAndTheDeviceStillAnswers(string payload)
    {
        using var http = await system.Operator();
        var before = (await Stats(http)).GetProperty("droppedBy").GetProperty("badPayload").GetInt64();

        var (exit, output) = await MqttDevices.MosquittoPub(system, "heat-1", "hot", "devices/heat-1/telemetry", payload, qos: 1);
        Assert.True(exit == 0, output);

        Assert.Equal(before + 1, (await Stats(http)).GetProperty("droppedBy").GetProperty("badPayload").GetInt64());
        Assert.DoesNotContain((await http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all"))!, a => a.GetProperty("deviceId").GetString() == "heat-1");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/devices/heat-1")).StatusCode);
    }

    [Fact]
    public async Task RefusedSignInsWithHugeUsernamesAreLoggedShortOnOneLineAndAsARate()
    {
        // Stock clients will not send such a username; a raw CONNECT will.
        var hostile = "FAKE\nwarn: forged log line\u202E" + new string('x', 65_000);
        for (var i = 0; i < 20; i++)
        {
            using var raw = await RawMqtt.Open(system.MqttPort);
            await raw.Send(RawMqtt.Connect(hostile, "nope"));
            Assert.True(await raw.ClosedByServer(Promptly));
        }

        var refused = system.Logs.Lines.Where(l => l.Text.Contains("MQTT connection refused")).Select(l => l.Text).ToList();
        Assert.InRange(refused.Count, 1, 2);
        Assert.All(refused, line =>
        {
            Assert.DoesNotContain('\n', line);
            Assert.DoesNotContain('\u202E', line);
            Assert.True(line.Length < 400, line);
        });
        Assert.DoesNotContain(system.Logs.Lines, l => l.Text.StartsWith("warn: forged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidUtf8PayloadsAreBadPayloadsNotStackTracesInTheLog()
    {
        using var http = await system.Operator();
        var before = (await Stats(http)).GetProperty("droppedBy").GetProperty("badPayload").GetInt64();
        using var device = await MqttDevices.Connect(system, "bad-input", "b");

        byte[] invalid = [.. Encoding.ASCII.GetBytes("{\"leak\": \""), 0xFF, 0xFE, .. Encoding.ASCII.GetBytes("\"}")];
        for (var i = 0; i < 10; i++)
        {
            await device.PublishAsync(new MQTTnet.MqttApplicationMessageBuilder().WithTopic("devices/bad-input/telemetry").WithPayload(invalid)
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        Assert.Equal(before + 10, (await Stats(http)).GetProperty("droppedBy").GetProperty("badPayload").GetInt64());
        Assert.DoesNotContain(system.Logs.Lines, l => l.Text.Contains("   at ", StringComparison.Ordinal) && l.Text.Contains("bad-input"));
    }

    [Fact]
    public async Task ADeviceKeepsAtMost64MetricNamesHoweverManyItInvents()
    {
        using var device = await MqttDevices.Connect(system, "bad-input", "b");
        foreach (var batch in new[] { "a", "b", "c" })
        {
            await device.Publish("devices/bad-input/telemetry", JsonSerializer.Serialize(Enumerable.Range(0, 60).ToDictionary(i => $"{batch}{i}", i => i)));
        }

        using var http = await system.Operator();
        var kept = (await http.GetFromJsonAsync<JsonElement>("/api/devices/bad-input")).GetProperty("lastReading");
        Assert.Equal(64, kept.EnumerateObject().Count());
    }

    [Fact]
    public async Task AChatteringSensorIsMarkedChatteringAndHeldSoItsAlertStaysShortWhateverItSends()
    {
        using var device = await MqttDevices.Connect(system, "chatter-1", "flip");
        for (var i = 0; i < 120; i++)
        {
            await device.Publish("devices/chatter-1/telemetry", """{"smoke": true}""");
            await device.Publish("devices/chatter-1/telemetry", """{"smoke": false}""");
        }

        using var http = await system.Operator();
        var id = (await http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all"))!.Single(a => a.GetProperty("deviceId").GetString() == "chatter-1").GetProperty("id").GetString();
        var alert = await http.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");

        // Raised, cleared, reactivated, cleared, reactivated: the third time within a minute it is chattering and held active.
        Assert.Equal(["raised", "cleared", "reactivated", "cleared", "reactivated"], alert.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        Assert.Equal((true, true, 3), (alert.GetProperty("chattering").GetBoolean(), alert.GetProperty("active").GetBoolean(), alert.GetProperty("occurrences").GetInt32()));
    }

    /// <summary>The server notices a closed socket a moment later: each refused try is itself the wait.</summary>
    private async Task<bool> ConnectsWithin(int attempts)
    {
        for (var i = 0; i < attempts; i++)
        {
            try
            {
                using var client = await MqttDevices.Connect(system, "smoke-102", "other-secret");
                return true;
            }
            catch (Exception)
            {
            }
        }

        return false;
    }

    private static async Task<JsonElement> Stats(HttpClient http) => await http.GetFromJsonAsync<JsonElement>("/api/stats");

    private static async Task<long> Closed(HttpClient http, string reason) =>
        (await Stats(http)).GetProperty("connectionsClosed").GetProperty(reason).GetInt64();
}
