using SafetyPatrol.Devices;

namespace SafetyPatrol.Silo.Mqtt;

/// <summary>
/// One device's readings on their way to its grain, one call at a time. A reading goes at once when no call is
/// out and the last one left more than a tick ago (<see cref="FeedPacer"/>); otherwise it waits, and the readings
/// waiting go together in the next call. A device that speaks every few seconds sees no difference; one sending
/// faster costs one call per tick instead of one per reading (a profile put Orleans' per-call messaging at a
/// fifth of the CPU under load).
/// </summary>
public sealed class DeviceFeed(string deviceId, IDeviceGrain grain, FeedPacer pacer, Action<int> taken, Action<Exception, int> failed)
{
    /// <summary>Readings that may wait without anyone waiting for them; the sender of the next one waits.</summary>
    public const int MaxWaiting = 64;

    private readonly Lock _gate = new();
    private List<Reading> _waiting = [];
    private TaskCompletionSource? _next;
    private TaskCompletionSource? _out;
    private bool _busy;
    private long _sentAt;
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
        bool sendNow;
        lock (_gate)
        {
            _waiting.Add(reading);
            _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done = _next.Task;
            untilTaken |= _waiting.Count >= MaxWaiting;
            _unwatchedWaiting |= !untilTaken;
            sendNow = !_busy && pacer.MaySend(_sentAt);
            if (!_busy && !sendNow)
            {
                pacer.Park(this);
            }

            _busy = true;
        }

        if (sendNow)
        {
            _ = Pump();
        }

        return untilTaken ? done : Task.CompletedTask;
    }

    /// <summary>Completes once everything queued so far has been taken (or failed), so a status message cannot overtake a reading.</summary>
    public Task Drained()
    {
        lock (_gate)
        {
            return (_next ?? _out)?.Task ?? Task.CompletedTask;
        }
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

    /// <summary>The pacer's tick: what waits goes now.</summary>
    public void Resume() => _ = Pump();

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
                    (_busy, _out) = (false, null);
                    return;
                }

                (batch, _waiting) = (_waiting, []);
                (done, _next) = (_next!, null);
                (unwatched, _unwatchedWaiting) = (_unwatchedWaiting, false);
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
                    _busy = false;
                }
                else if (!pacer.MaySend(_sentAt))
                {
                    // More came during the call, sooner than a tick after it left: they go at the next tick.
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
