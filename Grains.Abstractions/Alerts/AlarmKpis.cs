namespace SafetyPatrol.Alerts;

/// <summary>
/// Alarm-load figures over a period (docs/interface.md §9, after ISA-18.2 and EEMUA 191): what an operator was
/// asked to handle. An alarm is each time a condition became true (an alert's occurrences); alarms
/// suppressed by a repair or a drill never reached the operator and are counted apart.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AlarmKpis(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] int Alarms,
    [property: Id(3)] double AveragePerTenMinutes,
    [property: Id(4)] int PeakPerTenMinutes,
    [property: Id(5)] double FloodShare,
    [property: Id(6)] IReadOnlyList<SourceCount> TopSources,
    [property: Id(7)] int Stale,
    [property: Id(8)] IReadOnlyDictionary<string, int> BySeverity,
    [property: Id(9)] double? MeanSecondsToAcknowledge,
    [property: Id(10)] int Suppressed,
    [property: Id(11)] double TargetPerTenMinutes = AlarmKpis.Target)
{
    /// <summary>ISA-18.2's steady-state goal: about one alarm per 10 minutes per operator.</summary>
    public const double Target = 1;

    /// <summary>More than this many alarms in 10 minutes is a flood.</summary>
    public const int FloodAbove = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>Unresolved for longer than this is stale.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(24);

    /// <summary>The figures for alerts raised in [from, to); <paramref name="alerts"/> may hold others.</summary>
    public static AlarmKpis Compute(IEnumerable<Alert> alerts, DateTimeOffset from, DateTimeOffset to)
    {
        var inPeriod = alerts.Where(a => a.RaisedAt >= from && a.RaisedAt < to).ToList();
        var shown = inPeriod.Where(a => a.Suppressed is null).ToList();
        var windows = Math.Max(1, (int)Math.Ceiling((to - from) / Window));
        var perWindow = new int[windows];
        foreach (var alert in shown)
        {
            // Occurrences after the first are not timed one by one: they count in the window the alert was raised in.
            perWindow[Math.Min(windows - 1, (int)((alert.RaisedAt - from) / Window))] += Math.Max(1, alert.Occurrences);
        }

        var alarms = perWindow.Sum();
        var acknowledged = shown.Where(a => a.AcknowledgedAt is not null).Select(a => (a.AcknowledgedAt!.Value - a.RaisedAt).TotalSeconds).ToList();
        return new AlarmKpis(
            from,
            to,
            alarms,
            Math.Round((double)alarms / windows, 2),
            perWindow.Max(),
            Math.Round((double)perWindow.Count(n => n > FloodAbove) / windows, 3),
            [.. shown.GroupBy(a => a.Source ?? a.Type)
                .Select(g => new SourceCount(g.Key, g.Sum(a => Math.Max(1, a.Occurrences))))
                .OrderByDescending(s => s.Alarms).ThenBy(s => s.Source, StringComparer.Ordinal).Take(10)],
            alerts.Count(a => !a.IsResolved && a.RaisedAt < to - StaleAfter),
            new[] { Severities.Critical, Severities.Major, Severities.Minor, Severities.Warning }.ToDictionary(s => s, s => shown.Count(a => a.Severity == s)),
            acknowledged.Count > 0 ? Math.Round(acknowledged.Average(), 1) : null,
            inPeriod.Count - shown.Count);
    }
}

/// <summary>A source (device, checkpoint or route) and how many alarms it gave.</summary>
[GenerateSerializer, Immutable]
public sealed record SourceCount([property: Id(0)] string Source, [property: Id(1)] int Alarms);
