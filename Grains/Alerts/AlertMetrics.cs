using System.Diagnostics.Metrics;

namespace SafetyPatrol.Grains.Alerts;

/// <summary>Alerts raised, by severity: <c>safetypatrol_alerts_raised_total{severity}</c> (docs/interface.md §12).</summary>
public static class AlertMetrics
{
    public const string MeterName = "SafetyPatrol.Alerts";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> RaisedCounter = Meter.CreateCounter<long>("safetypatrol.alerts.raised", description: "Alerts raised, by severity");

    public static void Raised(string severity) => RaisedCounter.Add(1, new KeyValuePair<string, object?>("severity", severity));
}
