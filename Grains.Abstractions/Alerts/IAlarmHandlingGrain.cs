using Orleans.Concurrency;
using SafetyPatrol.Devices;

namespace SafetyPatrol.Alerts;

/// <summary>
/// What keeps alarms from an operator on purpose (docs/interface.md §9): devices and rooms out of service while
/// they are repaired, and drills in a building. One per site; each alert asks it when it is raised or
/// occurs again, and it tells the alerts concerned when a period ends.
/// </summary>
public interface IAlarmHandlingGrain : IDeadlineTarget, IGrainWithIntegerKey
{
    Task<OutOfService> SetOutOfService(string kind, string id, DateTimeOffset? until, string by, string note);

    /// <summary>Lifts it now; false when it was not out of service.</summary>
    Task<bool> Lift(string kind, string id, string by);

    /// <summary>A device's own period, or its room's.</summary>
    [AlwaysInterleave]
    Task<OutOfService?> OutOfServiceOf(string deviceId, string roomId);

    /// <summary>Every device and room out of service now.</summary>
    Task<IReadOnlyList<OutOfService>> AllOutOfService();

    Task<Drill> StartDrill(string buildingId, TimeSpan length, string by, string note);

    Task<IReadOnlyList<Drill>> Drills(string? buildingId);

    /// <summary>
    /// Why an alert from there is suppressed at that moment, if it is. A read that may run while the grain
    /// reconsiders alerts, which ask this of it in turn.
    /// </summary>
    [AlwaysInterleave]
    /// <remarks><paramref name="drills"/> false: a drill does not suppress it (a panic button).</remarks>
    Task<Suppression?> SuppressionFor(string? buildingId, string? roomId, string? deviceId, DateTimeOffset at, bool drills = true);
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
