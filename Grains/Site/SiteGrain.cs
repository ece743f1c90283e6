using SafetyPatrol.Grains.Patrols;
using SafetyPatrol.Security;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Site;

/// <summary>Assembles the site tree with each node's status from the building and room grains.</summary>
[StatelessWorker]
public sealed class SiteGrain(SiteCatalog catalog, [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, ISiteGrain
{
    public Task<bool> HasDevice(string id) => Task.FromResult(catalog.Devices.ContainsKey(id));

    public Task<bool> HasCheckpoint(string id) => Task.FromResult(catalog.Checkpoints.ContainsKey(id));

    public Task<IReadOnlyList<CheckpointLabel>> Labels(string? buildingId)
    {
        var now = time.GetUtcNow();
        return Task.FromResult<IReadOnlyList<CheckpointLabel>>(
        [.. catalog.Checkpoints.Values
            .Where(c => buildingId is null || c.Building.Id == buildingId)
            .Select(c =>
            {
                // A rotating code is printed only when it changes by whole days; a display's code is not printed at all.
                var code = CheckInCode.OnLabel(c.Checkpoint, now, c.Site.TimeZone);
                return new CheckpointLabel(c.Checkpoint.Id, c.Checkpoint.Name, code ?? "", c.Building.Id, c.Building.Name, c.Room.Id, c.Room.Name,
                    CheckInCode.LabelValidUntil(c.Checkpoint, now, c.Site.TimeZone), CodeOnDisplay: code is null);
            })]);
    }

    public Task<string?> CodeKey(string checkpointId) =>
        Task.FromResult(catalog.Checkpoints.TryGetValue(checkpointId, out var entry) ? CheckInCode.KeyUri(entry.Checkpoint) : null);

    public Task<string?> TimeZone(string? siteId) => Task.FromResult(catalog.Site(siteId)?.Definition.TimeZone);

    public async Task<IReadOnlyList<ZoneStatus>> Zones(string? siteId) =>
        [.. (await Task.WhenAll(catalog.Sites.Values.Where(s => siteId is null || s.Id == siteId).SelectMany(s => s.Definition.Zones)
            .Select(z => GrainFactory.GetGrain<IZoneGrain>(z.Id).Get()))).OfType<ZoneStatus>()];

    public Task<SiteDirectory> Directory() => Task.FromResult(new SiteDirectory(
        catalog.Version,
        [.. catalog.Sites.Values.Select(s => new SiteSummary(s.Id, s.Name, s.Definition.TimeZone))],
        catalog.Owners));

    public async Task<SiteView?> GetSite(string? siteId)
    {
        if (catalog.Site(siteId)?.Definition is not { } site)
        {
            return null;
        }

        var buildings = await Task.WhenAll(site.Buildings.Select(Building));
        return new SiteView(
            site.Id,
            site.Name,
            site.TimeZone,
            Severities.Worst(buildings.Where(b => b.WorstSeverity is not null).Select(b => b.WorstSeverity!)),
            buildings.Sum(b => b.OpenAlerts),
            buildings) { Version = catalog.Version };
    }

    private async Task<BuildingView> Building(BuildingDefinition building)
    {
        var status = await GrainFactory.GetGrain<IBuildingGrain>(building.Id).GetStatus();
        var rooms = await Task.WhenAll(building.Rooms.Select(Room));
        return new BuildingView(building.Id, building.Name, status.WorstSeverity, status.OpenAlerts, status.DevicesOffline, rooms);
    }

    private async Task<RoomView> Room(RoomDefinition room)
    {
        var status = await GrainFactory.GetGrain<IRoomGrain>(room.Id).GetStatus();
        var entry = catalog.Rooms[room.Id];
        var devices = entry.DeviceIds.Select(id =>
        {
            var device = catalog.Devices[id].Device;
            var child = status.Children.GetValueOrDefault(id);
            return new DeviceView(id, device.System, device.Model, child?.Online ?? true, child?.WorstSeverity, child?.OpenAlerts ?? 0) { Name = device.Name };
        }).ToList();
        var checkpoints = entry.CheckpointIds.Select(id =>
        {
            var child = status.Children.GetValueOrDefault(id);
            return new CheckpointView(id, catalog.Checkpoints[id].Checkpoint.Name, child?.WorstSeverity, child?.OpenAlerts ?? 0);
        }).ToList();
        var summary = status.Summary;
        return new RoomView(room.Id, room.Name, room.Floor, summary.WorstSeverity, summary.OpenAlerts, summary.DevicesOffline, devices, checkpoints);
    }
}
