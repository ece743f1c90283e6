namespace SafetyPatrol.Push;

/// <summary>
/// A console event: its SignalR name (docs/interface.md §6), its payload, and which thing it is of (<see cref="Key"/>) in
/// which version of that thing's pushes (<see cref="Version"/>). A web host sends each name, key and version once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleEvent(
    [property: Id(0)] string Name,
    [property: Id(1)] object Payload,
    [property: Id(2)] string Key,
    [property: Id(3)] long Version)
{
    /// <summary>The event of a payload that says its own key and version.</summary>
    public static ConsoleEvent Of(string name, IVersionedPush payload) => new(name, payload, payload.PushKey, payload.Version);

    public const string AlertRaised = "alertRaised";
    public const string AlertUpdated = "alertUpdated";
    public const string CheckInRecorded = "checkInRecorded";
    public const string DeviceStatusChanged = "deviceStatusChanged";

    /// <summary>Extension: a checkpoint's due or overdue state changed (payload: checkpoint status).</summary>
    public const string CheckpointStatusChanged = "checkpointStatusChanged";

    /// <summary>Extension: a round started, progressed, completed or was missed (payload: round).</summary>
    public const string RoundUpdated = "roundUpdated";

    /// <summary>
    /// Extension: a device or room was put out of service or back, or a drill started or ended in a
    /// building (payload: <see cref="AlarmHandlingChange"/>); consoles refresh the site tree.
    /// </summary>
    public const string AlarmHandlingChanged = "alarmHandlingChanged";

    /// <summary>
    /// Extension: a node of the cluster died, and events it was sending when it died may not have
    /// arrived; a console loads alerts, site and patrol board again (payload: <see cref="Resync"/>).
    /// </summary>
    public const string ResyncNeeded = "resync";

    /// <summary>
    /// For the web hosts, not their clients: a user was disabled or changed role, so the hub ends
    /// that user's connections on every host (payload: the username).
    /// </summary>
    public const string SessionsEnded = "sessionsEnded";

    /// <summary>Extension: a new version of the site was applied (payload: <see cref="SiteChange"/>); consoles load the site tree again.</summary>
    public const string SiteChanged = "siteChanged";

    /// <summary>Extension: a security zone was armed or disarmed, by its schedule or an operator (payload: zone status).</summary>
    public const string ZoneChanged = "zoneChanged";

    /// <summary>Extension: a visitor was registered, checked out or became overdue (payload: the visitor).</summary>
    public const string VisitorUpdated = "visitorUpdated";

    /// <summary>Extension: a repair ticket was opened or changed (payload: the ticket).</summary>
    public const string TicketUpdated = "ticketUpdated";

    /// <summary>Extension: a room's totals or one of its devices' or checkpoints' changed (payload: <see cref="Grains.RoomTotals"/>).</summary>
    public const string RoomChanged = "roomChanged";

    /// <summary>Extension: a building's totals changed (payload: <see cref="Grains.BuildingTotals"/>).</summary>
    public const string BuildingChanged = "buildingChanged";
}

/// <summary>
/// A payload that says which thing it is the state of and in which version, so a console keeps the newest (an alert, a
/// room's or a building's totals).
/// </summary>
public interface IVersionedPush
{
    string PushKey { get; }

    long Version { get; }
}

/// <summary>
/// The version of what a grain pushes: rising within an activation, and past the last one's when it moves (it starts at
/// the clock's milliseconds, which a browser holds exactly).
/// </summary>
public static class PushVersion
{
    public static long Next(long last, TimeProvider time) => Math.Max(last + 1, time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Moves <paramref name="last"/> on to the next version and answers it.</summary>
    public static long Advance(ref long last, TimeProvider time) => last = Next(last, time);
}

/// <summary>
/// What changed: <c>device</c>, <c>room</c> or <c>drill</c> (then <see cref="Id"/> is the building), and what it is now: the
/// device's or room's own <see cref="Period"/> (null: back in service), or the <see cref="Drill"/> that started or ended.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AlarmHandlingChange(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Id,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] Alerts.OutOfService? Period = null,
    [property: Id(4)] Alerts.Drill? Drill = null)
{
    public const string DrillKind = "drill";

    public string Key => $"{Kind}/{Id}";
}

/// <summary>The site version a node has just applied.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteChange([property: Id(0)] int Version, [property: Id(1)] DateTimeOffset At);

/// <summary>Why a console should load everything again: <c>nodeLost</c>, naming the node.</summary>
[GenerateSerializer, Immutable]
public sealed record Resync([property: Id(0)] string Reason, [property: Id(1)] string Node, [property: Id(2)] DateTimeOffset At);

/// <summary>How the fan-out behaves, for both its ends.</summary>
public static class ConsolePush
{
    /// <summary>
    /// Each silo's push worker keeps the list of web hosts this long, so a host registered just now
    /// may miss events for up to this long; it does not call itself ready before.
    /// </summary>
    public static readonly TimeSpan ObserversCachedFor = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Implemented by each web host; forwards events to its SignalR clients. A push worker that finds a host new to its
/// list sends it an empty batch at once, to open the way before the first event.
/// </summary>
public interface IConsoleObserver : IGrainObserver
{
    [OneWay]
    Task OnEvents(IReadOnlyList<ConsoleEvent> events);
}

/// <summary>The web hosts currently listening. Registrations expire unless renewed.</summary>
public interface IConsoleHubListGrain : IGrainWithIntegerKey
{
    Task Register(string hostId, IConsoleObserver observer);

    Task<IReadOnlyList<IConsoleObserver>> GetObservers();
}

/// <summary>Fans console events out to every web host; a local stateless worker on each silo.</summary>
public interface IConsolePushGrain : IGrainWithIntegerKey
{
    [OneWay]
    Task Push(ConsoleEvent consoleEvent);

    /// <summary>Activates the silo's worker ahead of its first event; each silo calls it at start.</summary>
    Task Prepare();
}
