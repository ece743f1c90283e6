using HdrHistogram;

namespace SafetyPatrol.Simulator.Load;

/// <summary>Latencies in HdrHistograms (microseconds) and counters, safe to record from any thread.</summary>
public sealed class RunMetrics
{
    private readonly LongHistogram _alertLatency = new(TimeSpan.FromMinutes(10).Ticks / 10, 3);
    private readonly LongHistogram _checkInLatency = new(TimeSpan.FromMinutes(10).Ticks / 10, 3);
    private readonly LongHistogram _webhookLatency = new(TimeSpan.FromMinutes(10).Ticks / 10, 3);
    private readonly LongHistogram _markerLatency = new(TimeSpan.FromMinutes(10).Ticks / 10, 3);
    private readonly LongHistogram _siteConsoleLatency = new(TimeSpan.FromMinutes(10).Ticks / 10, 3);
    private long _sent;
    private long _acknowledged;
    private long _publishErrors;
    private long _checkIns;
    private long _checkInErrors;

    private long _reconnects;
    private long _alertsRaised;
    private readonly Lock _movedLock = new();

    public long Sent => Interlocked.Read(ref _sent);
    public long Acknowledged => Interlocked.Read(ref _acknowledged);
    public long PublishErrors => Interlocked.Read(ref _publishErrors);
    public long CheckIns => Interlocked.Read(ref _checkIns);
    public long CheckInErrors => Interlocked.Read(ref _checkInErrors);

    public void Published() => Interlocked.Increment(ref _sent);
    public void Acked() => Interlocked.Increment(ref _acknowledged);
    public void PublishFailed() => Interlocked.Increment(ref _publishErrors);

    /// <summary>A device lost its node and connected to another.</summary>
    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>
    /// A device that moved had its first reading acknowledged by its new node. Across a node's kill, the last such time is
    /// when every device that lost its node was taken again (a reading is acknowledged once its device grain has it, so
    /// a device whose grain was on the killed node waits for the survivor to declare it dead); the first is often sooner.
    /// </summary>
    public void MovedAcknowledged(DateTimeOffset at)
    {
        lock (_movedLock)
        {
            FirstMovedAcknowledgedAt = FirstMovedAcknowledgedAt is { } first && first <= at ? first : at;
            LastMovedAcknowledgedAt = LastMovedAcknowledgedAt is { } last && last >= at ? last : at;
        }
    }

    public DateTimeOffset? FirstMovedAcknowledgedAt { get; private set; }

    public DateTimeOffset? LastMovedAcknowledgedAt { get; private set; }

    public void CheckInFailed() => Interlocked.Increment(ref _checkInErrors);

    /// <summary>The console was told of a new alert: any alert, injected or not.</summary>
    public void AlertRaised() => Interlocked.Increment(ref _alertsRaised);

    public long AlertsRaised => Interlocked.Read(ref _alertsRaised);

    public void AlertLatency(TimeSpan latency)
    {
        lock (_alertLatency)
        {
            _alertLatency.RecordValue(Math.Max(0, (long)latency.TotalMicroseconds));
        }
    }

    public void CheckInLatency(TimeSpan latency)
    {
        Interlocked.Increment(ref _checkIns);
        lock (_checkInLatency)
        {
            _checkInLatency.RecordValue(Math.Max(0, (long)latency.TotalMicroseconds));
        }
    }

    public void WebhookLatency(TimeSpan latency)
    {
        lock (_webhookLatency)
        {
            _webhookLatency.RecordValue(Math.Max(0, (long)latency.TotalMicroseconds));
        }
    }

    public void MarkerLatency(TimeSpan latency)
    {
        lock (_markerLatency)
        {
            _markerLatency.RecordValue(Math.Max(0, (long)latency.TotalMicroseconds));
        }
    }

    /// <summary>A marker's alert reaching one console of the marker's site (each of them counts).</summary>
    public void SiteConsoleLatency(TimeSpan latency)
    {
        lock (_siteConsoleLatency)
        {
            _siteConsoleLatency.RecordValue(Math.Max(0, (long)latency.TotalMicroseconds));
        }
    }

    public Percentiles SiteConsoles() => Snapshot(_siteConsoleLatency);

    public Percentiles Alerts() => Snapshot(_alertLatency);

    public Percentiles Markers() => Snapshot(_markerLatency);

    public Percentiles Webhooks() => Snapshot(_webhookLatency);

    public Percentiles CheckInsRecorded() => Snapshot(_checkInLatency);

    private static Percentiles Snapshot(LongHistogram histogram)
    {
        lock (histogram)
        {
            return histogram.TotalCount == 0
                ? new Percentiles(0, 0, 0, 0, 0)
                : new Percentiles(histogram.TotalCount, Ms(histogram.GetValueAtPercentile(50)), Ms(histogram.GetValueAtPercentile(95)),
                    Ms(histogram.GetValueAtPercentile(99)), Ms(histogram.GetMaxValue()));
        }
    }

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 2);
}

public sealed record Percentiles(long Count, double P50, double P95, double P99, double Max);
