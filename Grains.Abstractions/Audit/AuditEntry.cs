using SafetyPatrol.Paging;

namespace SafetyPatrol.Audit;

/// <summary>
/// One line of the audit log (docs/interface.md §10): who did what, when, from where, and how it ended (the HTTP
/// status). Written once, never changed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AuditEntry(
    string Id,
    DateTimeOffset At,
    string User,
    string Action,
    string? Target,
    string? Detail,
    string? Address,
    int Outcome)
{
    /// <summary>The site of what the call named (docs/interface.md §13); null for what is of no site (accounts, sign-ins).</summary>
    [Id(8)]
    public string? SiteId { get; init; }
}

/// <summary>What a web host saw; the log gives it its id and time.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditRecord(string User, string Action, string? Target, string? Detail, string? Address, int Outcome)
{
    /// <summary>The site of what the call named; null for what is of no site.</summary>
    [Id(6)]
    public string? SiteId { get; init; }
}

/// <summary>Filter of <c>GET /api/audit</c>: <see cref="Action"/> matches a part of the action; <see cref="After"/> names where the last page ended.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, string? User = null, string? Action = null, int Limit = 1000, PageCursor? After = null)
{
    /// <summary>Entries of these sites and of no site (accounts, sign-ins: the system's); null for every entry.</summary>
    [Id(6)]
    public IReadOnlyList<string>? Sites { get; init; }
}

/// <summary>The audit log; there is no call that changes or removes an entry.</summary>
public interface IAuditGrain : IGrainWithIntegerKey
{
    Task<AuditEntry> Record(AuditRecord record);

    Task<IReadOnlyList<AuditEntry>> Query(AuditQuery query);
}
