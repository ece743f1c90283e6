using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Patrols;

[GenerateSerializer]
public sealed class RouteState
{
    [Id(0)] public Round? Current { get; set; }
    [Id(1)] public Dictionary<string, string> AlertIds { get; set; } = [];
}
