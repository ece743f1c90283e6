using SafetyPatrol.Devices;

namespace SafetyPatrol.Silo.Mqtt;

/// <summary>
/// One device's readings on their way to its grain, one call at a time, in order. Readings that come while a call
/// is out go together in the next one. Readings nobody waits for (QoS 0) from a device whose last call left less
/// than a tick ago (<see cref="FeedPacer"/>) wait for the next tick, so a device sending faster than that costs one
/// call per tick instead of one per reading (a profile put Orleans' per-call messaging at a fifth of the CPU under
/// load). A reading someone waits for (a QoS 1 PUBACK, a status message behind it) never waits for a tick: its
/// device sends nothing more until it is answered, so there would be nothing to gather.
/// </summary>
public sealed class DeviceFeed(string deviceId, IDeviceGrain grain, FeedPacer pacer, Action<int> taken, Action<Exception, int> failed)
{
    /// <summary>Readings that may wait without anyone waiting for them; the sender of the next one waits.</summary>
    public const int MaxWaiting = 64;

    private enum Phase { Idle, Parked, Sending }

    private readonly Lock _gate = new();
    private List<Reading> _waiting = [];
    private TaskCompletionSource? _next;
    private TaskCompletionSource? _out;
    private Phase _phase;
    private long _sentAt;
    private bool _watchedWaiting;
    private bool _unwatchedWaiting;
    private bool _lostUnwatched;

    public IDeviceGrain Grain => grain;

    /// <summary>
    /// Queues a reading. The task completes once the grain has taken it when <paramref name="untilTaken"/> (a QoS 1
    /// PUBACK waits for it) or when too many are waiting (which holds the connection's next message back);
    /// otherwise at once.
    /// </summary>
    public Task Send(Reading reading, bool untilTaken)
    {
        Task done;
        bool start;
        lock (_gate)
        {
            _waiting.Add(reading);
            _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done = _next.Task;
            untilTaken |= _waiting.Count >= MaxWaiting;
            _watchedWaiting |= untilTaken;
            _unwatchedWaiting |= !untilTaken;
            start = Hurry(paced: !untilTaken);
        }

        if (start)
        {
            _ = Pump();
        }

        return untilTaken ? done : Task.CompletedTask;
    }

    /// <summary>Completes once everything queued so far has been taken (or failed), so a status message cannot overtake a reading.</summary>
    public Task Drained()
    {
        Task drained;
        bool start;
        lock (_gate)
        {
            drained = (_next ?? _out)?.Task ?? Task.CompletedTask;
            _watchedWaiting |= _next is not null;
            start = _next is not null && Hurry(paced: false);
        }

        if (start)
        {
            _ = Pump();
        }

        return drained;
    }

    /// <summary>
    /// True once, after readings nobody waited for were lost (a silo gone, storage down): the caller closes the
    /// connection, so the device reconnects, perhaps to another node.
    /// </summary>
    public bool TakeLoss()
    {
        lock (_gate)
        {
            var lost = _lostUnwatched;
            _lostUnwatched = false;
            return lost;
        }
    }

    /// <summary>The pacer's tick: what waits goes now, unless it went already.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            if (_phase != Phase.Parked)
            {
                return;
            }

            _phase = Phase.Sending;
        }

        _ = Pump();
    }

    /// <summary>With readings waiting: true when the caller is to start sending them now, else parks them if paced. Under the lock.</summary>
    private bool Hurry(bool paced)
    {
        if (_phase == Phase.Sending || (_phase == Phase.Parked && paced))
        {
            return false;
        }

        if (paced && !pacer.MaySend(_sentAt))
        {
            _phase = Phase.Parked;
            pacer.Park(this);
            return false;
        }

        // Idle, or parked until someone came to wait: the pacer's tick then finds it sending and leaves it.
        _phase = Phase.Sending;
        return true;
    }

    private async Task Pump()
    {
        while (true)
        {
            List<Reading> batch;
            TaskCompletionSource done;
            bool unwatched;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    (_phase, _out) = (Phase.Idle, null);
                    return;
                }

                (batch, _waiting) = (_waiting, []);
                (done, _next) = (_next!, null);
                (unwatched, _unwatchedWaiting, _watchedWaiting) = (_unwatchedWaiting, false, false);
                _out = done;
                _sentAt = pacer.Now();
            }

            Exception? error = null;
            try
            {
                // A span only when someone traces (SafetyPatrol:Tracing): StartActivity is null otherwise.
                using var span = Hosting.Tracing.Source.StartActivity("mqtt readings", System.Diagnostics.ActivityKind.Consumer);
                span?.SetTag("device.id", deviceId);
                span?.SetTag("readings", batch.Count);
                await grain.ReportAll(batch);
            }
            catch (Exception ex)
            {
                error = ex;
            }

            // What happens next is settled before anyone waiting hears of this batch, so they find the feed idle or parked.
            bool more;
            lock (_gate)
            {
                _lostUnwatched |= error is not null && unwatched;
                _out = null;
                more = _waiting.Count > 0;
                if (!more)
                {
                    _phase = Phase.Idle;
                }
                else if (!_watchedWaiting && !pacer.MaySend(_sentAt))
                {
                    // More came during the call, sooner than a tick after it left, and nobody waits: the next tick.
                    _phase = Phase.Parked;
                    pacer.Park(this);
                    more = false;
                }
            }

            if (error is null)
            {
                taken(batch.Count);
                done.SetResult();
            }
            else
            {
                failed(error, batch.Count);
                done.SetException(error);
                // Seen here, so readings nobody waited for do not surface again as an unobserved task exception.
                _ = done.Task.Exception;
            }

            if (!more)
            {
                return;
            }
        }
    }
}
