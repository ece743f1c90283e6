using System.Globalization;
using System.Text;

namespace SafetyPatrol.Devices;

/// <summary>
/// What a device of each model publishes while all is well, with a little noise, as MQTT telemetry (JSON): the
/// simulator's devices and the demo's own feed send the same.
/// </summary>
public static class NormalTelemetry
{
    public static byte[] Of(string? model, Random random)
    {
        string N(double mean, double spread) => (mean + (random.NextDouble() * 2 - 1) * spread).ToString("0.##", CultureInfo.InvariantCulture);
        var json = model switch
        {
            "power-meter" or "distribution-panel" => $$"""{"voltage":{{N(221, 4)}},"current":{{N(12, 5)}},"mains":true}""",
            "ups" => $$"""{"voltage":{{N(220, 2)}},"upsBattery":{{N(98, 2)}},"mains":true}""",
            "breaker-monitor" => """{"breaker":"on"}""",
            "leak-sensor" => """{"leak":false}""",
            "pressure-sensor" => $$"""{"pressure":{{N(3.2, 0.2)}},"flow":{{N(40, 15)}}}""",
            "level-sensor" => $$"""{"level":{{N(75, 5)}}}""",
            "smoke-detector" => """{"smoke":false}""",
            "heat-detector" => $$"""{"heat":{{N(26, 3)}}}""",
            "fire-alarm-panel" => """{"panel":"normal"}""",
            "sprinkler-gauge" => $$"""{"sprinklerPressure":{{N(10, 0.5)}}}""",
            "gas-detector" or "o2-leak-detector" => """{"gasLeak":false}""",
            "o2-manifold" or "o2-outlet-gauge" => $$"""{"o2Pressure":{{N(400, 8)}}}""",
            "perimeter-beam" or "fence-sensor" => """{"intrusion":false}""",
            "door-contact" => """{"door":"closed"}""",
            "camera" or "nvr" => """{"video":"ok","recording":true,"storage":"ok"}""",
            "panic-button" => """{"panic":false}""",
            _ => """{"smoke":false}""",
        };
        return Encoding.UTF8.GetBytes(json);
    }
}
