namespace SafetyPatrol.Sites;

/// <summary>A site file (docs/interface.md §2): the campus as a facility manager defines it.</summary>
public sealed record SiteDefinition
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string TimeZone { get; init; } = "UTC";
    public IReadOnlyList<BuildingDefinition> Buildings { get; init; } = [];
    public IReadOnlyList<DeviceDefinition> Devices { get; init; } = [];
    public IReadOnlyList<CheckpointDefinition> Checkpoints { get; init; } = [];
    public IReadOnlyList<RouteDefinition> Routes { get; init; } = [];
    public IReadOnlyList<RuleDefinition> Rules { get; init; } = [];

    /// <summary>Perimeter and door zones of the security system, each armed on its schedule or by an operator.</summary>
    public IReadOnlyList<ZoneDefinition> Zones { get; init; } = [];
}

public sealed record BuildingDefinition
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<RoomDefinition> Rooms { get; init; } = [];
}

public sealed record RoomDefinition
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public int? Floor { get; init; }
}

public sealed record DeviceDefinition
{
    public string Id { get; init; } = "";

    /// <summary>What people call it ("101 教室烟感 Classroom 101 smoke"); the console shows it where it would show the id.</summary>
    public string? Name { get; init; }

    public string Room { get; init; } = "";
    public string System { get; init; } = "";
    public string? Model { get; init; }
    public string Secret { get; init; } = "";
    public int HeartbeatSeconds { get; init; } = 300;

    /// <summary>A door contact: how long the door may stand open before it is held open (rules with <c>forSecondsFrom: heldOpenSeconds</c>).</summary>
    public int? HeldOpenSeconds { get; init; }
}

public sealed record CheckpointDefinition
{
    public string Id { get; init; } = "";
    public string Room { get; init; } = "";
    public string Name { get; init; } = "";
    public string Code { get; init; } = "";
    public int EveryMinutes { get; init; } = 120;
    public int GraceMinutes { get; init; } = 10;
    public string? ActiveHours { get; init; }

    /// <summary>A ledger on the calendar: a 5-field cron expression in the site's time zone, instead of <see cref="EveryMinutes"/>.</summary>
    public string? Schedule { get; init; }

    /// <summary>With <see cref="Schedule"/>: how long after each occurrence the inspection may come before it is overdue.</summary>
    public int? WithinMinutes { get; init; }

    public IReadOnlyList<ChecklistEntry> Checklist { get; init; } = [];

    /// <summary>
    /// The check-in code changes every this many seconds: a TOTP keyed by <see cref="Code"/>, shown on a small display at
    /// the checkpoint (under a day), or printed on a label reprinted each period (whole days, on the site's clock).
    /// </summary>
    public int? RotatingCodeSeconds { get; init; }
}

public sealed record RouteDefinition
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Checkpoints { get; init; } = [];
    public int StartEveryMinutes { get; init; } = 60;
    public int CompleteWithinMinutes { get; init; } = 40;
    public string? ActiveHours { get; init; }
}
