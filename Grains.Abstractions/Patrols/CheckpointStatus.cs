namespace SafetyPatrol.Patrols;

/// <summary>A checkpoint on the patrol board and in the overdue list.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckpointStatus(
    string Id,
    string Name,
    string RoomId,
    string BuildingId,
    bool InActiveHours,
    DateTimeOffset? LastCheckInAt,
    string? LastOfficer,
    DateTimeOffset? DueAt,
    DateTimeOffset? OverdueAt,
    bool Overdue,
    int EscalationLevel,
    string? AlertId);

/// <summary>A round of a route: which checkpoints were visited, by whom, in which order.</summary>
[GenerateSerializer, Immutable]
public sealed record Round(
    string Id,
    string RouteId,
    string RouteName,
    DateTimeOffset StartsAt,
    DateTimeOffset DueAt,
    string Status,
    string? StartedBy,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<RoundVisit> Visits,
    IReadOnlyList<string> Missing)
{
    /// <summary>The site it is of (docs/interface.md §13); null when written before there were several (the first site).</summary>
    [Id(10)]
    public string? SiteId { get; init; }

    public const string Open = "open";
    public const string Completed = "completed";
    public const string Missed = "missed";

    /// <summary>Its deadline passed while the system was down: nobody watched it, so it is not called missed.</summary>
    public const string NotWatched = "not-watched";
}

/// <summary>One checkpoint visited in a round; <see cref="InOrder"/> is false when the route's order was not kept.</summary>
[GenerateSerializer, Immutable]
public sealed record RoundVisit(string CheckpointId, string Officer, DateTimeOffset At, bool InOrder);

[GenerateSerializer, Immutable]
public sealed record PatrolBoard(IReadOnlyList<Round> Rounds, IReadOnlyList<CheckpointStatus> Checkpoints);

/// <summary>A checkpoint as the officer page shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckpointInfo(
    string Id,
    string Name,
    string RoomId,
    string RoomName,
    string BuildingId,
    string BuildingName,
    IReadOnlyList<string> Checklist,
    int EveryMinutes,
    int GraceMinutes,
    string? ActiveHours,
    CheckpointStatus Status)
{
    /// <summary>A ledger's cron schedule (site time), when it has one instead of <see cref="EveryMinutes"/>.</summary>
    [Id(10)] public string? Schedule { get; init; }

    [Id(11)] public int? WithinMinutes { get; init; }

    /// <summary>The checklist items read off a gauge: the officer enters the value.</summary>
    [Id(12)] public IReadOnlyList<GaugeItem> Gauges { get; init; } = [];
}

/// <summary>A checklist item whose gauge value is compared with a device's metric.</summary>
[GenerateSerializer, Immutable]
public sealed record GaugeItem(string Item, string Device, string Metric, double Tolerance);
