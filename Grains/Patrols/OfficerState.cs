namespace SafetyPatrol.Grains.Patrols;

[GenerateSerializer]
public sealed class OfficerState
{
    [Id(0)] public DateTimeOffset? LastCheckInAt { get; set; }

    /// <summary>Rounds this officer started that are not over, by round id → route id.</summary>
    [Id(1)] public Dictionary<string, string> OpenRounds { get; set; } = [];

    [Id(2)] public bool Silent { get; set; }
    [Id(3)] public Dictionary<string, string> AlertIds { get; set; } = [];
}
