using System.ComponentModel.DataAnnotations;

namespace SafetyPatrol.Grains.Patrols;

/// <summary>The <c>SafetyPatrol:Patrol</c> settings.</summary>
public sealed class PatrolOptions
{
    public const string Section = "SafetyPatrol:Patrol";

    /// <summary>How long an officer with a round under way may go without a check-in before <c>patrol.officerSilent</c>.</summary>
    [Range(1, 24 * 60)]
    public int OfficerSilentMinutes { get; set; } = 30;
}
