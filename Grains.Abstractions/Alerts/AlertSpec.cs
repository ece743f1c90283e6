using SafetyPatrol.Paging;

namespace SafetyPatrol.Alerts;

/// <summary>What a source (device, checkpoint, route) reports when its condition occurs.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertSpec(
    string Type,
    string Category,
    string Severity,
    string Message,
    string? BuildingId = null,
    string? RoomId = null,
    string? DeviceId = null,
    string? CheckpointId = null,
    string? RouteId = null,
    double? Value = null,
    double? Threshold = null,
    DateTimeOffset? DueAt = null,
    string? Item = null,
    string? Note = null,
    string? Officer = null,
    string? MessageKey = null,
    IReadOnlyDictionary<string, string>? MessageArgs = null,
    bool Chattering = false,
    string? TicketId = null,
    string? PhotoId = null,
    string? Class = null,
    bool ExemptFromDrills = false,
    string? VisitorId = null);

/// <summary>Filter of <c>GET /api/alerts</c>.</summary>
[GenerateSerializer, Immutable]
/// <param name="Sites">Only alerts of these sites (null: every site); an alert without a site is the first site's, named by <paramref name="FirstSite"/>.</param>
public sealed record AlertQuery(string Status = "open", string? BuildingId = null, string? RoomId = null, int Limit = 100, string? Type = null, PageCursor? After = null,
    DateTimeOffset? RaisedFrom = null, DateTimeOffset? RaisedBefore = null, IReadOnlyList<string>? Sites = null, string? FirstSite = null);

/// <summary>What a room needs to know of an alert to colour itself.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertSummary(string AlertId, string SourceId, string Severity, bool Unresolved);
