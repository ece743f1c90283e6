using SafetyPatrol.Grains.Site;
using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Rooms;

/// <summary>
/// Aggregates a building from the summaries its rooms push, so the console can colour it in one call; each change of
/// its totals goes to the consoles as <c>buildingChanged</c>.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class BuildingGrain(SiteCatalog catalog, [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IBuildingGrain
{
    private readonly Dictionary<string, RoomSummary> _rooms = new(StringComparer.Ordinal);
    private (string? Worst, int Open, int Offline) _shown = (null, 0, 0);
    private long _version;

    public async Task RoomChanged(RoomSummary room)
    {
        _rooms[room.RoomId] = room;
        var status = Status();
        var totals = (status.WorstSeverity, status.OpenAlerts, status.DevicesOffline);
        if (_shown == totals)
        {
            return;
        }

        _shown = totals;
        _version = PushVersion.Next(_version, time);
        await GrainFactory.GetGrain<IConsolePushGrain>(0).Push(ConsoleEvent.Of(ConsoleEvent.BuildingChanged,
            new BuildingTotals(status.BuildingId, status.WorstSeverity, status.OpenAlerts, status.DevicesOffline, _version)));
    }

    public Task<BuildingStatus> GetStatus() => Task.FromResult(Status());

    private BuildingStatus Status()
    {
        var id = this.GetPrimaryKeyString();
        var building = catalog.Buildings.GetValueOrDefault(id)?.Definition.Buildings.FirstOrDefault(b => b.Id == id);
        var rooms = (building?.Rooms ?? []).ToDictionary(
            r => r.Id,
            r => _rooms.GetValueOrDefault(r.Id) ?? new RoomSummary(r.Id, null, 0, 0),
            StringComparer.Ordinal);

        return new BuildingStatus(
            id,
            Severities.Worst(rooms.Values.Where(r => r.WorstSeverity is not null).Select(r => r.WorstSeverity!)),
            rooms.Values.Sum(r => r.OpenAlerts),
            rooms.Values.Sum(r => r.DevicesOffline),
            rooms);
    }
}
