using System.Text.Json;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Site;

/// <summary>
/// What a new version of the site changed: the ids of devices, checkpoints, routes, rooms and zones added, removed or
/// changed; and the buildings such a device or room was in before or is in now, whose repairs may have to move.
/// </summary>
public sealed record SiteChanges(
    IReadOnlyList<string> Devices,
    IReadOnlyList<string> Checkpoints,
    IReadOnlyList<string> Routes,
    IReadOnlyList<string> Rooms,
    IReadOnlyList<string> Zones,
    IReadOnlyList<string> Buildings,
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

        // A device changes with its definition, its place (which building, and the names) or any rule that applies to it; a
        // checkpoint with its place too.
        var devices = Diff(before.Devices, after.Devices, d => new { d.Device, Room = d.Room.Name, Building = new { d.Building.Id, d.Building.Name }, Rules = d.Rules.Select(r => r.Definition), d.ZoneId, Site = Of(d.Site) });
        var rooms = Diff(before.Rooms, after.Rooms, r => new { r.Room, Building = new { r.Building.Id, r.Building.Name }, r.DeviceIds, r.CheckpointIds, Site = Of(r.Site) });
        return new SiteChanges(
            devices,
            Diff(before.Checkpoints, after.Checkpoints, c => new { c.Checkpoint, Room = c.Room.Name, Building = c.Building.Name, c.RouteIds, Site = Of(c.Site) }),
            Diff(RoutesOf(before), RoutesOf(after), r => new { r.Route, Site = Of(r.Site) }),
            rooms,
            Diff(before.Zones, after.Zones, z => new { z.Zone, z.DeviceIds, Site = Of(z.Site) }),
            [.. devices.SelectMany(id => new[] { before.Devices.GetValueOrDefault(id)?.Building.Id, after.Devices.GetValueOrDefault(id)?.Building.Id })
                .Concat(rooms.SelectMany(id => new[] { before.Rooms.GetValueOrDefault(id)?.Building.Id, after.Rooms.GetValueOrDefault(id)?.Building.Id }))
                .OfType<string>().Distinct()],
            added,
            removed);
    }

    private static Dictionary<string, (RouteDefinition Route, SiteEntry Site)> RoutesOf(SiteSnapshot snapshot) =>
        snapshot.Routes.ToDictionary(r => r.Key, r => (r.Value, snapshot.RouteSites[r.Key]), StringComparer.Ordinal);

    /// <summary>What of its site an entry's grain runs on: the site's id and time zone.</summary>
    private static object Of(SiteEntry site) => new { site.Id, site.Definition.TimeZone };

    private static string Fingerprint(object value) => JsonSerializer.Serialize(value, SiteJson.Options);
}
