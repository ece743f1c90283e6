using System.Diagnostics.Metrics;

namespace SafetyPatrol.Silo.Mqtt;

/// <summary>What the MQTT listener took and dropped, for <c>GET /api/stats</c> and as metrics.</summary>
public sealed class IngestionCounters
{
    public const string MeterName = "SafetyPatrol.Ingestion";

    private readonly long[] _dropped = new long[Enum.GetValues<DropReason>().Length];
    private readonly long[] _closed = new long[Enum.GetValues<ClosedReason>().Length];
    private readonly Counter<long> _acceptedCounter;
    private readonly Counter<long> _droppedCounter;
    private long _accepted;
    private long _statusMessages;
    private long _refusedConnections;

    public IngestionCounters(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        // Exported as safetypatrol_readings_total and safetypatrol_readings_dropped_total{reason} (docs/interface.md §12).
        _acceptedCounter = meter.CreateCounter<long>("safetypatrol.readings", description: "Readings taken by the device grains");
        _droppedCounter = meter.CreateCounter<long>("safetypatrol.readings.dropped", description: "MQTT messages dropped, by reason");
    }

    public void Accepted(int readings)
    {
        Interlocked.Add(ref _accepted, readings);
        _acceptedCounter.Add(readings);
    }

    public void Status() => Interlocked.Increment(ref _statusMessages);

    public void RefusedConnection() => Interlocked.Increment(ref _refusedConnections);

    public void Dropped(DropReason reason, int messages = 1)
    {
        Interlocked.Add(ref _dropped[(int)reason], messages);
        _droppedCounter.Add(messages, new KeyValuePair<string, object?>("reason", CamelCase(reason)));
    }

    /// <summary>A connection the guard ended before or beside MQTTnet.</summary>
    public void Closed(ClosedReason reason) => Interlocked.Increment(ref _closed[(int)reason]);

    public IngestionStats Snapshot()
    {
        var dropped = Enum.GetValues<DropReason>().Where(r => r != DropReason.None).ToDictionary(CamelCase, r => Interlocked.Read(ref _dropped[(int)r]));
        var closed = Enum.GetValues<ClosedReason>().ToDictionary(CamelCase, r => Interlocked.Read(ref _closed[(int)r]));
        return new IngestionStats(Interlocked.Read(ref _accepted), Interlocked.Read(ref _statusMessages), dropped.Values.Sum(), dropped,
            Interlocked.Read(ref _refusedConnections), closed);
    }

    private static string CamelCase<T>(T value) where T : struct, Enum => char.ToLowerInvariant(value.ToString()[0]) + value.ToString()[1..];
}

public sealed record IngestionStats(long ReadingsAccepted, long StatusMessages, long Dropped, IReadOnlyDictionary<string, long> DroppedBy,
    long ConnectionsRefused, IReadOnlyDictionary<string, long> ConnectionsClosed)
{
    /// <summary>How many device grains are active on the answering node (not an ingestion counter: Orleans counts them).</summary>
    public int DevicesHere { get; init; }
}
