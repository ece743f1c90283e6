using System.Text.Json;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Site;

/// <summary>What a new version of the site changed: the ids of devices, checkpoints, routes, rooms and zones added, removed or changed.</summary>
public sealed record SiteChanges(
    IReadOnlyList<string> Devices,
    IReadOnlyList<string> Checkpoints,
    IReadOnlyList<string> Routes,
    IReadOnlyList<string> Rooms,
    IReadOnlyList<string> Zones,
    int Added,
    int Removed)
{
    public bool None => Devices.Count + Checkpoints.Count + Routes.Count + Rooms.Count + Zones.Count == 0;

    public static SiteChanges Between(SiteSnapshot before, SiteSnapshot after)
    {
        var added = 0;
        var removed = 0;

        // Another time zone of its site moves every due time, round and rule window: it is part of each fingerprint.
        List<string> Diff<T>(IReadOnlyDictionary<string, T> old, IReadOnlyDictionary<string, T> now, Func<T, object> what)
        {
            added += now.Keys.Count(k => !old.ContainsKey(k));
            removed += old.Keys.Count(k => !now.ContainsKey(k));
            return [.. old.Keys.Union(now.Keys).Where(id => !old.TryGetValue(id, out var a) || !now.TryGetValue(id, out var b) || Fingerprint(what(a)) != Fingerprint(what(b)))];
        }

        // A device changes with its definition, its place's names or any rule that applies to it; a checkpoint with its place too.
        return new SiteChanges(
            Diff(before.Devices, after.Devices, d => new { d.Device, Room = d.Room.Name, Building = d.Building.Name, Rules = d.Rules.Select(r => r.Definition), d.ZoneId, Site = Of(d.Site) }),
            Diff(before.Checkpoints, after.Checkpoints, c => new { c.Checkpoint, Room = c.Room.Name, Building = c.Building.Name, c.RouteIds, Site = Of(c.Site) }),
            Diff(RoutesOf(before), RoutesOf(after), r => new { r.Route, Site = Of(r.Site) }),
            Diff(before.Rooms, after.Rooms, r => new { r.Room, Building = r.Building.Name, r.DeviceIds, r.CheckpointIds, Site = Of(r.Site) }),
            Diff(before.Zones, after.Zones, z => new { z.Zone, z.DeviceIds, Site = Of(z.Site) }),
            added,
            removed);
    }

    private static Dictionary<string, (RouteDefinition Route, SiteEntry Site)> RoutesOf(SiteSnapshot snapshot) =>
        snapshot.Routes.ToDictionary(r => r.Key, r => (r.Value, snapshot.RouteSites[r.Key]), StringComparer.Ordinal);

    /// <summary>What of its site an entry's grain runs on: the site's id and time zone.</summary>
    private static object Of(SiteEntry site) => new { site.Id, site.Definition.TimeZone };

    private static string Fingerprint(object value) => JsonSerializer.Serialize(value, SiteJson.Options);
}
