using SafetyPatrol.Alerts;

namespace SafetyPatrol.Grains.Storage;

/// <summary>Unresolved alerts of one severity at one site.</summary>
public sealed record OpenAlerts(string SiteId, string Severity, int Count);

/// <summary>The alert log: every alert with its history, queryable for the console.</summary>
public interface IAlertStore
{
    Task<Alert?> Get(string id);

    /// <summary>Inserts or replaces the alert (history included).</summary>
    Task Save(Alert alert);

    /// <summary>Alerts newest first, without their history.</summary>
    Task<IReadOnlyList<Alert>> Query(AlertQuery query);

    /// <summary>
    /// How many alerts are unresolved at each of <paramref name="sites"/> (null: every site) by severity, counted in the
    /// store (the district overview: no alert is read whole); one without a site is <paramref name="firstSite"/>'s.
    /// </summary>
    Task<IReadOnlyList<OpenAlerts>> OpenBySite(IReadOnlyList<string>? sites, string firstSite);
}
