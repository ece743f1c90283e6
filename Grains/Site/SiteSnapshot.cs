using SafetyPatrol.Grains.Rules;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Site;

/// <summary>
/// One version of the site, indexed for the grains. Immutable once built: a reload builds a new one
/// (<see cref="SiteCatalog.Apply"/>), so a reader never sees half a change.
/// </summary>
public sealed class SiteSnapshot
{
    public SiteSnapshot(SiteDefinition site)
    {
        Site = site;
        SiteValidator.TryFindZone(site.TimeZone, out var zone);
        TimeZone = zone;

        foreach (var building in site.Buildings)
        {
            foreach (var room in building.Rooms)
            {
                Rooms[room.Id] = new RoomEntry(room, building);
            }
        }

        foreach (var definition in site.Zones)
        {
            Zones[definition.Id] = new ZoneEntry(definition, new ArmingSchedule(definition.Armed, TimeZone));
        }

        Rules = [.. DefaultRules.Merge(site.Rules).Select(r => new CompiledRule(r))];
        foreach (var device in site.Devices)
        {
            var room = Rooms[device.Room];
            var rules = Rules.Where(r => r.AppliesTo(device)).Select(r => r.ForDevice(device)).ToArray();
            var inZone = site.Zones.FirstOrDefault(z => z.Holds(device));
            Devices[device.Id] = new DeviceEntry(device, room.Room, room.Building, rules, inZone?.Id);
            room.DeviceIds.Add(device.Id);
            if (inZone is not null)
            {
                Zones[inZone.Id].DeviceIds.Add(device.Id);
            }
        }

        foreach (var checkpoint in site.Checkpoints)
        {
            var room = Rooms[checkpoint.Room];
            Checkpoints[checkpoint.Id] = new CheckpointEntry(checkpoint, room.Room, room.Building, CheckpointSchedule.For(checkpoint, TimeZone));
            room.CheckpointIds.Add(checkpoint.Id);
        }

        foreach (var route in site.Routes)
        {
            Routes[route.Id] = route;
            foreach (var checkpoint in route.Checkpoints)
            {
                Checkpoints[checkpoint].RouteIds.Add(route.Id);
            }
        }
    }

    public SiteDefinition Site { get; }

    public TimeZoneInfo TimeZone { get; }

    public IReadOnlyList<CompiledRule> Rules { get; }

    public Dictionary<string, RoomEntry> Rooms { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DeviceEntry> Devices { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CheckpointEntry> Checkpoints { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RouteDefinition> Routes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ZoneEntry> Zones { get; } = new(StringComparer.Ordinal);
}

public sealed record RoomEntry(RoomDefinition Room, BuildingDefinition Building)
{
    public List<string> DeviceIds { get; } = [];
    public List<string> CheckpointIds { get; } = [];
}

/// <param name="ZoneId">The security zone the device belongs to; null when it is in none (it counts as armed).</param>
public sealed record DeviceEntry(DeviceDefinition Device, RoomDefinition Room, BuildingDefinition Building, IReadOnlyList<CompiledRule> Rules, string? ZoneId = null);

public sealed record ZoneEntry(ZoneDefinition Zone, ArmingSchedule Schedule)
{
    public List<string> DeviceIds { get; } = [];
}

public sealed record CheckpointEntry(CheckpointDefinition Checkpoint, RoomDefinition Room, BuildingDefinition Building, CheckpointSchedule? Schedule = null)
{
    public TimeWindow Window { get; } = TimeWindow.Parse(Checkpoint.ActiveHours);

    /// <summary>An interval checkpoint's <c>everyMinutes</c>; a scheduled one's <c>withinMinutes</c> (its escalation step).</summary>
    public int StepMinutes => Schedule is null ? Checkpoint.EveryMinutes : Checkpoint.WithinMinutes ?? Checkpoint.EveryMinutes;

    /// <summary>How long after it is due an inspection may come before it is overdue.</summary>
    public int GraceMinutes => Schedule is null ? Checkpoint.GraceMinutes : Checkpoint.WithinMinutes ?? 0;

    public IEnumerable<string> Items => Checklist.Select(c => c.Item);

    public IReadOnlyList<ChecklistEntry> Checklist => Checkpoint.Checklist;

    public List<string> RouteIds { get; } = [];
}
