using System.Collections.Concurrent;

namespace SafetyPatrol.Silo.Mqtt;

/// <summary>
/// Paces the calls of devices that send faster than one reading per tick (<c>SafetyPatrol:Mqtt:BatchMilliseconds</c>):
/// their readings wait for the next tick and go to the grain together. A device quieter than that sees no wait.
/// The host gives it the real clock whatever the site's clock is: this is about CPU, not about the site's time.
/// </summary>
public sealed class FeedPacer : IDisposable
{
    private readonly ConcurrentQueue<DeviceFeed> _parked = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _tick;
    private readonly ITimer? _timer;

    public FeedPacer(TimeSpan tick, TimeProvider time)
    {
        (_tick, _time) = (tick, time);
        if (tick > TimeSpan.Zero)
        {
            _timer = time.CreateTimer(_ => Release(), null, tick, tick);
        }
    }

    /// <summary>A timestamp for <see cref="MaySend"/>.</summary>
    public long Now() => _time.GetTimestamp();

    /// <summary>Whether a device whose last call left at <paramref name="lastSentAt"/> may call again now.</summary>
    public bool MaySend(long lastSentAt) => _timer is null || _time.GetElapsedTime(lastSentAt) >= _tick;

    /// <summary>The feed sends what it holds at the next tick.</summary>
    public void Park(DeviceFeed feed) => _parked.Enqueue(feed);

    public void Dispose() => _timer?.Dispose();

    private void Release()
    {
        // Only those parked before this tick: a feed parking again meanwhile waits for the next one.
        for (var count = _parked.Count; count > 0 && _parked.TryDequeue(out var feed); count--)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static feed => feed.Resume(), feed, preferLocal: false);
        }
    }
}
