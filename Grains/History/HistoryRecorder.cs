using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.History;

/// <summary>
/// Sums readings up into one-minute aggregates per device and metric, in memory, and writes what it has
/// every <see cref="FlushEvery"/> in a few statements, merged with what is kept. The device grain only adds
/// to a bucket: no store call on the reading's path. A node that dies loses at most its last seconds of
/// history, never a reading or an alert. Minutes older than the retention are forgotten every hour.
/// </summary>
public sealed partial class HistoryRecorder(
    IHistoryStore store,
    IOptions<HistoryOptions> options,
    [FromKeyedServices(AppClock.Key)] TimeProvider clock,
    ILogger<HistoryRecorder> logger) : BackgroundService
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    /// <summary>Minutes kept for a store that cannot take them, before the oldest are let go.</summary>
    private const int MaxPending = 200_000;

    private ConcurrentDictionary<Key, Bucket> _open = new();
    private List<MinuteAggregate> _pending = [];
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly bool _enabled = options.Value.Enabled;
    private DateTimeOffset _prunedAt;

    /// <summary>Adds a reading's numbers (and true/false as 1/0) to their minutes.</summary>
    public void Add(string deviceId, Reading reading)
    {
        if (!_enabled)
        {
            return;
        }

        var minute = reading.At.UtcTicks - reading.At.UtcTicks % TimeSpan.TicksPerMinute;
        foreach (var (metric, value) in reading.Metrics)
        {
            if ((value.Number ?? (value.Flag is { } f ? (f ? 1 : 0) : null)) is not { } number)
            {
                continue;
            }

            var key = new Key(deviceId, metric, minute);
            while (!_open.GetOrAdd(key, static _ => new Bucket()).Add(number, reading.At))
            {
                // The bucket was taken by a flush a moment ago: the reading goes to the next one.
            }
        }
    }

    /// <summary>Writes every minute summed up so far; tests call it instead of waiting.</summary>
    public async Task Flush()
    {
        await _flushing.WaitAsync();
        try
        {
            var taken = Interlocked.Exchange(ref _open, new());
            foreach (var (key, bucket) in taken)
            {
                if (bucket.Close() is { } minute)
                {
                    _pending.Add(new MinuteAggregate(key.DeviceId, key.Metric, new DateTimeOffset(key.Minute, TimeSpan.Zero),
                        minute.Min, minute.Max, minute.Sum, minute.Count, minute.Last, minute.LastAt));
                }
            }

            if (_pending.Count == 0)
            {
                return;
            }

            try
            {
                await store.AddMinutes(_pending);
                _pending = [];
            }
            catch (StoreUnavailableException ex)
            {
                // Kept and tried again with the next flush; a store down for long loses the oldest history first.
                if (_pending.Count > MaxPending)
                {
                    _pending.RemoveRange(0, _pending.Count - MaxPending);
                }

                LogNotWritten(ex.Message, _pending.Count);
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>Forgets minutes older than the retention; returns how many.</summary>
    public Task<int> Prune() => store.PruneHistory(clock.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await Flush();
                if (DateTimeOffset.UtcNow - _prunedAt >= PruneEvery)
                {
                    _prunedAt = DateTimeOffset.UtcNow;
                    try
                    {
                        await Prune();
                    }
                    catch (StoreUnavailableException)
                    {
                        // Tried again within the hour.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Flush(); // what is summed up when the node stops is kept
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading history could not be written ({Reason}); {Minutes} minutes are kept to try again")]
    private partial void LogNotWritten(string reason, int minutes);

    private readonly record struct Key(string DeviceId, string Metric, long Minute);

    /// <summary>One minute of one metric, summed up; once closed by a flush it takes nothing more.</summary>
    private sealed class Bucket
    {
        private double _min = double.MaxValue, _max = double.MinValue, _sum, _last;
        private long _count;
        private DateTimeOffset _lastAt;
        private bool _closed;

        public bool Add(double value, DateTimeOffset at)
        {
            lock (this)
            {
                if (_closed)
                {
                    return false;
                }

                _min = Math.Min(_min, value);
                _max = Math.Max(_max, value);
                _sum += value;
                _count++;
                if (at >= _lastAt)
                {
                    (_last, _lastAt) = (value, at);
                }

                return true;
            }
        }

        public (double Min, double Max, double Sum, long Count, double Last, DateTimeOffset LastAt)? Close()
        {
            lock (this)
            {
                _closed = true;
                return _count == 0 ? null : (_min, _max, _sum, _count, _last, _lastAt);
            }
        }
    }
}
