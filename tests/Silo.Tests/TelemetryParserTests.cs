using System.Buffers;
using System.Text;
using SafetyPatrol.Devices;
using SafetyPatrol.Silo.Mqtt;

namespace SafetyPatrol.Silo.Tests;

/// <summary>The payload parser's keeping of metric names: one string per name, with the payload's meaning unchanged.</summary>
public sealed class TelemetryParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    // One test: the kept names are the process's, so filling them past the bound would change what another test here saw.
    [Fact]
    public void AMetricNameSentAgainIsTheSameStringAndNamesPastTheKeptOnesStillRead()
    {
        var first = Parse("""{"temperatureC":21.5,"doorOpen":true}""");
        var second = Parse("""{"temperatureC":22,"doorOpen":false}""");

        var firstName = first.Metrics.Keys.Single(k => k == "temperatureC");
        Assert.Same(firstName, second.Metrics.Keys.Single(k => k == "temperatureC"));
        Assert.Equal(21.5, first.Metrics["temperatureC"].Number);
        Assert.Equal(22, second.Metrics["temperatureC"].Number);
        Assert.Equal(true, first.Metrics["doorOpen"].Flag);
        Assert.Equal(false, second.Metrics["doorOpen"].Flag);

        // More distinct names than are kept: every one of them still comes back as sent, and a kept name stays kept.
        for (var i = 0; i < 4200; i++)
        {
            var name = $"probe-{Guid.NewGuid():N}";
            Assert.Equal(i, Parse($$"""{"{{name}}":{{i}}}""").Metrics[name].Number);
        }

        Assert.Same(firstName, Parse("""{"temperatureC":23}""").Metrics.Keys.Single());
    }

    [Fact]
    public void EscapedLongAndNonAsciiNamesReadAsTheyAreAndTsIsTheTimestamp()
    {
        var longName = new string('m', 65);
        var reading = Parse($$"""{"ts":1796457600000,"fl\u006fw":3,"{{longName}}":1,"水压":0.3,"status":"ok"}""");

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1796457600000), reading.At);
        Assert.Equal(new[] { "flow", longName, "水压", "status" }.Order(StringComparer.Ordinal), reading.Metrics.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, reading.Metrics["flow"].Number);
        Assert.Equal(0.3, reading.Metrics["水压"].Number);
        Assert.Equal("ok", reading.Metrics["status"].Text);
        Assert.False(reading.Metrics.ContainsKey("ts"));
    }

    [Fact]
    public void ANameThatIsNotUtf8IsABadPayload()
    {
        var payload = new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' };

        Assert.False(TelemetryParser.TryParse(new ReadOnlySequence<byte>(payload), Now, out var reading, out var reason));
        Assert.Null(reading);
        Assert.Equal(DropReason.BadPayload, reason);
    }

    private static Reading Parse(string json)
    {
        Assert.True(TelemetryParser.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), Now, out var reading, out var reason), reason.ToString());
        return reading!;
    }
}
