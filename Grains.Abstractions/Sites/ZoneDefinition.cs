namespace SafetyPatrol.Sites;

/// <summary>
/// A perimeter or door zone of the security system: the devices it holds (by <see cref="Rooms"/> and
/// <see cref="Devices"/> globs), when it is armed by itself, and how long an operator may disarm it.
/// </summary>
public sealed record ZoneDefinition
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<string>? Rooms { get; init; }
    public IReadOnlyList<string>? Devices { get; init; }

    /// <summary>Armed while any window is open; none = disarmed unless an operator arms it.</summary>
    public IReadOnlyList<ArmingWindow> Armed { get; init; } = [];

    /// <summary>The longest an operator's disarm may last before the zone follows its schedule again.</summary>
    public int MaxDisarmMinutes { get; init; } = 240;

    /// <summary>Whether the zone holds the device: it matches the zone's globs, and the zone names at least one of rooms or devices.</summary>
    public bool Holds(DeviceDefinition device) =>
        (Rooms is not null || Devices is not null) && Glob.MatchesAny(Rooms, device.Room) && Glob.MatchesAny(Devices, device.Id);
}

/// <summary>A window that opens at each occurrence of <see cref="Cron"/> (5 fields, the site's time zone) and lasts <see cref="Minutes"/>.</summary>
public sealed record ArmingWindow
{
    public string Cron { get; init; } = "";
    public int Minutes { get; init; }
}
