using SafetyPatrol.Alerts;

namespace SafetyPatrol.Grains.Tests;

public sealed class AlarmKpiTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AFloodInOneWindowAChatteringSourceAndAStaleAlertShowInTheFiguresAndSuppressedOnesAreCountedApart()
    {
        List<Alert> alerts =
        [
            // A flood: twelve devices in the first ten minutes, acknowledged 30 s later.
            .. Enumerable.Range(1, 12).Select(i => Alert($"off-{i}", From.AddSeconds(i * 10), Severities.Major, acknowledgedAfter: 30)),
            // One source going off three times, in the fourth window.
            Alert("pump-7", From.AddMinutes(35), Severities.Minor, occurrences: 3),
            // A drill's alarm: the operator never saw it.
            Alert("drill-1", From.AddMinutes(40), Severities.Critical) with { Suppressed = Suppression.DrillReason },
            // Unresolved since the day before.
            Alert("old-leak", From.AddHours(-30), Severities.Warning),
            // Outside the period.
            Alert("later", From.AddHours(2), Severities.Critical),
        ];

        var kpis = AlarmKpis.Compute(alerts, From, From.AddHours(1));

        Assert.Equal((15, 2.5, 12), (kpis.Alarms, kpis.AveragePerTenMinutes, kpis.PeakPerTenMinutes));
        Assert.Equal(0.167, kpis.FloodShare);
        Assert.Equal(new SourceCount("pump-7", 3), kpis.TopSources[0]);
        Assert.Equal(10, kpis.TopSources.Count);
        Assert.Equal((1, 1), (kpis.Stale, kpis.Suppressed));
        Assert.Equal((12, 1, 0), (kpis.BySeverity[Severities.Major], kpis.BySeverity[Severities.Minor], kpis.BySeverity[Severities.Critical]));
        Assert.Equal(30, kpis.MeanSecondsToAcknowledge);
        Assert.Equal(1, kpis.TargetPerTenMinutes);
    }

    private static Alert Alert(string source, DateTimeOffset at, string severity, int occurrences = 1, double? acknowledgedAfter = null) => new()
    {
        Id = Guid.NewGuid().ToString(), Type = "device.offline", Category = "device", Severity = severity, Message = source,
        Status = acknowledgedAfter is null ? AlertStatus.Open : AlertStatus.Acknowledged, DeviceId = source, RaisedAt = at, LastChangedAt = at,
        Occurrences = occurrences, AcknowledgedAt = acknowledgedAfter is { } s ? at.AddSeconds(s) : null,
    };
}
