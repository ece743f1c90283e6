using System.Text.Json;

namespace SafetyPatrol.Sites;

/// <summary>
/// Rules every site gets unless it defines a rule with the same id (documented in the README).
/// Power thresholds follow Chinese mains, 220 V −10 %/+7 % (GB/T 12325); medical oxygen
/// pipelines run at about 400 kPa, alarmed at ±20 %.
/// </summary>
public static class DefaultRules
{
    public static IReadOnlyList<RuleDefinition> All { get; } =
    [
        new() { Id = "power-undervoltage", System = "power", Metric = "voltage", Below = 198, ForSeconds = 5, Deadband = 3, Severity = "major" },
        new() { Id = "power-overvoltage", System = "power", Metric = "voltage", Above = 235.4, ForSeconds = 5, Deadband = 3, Severity = "major" },
        new() { Id = "power-outage", System = "power", Metric = "mains", EqualTo = Json(false), Severity = "major" },
        new() { Id = "power-breaker-tripped", System = "power", Metric = "breaker", EqualTo = Json("tripped"), Severity = "major" },
        new() { Id = "power-ups-low", System = "power", Metric = "upsBattery", Below = 20, Deadband = 5, Severity = "minor" },
        new() { Id = "water-leak", System = "water", Metric = "leak", EqualTo = Json(true), Severity = "major" },
        new() { Id = "water-low-pressure", System = "water", Metric = "pressure", Below = 1.5, ForSeconds = 30, Deadband = 0.2, Severity = "minor" },
        new() { Id = "water-tank-low", System = "water", Metric = "level", Below = 20, Deadband = 5, Severity = "minor" },
        new() { Id = "fire-smoke", System = "fire", Metric = "smoke", EqualTo = Json(true), Severity = "critical" },
        new() { Id = "fire-panel-alarm", System = "fire", Metric = "panel", EqualTo = Json("alarm"), Severity = "critical" },
        new() { Id = "fire-panel-trouble", System = "fire", Metric = "panel", EqualTo = Json("trouble"), Severity = "minor" },
        new() { Id = "fire-panel-supervisory", System = "fire", Metric = "panel", EqualTo = Json("supervisory"), Severity = "warning" },
        new() { Id = "fire-heat", System = "fire", Metric = "heat", Above = 57, Deadband = 5, Severity = "critical" },
        new() { Id = "fire-sprinkler-pressure-low", System = "fire", Metric = "sprinklerPressure", Below = 1.0, ForSeconds = 30, Deadband = 0.1, Severity = "major" },
        new() { Id = "gas-leak", System = "gas", Metric = "gasLeak", EqualTo = Json(true), Severity = "critical" },
        new() { Id = "gas-o2-pressure-low", System = "gas", Metric = "o2Pressure", Below = 320, ForSeconds = 10, Deadband = 10, Severity = "major" },
        new() { Id = "gas-o2-pressure-high", System = "gas", Metric = "o2Pressure", Above = 480, ForSeconds = 10, Deadband = 10, Severity = "major" },
    ];

    /// <summary>The default rules with the site's own rules laid over them by id.</summary>
    public static IReadOnlyList<RuleDefinition> Merge(IEnumerable<RuleDefinition> siteRules)
    {
        var merged = All.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var rule in siteRules)
        {
            merged[rule.Id] = rule;
        }

        return [.. merged.Values];
    }

    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value);
}
