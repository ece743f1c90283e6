using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Rooms;

/// <summary>
/// Aggregates a room: its unresolved alerts (read from the alert log on activation, then kept
/// current by the alerts themselves) and its devices' online state (pushed by the devices). Each
/// change of what a console shows of it goes to the consoles as <c>roomChanged</c>.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class RoomGrain(SiteCatalog catalog, IAlertStore alerts, [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IRoomGrain
{
    private readonly Dictionary<string, AlertSummary> _unresolved = [];
    private readonly Dictionary<string, bool> _online = [];
    private RoomEntry? _entry;
    private RoomStatus? _shown;
    private long _version;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _entry = catalog.Rooms.GetValueOrDefault(this.GetPrimaryKeyString());
        if (_entry is null)
        {
            return;
        }

        var open = await alerts.Query(new AlertQuery("unresolved", RoomId: _entry.Room.Id, Limit: int.MaxValue));
        foreach (var alert in open)
        {
            if ((alert.DeviceId ?? alert.CheckpointId) is { } source)
            {
                _unresolved[alert.Id] = new AlertSummary(alert.Id, source, alert.Severity, Unresolved: true);
            }
        }

        // What the consoles were shown when they loaded the site: only what changes after this is pushed. The building
        // hears the room's headline now, as it learns of every room after its own activation.
        _shown = Status();
        await GrainFactory.GetGrain<IBuildingGrain>(_entry.Building.Id).RoomChanged(_shown.Summary);
    }

    public Task Reload()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task AlertChanged(AlertSummary alert)
    {
        if (alert.Unresolved)
        {
            _unresolved[alert.AlertId] = alert;
        }
        else
        {
            _unresolved.Remove(alert.AlertId);
        }

        return Publish();
    }

    public Task DeviceOnlineChanged(string deviceId, bool online)
    {
        _online[deviceId] = online;
        return Publish();
    }

    public Task<RoomStatus> GetStatus() => Task.FromResult(Status());

    private RoomStatus Status()
    {
        var children = new Dictionary<string, ChildStatus>(StringComparer.Ordinal);
        if (_entry is not null)
        {
            // Once over the alerts, not once per child: a flood in one room must not cost its square on every change.
            var bySource = _unresolved.Values.ToLookup(a => a.SourceId, a => a.Severity, StringComparer.Ordinal);
            ChildStatus Child(string id, bool? online) => new(id, Severities.Worst(bySource[id]), bySource[id].Count(), online);
            foreach (var id in _entry.DeviceIds)
            {
                children[id] = Child(id, _online.GetValueOrDefault(id, true));
            }

            foreach (var id in _entry.CheckpointIds)
            {
                children[id] = Child(id, online: null);
            }
        }

        return new RoomStatus(Summary(), children);
    }

    private RoomSummary Summary() => new(
        this.GetPrimaryKeyString(),
        Severities.Worst(_unresolved.Values.Select(a => a.Severity)),
        _unresolved.Count,
        _online.Count(d => !d.Value));

    private async Task Publish()
    {
        var status = Status();
        if (_entry is null || _shown is not { } shown
            || (status.Summary == shown.Summary && status.Children.Values.SequenceEqual(shown.Children.Values)))
        {
            return;
        }

        _shown = status;
        _version = PushVersion.Next(_version, time);
        var summary = status.Summary;
        await GrainFactory.GetGrain<IConsolePushGrain>(0).Push(ConsoleEvent.Of(ConsoleEvent.RoomChanged, new RoomTotals(
            summary.RoomId, _entry.Building.Id, summary.WorstSeverity, summary.OpenAlerts, summary.DevicesOffline, [.. status.Children.Values], _version)));
        if (summary != shown.Summary)
        {
            await GrainFactory.GetGrain<IBuildingGrain>(_entry.Building.Id).RoomChanged(summary);
        }
    }
}
