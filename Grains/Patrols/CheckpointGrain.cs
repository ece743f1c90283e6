using System.Globalization;
using SafetyPatrol.Alerts;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains.Alerts;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;
using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Patrols;

/// <summary>
/// A checkpoint. It is due <c>everyMinutes</c> after its last valid check-in (or after its window
/// opened, or after start-up, if never visited); at due + grace it raises <c>inspection.overdue</c>,
/// which escalates every further interval and goes inactive with the next valid check-in.
/// The silo's deadline scheduler wakes it exactly when something is due; nothing ticks.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class CheckpointGrain(
    [PersistentState("checkpoint")] IPersistentState<CheckpointState> state,
    SiteCatalog catalog,
    DeadlineScheduler scheduler,
    ILedgerStore ledger,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, ICheckpointGrain
{
    /// <summary>The version of its last console event (<see cref="PushVersion"/>).</summary>
    private long _pushed;

    public const string OverdueType = "inspection.overdue";
    public const string FindingType = "inspection.finding";
    public const string MismatchType = "inspection.mismatch";

    /// <summary>Warning → minor → major → critical.</summary>
    public const int MaxEscalation = 3;

    /// <summary>Wrong codes one officer may enter here within the window before being told to wait (codes cannot be guessed by trying).</summary>
    public const int WrongCodesAllowed = 5;
    public static readonly TimeSpan WrongCodeWindow = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan DuplicateWithin = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, (int Count, DateTimeOffset Since)> _wrongCodes = [];
    private CheckpointEntry? _entry;
    private AlertSlots _alerts = null!;
    private DateTimeOffset _watchingSince;
    private Wakeup _wakeup = null!;
    private CheckpointStatus? _published;

    private CheckpointState State => state.State;

    private TimeSpan Every => TimeSpan.FromMinutes(_entry!.StepMinutes);

    private TimeSpan Grace => TimeSpan.FromMinutes(_entry!.GraceMinutes);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _entry = catalog.Checkpoints.GetValueOrDefault(this.GetPrimaryKeyString());
        if (_entry is null)
        {
            return;
        }

        _alerts = new AlertSlots(GrainFactory, State.AlertIds, AlertSlots.Remember(state));
        _wakeup = scheduler.For(this.GetGrainId());
        _watchingSince = time.GetUtcNow();
        await Evaluate(_watchingSince);
    }

    // Taken away by the runtime (its directory entry died with another silo): woken again within a second, to watch on.
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _wakeup?.Deactivated(reason);
        return Task.CompletedTask;
    }

    public Task Start() => Task.CompletedTask;

    public Task Reload()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task OnDeadline()
    {
        if (_entry is not null)
        {
            _wakeup.Woken();
            await Evaluate(time.GetUtcNow());
        }
    }

    public async Task<CheckInResult> CheckIn(CheckInRequest request)
    {
        if (_entry is null)
        {
            // Nothing to keep for an id that is not on the site.
            DeactivateOnIdle();
            return new CheckInResult(CheckInOutcome.UnknownCheckpoint, null);
        }

        var now = time.GetUtcNow();
        if (_wrongCodes.TryGetValue(request.Officer, out var wrong) && wrong.Count >= WrongCodesAllowed && now - wrong.Since < WrongCodeWindow)
        {
            return new CheckInResult(CheckInOutcome.TooManyWrongCodes, null, wrong.Since + WrongCodeWindow - now);
        }

        if (!CheckInCode.Matches(_entry.Checkpoint, request.Code, now, _entry!.Site.TimeZone))
        {
            _wrongCodes[request.Officer] = wrong.Count > 0 && now - wrong.Since < WrongCodeWindow ? (wrong.Count + 1, wrong.Since) : (1, now);
            return new CheckInResult(CheckInOutcome.WrongCode, null);
        }

        _wrongCodes.Remove(request.Officer);
        if (request.Findings.Any(f => !_entry.Items.Contains(f.Item)))
        {
            return new CheckInResult(CheckInOutcome.NotOnChecklist, null);
        }

        if (State.LastCheckIn is { } last && last.Officer == request.Officer && now - last.At < DuplicateWithin)
        {
            return new CheckInResult(CheckInOutcome.Duplicate, last);
        }

        var checkIn = new CheckIn(Guid.CreateVersion7(now).ToString(), _entry.Checkpoint.Id, _entry.Room.Id, _entry.Building.Id, request.Officer, now, request.Findings)
        {
            SiteId = catalog.SiteOf(_entry.Checkpoint.Id),
        };
        await ledger.SaveCheckIn(checkIn);
        State.LastCheckIn = checkIn;

        foreach (var failed in request.Findings.Where(f => !f.Ok))
        {
            var message = $"{_entry.Checkpoint.Name}: {failed.Item} — failed" + (string.IsNullOrWhiteSpace(failed.Note) ? "" : $" ({failed.Note})");
            await _alerts.Raise("finding:" + failed.Item, new AlertSpec(FindingType, AlertCategory.Finding, Severities.Minor, message,
                _entry.Building.Id, _entry.Room.Id, CheckpointId: _entry.Checkpoint.Id, Item: failed.Item, Note: failed.Note, Officer: request.Officer, PhotoId: failed.PhotoId,
                MessageKey: failed.Note is null ? "inspection.finding" : "inspection.findingWithNote",
                MessageArgs: new Dictionary<string, string> { ["checkpoint"] = _entry.Checkpoint.Name, ["item"] = failed.Item, ["note"] = failed.Note ?? "" }), now);
        }

        await CompareGauges(request, now);
        if (!State.Overdue)
        {
            // Done before it was overdue; a late one was counted missed when it became overdue (docs/interface.md §13).
            await Compliance.OnTime(now);
        }

        await Evaluate(now, forceSave: true);
        await GrainFactory.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(ConsoleEvent.CheckInRecorded, checkIn, checkIn.Id, Version: 1));

        // The officer first, so a round this check-in starts does not find them silent since their last one.
        await GrainFactory.GetGrain<IOfficerGrain>(request.Officer).CheckedIn(now);
        foreach (var routeId in _entry.RouteIds)
        {
            await GrainFactory.GetGrain<IRouteGrain>(routeId).Visited(_entry.Checkpoint.Id, request.Officer, now);
        }

        return new CheckInResult(CheckInOutcome.Recorded, checkIn);
    }

    /// <summary>
    /// Each gauge value the officer read is compared with the device's last reading of that metric: a
    /// disagreement beyond the tolerance means the gauge or the sensor is wrong (<c>inspection.mismatch</c>);
    /// agreement clears an earlier one.
    /// </summary>
    private async Task CompareGauges(CheckInRequest request, DateTimeOffset now)
    {
        foreach (var finding in request.Findings)
        {
            if (finding.Value is not { } gauge || _entry!.Checklist.FirstOrDefault(e => e.Item == finding.Item)?.Reading is not { } reading)
            {
                continue;
            }

            var status = await GrainFactory.GetGrain<IDeviceGrain>(reading.Device).GetStatus();
            if (status?.LastReading.GetValueOrDefault(reading.Metric) is not double sensor)
            {
                continue; // nothing to compare with yet
            }

            var key = "mismatch:" + finding.Item;
            if (Math.Abs(gauge - sensor) <= reading.Tolerance)
            {
                await _alerts.Clear(key, now);
                continue;
            }

            var args = new Dictionary<string, string>
            {
                ["checkpoint"] = _entry.Checkpoint.Name, ["item"] = finding.Item, ["gauge"] = Number(gauge), ["device"] = reading.Device,
                ["metric"] = reading.Metric, ["sensor"] = Number(sensor), ["tolerance"] = Number(reading.Tolerance),
            };
            await _alerts.Raise(key, new AlertSpec(MismatchType, AlertCategory.Finding, Severities.Major,
                $"{_entry.Checkpoint.Name}: {finding.Item} reads {args["gauge"]} on the gauge but {args["sensor"]} from {reading.Device} ({reading.Metric}), more than {args["tolerance"]} apart: the gauge or the sensor is wrong",
                _entry.Building.Id, _entry.Room.Id, DeviceId: reading.Device, CheckpointId: _entry.Checkpoint.Id, Value: gauge, Threshold: sensor,
                Item: finding.Item, Officer: request.Officer, MessageKey: "inspection.mismatch", MessageArgs: args), now);
        }
    }

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public Task<CheckpointStatus?> GetStatus()
    {
        if (_entry is null)
        {
            DeactivateOnIdle();
            return Task.FromResult<CheckpointStatus?>(null);
        }

        return Task.FromResult<CheckpointStatus?>(Status(time.GetUtcNow()));
    }

    public Task<CheckpointInfo?> GetInfo()
    {
        if (_entry is null)
        {
            DeactivateOnIdle();
            return Task.FromResult<CheckpointInfo?>(null);
        }

        var c = _entry.Checkpoint;
        return Task.FromResult<CheckpointInfo?>(new CheckpointInfo(c.Id, c.Name, _entry.Room.Id, _entry.Room.Name, _entry.Building.Id, _entry.Building.Name,
            [.. _entry.Items], c.EveryMinutes, c.GraceMinutes, c.ActiveHours, Status(time.GetUtcNow()))
        {
            Schedule = c.Schedule,
            WithinMinutes = c.WithinMinutes,
            Gauges = [.. _entry.Checklist.Where(e => e.Reading is not null).Select(e => new GaugeItem(e.Item, e.Reading!.Device, e.Reading.Metric, e.Reading.Tolerance))],
        });
    }

    /// <summary>When the checkpoint is next due; null outside its active hours.</summary>
    private DateTimeOffset? DueAt(DateTimeOffset now)
    {
        var since = State.LastCheckIn?.At ?? _watchingSince;

        // A ledger on the calendar owes the first occurrence after its last inspection.
        if (_entry!.Schedule is { } schedule)
        {
            return schedule.Next(since);
        }

        if (!_entry.Window.Contains(now, _entry!.Site.TimeZone))
        {
            return null;
        }

        if (_entry.Window.LastOpened(now, _entry!.Site.TimeZone) is { } opened && opened > since)
        {
            since = opened;
        }

        return since + Every;
    }

    private IComplianceGrain Compliance => GrainFactory.GetGrain<IComplianceGrain>(_entry!.Site.Id);

    private async Task Evaluate(DateTimeOffset now, bool forceSave = false)
    {
        var changed = forceSave;
        var due = DueAt(now);
        if (due is { } d && now >= d + Grace)
        {
            var overdueAt = d + Grace;
            if (!State.Overdue)
            {
                State.Overdue = true;
                State.EscalationLevel = 0;
                changed = true;
                await Compliance.Missed(now);
                var last = State.LastCheckIn;
                var since = last is not null ? $"last inspected {Local(last.At)} by {last.Officer}" : "not inspected since start-up";
                await _alerts.Raise(OverdueType, new AlertSpec(OverdueType, AlertCategory.Inspection, Severities.Warning,
                    $"{_entry!.Checkpoint.Name} overdue since {Local(overdueAt)} ({since})",
                    _entry.Building.Id, _entry.Room.Id, CheckpointId: _entry.Checkpoint.Id, DueAt: d,
                    MessageKey: last is null ? "inspection.overdueNever" : "inspection.overdue",
                    MessageArgs: new Dictionary<string, string>
                    {
                        ["checkpoint"] = _entry.Checkpoint.Name, ["since"] = Local(overdueAt), ["last"] = last is null ? "" : Local(last.At), ["officer"] = last?.Officer ?? "",
                    }), now);
            }

            // Still unvisited after each further full interval: one step more severe, up to critical.
            var level = Math.Min(MaxEscalation, (int)((now - overdueAt) / Every));
            while (State.EscalationLevel < level)
            {
                State.EscalationLevel++;
                changed = true;
                await Compliance.Missed(now);
                var minutes = (State.EscalationLevel * _entry!.StepMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await GrainFactory.GetGrain<IAlertGrain>(State.AlertIds[OverdueType]).Escalate(now, $"still not inspected {minutes} min after it became overdue",
                    "note.stillNotInspected", new Dictionary<string, string> { ["minutes"] = minutes });
            }
        }
        else if (State.Overdue)
        {
            State.Overdue = false;
            State.EscalationLevel = 0;
            changed = true;
            await _alerts.Clear(OverdueType, now);
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }

        await Publish(now);
        Plan(now, due);
    }

    private void Plan(DateTimeOffset now, DateTimeOffset? due)
    {
        DateTimeOffset? next = _entry!.Window.NextEdge(now, _entry!.Site.TimeZone);
        if (due is { } d)
        {
            var overdueAt = d + Grace;
            DateTimeOffset? wake = now < overdueAt ? overdueAt
                : State.EscalationLevel < MaxEscalation ? overdueAt + (State.EscalationLevel + 1) * Every
                : null;
            next = Deadlines.Earliest(next, wake);
        }

        _wakeup.NoLaterThan(next);
    }

    private CheckpointStatus Status(DateTimeOffset now)
    {
        var due = DueAt(now);
        return new CheckpointStatus(
            _entry!.Checkpoint.Id,
            _entry.Checkpoint.Name,
            _entry.Room.Id,
            _entry.Building.Id,
            due is not null,
            State.LastCheckIn?.At,
            State.LastCheckIn?.Officer,
            due,
            due + Grace,
            State.Overdue,
            State.EscalationLevel,
            State.Overdue ? State.AlertIds.GetValueOrDefault(OverdueType) : null);
    }

    private async Task Publish(DateTimeOffset now)
    {
        var status = Status(now);
        if (status == _published)
        {
            return;
        }

        // Consoles load the board when they connect, so the first status of an activation is not pushed.
        var first = _published is null;
        _published = status;
        await GrainFactory.GetGrain<IPatrolBoardGrain>(0).CheckpointChanged(status);
        if (!first)
        {
            await GrainFactory.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(ConsoleEvent.CheckpointStatusChanged, status, status.Id, PushVersion.Advance(ref _pushed, time)));
        }
    }

    private string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, _entry!.Site.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
