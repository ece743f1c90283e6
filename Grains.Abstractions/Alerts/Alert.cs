using SafetyPatrol.Push;
using System.Text.Json.Serialization;

namespace SafetyPatrol.Alerts;

/// <summary>An alert as operators and outside tools see it (docs/interface.md §5).</summary>
[GenerateSerializer, Immutable]
public sealed record Alert : IVersionedPush
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Type { get; init; }
    [Id(2)] public required string Category { get; init; }
    [Id(3)] public required string Severity { get; init; }
    [Id(4)] public string Status { get; init; } = AlertStatus.Open;
    [Id(5)] public bool Active { get; init; } = true;
    [Id(6)] public string? BuildingId { get; init; }
    [Id(7)] public string? RoomId { get; init; }
    [Id(8)] public string? DeviceId { get; init; }
    [Id(9)] public string? CheckpointId { get; init; }
    [Id(10)] public string? RouteId { get; init; }
    [Id(11)] public required string Message { get; init; }

    /// <summary>The message for a console to render in its own language (docs/interface.md §9), absent for a site's own wording.</summary>
    [Id(29)] public string? MessageKey { get; init; }

    [Id(30)] public IReadOnlyDictionary<string, string>? MessageArgs { get; init; }
    [Id(12)] public double? Value { get; init; }
    [Id(13)] public double? Threshold { get; init; }
    [Id(14)] public DateTimeOffset RaisedAt { get; init; }
    [Id(15)] public DateTimeOffset LastChangedAt { get; init; }
    /// <summary>Activations: the times the condition became true (raised, and each time it came back after it cleared).</summary>
    [Id(16)] public int Occurrences { get; init; } = 1;

    /// <summary>Readings (or raises) that reported the condition again while it was active: no new activation.</summary>
    [Id(41)] public int Repeats { get; init; }

    [Id(17)] public int EscalationLevel { get; init; }
    [Id(18)] public string? AcknowledgedBy { get; init; }
    [Id(19)] public DateTimeOffset? AcknowledgedAt { get; init; }
    [Id(20)] public string? ResolvedBy { get; init; }
    [Id(21)] public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Inspection alerts: when the checkpoint became overdue.</summary>
    [Id(23)] public DateTimeOffset? DueAt { get; init; }

    /// <summary>Finding alerts: the checklist item that failed, and the officer's note.</summary>
    [Id(24)] public string? Item { get; init; }
    [Id(25)] public string? Note { get; init; }

    /// <summary>Patrol and finding alerts: the officer concerned.</summary>
    [Id(26)] public string? Officer { get; init; }

    /// <summary>Every change with who, when and note; present on <c>GET /api/alerts/{id}</c>.</summary>
    [Id(22)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AlertHistoryEntry>? History { get; init; }

    /// <summary>
    /// How many history entries were left out of <see cref="History"/>: it keeps the first and the
    /// latest ones, so a chattering source cannot grow an alert without limit.
    /// </summary>
    [Id(27)] public int HistoryOmitted { get; init; }

    /// <summary>The escalation ladder of docs/interface.md §8: since when it runs, and the steps taken (absent before the first).</summary>
    [Id(28)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AlertLadder? Ladder { get; init; }

    /// <summary>
    /// Shelved by an operator until then (docs/interface.md §9): still counted and shown, set apart, but not sounded,
    /// notified or escalated; it comes back by itself at that time.
    /// </summary>
    [Id(31)] public DateTimeOffset? ShelvedUntil { get; init; }

    [Id(32)] public string? ShelvedBy { get; init; }

    /// <summary>
    /// Raised while its device or room was out of service (<c>out-of-service</c>) or its building in a drill
    /// (<c>drill</c>): shown set apart, not sounded, notified or escalated (docs/interface.md §9).
    /// </summary>
    [Id(33)] public string? Suppressed { get; init; }

    /// <summary>The drill it was raised in, for the drill's report.</summary>
    [Id(34)] public string? DrillId { get; init; }

    /// <summary>
    /// Its condition went true and false three or more times within a minute (docs/interface.md §9): it is held
    /// active until the source has been steady for a minute, so it stops flickering on the console.
    /// </summary>
    [Id(35)] public bool Chattering { get; init; }

    /// <summary>Repair-ticket alerts (<c>ticket.overdue</c>): the ticket.</summary>
    [Id(36)] public string? TicketId { get; init; }

    /// <summary>Finding alerts: the photo the officer took of it.</summary>
    [Id(37)] public string? PhotoId { get; init; }

    [Id(38)] private string? _class;

    /// <summary>
    /// Alarm, supervisory or trouble (<see cref="AlarmClass"/>); an alert stored before classes existed takes
    /// the class of its category.
    /// </summary>
    public string Class { get => _class ?? AlarmClass.ForCategory(Category); init => _class = value; }

    /// <summary>Raised in full during a drill of its building (a panic button).</summary>
    [Id(39)] public bool ExemptFromDrills { get; init; }

    /// <summary>Visitor alerts (<c>visitor.overdue</c>): the visitor.</summary>
    [Id(40)] public string? VisitorId { get; init; }

    /// <summary>The site the alert is of (docs/interface.md §13); absent on alerts raised before there were several, which are the first site's.</summary>
    [Id(42)] public string? SiteId { get; init; }

    /// <summary>
    /// Rises with every change the consoles are sent (docs/interface.md, "Events that carry state"): a console keeps the
    /// highest it has of each alert, and a host sends each version once.
    /// </summary>
    [Id(43)] public long Version { get; init; }

    string IVersionedPush.PushKey => Id;

    [JsonIgnore]
    public bool IsResolved => Status == AlertStatus.Resolved;

    /// <summary>What raised it: the device, checkpoint, route or ticket.</summary>
    [JsonIgnore]
    public string? Source => DeviceId ?? CheckpointId ?? RouteId ?? TicketId ?? VisitorId;

    /// <summary>Whether it is shelved at that moment.</summary>
    public bool IsShelved(DateTimeOffset now) => ShelvedUntil > now;

    /// <summary>Kept from the operator at that moment: shelved or suppressed; not sounded, notified or escalated.</summary>
    public bool IsQuiet(DateTimeOffset now) => IsShelved(now) || Suppressed is not null;
}

/// <summary>One change in an alert's life.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertHistoryEntry(DateTimeOffset At, string Action, string? By, string? Note)
{
    /// <summary>A note the system wrote: its key among the console's <c>msg.*</c> strings, so each console shows it in its language (<see cref="Note"/> is the English).</summary>
    [Id(4)] public string? NoteKey { get; init; }

    /// <summary>The values <see cref="NoteKey"/>'s string is filled in with.</summary>
    [Id(5)] public IReadOnlyDictionary<string, string>? NoteArgs { get; init; }
}

/// <summary>An alert's escalation ladder: steps count from <see cref="From"/> (raised, or reactivated).</summary>
[GenerateSerializer, Immutable]
public sealed record AlertLadder(DateTimeOffset From, IReadOnlyList<LadderStep> Steps);

/// <summary>A step of the ladder taken (by route index), and the last reminder sent for it.</summary>
[GenerateSerializer, Immutable]
public sealed record LadderStep(int Route, DateTimeOffset TakenAt, DateTimeOffset? RemindedAt);
