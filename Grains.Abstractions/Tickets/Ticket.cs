namespace SafetyPatrol.Tickets;

/// <summary>
/// A repair ticket (docs/interface.md §10): open → assigned → in-progress → done → signed-off, the last by the
/// person who reported it (the seed's signed repair slip, 签单制) or an operator.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Ticket(
    string Id,
    string Title,
    string Status,
    string Reporter,
    DateTimeOffset CreatedAt,
    string? BuildingId,
    string? RoomId,
    string? Description,
    string? AlertId,
    string? Assignee,
    DateTimeOffset? StartedAt,
    DateTimeOffset? DoneAt,
    DateTimeOffset? SignedOffAt,
    string? SignedOffBy,
    bool Overdue,
    IReadOnlyList<TicketEvent> History)
{
    /// <summary>The site it is of (docs/interface.md §13); null when written before there were several (the first site).</summary>
    [Id(16)]
    public string? SiteId { get; init; }
}

/// <summary>One step in a ticket's life: created, assigned, in-progress, done, signed-off, rejected, overdue.</summary>
[GenerateSerializer, Immutable]
public sealed record TicketEvent(DateTimeOffset At, string By, string Action, string? Note)
{
    /// <summary>A note the system wrote: its key among the console's <c>msg.*</c> strings (<see cref="Note"/> is the English).</summary>
    [Id(4)] public string? NoteKey { get; init; }

    /// <summary>The values <see cref="NoteKey"/>'s string is filled in with.</summary>
    [Id(5)] public IReadOnlyDictionary<string, string>? NoteArgs { get; init; }
}

public static class TicketStatus
{
    public const string Open = "open";
    public const string Assigned = "assigned";
    public const string InProgress = "in-progress";
    public const string Done = "done";
    public const string SignedOff = "signed-off";

    /// <summary>The statuses a PATCH may set.</summary>
    public static bool CanBeSet(string? status) => status is Assigned or InProgress or Done;
}

/// <summary>What <c>POST /api/tickets</c> asks for; the reporter is the caller.</summary>
[GenerateSerializer, Immutable]
public sealed record NewTicket(string Title, string? BuildingId, string? RoomId, string? Description, string? AlertId, string? Assignee, string Reporter)
{
    /// <summary>Set by the ticket desk from the room or building.</summary>
    [Id(7)]
    public string? SiteId { get; init; }
}

/// <summary>A PATCH: by whom, and whether they work tickets as a technician (only their own, and cannot reassign).</summary>
[GenerateSerializer, Immutable]
public sealed record TicketChange(string? Status, string? Assignee, string? Note, string By, bool AsTechnician);

[GenerateSerializer, Immutable]
public sealed record TicketSignOff(bool Accepted, string Note, string By, bool AsOperator);

public enum TicketOutcome
{
    Done,
    NotFound,

    /// <summary>Not this caller's ticket to change.</summary>
    Forbidden,

    /// <summary>Not possible in the ticket's status (the message says why).</summary>
    Conflict,
}

[GenerateSerializer, Immutable]
public sealed record TicketResult(TicketOutcome Outcome, Ticket? Ticket, ProblemText? Problem = null);

/// <summary>Filter of <c>GET /api/tickets</c>; <see cref="Open"/> = not signed off.</summary>
[GenerateSerializer, Immutable]
public sealed record TicketQuery(string? Status = null, string? Assignee = null, string? Reporter = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 500)
{
    /// <summary>Only these sites' (null: every site); one without a site is <see cref="FirstSite"/>'s.</summary>
    [Id(6)]
    public IReadOnlyList<string>? Sites { get; init; }

    [Id(7)]
    public string? FirstSite { get; init; }
}

/// <summary>One repair ticket.</summary>
public interface ITicketGrain : SafetyPatrol.Devices.IDeadlineTarget, IGrainWithStringKey
{
    Task<Ticket> Open(NewTicket ticket);

    Task<Ticket?> Get();

    Task<TicketResult> Change(TicketChange change);

    Task<TicketResult> SignOff(TicketSignOff signOff);

    /// <summary>Activates the ticket so its SLA timers are watched.</summary>
    Task Start();
}

/// <summary>Opens tickets (checking their place and alert) and lists them.</summary>
public interface ITicketDeskGrain : IGrainWithIntegerKey
{
    /// <summary>The ticket, or why it cannot be opened (an unknown building, room or alert).</summary>
    Task<TicketResult> Create(NewTicket ticket);

    Task<IReadOnlyList<Ticket>> Query(TicketQuery query);
}
