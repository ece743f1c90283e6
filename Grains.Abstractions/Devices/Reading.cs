namespace SafetyPatrol.Devices;

/// <summary>One telemetry message: when it was measured and its metrics.</summary>
[GenerateSerializer, Immutable]
public sealed record Reading(DateTimeOffset At, IReadOnlyDictionary<string, MetricValue> Metrics)
{
    /// <summary>
    /// Calls <paramref name="each"/> with <paramref name="state"/> for every metric. On the reading's path: the parser's
    /// dictionary is walked as itself, since through the interface its enumerator would be boxed on every reading.
    /// </summary>
    public void ForEachMetric<TState>(TState state, Action<TState, string, MetricValue> each)
    {
        if (Metrics is Dictionary<string, MetricValue> metrics)
        {
            foreach (var (metric, value) in metrics)
            {
                each(state, metric, value);
            }

            return;
        }

        foreach (var (metric, value) in Metrics)
        {
            each(state, metric, value);
        }
    }
}

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
