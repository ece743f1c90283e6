using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Alerts;

[StatelessWorker]
public sealed class AlertQueryGrain(IAlertStore store) : Grain, IAlertQueryGrain
{
    public Task<IReadOnlyList<Alert>> Query(AlertQuery query) => store.Query(query);
}
