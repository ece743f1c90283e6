namespace SafetyPatrol.Patrols;

/// <summary>One checklist answer in a check-in: the gauge value read for a gauge item, a photo of a failed one.</summary>
[GenerateSerializer, Immutable]
public sealed record Finding(string Item, bool Ok, string? Note = null, double? Value = null, string? PhotoId = null);

/// <summary>A recorded check-in (docs/interface.md §6 <c>checkInRecorded</c>); server time is the time of record.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckIn(
    string Id,
    string CheckpointId,
    string RoomId,
    string BuildingId,
    string Officer,
    DateTimeOffset At,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>The site it is of (docs/interface.md §13); null when written before there were several (the first site).</summary>
    [Id(7)]
    public string? SiteId { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record CheckInRequest(string Officer, string Code, IReadOnlyList<Finding> Findings);

public enum CheckInOutcome
{
    Recorded,

    /// <summary>The same officer checked in here less than a minute ago; that check-in stands.</summary>
    Duplicate,
    WrongCode,
    UnknownCheckpoint,

    /// <summary>Too many wrong codes from this officer here lately; <see cref="CheckInResult.RetryAfter"/> says when to try again.</summary>
    TooManyWrongCodes,

    /// <summary>A finding names an item that is not on this checkpoint's checklist.</summary>
    NotOnChecklist,
}

[GenerateSerializer, Immutable]
public sealed record CheckInResult(CheckInOutcome Outcome, CheckIn? CheckIn, TimeSpan? RetryAfter = null);

/// <summary>Filter of <c>GET /api/checkins</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckInQuery(string? CheckpointId, string? Officer, DateTimeOffset? From, DateTimeOffset? To, int Limit = 500)
{
    /// <summary>Only these sites' (null: every site); one without a site is <see cref="FirstSite"/>'s.</summary>
    [Id(5)]
    public IReadOnlyList<string>? Sites { get; init; }

    [Id(6)]
    public string? FirstSite { get; init; }
}

/// <summary>Filter of <c>GET /api/rounds</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record RoundQuery(string? RouteId, DateTimeOffset? From, DateTimeOffset? To, int Limit = 500)
{
    /// <summary>Only these sites' (null: every site); one without a site is <see cref="FirstSite"/>'s.</summary>
    [Id(4)]
    public IReadOnlyList<string>? Sites { get; init; }

    [Id(5)]
    public string? FirstSite { get; init; }
}
