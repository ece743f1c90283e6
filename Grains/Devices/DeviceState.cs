using SafetyPatrol.Devices;

namespace SafetyPatrol.Grains.Devices;

[GenerateSerializer]
public sealed class DeviceState
{
    [Id(0)] public DateTimeOffset? LastSeen { get; set; }
    /// <summary>
    /// Kept as "offline" so that the value worth keeping is the non-default one: the serializer leaves
    /// out default values, and an initializer of <c>true</c> would bring an offline device back online.
    /// </summary>
    [Id(6)] public bool Offline { get; set; }

    public bool Online => !Offline;
    [Id(2)] public DateTimeOffset? LastReadingAt { get; set; }
    [Id(3)] public Dictionary<string, MetricValue> Last { get; set; } = [];

    /// <summary>Condition state per rule id.</summary>
    [Id(4)] public Dictionary<string, RuleState> Rules { get; set; } = [];

    /// <summary>Current alert id per rule id (and per <see cref="DeviceGrain.OfflineKey"/>).</summary>
    [Id(5)] public Dictionary<string, string> AlertIds { get; set; } = [];
}

[GenerateSerializer]
public sealed class RuleState
{
    [Id(0)] public bool Active { get; set; }

    /// <summary>When the condition began to hold, while it waits out the rule's on-delay.</summary>
    [Id(1)] public DateTimeOffset? PendingSince { get; set; }

    /// <summary>When the condition became true, within the last minute: three of them make it chattering.</summary>
    [Id(2)] public List<DateTimeOffset> Activations { get; set; } = [];

    /// <summary>Chattering: held active until the condition has been false for a whole minute.</summary>
    [Id(3)] public bool Chattering { get; set; }

    /// <summary>While chattering and held: since when the condition has been false.</summary>
    [Id(4)] public DateTimeOffset? QuietSince { get; set; }
}
