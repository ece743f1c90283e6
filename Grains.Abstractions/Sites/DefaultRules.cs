using System.Text.Json;
using SafetyPatrol.Alerts;

namespace SafetyPatrol.Sites;

/// <summary>
/// Rules every site gets unless it defines a rule with the same id (documented in the README).
/// Power thresholds follow Chinese mains, 220 V −10 %/+7 % (GB/T 12325); medical oxygen
/// pipelines run at about 400 kPa, alarmed at ±20 %. Security: intrusion and a door opened count only while
/// the device's zone is armed; a forced door, a panic button and tamper always do.
/// </summary>
public static class DefaultRules
{
    public static IReadOnlyList<RuleDefinition> All { get; } =
    [
        new() { Id = "power-undervoltage", System = "power", Metric = "voltage", Below = 198, ForSeconds = 5, Deadband = 3, Severity = "major", Class = AlarmClass.Supervisory },
        new() { Id = "power-overvoltage", System = "power", Metric = "voltage", Above = 235.4, ForSeconds = 5, Deadband = 3, Severity = "major", Class = AlarmClass.Supervisory },
        new() { Id = "power-outage", System = "power", Metric = "mains", EqualTo = Json(false), Severity = "major", Class = AlarmClass.Supervisory },
        new() { Id = "power-breaker-tripped", System = "power", Metric = "breaker", EqualTo = Json("tripped"), Severity = "major", Class = AlarmClass.Supervisory },
        new() { Id = "power-ups-low", System = "power", Metric = "upsBattery", Below = 20, Deadband = 5, Severity = "minor", Class = AlarmClass.Trouble },
        new() { Id = "water-leak", System = "water", Metric = "leak", EqualTo = Json(true), Severity = "major", Class = AlarmClass.Supervisory },
        new() { Id = "water-low-pressure", System = "water", Metric = "pressure", Below = 1.5, ForSeconds = 30, Deadband = 0.2, Severity = "minor", Class = AlarmClass.Supervisory },
        new() { Id = "water-tank-low", System = "water", Metric = "level", Below = 20, Deadband = 5, Severity = "minor", Class = AlarmClass.Supervisory },
        new() { Id = "fire-smoke", System = "fire", Metric = "smoke", EqualTo = Json(true), Severity = "critical", Class = AlarmClass.Alarm },
        new() { Id = "fire-panel-alarm", System = "fire", Metric = "panel", EqualTo = Json("alarm"), Severity = "critical", Class = AlarmClass.Alarm },
        new() { Id = "fire-panel-trouble", System = "fire", Metric = "panel", EqualTo = Json("trouble"), Severity = "minor", Class = AlarmClass.Trouble },
        new() { Id = "fire-panel-supervisory", System = "fire", Metric = "panel", EqualTo = Json("supervisory"), Severity = "warning", Class = AlarmClass.Supervisory },
        new() { Id = "fire-heat", System = "fire", Metric = "heat", Above = 57, Deadband = 5, Severity = "critical", Class = AlarmClass.Alarm },
        new() { Id = "fire-sprinkler-pressure-low", System = "fire", Metric = "sprinklerPressure", Below = 1.0, ForSeconds = 30, Deadband = 0.1, Severity = "major", Class = AlarmClass.Supervisory },
        new() { Id = "gas-leak", System = "gas", Metric = "gasLeak", EqualTo = Json(true), Severity = "critical", Class = AlarmClass.Alarm },
        new() { Id = "gas-o2-pressure-low", System = "gas", Metric = "o2Pressure", Below = 320, ForSeconds = 10, Deadband = 10, Severity = "major", Class = AlarmClass.Supervisory },
        new() { Id = "gas-o2-pressure-high", System = "gas", Metric = "o2Pressure", Above = 480, ForSeconds = 10, Deadband = 10, Severity = "major", Class = AlarmClass.Supervisory },
        new() { Id = "security-intrusion", System = "security", Metric = "intrusion", EqualTo = Json(true), WhenArmed = true, Severity = "critical", Class = AlarmClass.Alarm },
        new() { Id = "security-door-forced", System = "security", Metric = "forced", EqualTo = Json(true), Severity = "critical", Class = AlarmClass.Alarm },
        new() { Id = "security-door-opened-armed", System = "security", Metric = "door", EqualTo = Json("open"), WhenArmed = true, Severity = "critical", Class = AlarmClass.Alarm },
        new() { Id = "security-door-held-open", System = "security", Metric = "door", EqualTo = Json("open"), ForSeconds = 120, ForSecondsFrom = SiteValidator.HeldOpenSeconds, Severity = "major", Class = AlarmClass.Supervisory },
        new() { Id = "security-video-lost", System = "security", Metric = "video", EqualTo = Json("lost"), Severity = "major", Class = AlarmClass.Trouble },
        new() { Id = "security-not-recording", System = "security", Metric = "recording", EqualTo = Json(false), Severity = "major", Class = AlarmClass.Trouble },
        new() { Id = "security-storage-fault", System = "security", Metric = "storage", EqualTo = Json("fault"), Severity = "minor", Class = AlarmClass.Trouble },
        new() { Id = "security-panic", System = "security", Metric = "panic", EqualTo = Json(true), ExemptFromDrills = true, Severity = "critical", Class = AlarmClass.Alarm },
        new() { Id = "device-tamper", Type = "device.tamper", System = SiteValidator.AnySystem, Metric = "tamper", EqualTo = Json(true), Severity = "major", Class = AlarmClass.Trouble },
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
