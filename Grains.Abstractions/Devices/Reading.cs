namespace SafetyPatrol.Devices;

/// <summary>One telemetry message: when it was measured and its metrics.</summary>
[GenerateSerializer, Immutable]
public sealed record Reading(DateTimeOffset At, IReadOnlyDictionary<string, MetricValue> Metrics);

/// <summary>A device as the console sees it.</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceStatus(
    string Id,
    string RoomId,
    string BuildingId,
    string System,
    string? Model,
    bool Online,
    DateTimeOffset? LastSeen,
    DateTimeOffset? LastReadingAt,
    IReadOnlyDictionary<string, object?> LastReading,
    int HeartbeatSeconds,
    SafetyPatrol.Alerts.OutOfService? OutOfService = null);

/// <summary>Pushed as <c>deviceStatusChanged</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceStatusChange(string DeviceId, bool Online, DateTimeOffset At);
