namespace SafetyPatrol.Grains.Rules;

/// <summary>Names and units of the standard metrics (docs/interface.md §3), for alert messages.</summary>
public static class MetricLabels
{
    private static readonly Dictionary<string, (string Label, string Unit)> Known = new(StringComparer.Ordinal)
    {
        ["voltage"] = ("Voltage", " V"),
        ["current"] = ("Current", " A"),
        ["mains"] = ("Mains power", ""),
        ["upsBattery"] = ("UPS battery", " %"),
        ["breaker"] = ("Breaker", ""),
        ["pressure"] = ("Water pressure", " bar"),
        ["leak"] = ("Water leak", ""),
        ["flow"] = ("Flow", " L/min"),
        ["level"] = ("Tank level", " %"),
        ["smoke"] = ("Smoke", ""),
        ["heat"] = ("Heat", " °C"),
        ["panel"] = ("Fire panel", ""),
        ["sprinklerPressure"] = ("Sprinkler pressure", " bar"),
        ["o2Pressure"] = ("Oxygen pressure", " kPa"),
        ["gasLeak"] = ("Gas leak", ""),
        ["intrusion"] = ("Intrusion", ""),
        ["door"] = ("Door", ""),
        ["forced"] = ("Door forced", ""),
        ["video"] = ("Video", ""),
        ["recording"] = ("Recording", ""),
        ["storage"] = ("Video storage", ""),
        ["panic"] = ("Panic button", ""),
        ["tamper"] = ("Tamper", ""),
    };

    public static (string Label, string Unit) For(string metric) =>
        Known.TryGetValue(metric, out var known) ? known : (metric, "");
}
