using SafetyPatrol.Alerts;
using SafetyPatrol.Patrols;
using SafetyPatrol.Tickets;
using SafetyPatrol.Visitors;

namespace SafetyPatrol.Reports;

/// <summary>
/// The daily or monthly report for the school's leadership (docs/interface.md §10): what was inspected and missed,
/// what was found, what alarmed, how rounds went, what was repaired. Periods are whole days in the site's time.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Report(
    string Kind,
    string Period,
    string Site,
    string TimeZone,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<InspectionLine> Inspections,
    IReadOnlyList<FindingLine> Findings,
    IReadOnlyList<AlertCount> Alerts,
    RoundSummary Rounds,
    TicketSummary Tickets,
    IReadOnlyList<ClassCount>? ByClass = null,
    IReadOnlyList<Visitor>? Visitors = null);

/// <summary>Alerts raised in the period by alarm class (alarm, supervisory, trouble).</summary>
[GenerateSerializer, Immutable]
public sealed record ClassCount(string Class, int Count);

/// <summary>One checkpoint over the period: inspections done, and missed (each time it went overdue).</summary>
[GenerateSerializer, Immutable]
public sealed record InspectionLine(string CheckpointId, string Name, string Building, string Room, int Done, int Missed, int Findings, DateTimeOffset? LastAt, string? LastOfficer);

[GenerateSerializer, Immutable]
public sealed record FindingLine(DateTimeOffset At, string CheckpointId, string Checkpoint, string Item, string? Note, string Officer, double? Value, string? PhotoId);

[GenerateSerializer, Immutable]
public sealed record AlertCount(string Type, string Severity, int Count, string? Class = null);

[GenerateSerializer, Immutable]
public sealed record RoundSummary(int Total, int Completed, int Missed, int Open);

[GenerateSerializer, Immutable]
public sealed record TicketSummary(int Opened, int Done, int SignedOff, int OpenAtEnd, int Overdue, IReadOnlyList<Ticket> Items);

/// <summary>What the next shift needs to know (docs/interface.md §10): what is still open now, and what happened since <see cref="From"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record Handover(
    DateTimeOffset From,
    DateTimeOffset At,
    IReadOnlyList<Alert> OpenAlerts,
    IReadOnlyList<CheckpointStatus> OverdueCheckpoints,
    IReadOnlyList<Ticket> OpenTickets,
    IReadOnlyList<AlertCount> AlertsSince,
    int CheckInsSince,
    IReadOnlyList<FindingLine> FindingsSince,
    RoundSummary RoundsSince,
    IReadOnlyList<Visitor>? VisitorsOnSite = null,
    int VisitorsSince = 0);

public interface IReportGrain : IGrainWithIntegerKey
{
    /// <summary>The report of one day of site <paramref name="siteId"/>'s calendar (null: the first site); null for an unknown site.</summary>
    Task<Report?> Daily(DateOnly date, string? siteId);

    /// <summary>The report of one month of a site's calendar (as <see cref="Daily"/>).</summary>
    Task<Report?> Monthly(int year, int month, string? siteId);

    /// <summary>For the shift coming on at a site (as <see cref="Daily"/>); <paramref name="from"/> defaults to 12 hours ago.</summary>
    Task<Handover?> Handover(DateTimeOffset? from, string? siteId);
}
