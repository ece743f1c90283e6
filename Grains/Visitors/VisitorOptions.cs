using System.ComponentModel.DataAnnotations;

namespace SafetyPatrol.Grains.Visitors;

/// <summary>Settings <c>SafetyPatrol:Visitors</c>: when a visitor is overdue, how it escalates, how long visits are kept.</summary>
public sealed class VisitorOptions
{
    public const string Section = "SafetyPatrol:Visitors";

    /// <summary>After the expected departure, how long before <c>visitor.overdue</c> is raised.</summary>
    [Range(0, 1440)]
    public int GraceMinutes { get; set; } = 30;

    /// <summary>While still on site, the alert's severity goes one step up this often.</summary>
    [Range(1, 1440)]
    public int EscalateEveryMinutes { get; set; } = 60;

    /// <summary>Visits are deleted this many days after the visitor left.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;
}
