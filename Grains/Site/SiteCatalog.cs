using SafetyPatrol.Grains.Rules;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Site;

/// <summary>
/// The site the grains run on: every silo builds it from the same site file, so configuration is never
/// grain state. A changed file is applied while running (<see cref="Apply"/>, CONTRACT §12): readers get the
/// current <see cref="SiteSnapshot"/> and grains whose part changed are restarted by the reloader.
/// </summary>
public sealed class SiteCatalog(SiteDefinition site)
{
    private volatile SiteSnapshot _current = new(site);

    /// <summary>The cluster's site version this silo runs (0 until the first is agreed).</summary>
    public int Version { get; private set; }

    public SiteDefinition Site => _current.Site;

    public TimeZoneInfo TimeZone => _current.TimeZone;

    public IReadOnlyList<CompiledRule> Rules => _current.Rules;

    public IReadOnlyDictionary<string, RoomEntry> Rooms => _current.Rooms;

    public IReadOnlyDictionary<string, DeviceEntry> Devices => _current.Devices;

    public IReadOnlyDictionary<string, CheckpointEntry> Checkpoints => _current.Checkpoints;

    public IReadOnlyDictionary<string, RouteDefinition> Routes => _current.Routes;

    public IReadOnlyDictionary<string, ZoneEntry> Zones => _current.Zones;

    /// <summary>Midnight at the start of <paramref name="day"/> in the site's time zone.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    /// <summary>Runs on <paramref name="site"/> from now on and says what changed.</summary>
    public SiteChanges Apply(SiteDefinition site, int version)
    {
        var before = _current;
        _current = new SiteSnapshot(site);
        Version = version;
        return SiteChanges.Between(before, _current);
    }

    /// <summary>Records the version agreed for the site this silo started on.</summary>
    public void Agreed(int version) => Version = version;
}
