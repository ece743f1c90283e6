using Microsoft.Extensions.Logging;
using SafetyPatrol.Devices;

namespace SafetyPatrol.Grains.Scheduling;

/// <summary>
/// Wakes grains at the times they ask for: one timer per silo armed for the earliest deadline,
/// instead of a timer per grain ticking every second. A grain keeps at most one deadline here
/// (a later request replaces an earlier one), and on waking it decides what is really due.
/// Deadlines are not durable: grains ask again when they activate.
/// </summary>
public sealed partial class DeadlineScheduler : IDisposable, ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(30);
    private static readonly TimeSpan RetryFailedAfter = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly PriorityQueue<GrainId, DateTimeOffset> _queue = new();
    private readonly Dictionary<GrainId, DateTimeOffset> _due = [];
    private readonly HashSet<Task> _inFlight = [];
    private readonly TimeProvider _time;
    private readonly IGrainFactory _grains;
    private readonly ILogger<DeadlineScheduler> _logger;
    private readonly ITimer _timer;
    private DateTimeOffset? _armedFor;

    public DeadlineScheduler(TimeProvider time, IGrainFactory grains, ILogger<DeadlineScheduler> logger)
    {
        _time = time;
        _grains = grains;
        _logger = logger;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        WatchingSince = time.GetUtcNow();
    }

    /// <summary>
    /// When this silo began to watch (its runtime started): a deadline before it passed while no silo here watched.
    /// A grain activated later (moved from a dead silo, woken after the runtime took it away) was still watched.
    /// </summary>
    public DateTimeOffset WatchingSince { get; private set; }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DeadlineScheduler), ServiceLifecycleStage.RuntimeInitialize, _ =>
        {
            WatchingSince = _time.GetUtcNow();
            return Task.CompletedTask;
        });

    /// <summary>How many grains are waiting for a deadline.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>The earliest deadline waiting, if any (for tests: whether moving their clock wakes something).</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                return _due.Count == 0 ? null : _due.Values.Min();
            }
        }
    }

    public void Schedule(GrainId grain, DateTimeOffset at)
    {
        lock (_gate)
        {
            _due[grain] = at;
            _queue.Enqueue(grain, at);

            // Stale queue entries (replaced deadlines) are skipped when they come up; compact if they pile up.
            if (_queue.Count > 2 * _due.Count + 1024)
            {
                _queue.Clear();
                _queue.EnqueueRange(_due.Select(d => (d.Key, d.Value)));
            }

            if (_armedFor is null || at < _armedFor)
            {
                Arm(at);
            }
        }
    }

    /// <summary>A grain's handle for asking to be woken.</summary>
    public Wakeup For(GrainId grain) => new(this, grain);

    public void Cancel(GrainId grain)
    {
        lock (_gate)
        {
            _due.Remove(grain);
        }
    }

    /// <summary>Wakes the grain within a second (sooner if it is already due sooner).</summary>
    public void WakeSoon(GrainId grain) => RetryNoLaterThan(grain, _time.GetUtcNow() + RetryFailedAfter);

    /// <summary>Completes when every wake-up sent so far has been handled (for tests and shutdown).</summary>
    public Task WhenIdle()
    {
        lock (_gate)
        {
            return Task.WhenAll(_inFlight);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Arm(DateTimeOffset at)
    {
        // Timers take at most ~49 days; a farther deadline is re-armed when this wait ends. Timers count
        // whole milliseconds and drop the rest, so the wait is rounded up: a timer that fired early would wake nothing and re-arm.
        var wait = at - _time.GetUtcNow();
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
        _armedFor = _time.GetUtcNow() + wait;
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    private void Fire()
    {
        var now = _time.GetUtcNow();
        List<GrainId> wake = [];
        lock (_gate)
        {
            _armedFor = null;
            while (_queue.TryPeek(out var grain, out var at) && at <= now)
            {
                _queue.Dequeue();
                if (_due.TryGetValue(grain, out var due) && due == at)
                {
                    _due.Remove(grain);
                    wake.Add(grain);
                }
            }

            while (_queue.TryPeek(out var grain, out var at) && (!_due.TryGetValue(grain, out var due) || due != at))
            {
                _queue.Dequeue();
            }

            if (_queue.TryPeek(out _, out var next))
            {
                Arm(next);
            }
        }

        foreach (var grain in wake)
        {
            Track(Wake(grain));
        }
    }

    private async Task Wake(GrainId grain)
    {
        try
        {
            await _grains.GetGrain<IDeadlineTarget>(grain).OnDeadline();
        }
        catch (Exception ex)
        {
            // A wake-up that failed (a silo just died, storage down) is tried again: a silent device must still be called silent.
            LogWakeFailed(ex, grain, RetryFailedAfter.TotalSeconds);
            WakeSoon(grain);
        }
    }

    private void RetryNoLaterThan(GrainId grain, DateTimeOffset at)
    {
        bool later;
        lock (_gate)
        {
            later = !_due.TryGetValue(grain, out var due) || due > at;
        }

        if (later)
        {
            Schedule(grain, at);
        }
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _inFlight.Add(task);
        }

        task.ContinueWith(t =>
        {
            lock (_gate)
            {
                _inFlight.Remove(t);
            }
        }, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking {Grain} at its deadline failed; trying again in {Seconds} s")]
    private partial void LogWakeFailed(Exception ex, GrainId grain, double seconds);
}
