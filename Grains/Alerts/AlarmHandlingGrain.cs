using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Alerts;

/// <summary>
/// A building's out-of-service periods and drills, kept in storage. Each period that has an end is woken by the
/// deadline scheduler at that end; a device or room back in service has its suppressed alerts reconsidered,
/// so one whose condition still holds reaches the operator again.
/// </summary>
public sealed class AlarmHandlingGrain(
    [PersistentState(AlarmHandlingGrain.StateName)] IPersistentState<AlarmHandlingState> state,
    IAlertStore alerts,
    SiteCatalog catalog,
    DeadlineScheduler scheduler,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IAlarmHandlingGrain
{
    public const string StateName = "building-handling";

    /// <summary>Drills kept for their reports, per building.</summary>
    public const int DrillsKept = 200;

    private Wakeup _wakeup = null!;

    /// <summary>Up to when ended drills have been announced to the consoles.</summary>
    private DateTimeOffset _announcedUntil;

    private long _pushed;

    private AlarmHandlingState State => state.State;

    private string BuildingId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _wakeup = scheduler.For(this.GetGrainId());
        _announcedUntil = time.GetUtcNow();
        Plan();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Also hands the periods of devices and rooms that a new site version put in another building to that building, and
    /// drops those of devices and rooms no longer on any site: each period stays where its alerts ask.
    /// </summary>
    public async Task Start()
    {
        var moved = State.OutOfService.Values.Select(p => (Period: p, Building: BuildingOf(catalog, p))).Where(m => m.Building != BuildingId).ToList();
        if (moved.Count == 0)
        {
            return;
        }

        // The new building takes them before this one lets go: a failure between the two leaves a period twice, not none.
        foreach (var group in moved.Where(m => m.Building is not null).GroupBy(m => m.Building!))
        {
            await GrainFactory.GetGrain<IAlarmHandlingGrain>(group.Key).Import([.. group.Select(m => m.Period)], []);
        }

        foreach (var (period, _) in moved)
        {
            State.OutOfService.Remove(Key(period.Kind, period.Id));
        }

        await state.WriteStateAsync();
        Plan();
    }

    /// <summary>The building a period's device or room is in now; null for one no longer on any site.</summary>
    public static string? BuildingOf(SiteCatalog catalog, OutOfService period) => period.Kind == OutOfService.Room
        ? catalog.Rooms.GetValueOrDefault(period.Id)?.Building.Id
        : catalog.Devices.GetValueOrDefault(period.Id)?.Building.Id;

    public async Task<OutOfService> SetOutOfService(string kind, string id, DateTimeOffset? until, string by, string note)
    {
        var period = new OutOfService(kind, id, time.GetUtcNow(), until, by, note);
        State.OutOfService[Key(kind, id)] = period;
        await Changed(kind, id);
        return period;
    }

    public async Task<bool> Lift(string kind, string id, string by)
    {
        if (!State.OutOfService.Remove(Key(kind, id)))
        {
            return false;
        }

        await Changed(kind, id);
        await Reconsider(kind, id);
        return true;
    }

    public Task<OutOfService?> OutOfServiceOf(string deviceId, string roomId)
    {
        var now = time.GetUtcNow();
        return Task.FromResult(Current(OutOfService.Device, deviceId, now) ?? Current(OutOfService.Room, roomId, now));
    }

    public Task<IReadOnlyList<OutOfService>> OutOfServiceNow()
    {
        var now = time.GetUtcNow();
        return Task.FromResult<IReadOnlyList<OutOfService>>([.. State.OutOfService.Values.Where(p => p.Until is null || p.Until > now)]);
    }

    public async Task<Drill> StartDrill(TimeSpan length, string by, string note)
    {
        var now = time.GetUtcNow();
        var drill = new Drill(Guid.CreateVersion7(now).ToString(), BuildingId, now, now + length, by, note, Active: true);
        State.Drills.Add(drill);
        if (State.Drills.Count > DrillsKept)
        {
            State.Drills.RemoveAt(0);
        }

        await state.WriteStateAsync();
        Plan();
        await PushDrill(drill, now);
        return drill;
    }

    public Task<IReadOnlyList<Drill>> Drills()
    {
        var now = time.GetUtcNow();
        return Task.FromResult<IReadOnlyList<Drill>>([.. Enumerable.Reverse(State.Drills).Select(d => d with { Active = d.From <= now && now < d.Until })]);
    }

    public Task<Suppression?> SuppressionFor(string? roomId, string? deviceId, DateTimeOffset at, bool drills = true)
    {
        if ((deviceId is not null && Current(OutOfService.Device, deviceId, at) is not null) || (roomId is not null && Current(OutOfService.Room, roomId, at) is not null))
        {
            return Task.FromResult<Suppression?>(new Suppression(Suppression.OutOfServiceReason, null));
        }

        var drill = drills ? State.Drills.LastOrDefault(d => d.From <= at && at < d.Until) : null;
        return Task.FromResult(drill is null ? null : new Suppression(Suppression.DrillReason, drill.Id));
    }

    public async Task Import(IReadOnlyList<OutOfService> periods, IReadOnlyList<Drill> drills)
    {
        var taken = periods.Where(period => State.OutOfService.TryAdd(Key(period.Kind, period.Id), period)).ToList();
        var known = State.Drills.Select(d => d.Id).ToHashSet();
        State.Drills = [.. drills.Where(d => !known.Contains(d.Id)).Concat(State.Drills).OrderBy(d => d.From).TakeLast(DrillsKept)];
        await state.WriteStateAsync();
        Plan();
        // A console may have heard the building before say it was lifted (it let go): it is here now.
        foreach (var period in taken)
        {
            await Push(period.Kind, period.Id);
        }
    }

    /// <summary>A period has ended: it is dropped, and what it suppressed is reconsidered.</summary>
    public async Task OnDeadline()
    {
        _wakeup.Woken();
        var now = time.GetUtcNow();
        var ended = State.OutOfService.Values.Where(p => p.Until <= now).ToList();
        foreach (var period in ended)
        {
            State.OutOfService.Remove(Key(period.Kind, period.Id));
        }

        if (ended.Count > 0)
        {
            await state.WriteStateAsync();
        }

        foreach (var period in ended)
        {
            await Push(period.Kind, period.Id);
            await Reconsider(period.Kind, period.Id);
        }

        // Each drill that ended since the last wake-up, once: the consoles take its badge down.
        foreach (var drill in State.Drills.Where(d => d.Until > _announcedUntil && d.Until <= now).ToList())
        {
            await PushDrill(drill, now);
        }

        _announcedUntil = now;
        Plan();
    }

    private OutOfService? Current(string kind, string id, DateTimeOffset at) =>
        State.OutOfService.TryGetValue(Key(kind, id), out var period) && period.Since <= at && (period.Until is null || at < period.Until) ? period : null;

    private async Task Changed(string kind, string id)
    {
        await state.WriteStateAsync();
        Plan();
        await Push(kind, id);
    }

    /// <summary>Alerts suppressed because this device or room was out of service are asked whether they still are.</summary>
    private async Task Reconsider(string kind, string id)
    {
        var room = kind == OutOfService.Room ? id : catalog.Devices.GetValueOrDefault(id)?.Room.Id;
        if (room is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var unresolved = await alerts.Query(new AlertQuery("unresolved", RoomId: room, Limit: 10_000));
        foreach (var alert in unresolved.Where(a => a.Suppressed == Suppression.OutOfServiceReason && (kind == OutOfService.Room || a.DeviceId == id)))
        {
            await GrainFactory.GetGrain<IAlertGrain>(alert.Id).Reconsider(now);
        }
    }

    /// <summary>Tells the consoles what a device or room is now (its period, or none), so none has to ask.</summary>
    private Task Push(string kind, string id)
    {
        var now = time.GetUtcNow();
        return Push(new AlarmHandlingChange(kind, id, now, Period: Current(kind, id, now)));
    }

    /// <summary>Tells the consoles a drill of the building started or ended, with the drill as it is now.</summary>
    private Task PushDrill(Drill drill, DateTimeOffset now) =>
        Push(new AlarmHandlingChange(AlarmHandlingChange.DrillKind, BuildingId, now, Drill: drill with { Active = drill.From <= now && now < drill.Until }));

    private Task Push(AlarmHandlingChange change) =>
        GrainFactory.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(ConsoleEvent.AlarmHandlingChanged, change, change.Key, PushVersion.Advance(ref _pushed, time)));

    private void Plan()
    {
        var now = time.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var until in State.OutOfService.Values.Select(p => p.Until).Concat(State.Drills.Select(d => (DateTimeOffset?)d.Until)))
        {
            if (until > now)
            {
                next = Deadlines.Earliest(next, until);
            }
        }

        _wakeup.NoLaterThan(next);
    }

    private static string Key(string kind, string id) => $"{kind}/{id}";
}

/// <summary>Alarm handling across buildings: each building's grain asked, the answers put together.</summary>
[StatelessWorker]
public sealed class AlarmHandlingQueryGrain(SiteCatalog catalog) : Grain, IAlarmHandlingQueryGrain
{
    public async Task<IReadOnlyList<OutOfService>> OutOfServiceNow(IReadOnlyList<string>? sites) =>
        [.. (await Task.WhenAll(Buildings(sites).Select(b => b.OutOfServiceNow()))).SelectMany(p => p)];

    public async Task<IReadOnlyList<Drill>> Drills(IReadOnlyList<string>? sites) =>
        [.. (await Task.WhenAll(Buildings(sites).Select(b => b.Drills()))).SelectMany(d => d).OrderByDescending(d => d.From)];

    private IEnumerable<IAlarmHandlingGrain> Buildings(IReadOnlyList<string>? sites) =>
        catalog.Buildings.Where(b => sites is null || sites.Contains(b.Value.Id))
            .Select(b => GrainFactory.GetGrain<IAlarmHandlingGrain>(b.Key));
}

[GenerateSerializer]
public sealed class AlarmHandlingState
{
    [Id(0)] public Dictionary<string, OutOfService> OutOfService { get; set; } = [];

    [Id(1)] public List<Drill> Drills { get; set; } = [];
}
