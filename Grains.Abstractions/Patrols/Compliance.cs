namespace SafetyPatrol.Patrols;

/// <summary>
/// A site's ledger compliance (docs/interface.md §13), counted as it happens: inspections done before they were
/// overdue, and inspections due that were not done in time, per day of the site's calendar. Keyed by site id; the
/// counts are kept in the store, where the district overview reads every site's at once.
/// </summary>
public interface IComplianceGrain : IGrainWithStringKey
{
    /// <summary>A check-in at a checkpoint that was not overdue.</summary>
    Task OnTime(DateTimeOffset at);

    /// <summary>A checkpoint became overdue, or stayed unvisited a further interval: one inspection not done in time.</summary>
    Task Missed(DateTimeOffset at);
}

/// <summary>Inspections on time and missed; <see cref="Rate"/> is the share on time, null when none was due.</summary>
[GenerateSerializer, Immutable]
public sealed record ComplianceCounts([property: Id(0)] int OnTime, [property: Id(1)] int Missed)
{
    public double? Rate => OnTime + Missed == 0 ? null : Math.Round((double)OnTime / (OnTime + Missed), 4);
}

/// <summary>Every site on one screen (docs/interface.md §13), sorted worst first.</summary>
public interface IDistrictGrain : IGrainWithIntegerKey
{
    /// <summary>The overview of <paramref name="sites"/> (null: every site).</summary>
    Task<IReadOnlyList<SiteOverview>> Overview(IReadOnlyList<string>? sites);

    /// <summary>Each site's compliance over one month of its own calendar.</summary>
    Task<IReadOnlyList<SiteCompliance>> Monthly(int year, int month, IReadOnlyList<string>? sites);
}

[GenerateSerializer, Immutable]
public sealed record SiteOverview(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? WorstSeverity,
    [property: Id(3)] int OpenAlerts,
    [property: Id(4)] int OverdueInspections,
    [property: Id(5)] ComplianceCounts Last7Days,
    [property: Id(6)] ComplianceCounts Last30Days);

[GenerateSerializer, Immutable]
public sealed record SiteCompliance(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Month,
    [property: Id(3)] int Checkpoints,
    [property: Id(4)] ComplianceCounts Counts);
