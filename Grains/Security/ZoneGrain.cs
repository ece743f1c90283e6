using SafetyPatrol.Devices;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Push;
using SafetyPatrol.Security;

namespace SafetyPatrol.Grains.Security;

/// <summary>
/// A security zone: armed while a window of its schedule is open, unless an operator's arm or disarm stands.
/// Its deadlines (a window opening or closing, an operator's disarm running out) come from the deadline
/// scheduler; at each change it tells its devices, so a door reading never waits on this grain. The
/// operator's part is grain state, so a restart keeps it.
/// </summary>
// Zones stay active: their edges are deadlines in memory, and their devices must hear of each change.
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class ZoneGrain(
    [PersistentState("zone")] IPersistentState<ZoneState> state,
    SiteCatalog catalog,
    DeadlineScheduler scheduler,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IZoneGrain
{
    /// <summary>The version of its last console event (<see cref="PushVersion"/>).</summary>
    private long _pushed;

    private ZoneEntry? _entry;
    private Wakeup _wakeup = null!;
    private bool _armed;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _entry = catalog.Zones.GetValueOrDefault(this.GetPrimaryKeyString());
        if (_entry is null)
        {
            return Task.CompletedTask;
        }

        _wakeup = scheduler.For(this.GetGrainId());
        var now = time.GetUtcNow();
        _armed = ArmedAt(now);

        // Devices that kept running while this zone moved (a silo lost) hear its state again; not awaited, as a
        // device starting now asks this zone and the zone answers only once activated.
        TellDevices().Ignore();
        _wakeup.NoLaterThan(NextWakeup(now));
        return Task.CompletedTask;
    }

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

    public Task<bool> IsArmed() => Task.FromResult(_entry is null || _armed);

    public Task<ZoneStatus?> Get()
    {
        if (_entry is null)
        {
            DeactivateOnIdle();
        }

        return Task.FromResult(_entry is null ? null : Status(time.GetUtcNow()));
    }

    public async Task OnDeadline()
    {
        if (_entry is null)
        {
            return;
        }

        _wakeup.Woken();
        var now = time.GetUtcNow();
        if (state.State.Override is { Until: { } until } && until <= now)
        {
            state.State.Override = null;
            await state.WriteStateAsync();
        }

        if (await Changed(now))
        {
            await Push(now);
        }
    }

    public async Task<ZoneResult> Arm(string by, string reason, int? minutes)
    {
        if (_entry is null)
        {
            DeactivateOnIdle();
            return new ZoneResult(null);
        }

        if (minutes is < 1 or > 1440)
        {
            return new ZoneResult(Status(time.GetUtcNow()), ProblemText.Of("zone.disarmMinutes", ("max", 1440)));
        }

        var now = time.GetUtcNow();
        var until = minutes is { } m ? now.AddMinutes(m) : _entry.Schedule.NextChange(now);
        return await Override(new ArmingOverride(true, now, until, by, reason), now);
    }

    public async Task<ZoneResult> Disarm(string by, string reason, int minutes)
    {
        if (_entry is null)
        {
            DeactivateOnIdle();
            return new ZoneResult(null);
        }

        var now = time.GetUtcNow();
        if (minutes < 1 || minutes > _entry.Zone.MaxDisarmMinutes)
        {
            return new ZoneResult(Status(now), ProblemText.Of("zone.disarmLongest", ("max", _entry.Zone.MaxDisarmMinutes)));
        }

        return await Override(new ArmingOverride(false, now, now.AddMinutes(minutes), by, reason), now);
    }

    private async Task<ZoneResult> Override(ArmingOverride change, DateTimeOffset now)
    {
        state.State.Override = change;
        await state.WriteStateAsync();

        // The consoles hear of an operator's arm or disarm even when the zone already was so: who and why changed.
        await Changed(now);
        await Push(now);
        return new ZoneResult(Status(now));
    }

    /// <summary>Tells the devices when the zone's state changed, and plans the next wake-up; true when it changed.</summary>
    private async Task<bool> Changed(DateTimeOffset now)
    {
        var changed = ArmedAt(now) != _armed;
        if (changed)
        {
            _armed = !_armed;
            await TellDevices();
        }

        _wakeup.NoLaterThan(NextWakeup(now));
        return changed;
    }

    /// <summary>Devices hear of a change before the consoles do.</summary>
    private Task Push(DateTimeOffset now) =>
        GrainFactory.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(ConsoleEvent.ZoneChanged, Status(now), this.GetPrimaryKeyString(), PushVersion.Advance(ref _pushed, time)));

    /// <summary>Tells every device the zone's state; one that cannot be reached asks again as it starts anew.</summary>
    private Task TellDevices() => Task.WhenAll(_entry!.DeviceIds.Select(async id =>
    {
        try
        {
            await GrainFactory.GetGrain<IDeviceGrain>(id).ArmingChanged(_armed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Its silo is gone: the device asks this zone when it is activated elsewhere.
        }
    }));

    private ArmingOverride? Standing(DateTimeOffset now) => state.State.Override is { } o && (o.Until is null || now < o.Until) ? o : null;

    private bool ArmedAt(DateTimeOffset now) => Standing(now)?.Armed ?? _entry!.Schedule.IsArmed(now);

    /// <summary>When to look again: the operator's part running out, or else the schedule's next edge.</summary>
    private DateTimeOffset? NextWakeup(DateTimeOffset now) =>
        Standing(now) is { } standing ? standing.Until : _entry!.Schedule.NextEdge(now);

    private ZoneStatus Status(DateTimeOffset now)
    {
        var standing = Standing(now);
        var next = standing is not null ? standing.Until : _entry!.Schedule.NextChange(now);
        return new ZoneStatus(_entry!.Zone.Id, _entry.Zone.Name, _armed, standing is null ? "schedule" : "operator", standing, next,
            _entry.DeviceIds, _entry.Zone.MaxDisarmMinutes, now);
    }
}

[GenerateSerializer]
public sealed class ZoneState
{
    /// <summary>The operator's last arm or disarm; it stands until its end.</summary>
    [Id(0)] public ArmingOverride? Override { get; set; }
}
