using SafetyPatrol.Grains.Rules;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Site;

/// <summary>
/// One version of the deployment's sites, indexed for the grains. Immutable once built: a reload builds a new one
/// (<see cref="SiteCatalog.Apply"/>), so a reader never sees half a change.
/// </summary>
public sealed class SiteSnapshot
{
    public SiteSnapshot(IReadOnlyList<SiteDefinition> sites)
    {
        foreach (var site in sites)
        {
            Add(site);
        }

        foreach (var (id, site) in Sites.Concat(Buildings).Concat(RouteSites)
            .Concat(Rooms.Select(r => KeyValuePair.Create(r.Key, r.Value.Site)))
            .Concat(Devices.Select(d => KeyValuePair.Create(d.Key, d.Value.Site)))
            .Concat(Checkpoints.Select(c => KeyValuePair.Create(c.Key, c.Value.Site)))
            .Concat(Zones.Select(z => KeyValuePair.Create(z.Key, z.Value.Site))))
        {
            Owners[id] = site.Id;
        }
    }

    private void Add(SiteDefinition definition)
    {
        SiteValidator.TryFindZone(definition.TimeZone, out var zone);
        var site = new SiteEntry(definition, zone);
        Sites[definition.Id] = site;

        foreach (var building in definition.Buildings)
        {
            Buildings[building.Id] = site;
            foreach (var room in building.Rooms)
            {
                Rooms[room.Id] = new RoomEntry(room, building) { Site = site };
            }
        }

        foreach (var zoneDefinition in definition.Zones)
        {
            Zones[zoneDefinition.Id] = new ZoneEntry(zoneDefinition, new ArmingSchedule(zoneDefinition.Armed, zone)) { Site = site };
        }

        // Rules are each site's own: the defaults and what its file adds or replaces.
        var rules = DefaultRules.Merge(definition.Rules).Select(r => new CompiledRule(r)).ToArray();
        foreach (var device in definition.Devices)
        {
            var room = Rooms[device.Room];
            var applying = rules.Where(r => r.AppliesTo(device)).Select(r => r.ForDevice(device)).ToArray();
            var inZone = definition.Zones.FirstOrDefault(z => z.Holds(device));
            Devices[device.Id] = new DeviceEntry(device, room.Room, room.Building, applying, inZone?.Id) { Site = site };
            room.DeviceIds.Add(device.Id);
            if (inZone is not null)
            {
                Zones[inZone.Id].DeviceIds.Add(device.Id);
            }
        }

        foreach (var checkpoint in definition.Checkpoints)
        {
            var room = Rooms[checkpoint.Room];
            Checkpoints[checkpoint.Id] = new CheckpointEntry(checkpoint, room.Room, room.Building, CheckpointSchedule.For(checkpoint, zone)) { Site = site };
            room.CheckpointIds.Add(checkpoint.Id);
        }

        foreach (var route in definition.Routes)
        {
            Routes[route.Id] = route;
            RouteSites[route.Id] = site;
            foreach (var checkpoint in route.Checkpoints)
            {
                Checkpoints[checkpoint].RouteIds.Add(route.Id);
            }
        }
    }

    /// <summary>Every site by id, in the order of the site files.</summary>
    public Dictionary<string, SiteEntry> Sites { get; } = new(StringComparer.Ordinal);

    /// <summary>The site id of every site (itself), building, room, device, checkpoint, route and zone: ids are unique across all sites.</summary>
    public Dictionary<string, string> Owners { get; } = new(StringComparer.Ordinal);

    /// <summary>The site of each building.</summary>
    public Dictionary<string, SiteEntry> Buildings { get; } = new(StringComparer.Ordinal);

    /// <summary>The site of each route.</summary>
    public Dictionary<string, SiteEntry> RouteSites { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RoomEntry> Rooms { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DeviceEntry> Devices { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CheckpointEntry> Checkpoints { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RouteDefinition> Routes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ZoneEntry> Zones { get; } = new(StringComparer.Ordinal);
}

/// <summary>A site of the deployment, with its time zone found once.</summary>
public sealed record SiteEntry(SiteDefinition Definition, TimeZoneInfo TimeZone)
{
    public string Id => Definition.Id;

    public string Name => Definition.Name;

    /// <summary>Midnight at the start of <paramref name="day"/> in the site's time zone.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }
}

public sealed record RoomEntry(RoomDefinition Room, BuildingDefinition Building)
{
    public required SiteEntry Site { get; init; }

    public List<string> DeviceIds { get; } = [];
    public List<string> CheckpointIds { get; } = [];
}

/// <param name="Rules">An array, not a list behind an interface: the device grain walks it on every reading, and an
/// interface's enumerator is an allocation each time.</param>
/// <param name="ZoneId">The security zone the device belongs to; null when it is in none (it counts as armed).</param>
public sealed record DeviceEntry(DeviceDefinition Device, RoomDefinition Room, BuildingDefinition Building, CompiledRule[] Rules, string? ZoneId = null)
{
    public required SiteEntry Site { get; init; }
}

public sealed record ZoneEntry(ZoneDefinition Zone, ArmingSchedule Schedule)
{
    public required SiteEntry Site { get; init; }

    public List<string> DeviceIds { get; } = [];
}

public sealed record CheckpointEntry(CheckpointDefinition Checkpoint, RoomDefinition Room, BuildingDefinition Building, CheckpointSchedule? Schedule = null)
{
    public required SiteEntry Site { get; init; }

    public TimeWindow Window { get; } = TimeWindow.Parse(Checkpoint.ActiveHours);

    /// <summary>An interval checkpoint's <c>everyMinutes</c>; a scheduled one's <c>withinMinutes</c> (its escalation step).</summary>
    public int StepMinutes => Schedule is null ? Checkpoint.EveryMinutes : Checkpoint.WithinMinutes ?? Checkpoint.EveryMinutes;

    /// <summary>How long after it is due an inspection may come before it is overdue.</summary>
    public int GraceMinutes => Schedule is null ? Checkpoint.GraceMinutes : Checkpoint.WithinMinutes ?? 0;

    public IEnumerable<string> Items => Checklist.Select(c => c.Item);

    public IReadOnlyList<ChecklistEntry> Checklist => Checkpoint.Checklist;

    public List<string> RouteIds { get; } = [];
}
