using SafetyPatrol.Grains.Site;

namespace SafetyPatrol.Grains.Rooms;

/// <summary>Aggregates a building from the summaries its rooms push, so the console can colour it in one call.</summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class BuildingGrain(SiteCatalog catalog) : Grain, IBuildingGrain
{
    private readonly Dictionary<string, RoomSummary> _rooms = new(StringComparer.Ordinal);

    public Task RoomChanged(RoomSummary room)
    {
        _rooms[room.RoomId] = room;
        return Task.CompletedTask;
    }

    public Task<BuildingStatus> GetStatus()
    {
        var id = this.GetPrimaryKeyString();
        var building = catalog.Buildings.GetValueOrDefault(id)?.Definition.Buildings.FirstOrDefault(b => b.Id == id);
        var rooms = (building?.Rooms ?? []).ToDictionary(
            r => r.Id,
            r => _rooms.GetValueOrDefault(r.Id) ?? new RoomSummary(r.Id, null, 0, 0),
            StringComparer.Ordinal);

        return Task.FromResult(new BuildingStatus(
            id,
            Severities.Worst(rooms.Values.Where(r => r.WorstSeverity is not null).Select(r => r.WorstSeverity!)),
            rooms.Values.Sum(r => r.OpenAlerts),
            rooms.Values.Sum(r => r.DevicesOffline),
            rooms));
    }
}
