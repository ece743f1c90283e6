using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Rooms;

/// <summary>
/// Aggregates a room: its unresolved alerts (read from the alert log on activation, then kept
/// current by the alerts themselves) and its devices' online state (pushed by the devices).
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class RoomGrain(SiteCatalog catalog, IAlertStore alerts) : Grain, IRoomGrain
{
    private readonly Dictionary<string, AlertSummary> _unresolved = [];
    private readonly Dictionary<string, bool> _online = [];
    private RoomEntry? _entry;
    private RoomSummary? _published;

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

        await Publish();
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

    public Task<RoomStatus> GetStatus()
    {
        var children = new Dictionary<string, ChildStatus>(StringComparer.Ordinal);
        if (_entry is not null)
        {
            foreach (var id in _entry.DeviceIds)
            {
                children[id] = Child(id, _online.GetValueOrDefault(id, true));
            }

            foreach (var id in _entry.CheckpointIds)
            {
                children[id] = Child(id, online: null);
            }
        }

        return Task.FromResult(new RoomStatus(Summary(), children));
    }

    private ChildStatus Child(string id, bool? online)
    {
        var mine = _unresolved.Values.Where(a => a.SourceId == id).Select(a => a.Severity).ToList();
        return new ChildStatus(id, Severities.Worst(mine), mine.Count, online);
    }

    private RoomSummary Summary() => new(
        this.GetPrimaryKeyString(),
        Severities.Worst(_unresolved.Values.Select(a => a.Severity)),
        _unresolved.Count,
        _online.Count(d => !d.Value));

    private Task Publish()
    {
        var summary = Summary();
        if (_entry is null || summary == _published)
        {
            return Task.CompletedTask;
        }

        _published = summary;
        return GrainFactory.GetGrain<IBuildingGrain>(_entry.Building.Id).RoomChanged(summary);
    }
}
