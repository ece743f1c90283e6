using SafetyPatrol.Audit;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Audit;

[StatelessWorker]
public sealed class AuditGrain(IAuditStore store, [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IAuditGrain
{
    public async Task<AuditEntry> Record(AuditRecord record)
    {
        var now = time.GetUtcNow();
        var entry = new AuditEntry(Guid.CreateVersion7(now).ToString(), now, record.User, record.Action, record.Target, record.Detail, record.Address, record.Outcome)
        {
            SiteId = record.SiteId,
        };
        await store.Append(entry);
        return entry;
    }

    public Task<IReadOnlyList<AuditEntry>> Query(AuditQuery query) => store.QueryAudit(query);
}
