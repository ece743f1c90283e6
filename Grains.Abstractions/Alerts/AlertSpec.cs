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
public sealed record AlertQuery(string Status = "open", string? BuildingId = null, string? RoomId = null, int Limit = 100, string? Type = null, AlertCursor? After = null,
    DateTimeOffset? RaisedFrom = null, DateTimeOffset? RaisedBefore = null);

/// <summary>Where a page of alerts (newest first) ended: the next page starts after this one.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertCursor(DateTimeOffset RaisedAt, string Id)
{
    public static AlertCursor Of(Alert alert) => new(alert.RaisedAt, alert.Id);

    /// <summary>Opaque to clients: base64url of the time in ms and the id.</summary>
    public string Encode() => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{RaisedAt.ToUnixTimeMilliseconds()}:{Id}"))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out AlertCursor? cursor)
    {
        cursor = null;
        try
        {
            var base64 = text!.Replace('-', '+').Replace('_', '/');
            var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='))).Split(':', 2);
            if (parts.Length == 2 && long.TryParse(parts[0], out var ms) && parts[1].Length > 0)
            {
                cursor = new AlertCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[1]);
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NullReferenceException)
        {
        }

        return cursor is not null;
    }
}

/// <summary>What a room needs to know of an alert to colour itself.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertSummary(string AlertId, string SourceId, string Severity, bool Unresolved);
