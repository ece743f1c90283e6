using SafetyPatrol.Devices;

namespace SafetyPatrol.Security;

/// <summary>
/// A perimeter or door zone: armed by its schedule, or by an operator for a while. It tells its devices
/// whenever that changes, and they ask it when they start.
/// </summary>
public interface IZoneGrain : IDeadlineTarget, IGrainWithStringKey
{
    /// <summary>Activates the zone so its schedule's edges are watched.</summary>
    Task Start();

    /// <summary>The site changed the zone: it starts afresh on the new site.</summary>
    Task Reload();

    /// <summary>Null when the zone is not on the site.</summary>
    Task<ZoneStatus?> Get();

    /// <summary>Asked by a device as it starts, possibly while the zone is telling its devices of a change.</summary>
    [AlwaysInterleave]
    Task<bool> IsArmed();

    /// <summary>Arms the zone now, for <paramref name="minutes"/> or until its schedule next changes.</summary>
    Task<ZoneResult> Arm(string by, string reason, int? minutes);

    /// <summary>Disarms the zone now for <paramref name="minutes"/>, at most the zone's <c>maxDisarmMinutes</c>.</summary>
    Task<ZoneResult> Disarm(string by, string reason, int minutes);
}

/// <summary>An operator's arm or disarm, standing until <see cref="Until"/> (null: until the next one).</summary>
[GenerateSerializer, Immutable]
public sealed record ArmingOverride(
    [property: Id(0)] bool Armed,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] DateTimeOffset? Until,
    [property: Id(3)] string By,
    [property: Id(4)] string Reason);

/// <summary>A zone as the console shows it; <see cref="Source"/> is <c>schedule</c> or <c>operator</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ZoneStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] bool Armed,
    [property: Id(3)] string Source,
    [property: Id(4)] ArmingOverride? Override,
    [property: Id(5)] DateTimeOffset? NextChange,
    [property: Id(6)] IReadOnlyList<string> Devices,
    [property: Id(7)] int MaxDisarmMinutes,
    [property: Id(8)] DateTimeOffset At);

[GenerateSerializer, Immutable]
public sealed record ZoneResult([property: Id(0)] ZoneStatus? Zone, [property: Id(1)] ProblemText? Problem = null);
