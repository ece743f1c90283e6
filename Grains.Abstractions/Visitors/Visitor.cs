namespace SafetyPatrol.Visitors;

/// <summary>
/// A visitor registered at the gate. The ID-card number is kept only masked (first 3 and last 4 characters);
/// a keyed hash of it, never shown, finds repeat visits.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Visitor(
    [property: Id(0)] string Id,
    [property: Id(1)] string Pass,
    [property: Id(2)] string Name,
    [property: Id(3)] string Phone,
    [property: Id(4)] string IdNumberMasked,
    [property: Id(5)] string HostName,
    [property: Id(6)] string HostRoomId,
    [property: Id(7)] string HostPlace,
    [property: Id(8)] string? BuildingId,
    [property: Id(9)] string Purpose,
    [property: Id(10)] DateTimeOffset ArrivedAt,
    [property: Id(11)] DateTimeOffset ExpectedDeparture,
    [property: Id(12)] string RegisteredBy,
    [property: Id(13)] int PreviousVisits,
    [property: Id(14)] string? PhotoId = null,
    [property: Id(15)] DateTimeOffset? DepartedAt = null,
    [property: Id(16)] string? CheckedOutBy = null,
    [property: Id(17)] bool Overdue = false)
{
    /// <summary>The site it is of (docs/interface.md §13); null when written before there were several (the first site).</summary>
    [Id(18)]
    public string? SiteId { get; init; }

    public bool OnSite => DepartedAt is null;
}

/// <summary>What the guard enters; checked by <see cref="IVisitorDeskGrain.Register"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record NewVisitor(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Phone,
    [property: Id(2)] string? IdNumber,
    [property: Id(3)] string? HostName,
    [property: Id(4)] string? HostRoomId,
    [property: Id(5)] string? Purpose,
    [property: Id(6)] DateTimeOffset? ExpectedDeparture,
    [property: Id(7)] string? PhotoId,
    [property: Id(8)] string RegisteredBy);

/// <summary>Filter of the visitor store: on site now, arrived in a period, a pass, a text in name or phone, an ID-card hash.</summary>
[GenerateSerializer, Immutable]
public sealed record VisitorQuery(
    [property: Id(0)] bool? OnSite = null,
    [property: Id(1)] DateTimeOffset? From = null,
    [property: Id(2)] DateTimeOffset? To = null,
    [property: Id(3)] string? Pass = null,
    [property: Id(4)] string? Text = null,
    [property: Id(5)] string? IdHash = null,
    [property: Id(6)] int Limit = 500)
{
    /// <summary>Only these sites' (null: every site); one without a site is <see cref="FirstSite"/>'s.</summary>
    [Id(7)]
    public IReadOnlyList<string>? Sites { get; init; }

    [Id(8)]
    public string? FirstSite { get; init; }
}

/// <summary>
/// What <c>GET /api/visitors</c> asks: <see cref="Day"/> is a day of each site's own calendar, <see cref="IdNumber"/> as typed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record VisitorSearch(
    [property: Id(0)] bool? OnSite = null,
    [property: Id(1)] DateOnly? Day = null,
    [property: Id(2)] string? Pass = null,
    [property: Id(3)] string? Text = null,
    [property: Id(4)] string? IdNumber = null,
    [property: Id(5)] int Limit = 500)
{
    /// <summary>Only visitors of these sites (null: every site).</summary>
    [Id(7)]
    public IReadOnlyList<string>? Sites { get; init; }
}

/// <summary>A room a visitor may be going to, for the gate's picker.</summary>
[GenerateSerializer, Immutable]
public sealed record VisitorPlace([property: Id(0)] string RoomId, [property: Id(1)] string Building, [property: Id(2)] string Room);

public enum VisitorOutcome
{
    Done,
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>The visitor, or why not: <see cref="Problems"/> by field for <see cref="VisitorOutcome.Invalid"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record VisitorResult(
    [property: Id(0)] VisitorOutcome Outcome,
    [property: Id(1)] Visitor? Visitor,
    [property: Id(2)] IReadOnlyDictionary<string, ProblemText>? Problems = null);

/// <summary>One visit and its overdue alarm, keyed by the visitor's id.</summary>
public interface IVisitorGrain : Devices.IDeadlineTarget, IGrainWithStringKey
{
    /// <summary>Activates it so its expected departure is watched.</summary>
    Task Start();

    /// <summary>Called once by the desk with a checked visitor and the keyed hash of the ID-card number.</summary>
    Task<Visitor> Register(Visitor visitor, string idHash);

    Task<Visitor?> Get();

    Task<VisitorResult> CheckOut(string by);
}

/// <summary>The gate's desk: checks and registers visitors, finds them.</summary>
public interface IVisitorDeskGrain : IGrainWithIntegerKey
{
    Task<VisitorResult> Register(NewVisitor visitor);

    Task<IReadOnlyList<Visitor>> Find(VisitorSearch search);

    /// <summary>The site's rooms in site order, named with their building.</summary>
    Task<IReadOnlyList<VisitorPlace>> Places();

    Task<VisitorResult> CheckOutByPass(string pass, string by);
}
