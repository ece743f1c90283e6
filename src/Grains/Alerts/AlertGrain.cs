using SafetyPatrol.Alerts;
using SafetyPatrol.Push;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Alerts;

/// <summary>
/// One alert and its history. The alert log (<see cref="IAlertStore"/>) is its storage, so the
/// console's queries and the grain read the same record.
/// </summary>
public sealed class AlertGrain(IAlertStore store, [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IAlertGrain
{
    /// <summary>
    /// Repeats of an active condition are counted at once but saved and pushed at most this often:
    /// a device in alarm that keeps publishing must not turn every reading into a write and a push.
    /// </summary>
    public static readonly TimeSpan CoalesceRepeatsFor = TimeSpan.FromSeconds(1);

    private Alert? _alert;
    private bool _unsaved;
    private IGrainTimer? _flush;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _alert = await store.Get(this.GetPrimaryKeyString());

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsaved)
        {
            await Save(ConsoleEvent.AlertUpdated);
        }
    }

    public async Task<bool> Occur(AlertSpec spec, DateTimeOffset at)
    {
        if (_alert is null)
        {
            _alert = new Alert
            {
                Id = this.GetPrimaryKeyString(),
                Type = spec.Type,
                Category = spec.Category,
                Severity = spec.Severity,
                BuildingId = spec.BuildingId,
                RoomId = spec.RoomId,
                DeviceId = spec.DeviceId,
                CheckpointId = spec.CheckpointId,
                RouteId = spec.RouteId,
                Message = spec.Message,
                Value = spec.Value,
                Threshold = spec.Threshold,
                DueAt = spec.DueAt,
                Item = spec.Item,
                Note = spec.Note,
                Officer = spec.Officer,
                RaisedAt = at,
                LastChangedAt = at,
                History = [new AlertHistoryEntry(at, AlertAction.Raised, null, spec.Message)],
            };
            await Save(ConsoleEvent.AlertRaised);
            return true;
        }

        if (_alert.IsResolved)
        {
            return false;
        }

        // A new occurrence after the condition cleared starts again from the source's severity.
        var reactivated = !_alert.Active;
        _alert = _alert with
        {
            Active = true,
            Severity = reactivated ? spec.Severity : _alert.Severity,
            EscalationLevel = reactivated ? 0 : _alert.EscalationLevel,
            DueAt = spec.DueAt ?? _alert.DueAt,
            Occurrences = _alert.Occurrences + 1,
            Message = spec.Message,
            Value = spec.Value,
            Threshold = spec.Threshold,
            LastChangedAt = at,
            History = reactivated ? [.. _alert.History ?? [], new AlertHistoryEntry(at, AlertAction.Reactivated, null, spec.Message)] : _alert.History,
        };
        if (reactivated)
        {
            await Save(ConsoleEvent.AlertUpdated);
        }
        else
        {
            _unsaved = true;
            _flush ??= this.RegisterGrainTimer(FlushRepeats, CoalesceRepeatsFor, Timeout.InfiniteTimeSpan);
        }

        return true;
    }

    public async Task Clear(DateTimeOffset at)
    {
        if (_alert is not { Active: true })
        {
            return;
        }

        _alert = _alert with { Active = false, LastChangedAt = at, History = [.. _alert.History ?? [], new AlertHistoryEntry(at, AlertAction.Cleared, null, null)] };
        await Save(ConsoleEvent.AlertUpdated);
    }

    public async Task Escalate(DateTimeOffset at, string? note)
    {
        if (_alert is null || _alert.IsResolved)
        {
            return;
        }

        _alert = _alert with
        {
            Severity = Severities.Raise(_alert.Severity),
            EscalationLevel = _alert.EscalationLevel + 1,
            LastChangedAt = at,
            History = [.. _alert.History ?? [], new AlertHistoryEntry(at, AlertAction.Escalated, null, note)],
        };
        await Save(ConsoleEvent.AlertUpdated);
    }

    public Task<Alert?> Get() => Task.FromResult(_alert);

    public async Task<Alert?> Acknowledge(string user, string? note)
    {
        // Acknowledging a resolved or already acknowledged alert changes nothing.
        if (_alert is not { Status: AlertStatus.Open })
        {
            return _alert;
        }

        var now = time.GetUtcNow();
        _alert = _alert with
        {
            Status = AlertStatus.Acknowledged,
            AcknowledgedBy = user,
            AcknowledgedAt = now,
            LastChangedAt = now,
            History = [.. _alert.History ?? [], new AlertHistoryEntry(now, AlertAction.Acknowledged, user, note)],
        };
        await Save(ConsoleEvent.AlertUpdated);
        return _alert;
    }

    public async Task<Alert?> Resolve(string user, string? note)
    {
        if (_alert is null || _alert.IsResolved)
        {
            return _alert;
        }

        var now = time.GetUtcNow();
        _alert = _alert with
        {
            Status = AlertStatus.Resolved,
            ResolvedBy = user,
            ResolvedAt = now,
            LastChangedAt = now,
            History = [.. _alert.History ?? [], new AlertHistoryEntry(now, AlertAction.Resolved, user, note)],
        };
        await Save(ConsoleEvent.AlertUpdated);
        return _alert;
    }

    private async Task FlushRepeats(CancellationToken cancellationToken)
    {
        _flush?.Dispose();
        _flush = null;
        if (_unsaved)
        {
            await Save(ConsoleEvent.AlertUpdated);
        }
    }

    /// <summary>Stores the whole alert (with any repeats counted since the last save) and tells the room and the consoles.</summary>
    private async Task Save(string consoleEvent)
    {
        _unsaved = false;
        var alert = _alert!;
        await store.Save(alert);

        if (alert.RoomId is { } roomId && (alert.DeviceId ?? alert.CheckpointId) is { } sourceId)
        {
            await GrainFactory.GetGrain<IRoomGrain>(roomId).AlertChanged(new AlertSummary(alert.Id, sourceId, alert.Severity, !alert.IsResolved));
        }

        await GrainFactory.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(consoleEvent, alert with { History = null }));
    }
}
