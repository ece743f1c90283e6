using SafetyPatrol.Visitors;

namespace SafetyPatrol.Grains.Storage;

/// <summary>
/// Visits, kept for <c>SafetyPatrol:Visitors:RetentionDays</c> after departure and then deleted. The store is the
/// visitor grains' only storage, so deleting a row leaves nothing of the visitor behind.
/// </summary>
public interface IVisitorStore
{
    Task SaveVisitor(VisitorRecord record);

    Task<VisitorRecord?> GetVisitor(string id);

    /// <summary>Visitors newest first.</summary>
    Task<IReadOnlyList<Visitor>> QueryVisitors(VisitorQuery query);

    /// <summary>How many visits there have been with this ID-card hash.</summary>
    Task<int> CountVisits(string idHash);

    /// <summary>Deletes visits that ended before <paramref name="departedBefore"/>, with their photos; returns how many visits.</summary>
    Task<int> PruneVisitors(DateTimeOffset departedBefore);
}

/// <summary>A visit as stored: the visitor, the hash of the ID-card number, and the overdue alarm's state.</summary>
public sealed class VisitorRecord
{
    public required Visitor Visitor { get; set; }

    public required string IdHash { get; init; }

    /// <summary>The visitor's <c>visitor.overdue</c> alert, as <see cref="Alerts.AlertSlots"/> keeps it.</summary>
    public Dictionary<string, string> AlertIds { get; init; } = [];

    /// <summary>Escalation steps taken since it became overdue.</summary>
    public int Escalations { get; set; }
}
