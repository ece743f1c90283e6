using SafetyPatrol.Devices;

namespace SafetyPatrol.Grains.History;

/// <summary>
/// One device's readings of the current minute, summed up per metric. The device grain adds to it on its own
/// thread; the recorder takes what is there when it writes. One lock per device and no allocation per reading:
/// the buckets are kept and reused from minute to minute.
/// </summary>
public sealed class DeviceHistory(string deviceId)
{
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly List<MinuteAggregate> _closed = [];
    private long _minute = long.MinValue;

    public string DeviceId => deviceId;

    public void Add(Reading reading)
    {
        var minute = reading.At.UtcTicks - reading.At.UtcTicks % TimeSpan.TicksPerMinute;
        lock (this)
        {
            if (minute != _minute)
            {
                // A new minute (or a reading for another one): what was summed up so far is closed.
                Close();
                _minute = minute;
            }

            reading.ForEachMetric((History: this, reading.At), static (s, metric, value) => s.History.Add(metric, value, s.At));
        }
    }

    private void Add(string metric, MetricValue value, DateTimeOffset at)
    {
        if ((value.Number ?? (value.Flag is { } flag ? (flag ? 1 : 0) : null)) is not { } number)
        {
            return;
        }

        if (!_buckets.TryGetValue(metric, out var bucket))
        {
            _buckets[metric] = bucket = new Bucket();
        }

        bucket.Add(number, at);
    }

    /// <summary>Everything summed up so far, the open minute included, to be written; the open minute goes on from zero.</summary>
    public void TakeInto(List<MinuteAggregate> into)
    {
        lock (this)
        {
            Close();
            into.AddRange(_closed);
            _closed.Clear();
        }
    }

    private void Close()
    {
        foreach (var (metric, bucket) in _buckets)
        {
            if (bucket.Count > 0)
            {
                _closed.Add(bucket.Take(deviceId, metric, new DateTimeOffset(_minute, TimeSpan.Zero)));
            }
        }
    }

    private sealed class Bucket
    {
        private double _min, _max, _sum, _last;
        private DateTimeOffset _lastAt;

        public long Count { get; private set; }

        public void Add(double value, DateTimeOffset at)
        {
            if (Count == 0)
            {
                (_min, _max, _sum, _last, _lastAt) = (value, value, 0, value, at);
            }

            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
            _sum += value;
            Count++;
            if (at >= _lastAt)
            {
                (_last, _lastAt) = (value, at);
            }
        }

        public MinuteAggregate Take(string deviceId, string metric, DateTimeOffset minute)
        {
            var aggregate = new MinuteAggregate(deviceId, metric, minute, _min, _max, _sum, Count, _last, _lastAt);
            Count = 0;
            return aggregate;
        }
    }
}
