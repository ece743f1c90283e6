namespace SafetyPatrol.Grains;

/// <summary>The sites' trees with each node's status, for <c>GET /api/site</c>.</summary>
public interface ISiteGrain : IGrainWithIntegerKey
{
    /// <summary>The tree of site <paramref name="siteId"/> (null: the first site); null for an unknown site.</summary>
    Task<SiteView?> GetSite(string? siteId);

    /// <summary>Every site and which site each id belongs to, for the web hosts to scope answers and events by (docs/interface.md §13).</summary>
    Task<SiteDirectory> Directory();

    /// <summary>Whether the site has this device, asked before its grain is: an unknown id activates nothing.</summary>
    Task<bool> HasDevice(string id);

    /// <summary>Whether the site has this checkpoint (as <see cref="HasDevice"/>).</summary>
    Task<bool> HasCheckpoint(string id);

    /// <summary>What a printed checkpoint label shows and encodes, for one building or the whole site, in site order.</summary>
    Task<IReadOnlyList<CheckpointLabel>> Labels(string? buildingId);

    /// <summary>Every security zone of site <paramref name="siteId"/> (null: every site) with its arming state, in site order.</summary>
    Task<IReadOnlyList<Security.ZoneStatus>> Zones(string? siteId);

    /// <summary>A site's time zone (IANA id; null: the first site's): every page shows times on the site's wall clock, whatever the browser's zone.</summary>
    Task<string?> TimeZone(string? siteId);

    /// <summary>A checkpoint's rotating-code key as an <c>otpauth://</c> URI, to set up its display; null when its code does not rotate or there is no such checkpoint.</summary>
    Task<string?> CodeKey(string checkpointId);
}

/// <summary>
/// The deployment's sites, in the order of their files, and the site of every building, room, device, checkpoint,
/// route and zone (<see cref="Owners"/>); <see cref="Version"/> is the site version it was made from.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SiteDirectory(int Version, IReadOnlyList<SiteSummary> Sites, IReadOnlyDictionary<string, string> Owners);

[GenerateSerializer, Immutable]
public sealed record SiteSummary(string Id, string Name, string TimeZone);

/// <summary>A checkpoint's printed label: its name, place and code (docs/interface.md §10).</summary>
[GenerateSerializer, Immutable]
/// <remarks>
/// A rotating code (docs/interface.md §2: <c>rotatingCodeSeconds</c>) is on the label only when it changes by whole days, with the time it
/// stops working (<see cref="CodeValidUntil"/>); a display's code is not on it (<see cref="CodeOnDisplay"/>, <see cref="Code"/> empty).
/// </remarks>
public sealed record CheckpointLabel(string Id, string Name, string Code, string BuildingId, string BuildingName, string RoomId, string RoomName,
    DateTimeOffset? CodeValidUntil = null, bool CodeOnDisplay = false);

[GenerateSerializer, Immutable]
public sealed record SiteView(string Id, string Name, string TimeZone, string? WorstSeverity, int OpenAlerts, IReadOnlyList<BuildingView> Buildings)
{
    /// <summary>The site version this node runs (docs/interface.md §12): it rises with each change applied without a restart.</summary>
    [Id(6)] public int Version { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record BuildingView(string Id, string Name, string? WorstSeverity, int OpenAlerts, int DevicesOffline, IReadOnlyList<RoomView> Rooms);

[GenerateSerializer, Immutable]
public sealed record RoomView(string Id, string Name, int? Floor, string? WorstSeverity, int OpenAlerts, int DevicesOffline,
    IReadOnlyList<DeviceView> Devices, IReadOnlyList<CheckpointView> Checkpoints);

[GenerateSerializer, Immutable]
public sealed record DeviceView(string Id, string System, string? Model, bool Online, string? WorstSeverity, int OpenAlerts)
{
    /// <summary>The device's name in the site file, if it has one.</summary>
    [Id(6)] public string? Name { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record CheckpointView(string Id, string Name, string? WorstSeverity, int OpenAlerts);
