using SafetyPatrol.Grains.Site;
using SafetyPatrol.Alerts;
using SafetyPatrol.Push;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyPatrol.Grains.Notifications;
using SafetyPatrol.Notifications;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Alerts;

/// <summary>
/// One alert and its history. The alert log (<see cref="IAlertStore"/>) is its storage, so the
/// console's queries and the grain read the same record. An alert the store cannot take is still
/// pushed: the grain keeps it, stays active, and writes it again until the store takes it.
/// It also climbs its escalation ladder (docs/interface.md §8) while open, woken by the deadline scheduler,
/// and hands each notification to the <see cref="INotifier"/> after the push.
/// </summary>
public sealed partial class AlertGrain(
    IAlertStore store,
    DeadlineScheduler scheduler,
    INotifier notifier,
    IOptions<NotifyOptions> notify,
    SiteCatalog catalog,
    [FromKeyedServices(AppClock.Key)] TimeProvider time,
    ILogger<AlertGrain> logger) : Grain, IAlertGrain
{
    /// <summary>History entries kept: the first (raised) and the latest.</summary>
    public const int HistoryKept = 100;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Repeats of an active condition are counted at once but saved and pushed at most this often:
    /// a device in alarm that keeps publishing must not turn every reading into a write and a push.
    /// </summary>
    public static readonly TimeSpan CoalesceRepeatsFor = TimeSpan.FromSeconds(1);

    private Alert? _alert;
    private bool _unsaved;
    private IGrainTimer? _flush;
    private Wakeup? _wakeup;
    private TimeSpan _retryAfter = FirstRetry;

    private Wakeup Wakeup => _wakeup ??= scheduler.For(this.GetGrainId());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _alert = await store.Get(this.GetPrimaryKeyString());

        // After a restart an open alert is activated to go on up its ladder.
        PlanLadder();
    }

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
            var suppression = await SuppressionFor(spec, at);
            _alert = new Alert
            {
                Suppressed = suppression?.Reason,
                DrillId = suppression?.DrillId,
                Id = this.GetPrimaryKeyString(),
                SiteId = catalog.SiteOf(spec.DeviceId, spec.CheckpointId, spec.RoomId, spec.BuildingId, spec.RouteId),
                Type = spec.Type,
                Category = spec.Category,
                Severity = spec.Severity,
                BuildingId = spec.BuildingId,
                RoomId = spec.RoomId,
                DeviceId = spec.DeviceId,
                CheckpointId = spec.CheckpointId,
                RouteId = spec.RouteId,
                Message = spec.Message,
                MessageKey = spec.MessageKey,
                MessageArgs = spec.MessageArgs,
                Value = spec.Value,
                Threshold = spec.Threshold,
                DueAt = spec.DueAt,
                Item = spec.Item,
                Note = spec.Note,
                Officer = spec.Officer,
                TicketId = spec.TicketId,
                PhotoId = spec.PhotoId,
                VisitorId = spec.VisitorId,
                Class = spec.Class ?? AlarmClass.ForCategory(spec.Category),
                ExemptFromDrills = spec.ExemptFromDrills,
                RaisedAt = at,
                LastChangedAt = at,
                History = [new AlertHistoryEntry(at, AlertAction.Raised, null, spec.Message) { NoteKey = spec.MessageKey, NoteArgs = spec.MessageArgs }],
            };
            await Save(ConsoleEvent.AlertRaised);
            AlertMetrics.Raised(spec.Severity);
            NotifyNow(NotifyEvent.Raised);
            PlanLadder();
            return true;
        }

        if (_alert.IsResolved)
        {
            return false;
        }

        // Raised again: a new activation if the condition had cleared, a repeat if it still held.
        var repeated = _alert with
        {
            Active = true,
            DueAt = spec.DueAt ?? _alert.DueAt,
            Occurrences = _alert.Active ? _alert.Occurrences : _alert.Occurrences + 1,
            Repeats = _alert.Active ? _alert.Repeats + 1 : _alert.Repeats,
            Message = spec.Message,
            MessageKey = spec.MessageKey,
            MessageArgs = spec.MessageArgs,
            Value = spec.Value,
            Threshold = spec.Threshold,
        };
        if (!_alert.Active)
        {
            // A new occurrence after the condition cleared starts again from the source's severity, and is
            // suppressed only if its source is out of service or in a drill now.
            var suppression = await SuppressionFor(spec, at);
            repeated = repeated with { Suppressed = suppression?.Reason, DrillId = suppression?.DrillId ?? _alert.DrillId, Chattering = _alert.Chattering || spec.Chattering };
            await Change(EscalationLadder.Restarted(repeated with { Severity = spec.Severity, EscalationLevel = 0 }, at), at, AlertAction.Reactivated, null, spec.Message, spec.MessageKey, spec.MessageArgs);
            NotifyNow(NotifyEvent.Reactivated);
            PlanLadder();
        }
        else
        {
            _alert = repeated with { LastChangedAt = at };
            _unsaved = true;
            _flush ??= this.RegisterGrainTimer(FlushRepeats, CoalesceRepeatsFor, Timeout.InfiniteTimeSpan);
        }

        return true;
    }

    public async Task<bool> Update(double? value, string? message, IReadOnlyDictionary<string, string>? messageArgs, bool returned, DateTimeOffset at)
    {
        if (_alert is not { } alert || alert.IsResolved)
        {
            return false;
        }

        if (alert.Active)
        {
            // A repeat is counted at once; it and any new value are saved and pushed with the next flush, at most every
            // CoalesceRepeatsFor. A condition back after it had gone does not wait: it goes out now, with what was pending.
            _alert = alert with { Repeats = alert.Repeats + 1, LastChangedAt = at };
            if (alert.Value != value || message is not null && message != alert.Message)
            {
                _alert = _alert with { Value = value, Message = message ?? alert.Message, MessageArgs = message is null ? alert.MessageArgs : messageArgs, LastChangedAt = at };
            }

            if (returned)
            {
                _flush?.Dispose();
                _flush = null;
                await Save(ConsoleEvent.AlertUpdated);
            }
            else
            {
                _unsaved = true;
                _flush ??= this.RegisterGrainTimer(FlushRepeats, CoalesceRepeatsFor, Timeout.InfiniteTimeSpan);
            }
        }

        return true;
    }

    public async Task Clear(DateTimeOffset at)
    {
        if (_alert is not { Active: true })
        {
            return;
        }

        await Change(_alert with { Active = false }, at, AlertAction.Cleared, null, null);
    }

    public async Task Escalate(DateTimeOffset at, string? note, string? noteKey = null, IReadOnlyDictionary<string, string>? noteArgs = null)
    {
        if (_alert is null || _alert.IsResolved)
        {
            return;
        }

        // The source's own escalation (an overdue inspection, one step per interval) is a step like the ladder's.
        await Change(_alert with { Severity = Severities.Raise(_alert.Severity), EscalationLevel = _alert.EscalationLevel + 1 }, at, AlertAction.Escalated, null, note, noteKey, noteArgs);
        NotifyNow(NotifyEvent.Escalated);
        PlanLadder();
    }

    public Task<Alert?> Get()
    {
        // An id nobody raised (a mistyped or guessed URL): nothing to keep active for it.
        if (_alert is null)
        {
            DeactivateOnIdle();
        }

        return Task.FromResult(_alert);
    }

    /// <summary>The time to write again an alert the store could not take, or for a step or reminder of the ladder.</summary>
    public async Task OnDeadline()
    {
        Wakeup.Woken();
        if (_unsaved && _flush is null)
        {
            _unsaved = false;
            await Store(_alert!);
        }

        // Shelving ends by itself: the alert is back on the console, pushed like any change.
        var now = time.GetUtcNow();
        if (_alert is { ShelvedUntil: { } until } && now >= until && !_alert.IsResolved)
        {
            await Unshelve(now, null, "shelving time is over", "note.shelvingOver");
        }

        await ClimbLadder(now);
    }

    public async Task<Alert?> Acknowledge(string user, string? note)
    {
        // Acknowledging a resolved or already acknowledged alert changes nothing.
        if (_alert is not { Status: AlertStatus.Open })
        {
            return await Get();
        }

        var now = time.GetUtcNow();
        await Change(_alert with { Status = AlertStatus.Acknowledged, AcknowledgedBy = user, AcknowledgedAt = now }, now, AlertAction.Acknowledged, user, note);
        return _alert;
    }

    public async Task<Alert?> Resolve(string user, string? note, string? noteKey = null, IReadOnlyDictionary<string, string>? noteArgs = null)
    {
        if (_alert is null || _alert.IsResolved)
        {
            return await Get();
        }

        var now = time.GetUtcNow();
        await Change(_alert with { Status = AlertStatus.Resolved, ResolvedBy = user, ResolvedAt = now }, now, AlertAction.Resolved, user, note, noteKey, noteArgs);
        return _alert;
    }

    public async Task<Alert?> Shelve(string user, TimeSpan length, string note)
    {
        if (_alert is null || _alert.IsResolved)
        {
            return await Get();
        }

        var now = time.GetUtcNow();
        await Change(_alert with { ShelvedUntil = now + length, ShelvedBy = user }, now, AlertAction.Shelved, user, note);
        PlanLadder();
        return _alert;
    }

    public async Task<Alert?> Unshelve(string user, string? note)
    {
        if (_alert is not { ShelvedUntil: not null })
        {
            return await Get();
        }

        await Unshelve(time.GetUtcNow(), user, note);
        return _alert;
    }

    public async Task Reconsider(DateTimeOffset at)
    {
        if (_alert is not { Suppressed: not null } alert || alert.IsResolved || alert.Suppressed == Suppression.DrillReason)
        {
            // A drill's alarms stay the drill's: only a new occurrence after it is real.
            return;
        }

        if (await SuppressionFor(alert, at) is not null)
        {
            return;
        }

        await Change(EscalationLadder.Restarted(alert with { Suppressed = null }, at), at, AlertAction.Unsuppressed, null, "back in service", "note.backInService");
        if (_alert.Active)
        {
            NotifyNow(NotifyEvent.Reactivated);
        }

        PlanLadder();
    }

    private Task<Suppression?> SuppressionFor(AlertSpec spec, DateTimeOffset at) =>
        SuppressionFor(spec.BuildingId, spec.RoomId, spec.DeviceId, at, !spec.ExemptFromDrills);

    private Task<Suppression?> SuppressionFor(Alert alert, DateTimeOffset at) =>
        SuppressionFor(alert.BuildingId, alert.RoomId, alert.DeviceId, at, !alert.ExemptFromDrills);

    /// <summary>Asked of the alert's building, where its repairs and drills are kept; an alert of no building has none.</summary>
    private Task<Suppression?> SuppressionFor(string? buildingId, string? roomId, string? deviceId, DateTimeOffset at, bool drills)
    {
        var building = buildingId
            ?? (roomId is null ? null : catalog.Rooms.GetValueOrDefault(roomId)?.Building.Id)
            ?? (deviceId is null ? null : catalog.Devices.GetValueOrDefault(deviceId)?.Building.Id);
        return building is null
            ? Task.FromResult<Suppression?>(null)
            : GrainFactory.GetGrain<IAlarmHandlingGrain>(building).SuppressionFor(roomId, deviceId, at, drills);
    }

    private async Task Unshelve(DateTimeOffset now, string? user, string? note, string? noteKey = null)
    {
        await Change(_alert! with { ShelvedUntil = null, ShelvedBy = null }, now, AlertAction.Unshelved, user, note, noteKey);
        PlanLadder();
    }

    /// <summary>Takes a changed alert, records the change in its history (a note the system wrote with its key) and saves it at once.</summary>
    private Task Change(Alert changed, DateTimeOffset at, string action, string? by, string? note,
        string? noteKey = null, IReadOnlyDictionary<string, string>? noteArgs = null)
    {
        List<AlertHistoryEntry> history = [.. changed.History ?? [], new AlertHistoryEntry(at, action, by, note) { NoteKey = noteKey, NoteArgs = noteArgs }];
        var omitted = changed.HistoryOmitted;
        if (history.Count > HistoryKept)
        {
            // Keep how it started and the latest changes; count what falls out between.
            var drop = history.Count - HistoryKept;
            history.RemoveRange(1, drop);
            omitted += drop;
        }

        _alert = changed with { LastChangedAt = at, History = history, HistoryOmitted = omitted };
        return Save(ConsoleEvent.AlertUpdated);
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

    /// <summary>
    /// Tells the consoles, stores the whole alert (with any repeats counted since the last save) and tells the room. The
    /// push is sent first and the write follows at once, so an alarm never waits behind the store's writer; the grain
    /// answers for the alert meanwhile, and one the store cannot take is pushed all the same (see <see cref="Store"/>).
    /// </summary>
    private async Task Save(string consoleEvent)
    {
        _unsaved = false;
        var alert = _alert = _alert! with { Version = PushVersion.Next(_alert.Version, time) };
        var pushed = GrainFactory.GetGrain<IConsolePushGrain>(0).Push(ConsoleEvent.Of(consoleEvent, alert with { History = null }));
        await Store(alert);

        if (alert.RoomId is { } roomId && (alert.DeviceId ?? alert.CheckpointId) is { } sourceId)
        {
            await GrainFactory.GetGrain<IRoomGrain>(roomId).AlertChanged(new AlertSummary(alert.Id, sourceId, alert.Severity, !alert.IsResolved));
        }

        await pushed;
    }

    /// <summary>Takes every step and sends every reminder due: a step raises the escalation level, is kept in the history and pushed.</summary>
    private async Task ClimbLadder(DateTimeOffset now)
    {
        if (_alert is null || _alert.IsQuiet(now))
        {
            // Nothing climbs while shelved or suppressed; steps due meanwhile are taken when it comes back.
            PlanLadder();
            return;
        }

        foreach (var (route, reminder) in EscalationLadder.Due(_alert, notify.Value, now))
        {
            if (reminder)
            {
                _alert = EscalationLadder.Reminded(_alert, route, now);
                await Store(_alert);
                notifier.Notify(_alert, NotifyEvent.Reminder, route);
                continue;
            }

            var channels = string.Join(", ", notify.Value.Routes[route].Channels);
            var seconds = notify.Value.Routes[route].AfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Change(EscalationLadder.Taken(_alert with { EscalationLevel = _alert.EscalationLevel + 1 }, route, now), now, AlertAction.Escalated, null,
                $"not acknowledged {seconds} s after it was raised: notifying {channels}",
                "note.notAcknowledged", new Dictionary<string, string> { ["seconds"] = seconds, ["channels"] = channels });
            notifier.Notify(_alert, NotifyEvent.Escalated, route);
        }

        PlanLadder();
    }

    private void PlanLadder()
    {
        if (_alert is not null)
        {
            var shelfEnds = _alert.IsResolved ? null : _alert.ShelvedUntil;
            Wakeup.NoLaterThan(Deadlines.Earliest(_alert.IsQuiet(time.GetUtcNow()) ? null : EscalationLadder.Next(_alert, notify.Value), shelfEnds));
        }
    }

    /// <summary>The routes notified at once, after the consoles have been told.</summary>
    private void NotifyNow(string notifyEvent)
    {
        if (_alert!.IsQuiet(time.GetUtcNow()))
        {
            return;
        }

        foreach (var route in notify.Value.Immediate(_alert!))
        {
            notifier.Notify(_alert!, notifyEvent, route);
        }
    }

    /// <summary>Writes the alert to the log; one the store cannot take stays unsaved here and is written again, backing off to 30 s.</summary>
    private async Task Store(Alert alert)
    {
        try
        {
            await store.Save(alert);
            _retryAfter = FirstRetry;
        }
        catch (StoreUnavailableException ex)
        {
            _unsaved = true;
            DelayDeactivation(TimeSpan.FromHours(1));
            Wakeup.NoLaterThan(time.GetUtcNow() + _retryAfter);
            _retryAfter = TimeSpan.FromTicks(Math.Min(_retryAfter.Ticks * 2, LongestRetry.Ticks));
            LogNotStored(alert.Id, alert.Type, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {Id} ({Type}) could not be stored; it was pushed and is kept until the store takes it: {Reason}")]
    private partial void LogNotStored(string id, string type, string reason);
}
