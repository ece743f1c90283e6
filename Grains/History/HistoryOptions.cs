using System.ComponentModel.DataAnnotations;

namespace SafetyPatrol.Grains.History;

/// <summary>The <c>SafetyPatrol:History</c> settings.</summary>
public sealed class HistoryOptions
{
    public const string Section = "SafetyPatrol:History";

    /// <summary>How long one-minute aggregates of readings are kept.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Whether readings are kept at all; off, the device view has no chart (and the benchmark measures what history costs).</summary>
    public bool Enabled { get; set; } = true;
}
