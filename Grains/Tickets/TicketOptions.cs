using System.ComponentModel.DataAnnotations;

namespace SafetyPatrol.Grains.Tickets;

/// <summary>The <c>SafetyPatrol:Tickets</c> settings: how long a repair may wait (docs/interface.md §10).</summary>
public sealed class TicketOptions
{
    public const string Section = "SafetyPatrol:Tickets";

    /// <summary>A ticket not in progress this long after it was opened raises <c>ticket.overdue</c>.</summary>
    [Range(1, 7 * 24 * 60)]
    public int RespondWithinMinutes { get; set; } = 30;

    /// <summary>A ticket not done this long after it was opened raises <c>ticket.overdue</c>.</summary>
    [Range(1, 90 * 24)]
    public int CompleteWithinHours { get; set; } = 24;
}
