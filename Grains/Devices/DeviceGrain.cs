using SafetyPatrol.Grains.History;
using System.Globalization;
using SafetyPatrol.Alerts;
using SafetyPatrol.Push;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains.Alerts;
using SafetyPatrol.Grains.Rules;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Security;

namespace SafetyPatrol.Grains.Devices;

/// <summary>
/// A device: keeps its last value per metric, evaluates its rules on every reading and at its
/// deadlines (on-delays, rule windows opening or closing, heartbeat), and raises or clears alerts.
/// </summary>
// Devices stay active: their deadlines live in memory, and a device that went quiet must still be watched.
[CollectionAgeLimit(AlwaysActive = true)]
// Every reading is a call here: the dashboard's per-call profiling stays off the hottest path.
[Orleans.Dashboard.NoProfiling]
public sealed class DeviceGrain(
    [PersistentState("device")] IPersistentState<DeviceState> state,
    SiteCatalog catalog,
    DeadlineScheduler scheduler,
    HistoryRecorder history,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IDeviceGrain, IGrainMigrationParticipant
{
    /// <summary>The version of its last console event (<see cref="PushVersion"/>).</summary>
    private long _pushed;

    public const string OfflineKey = "device.offline";

    /// <summary>Distinct metric names kept per device, as many as one reading may carry.</summary>
    public const int MaxMetrics = 64;

    /// <summary>Three activations within this window make a condition chattering; it is released after this long steady.</summary>
    public static readonly TimeSpan ChatterWindow = TimeSpan.FromSeconds(60);

    public const int ChatterActivations = 3;

    /// <summary>
    /// Readings alone are saved at most this long after the first one not yet saved, each device after its own part of it
    /// (<see cref="SaveAfter"/>), whether more readings come or not (a deadline); alert transitions are saved at once.
    /// </summary>
    private static readonly TimeSpan SaveWithin = TimeSpan.FromSeconds(30);

    /// <summary>How long a device's grain stays on the node it moved to before it follows its connection again.</summary>
    public static readonly TimeSpan StayAfterMove = TimeSpan.FromMinutes(10);

    private const string MovedAtKey = "device.movedAt";

    /// <summary>How long a device whose silence ran out while the system was down has to speak after a start.</summary>
    private static readonly TimeSpan ReconnectGrace = TimeSpan.FromSeconds(60);

    private DeviceEntry? _entry;
    private DeviceHistory? _history;
    private AlertSlots _alerts = null!;
    private DateTimeOffset _watchingSince;
    private Wakeup _wakeup = null!;
    private TimeSpan _saveAfter;

    /// <summary>When the first change not yet saved was made; null while everything is saved.</summary>
    private DateTimeOffset? _unsavedSince;

    /// <summary>When the grain last began to move to its connection's node (kept across the move).</summary>
    private DateTimeOffset _movedAt = DateTimeOffset.MinValue;

    /// <summary>Whether the device's security zone is armed; a device in no zone counts as armed.</summary>
    private bool _armed = true;

    private DeviceState State => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _entry = catalog.Devices.GetValueOrDefault(this.GetPrimaryKeyString());
        if (_entry is null)
        {
            return;
        }

        if (_entry.ZoneId is { } zone)
        {
            try
            {
                _armed = await GrainFactory.GetGrain<IZoneGrain>(zone).IsArmed();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A zone that cannot answer now (its store is down) leaves the device armed: a false alarm is better than a missed one.
            }
        }

        _alerts = new AlertSlots(GrainFactory, State.AlertIds, AlertSlots.Remember(state));
        _wakeup = scheduler.For(this.GetGrainId());
        _history = history.For(_entry.Device.Id);

        // Silence counts from the last message (HeartbeatDue); this activation only bounds how soon a long-silent device is called silent.
        _saveAfter = SaveAfter(this.GetGrainId());
        _watchingSince = time.GetUtcNow();
        Plan(_watchingSince);

        // Rooms take devices to be online until told otherwise.
        if (!State.Online)
        {
            await GrainFactory.GetGrain<IRoomGrain>(_entry.Room.Id).DeviceOnlineChanged(_entry.Device.Id, false);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _wakeup?.Deactivated(reason);
        if (_unsavedSince is not null)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public Task Start() => Task.CompletedTask;

    public Task ConnectedTo(SiloAddress node)
    {
        // A device connected to two nodes at once (or hopping between them) would otherwise send its grain back and forth.
        // That stalled moves in a CI run; by Orleans' migration manager, two moves of one grain crossing each other keep
        // both batches waiting for an activation that is itself leaving, until the call times out. So a grain moves at
        // most once per StayAfterMove, counted from when a move begins (so never while one is under way; the time goes
        // with the grain); meanwhile its readings from another node are calls across the cluster, as without moving.
        var now = time.GetUtcNow();
        if (node.Equals(GrainContext.Address.SiloAddress) || now - _movedAt < StayAfterMove)
        {
            return Task.CompletedTask;
        }

        // Migration takes the request context to the placement director, which places the grain on the node it names.
        // Its state goes with it (saved first if dirty, OnDeactivateAsync), and it plans its deadlines again there.
        _movedAt = now;
        RequestContext.Set(Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey, node);
        this.MigrateOnIdle();
        return Task.CompletedTask;
    }

    public void OnDehydrate(IDehydrationContext dehydrationContext) => dehydrationContext.TryAddValue(MovedAtKey, _movedAt);

    public void OnRehydrate(IRehydrationContext rehydrationContext)
    {
        if (rehydrationContext.TryGetValue(MovedAtKey, out DateTimeOffset movedAt))
        {
            _movedAt = movedAt;
        }
    }

    public Task Reload()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task Report(Reading reading) => ReportAll([reading]);

    public async Task ReportAll(IReadOnlyList<Reading> readings)
    {
        if (_entry is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var changed = await Seen(now);
        // By index: a foreach through the interface would allocate its enumerator on every call.
        for (var i = 0; i < readings.Count; i++)
        {
            changed |= await Take(readings[i], now);
        }

        await Finish(now, changed);
    }

    /// <summary>Keeps a reading's values and evaluates the rules on its metrics; true when an alert changed.</summary>
    private async Task<bool> Take(Reading reading, DateTimeOffset now)
    {
        reading.ForEachMetric(this, static (device, metric, value) => device.Keep(metric, value));

        State.LastReadingAt = reading.At;
        _unsavedSince ??= now;
        _history?.Add(reading);
        var changed = false;
        foreach (var rule in _entry!.Rules)
        {
            if (reading.Metrics.ContainsKey(rule.Metric))
            {
                changed |= await Evaluate(rule, now, repeat: true);
            }
        }

        return changed;
    }

    /// <summary>A device keeps its last value of at most <see cref="MaxMetrics"/> names; a new name past that is not kept.</summary>
    private void Keep(string metric, MetricValue value)
    {
        if (State.Last.Count < MaxMetrics || State.Last.ContainsKey(metric))
        {
            State.Last[metric] = value;
        }
    }

    public async Task ReportStatus(bool online)
    {
        if (_entry is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var changed = online ? await Seen(now) : await GoOffline(now, $"{_entry.Device.Id} reported itself offline", "device.reportedOffline");
        await Finish(now, changed);
    }

    public async Task OnDeadline()
    {
        if (_entry is null)
        {
            return;
        }

        _wakeup.Woken();
        var now = time.GetUtcNow();
        var changed = false;
        if (State.Online && now >= HeartbeatDue)
        {
            changed |= await GoOffline(now, $"No message from {_entry.Device.Id} for more than {_entry.Device.HeartbeatSeconds} s", "device.silent");
        }

        foreach (var rule in _entry.Rules)
        {
            changed |= await Evaluate(rule, now, repeat: false);
        }

        await Finish(now, changed);
    }

    public async Task ArmingChanged(bool armed)
    {
        if (_entry is null || armed == _armed)
        {
            return;
        }

        _armed = armed;
        var now = time.GetUtcNow();
        var changed = false;
        foreach (var rule in _entry.Rules.Where(r => r.Definition.WhenArmed))
        {
            changed |= await Evaluate(rule, now, repeat: false);
        }

        await Finish(now, changed);
    }

    public Task<DeviceStatus?> GetStatus()
    {
        if (_entry is null)
        {
            // Nothing to keep for an id that is not on the site.
            DeactivateOnIdle();
            return Task.FromResult<DeviceStatus?>(null);
        }

        return Task.FromResult<DeviceStatus?>(new DeviceStatus(
        _entry.Device.Id,
        _entry.Room.Id,
        _entry.Building.Id,
        _entry.Device.System,
        _entry.Device.Model,
        State.Online,
        State.LastSeen,
        State.LastReadingAt,
        State.Last.ToDictionary(m => m.Key, m => m.Value.Boxed),
        _entry.Device.HeartbeatSeconds));
    }

    /// <summary>
    /// How long this device lets readings alone wait to be saved: from half of <see cref="SaveWithin"/> to all of it, fixed by
    /// its id. Devices that begin together (every device of a node that just started, a load that starts at once) would
    /// otherwise save together, each within the same tenth of a second every 30 s, and every reading and alarm of theirs
    /// waited behind that wave of writes (two nodes, 2,000 devices: markers up to 690 ms late in the second it began). In
    /// whole milliseconds, as the scheduler's timer counts.
    /// </summary>
    internal static TimeSpan SaveAfter(GrainId device) =>
        TimeSpan.FromMilliseconds(Math.Floor(SaveWithin.TotalMilliseconds / 2 * (1 + device.GetUniformHashCode() / (double)uint.MaxValue)));

    /// <summary>
    /// When the device is silent: its heartbeat after its last message, counted across a restart or a move to another node
    /// (the last message is saved within <see cref="SaveWithin"/>). A device whose silence ran out while no node watched it
    /// gets <see cref="ReconnectGrace"/> (or its heartbeat, if shorter) from this activation to speak; one that never spoke,
    /// its heartbeat.
    /// </summary>
    private DateTimeOffset HeartbeatDue
    {
        get
        {
            var heartbeat = TimeSpan.FromSeconds(_entry!.Device.HeartbeatSeconds);
            if (State.LastSeen is not { } seen)
            {
                return _watchingSince + heartbeat;
            }

            // Only a silence that ran out before this activation is given the grace; one still running keeps its time.
            return seen + heartbeat > _watchingSince ? seen + heartbeat : _watchingSince + (heartbeat < ReconnectGrace ? heartbeat : ReconnectGrace);
        }
    }

    /// <summary>How long the condition must stay false before an active alert clears: the rule's off-delay, at least a minute while chattering.</summary>
    private static TimeSpan ClearAfter(CompiledRule rule, RuleState state) =>
        state.Chattering && rule.ClearFor < ChatterWindow ? ChatterWindow : rule.ClearFor;

    /// <summary>Applies one rule to the last values; returns true when its alert state changed.</summary>
    private async Task<bool> Evaluate(CompiledRule rule, DateTimeOffset now, bool repeat)
    {
        if (!State.Rules.TryGetValue(rule.Id, out var ruleState))
        {
            State.Rules[rule.Id] = ruleState = new RuleState();
        }

        var holds = State.Last.TryGetValue(rule.Metric, out var value)
            && rule.Window.Contains(now, _entry!.Site.TimeZone)
            && (_armed || !rule.Definition.WhenArmed)
            && rule.Holds(value, ruleState.Active);

        if (!holds)
        {
            ruleState.PendingSince = null;
            if (!ruleState.Active)
            {
                return false;
            }

            // Held active until the condition has stayed false for the rule's off-delay, or a whole minute while chattering
            // (Plan wakes the device then).
            var clearAfter = ClearAfter(rule, ruleState);
            if (clearAfter > TimeSpan.Zero)
            {
                ruleState.QuietSince ??= now;
                if (now - ruleState.QuietSince < clearAfter)
                {
                    return false;
                }
            }

            if (ruleState.Chattering)
            {
                ruleState.Chattering = false;
                ruleState.Activations.Clear();
            }

            ruleState.QuietSince = null;
            ruleState.Active = false;
            await _alerts.Clear(rule.Id, now);
            return true;
        }

        if (ruleState.Active)
        {
            // Still true is not true again: the alert takes the latest value, and its message only
            // while the value itself is past the threshold (inside the deadband the message stands).
            // An alert held active (chattering, or in its off-delay) whose condition had gone and is back is news, told at once.
            var returned = ruleState.QuietSince is not null;
            ruleState.QuietSince = null;
            return (repeat || returned) && await _alerts.Update(rule.Id, Spec(rule, value), rule.Holds(value, active: false), returned, now);
        }

        ruleState.PendingSince ??= now;
        if (now - ruleState.PendingSince < rule.For)
        {
            return false;
        }

        ruleState.Active = true;
        ruleState.PendingSince = null;
        ruleState.Activations.RemoveAll(at => now - at >= ChatterWindow);
        ruleState.Activations.Add(now);
        ruleState.Chattering = ruleState.Activations.Count >= ChatterActivations;
        await _alerts.Raise(rule.Id, Spec(rule, value) with { Chattering = ruleState.Chattering }, now);
        return true;
    }

    private AlertSpec Spec(CompiledRule rule, MetricValue value)
    {
        var (key, args) = rule.Keyed(value);
        return new AlertSpec(
            rule.AlertType,
            AlertCategory.Sensor,
            rule.Definition.Severity,
            rule.Describe(value),
            _entry!.Building.Id,
            _entry.Room.Id,
            DeviceId: _entry.Device.Id,
            Value: value.Number,
            Threshold: rule.Threshold,
            MessageKey: key,
            MessageArgs: args,
            Class: rule.Definition.AlarmClassOrDefault,
            ExemptFromDrills: rule.Definition.ExemptFromDrills);
    }

    private async Task<bool> Seen(DateTimeOffset now)
    {
        // A device's first message is saved at once: until then a restart would count its silence from the restart.
        var first = State.LastSeen is null;
        State.LastSeen = now;
        if (State.Online)
        {
            return first;
        }

        State.Offline = false;
        await _alerts.Clear(OfflineKey, now);
        await OnlineChanged(now);
        return true;
    }

    private async Task<bool> GoOffline(DateTimeOffset now, string message, string messageKey)
    {
        if (!State.Online)
        {
            return false;
        }

        var spec = new AlertSpec(OfflineKey, AlertCategory.Device, Severities.Major, message,
            _entry!.Building.Id, _entry.Room.Id, DeviceId: _entry.Device.Id, MessageKey: messageKey,
            MessageArgs: new Dictionary<string, string> { ["device"] = _entry.Device.Id, ["seconds"] = _entry.Device.HeartbeatSeconds.ToString(CultureInfo.InvariantCulture) });
        // Offline only once the alert is raised: if raising fails, the next wake-up tries again.
        await _alerts.Raise(OfflineKey, spec, now);
        State.Offline = true;
        await OnlineChanged(now);
        return true;
    }

    private async Task OnlineChanged(DateTimeOffset now)
    {
        await GrainFactory.GetGrain<IRoomGrain>(_entry!.Room.Id).DeviceOnlineChanged(_entry.Device.Id, State.Online);
        await GrainFactory.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(
            ConsoleEvent.DeviceStatusChanged, new DeviceStatusChange(_entry.Device.Id, State.Online, now), _entry.Device.Id, PushVersion.Advance(ref _pushed, time)));
    }

    private async Task Finish(DateTimeOffset now, bool changed)
    {
        try
        {
            if (changed || now - _unsavedSince >= _saveAfter)
            {
                await state.WriteStateAsync();
                _unsavedSince = null;
            }
        }
        catch (Exception ex) when (ex is StoreUnavailableException || ex.InnerException is StoreUnavailableException)
        {
            // Orleans wraps what the storage throws. The reading is taken and its alerts raised; the state is written again
            // after this device's wait, and with every alert transition, until the store takes it.
            _unsavedSince = now;
        }
        finally
        {
            // After the save: a device that just saved asks for no wake-up to save again.
            Plan(now);
        }
    }

    /// <summary>Asks the scheduler for the earliest moment something could change without a reading, or readings kept are due to be saved.</summary>
    private void Plan(DateTimeOffset now)
    {
        DateTimeOffset? next = Deadlines.Earliest(State.Online ? HeartbeatDue : null, _unsavedSince + _saveAfter);
        foreach (var rule in _entry!.Rules)
        {
            if (State.Rules.GetValueOrDefault(rule.Id)?.PendingSince is { } since)
            {
                next = Deadlines.Earliest(next, since + rule.For);
            }

            if (State.Rules.GetValueOrDefault(rule.Id) is { QuietSince: { } quiet } held)
            {
                next = Deadlines.Earliest(next, quiet + ClearAfter(rule, held));
            }

            if (State.Last.ContainsKey(rule.Metric))
            {
                next = Deadlines.Earliest(next, rule.Window.NextEdge(now, _entry!.Site.TimeZone));
            }
        }

        _wakeup.NoLaterThan(next);
    }
}
