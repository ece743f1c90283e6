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
