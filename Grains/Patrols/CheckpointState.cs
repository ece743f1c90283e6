using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Patrols;

[GenerateSerializer]
public sealed class CheckpointState
{
    [Id(0)] public CheckIn? LastCheckIn { get; set; }
    [Id(1)] public bool Overdue { get; set; }
    [Id(2)] public int EscalationLevel { get; set; }

    /// <summary>Current alert per condition: the overdue inspection and each failed checklist item.</summary>
    [Id(3)] public Dictionary<string, string> AlertIds { get; set; } = [];
}
