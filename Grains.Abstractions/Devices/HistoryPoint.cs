namespace SafetyPatrol.Devices;

/// <summary>One step of a device metric's history (docs/interface.md §10): the readings within it summed up.</summary>
[GenerateSerializer, Immutable]
public sealed record HistoryPoint(DateTimeOffset At, double Min, double Avg, double Max, double Last, long Count);

/// <summary>
/// Filter of <c>GET /api/devices/{id}/history</c>; <see cref="Step"/> a whole number of minutes. Without
/// <see cref="To"/>: up to now; without <see cref="From"/>: the 24 hours before <see cref="To"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HistoryQuery(string DeviceId, string Metric, DateTimeOffset? From, DateTimeOffset? To, TimeSpan Step)
{
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromHours(24);

    /// <summary>The most points one query answers.</summary>
    public const int MaxPoints = 10_000;
}

/// <summary>One minute of one device metric as kept: numbers as they came, true/false as 1/0.</summary>
[GenerateSerializer, Immutable]
public sealed record MinuteAggregate(string DeviceId, string Metric, DateTimeOffset At, double Min, double Max, double Sum, long Count, double Last, DateTimeOffset LastAt);

/// <summary>Reads the kept history.</summary>
public interface IHistoryGrain : IGrainWithIntegerKey
{
    /// <summary>The points of one device metric, oldest first, one per step that has readings.</summary>
    Task<IReadOnlyList<HistoryPoint>> Query(HistoryQuery query);
}
