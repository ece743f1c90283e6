using SafetyPatrol.Alerts;

namespace SafetyPatrol.Grains.Storage;

/// <summary>The alert log: every alert with its history, queryable for the console.</summary>
public interface IAlertStore
{
    Task<Alert?> Get(string id);

    /// <summary>Inserts or replaces the alert (history included).</summary>
    Task Save(Alert alert);

    /// <summary>Alerts newest first, without their history.</summary>
    Task<IReadOnlyList<Alert>> Query(AlertQuery query);
}
