using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Site;

/// <summary>
/// The sites the grains run on: every silo builds them from the same site file or folder, so configuration is
/// never grain state. Ids are unique across all sites, so each entry knows its site. A change is applied while
/// running (<see cref="Apply"/>, docs/interface.md §12): readers get the current <see cref="SiteSnapshot"/> and grains whose
/// part changed are restarted by the reloader.
/// </summary>
public sealed class SiteCatalog(IReadOnlyList<SiteDefinition> sites)
{
    private volatile SiteSnapshot _current = new(sites);

    public SiteCatalog(SiteDefinition site)
        : this([site])
    {
    }

    /// <summary>The cluster's site version this silo runs (0 until the first is agreed).</summary>
    public int Version { get; private set; }

    /// <summary>Every site, in the order of the site files; the first is the one a single-site deployment had.</summary>
    public IReadOnlyDictionary<string, SiteEntry> Sites => _current.Sites;

    /// <summary>The site id of every building, room, device, checkpoint, route and zone.</summary>
    public IReadOnlyDictionary<string, string> Owners => _current.Owners;

    /// <summary>The site of each building.</summary>
    public IReadOnlyDictionary<string, SiteEntry> Buildings => _current.Buildings;

    public IReadOnlyDictionary<string, RoomEntry> Rooms => _current.Rooms;

    public IReadOnlyDictionary<string, DeviceEntry> Devices => _current.Devices;

    public IReadOnlyDictionary<string, CheckpointEntry> Checkpoints => _current.Checkpoints;

    public IReadOnlyDictionary<string, RouteDefinition> Routes => _current.Routes;

    /// <summary>The site of each route.</summary>
    public IReadOnlyDictionary<string, SiteEntry> RouteSites => _current.RouteSites;

    public IReadOnlyDictionary<string, ZoneEntry> Zones => _current.Zones;

    /// <summary>The first site: the one whose data a deployment kept from when it held a single site.</summary>
    public SiteEntry First => _current.Sites.Values.First();

    /// <summary>The site <paramref name="id"/> names, or the first when none is named; null for an unknown id.</summary>
    public SiteEntry? Site(string? id) => id is null ? First : _current.Sites.GetValueOrDefault(id);

    /// <summary>
    /// The site of the first of <paramref name="ids"/> that names a place (device, checkpoint, room, building, route
    /// or zone); what names none, or only places since removed, is the first site's, as all data was before there were several.
    /// </summary>
    public string SiteOf(params ReadOnlySpan<string?> ids)
    {
        foreach (var id in ids)
        {
            if (id is not null && Owners.TryGetValue(id, out var site))
            {
                return site;
            }
        }

        return First.Id;
    }

    /// <summary>Runs on <paramref name="sites"/> from now on and says what changed.</summary>
    public SiteChanges Apply(IReadOnlyList<SiteDefinition> sites, int version)
    {
        var before = _current;
        _current = new SiteSnapshot(sites);
        Version = version;
        return SiteChanges.Between(before, _current);
    }

    /// <summary>Records the version agreed for the sites this silo started on.</summary>
    public void Agreed(int version) => Version = version;
}
