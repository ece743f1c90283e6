using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Storage;

/// <summary>One day of a site's calendar: inspections on time and missed (docs/interface.md §13).</summary>
public sealed record ComplianceDay(string SiteId, DateOnly Day, ComplianceCounts Counts);

/// <summary>Ledger compliance per site and day, so that the district overview reads every site in one query.</summary>
public interface IComplianceStore
{
    /// <summary>Adds to a day's counts.</summary>
    Task AddCompliance(string siteId, DateOnly day, int onTime, int missed);

    /// <summary>Sets a day's counts (an upgrade bringing counts kept elsewhere before): doing it twice changes nothing.</summary>
    Task SetCompliance(string siteId, DateOnly day, ComplianceCounts counts);

    /// <summary>The days from <paramref name="first"/> up to, not including, <paramref name="end"/> of <paramref name="sites"/> (null: every site).</summary>
    Task<IReadOnlyList<ComplianceDay>> ComplianceDays(DateOnly first, DateOnly end, IReadOnlyList<string>? sites);
}
