using Orleans.Concurrency;
using SafetyPatrol.Devices;

namespace SafetyPatrol.Alerts;

/// <summary>
/// What keeps alarms from an operator on purpose (docs/interface.md §9) in one building, keyed by its id: its
/// devices and rooms out of service while they are repaired, and its drills. Each alert of the building asks it
/// when it is raised or occurs again, and it tells the alerts concerned when a period ends. No alert waits on
/// another building's.
/// </summary>
public interface IAlarmHandlingGrain : IDeadlineTarget, IGrainWithStringKey
{
    /// <summary>Activates it so the ends of its periods and drills are watched.</summary>
    Task Start();

    /// <summary><paramref name="id"/>: a device or room of this building.</summary>
    Task<OutOfService> SetOutOfService(string kind, string id, DateTimeOffset? until, string by, string note);

    /// <summary>Lifts it now; false when it was not out of service.</summary>
    Task<bool> Lift(string kind, string id, string by);

    /// <summary>A device's own period, or its room's.</summary>
    [AlwaysInterleave]
    Task<OutOfService?> OutOfServiceOf(string deviceId, string roomId);

    /// <summary>Its devices and rooms out of service now.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<OutOfService>> OutOfServiceNow();

    Task<Drill> StartDrill(TimeSpan length, string by, string note);

    /// <summary>Its drills, newest first.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<Drill>> Drills();

    /// <summary>
    /// Why an alert from there is suppressed at that moment, if it is. A read that may run while the grain
    /// reconsiders alerts, which ask this of it in turn.
    /// </summary>
    /// <remarks><paramref name="drills"/> false: a drill does not suppress it (a panic button).</remarks>
    [AlwaysInterleave]
    Task<Suppression?> SuppressionFor(string? roomId, string? deviceId, DateTimeOffset at, bool drills = true);

    /// <summary>
    /// Takes in periods and drills of this building kept elsewhere before (by the one grain of every building that came
    /// before this one); what it has already is kept.
    /// </summary>
    Task Import(IReadOnlyList<OutOfService> periods, IReadOnlyList<Drill> drills);
}

/// <summary>Alarm handling across the buildings of some sites (null: every site), for lists and reports.</summary>
public interface IAlarmHandlingQueryGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<OutOfService>> OutOfServiceNow(IReadOnlyList<string>? sites);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<Drill>> Drills(IReadOnlyList<string>? sites);
}

/// <summary>A device or room out of service, from when, until when (or until lifted), by whom and why.</summary>
[GenerateSerializer, Immutable]
public sealed record OutOfService(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Id,
    [property: Id(2)] DateTimeOffset Since,
    [property: Id(3)] DateTimeOffset? Until,
    [property: Id(4)] string By,
    [property: Id(5)] string Note)
{
    public const string Device = "device";
    public const string Room = "room";
}

/// <summary>A drill in a building: alerts raised there meanwhile are tagged and suppressed. <see cref="Active"/>: at the time of the answer, by the system's clock.</summary>
[GenerateSerializer, Immutable]
public sealed record Drill(
    [property: Id(0)] string Id,
    [property: Id(1)] string BuildingId,
    [property: Id(2)] DateTimeOffset From,
    [property: Id(3)] DateTimeOffset Until,
    [property: Id(4)] string By,
    [property: Id(5)] string Note,
    [property: Id(6)] bool Active = false);

/// <summary>Why an alert is suppressed: <c>out-of-service</c> or <c>drill</c> (with the drill).</summary>
[GenerateSerializer, Immutable]
public sealed record Suppression([property: Id(0)] string Reason, [property: Id(1)] string? DrillId)
{
    public const string OutOfServiceReason = "out-of-service";
    public const string DrillReason = "drill";
}
