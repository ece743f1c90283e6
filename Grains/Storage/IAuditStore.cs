using SafetyPatrol.Audit;

namespace SafetyPatrol.Grains.Storage;

/// <summary>The audit log: appended to, read, never updated.</summary>
public interface IAuditStore
{
    Task Append(AuditEntry entry);

    /// <summary>Entries newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAudit(AuditQuery query);
}
