using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Tests;

/// <summary>The real alert log, which refuses every write while <see cref="Failing"/> is set, as the embedded store does on a full disk.</summary>
public sealed class FailingAlertStore(IAlertStore inner) : IAlertStore
{
    public volatile bool Failing;

    public Task<Alert?> Get(string id) => inner.Get(id);

    public Task Save(Alert alert) => Failing ? throw new StoreUnavailableException("database or disk is full (test)") : inner.Save(alert);

    public Task<IReadOnlyList<Alert>> Query(AlertQuery query) => inner.Query(query);

    public Task<IReadOnlyList<OpenAlerts>> OpenBySite(IReadOnlyList<string>? sites, string firstSite) => inner.OpenBySite(sites, firstSite);
}
