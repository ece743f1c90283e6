using SafetyPatrol.Devices;

namespace SafetyPatrol.Silo.Mqtt;

/// <summary>
/// One device's readings on their way to its grain. A reading goes at once when no call to the grain is out;
/// while one is, the next readings wait and go together in the following call. A device that speaks every few
/// seconds sees no difference; one sending faster than its grain answers costs one call per round trip instead
/// of one per reading (a profile put Orleans' per-call messaging at a fifth of the CPU under load).
/// </summary>
public sealed class DeviceFeed(IDeviceGrain grain, Action<int> taken, Action<Exception, int> failed)
{
    /// <summary>Readings that may wait without anyone waiting for them; the sender of the next one waits.</summary>
    public const int MaxWaiting = 64;

    private readonly Lock _gate = new();
    private List<Reading> _waiting = [];
    private TaskCompletionSource? _next;
    private TaskCompletionSource? _out;
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
            _unwatchedWaiting |= !untilTaken;
            start = _out is null;
            if (start)
            {
                _out = _next;
            }
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
                    _out = null;
                    return;
                }

                (batch, _waiting) = (_waiting, []);
                (done, _next) = (_next!, null);
                (unwatched, _unwatchedWaiting) = (_unwatchedWaiting, false);
                _out = done;
            }

            try
            {
                // A span only when someone traces (SafetyPatrol:Tracing): StartActivity is null otherwise.
                using (var span = Hosting.Tracing.Source.StartActivity("mqtt readings", System.Diagnostics.ActivityKind.Consumer))
                {
                    span?.SetTag("device.id", grain.GetPrimaryKeyString());
                    span?.SetTag("readings", batch.Count);
                    await grain.ReportAll(batch);
                }

                taken(batch.Count);
                done.SetResult();
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _lostUnwatched |= unwatched;
                }

                failed(ex, batch.Count);
                done.SetException(ex);
                // Seen here, so readings nobody waited for do not surface again as an unobserved task exception.
                _ = done.Task.Exception;
            }
        }
    }
}
