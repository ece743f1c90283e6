using SafetyPatrol.Alerts;

namespace SafetyPatrol.Grains;

/// <summary>A room: aggregates its devices' and checkpoints' alerts and online state.</summary>
public interface IRoomGrain : IGrainWithStringKey
{
    [OneWay]
    Task AlertChanged(AlertSummary alert);

    [OneWay]
    Task DeviceOnlineChanged(string deviceId, bool online);

    Task<RoomStatus> GetStatus();

    /// <summary>The site changed this room (its devices, checkpoints or names): it starts afresh.</summary>
    Task Reload();
}

/// <summary>A building: aggregates its rooms' summaries.</summary>
public interface IBuildingGrain : IGrainWithStringKey
{
    [OneWay]
    Task RoomChanged(RoomSummary room);

    Task<BuildingStatus> GetStatus();
}

/// <summary>The status of one device or checkpoint inside a room.</summary>
[GenerateSerializer, Immutable]
public sealed record ChildStatus(string Id, string? WorstSeverity, int OpenAlerts, bool? Online);

/// <summary>What a building keeps of a room; also the room's headline.</summary>
[GenerateSerializer, Immutable]
public sealed record RoomSummary(string RoomId, string? WorstSeverity, int OpenAlerts, int DevicesOffline);

[GenerateSerializer, Immutable]
public sealed record RoomStatus(RoomSummary Summary, IReadOnlyDictionary<string, ChildStatus> Children);

[GenerateSerializer, Immutable]
public sealed record BuildingStatus(string BuildingId, string? WorstSeverity, int OpenAlerts, int DevicesOffline, IReadOnlyDictionary<string, RoomSummary> Rooms);

/// <summary>
/// A room's live totals as the console shows them, pushed as <c>roomChanged</c> whenever any of them changes, so an open
/// console never asks for the site again (docs/interface.md, "Events that carry state"). A console keeps the highest
/// <see cref="Version"/> it has applied per room and drops an older one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RoomTotals(
    string RoomId, string BuildingId, string? WorstSeverity, int OpenAlerts, int DevicesOffline, IReadOnlyList<ChildStatus> Children, long Version)
    : Push.IVersionedPush
{
    string Push.IVersionedPush.PushKey => RoomId;
}

/// <summary>A building's live totals, pushed as <c>buildingChanged</c> whenever any of them changes; versioned as <see cref="RoomTotals"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record BuildingTotals(string BuildingId, string? WorstSeverity, int OpenAlerts, int DevicesOffline, long Version) : Push.IVersionedPush
{
    string Push.IVersionedPush.PushKey => BuildingId;
}
