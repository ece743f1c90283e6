using SafetyPatrol.Alerts;
using SafetyPatrol.Audit;

namespace SafetyPatrol.Paging;

/// <summary>
/// Where a page of a list (newest first: alerts, the audit log) ended: the next page starts below the (time, id) it
/// names, so entries added meanwhile do not shift it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PageCursor(DateTimeOffset At, string Id)
{
    public static PageCursor Of(Alert alert) => new(alert.RaisedAt, alert.Id);

    public static PageCursor Of(AuditEntry entry) => new(entry.At, entry.Id);

    /// <summary>Opaque to clients: base64url of the time in ms and the id.</summary>
    public string Encode() => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{At.ToUnixTimeMilliseconds()}:{Id}"))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out PageCursor? cursor)
    {
        cursor = null;
        try
        {
            var base64 = text!.Replace('-', '+').Replace('_', '/');
            var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='))).Split(':', 2);
            if (parts.Length == 2 && long.TryParse(parts[0], out var ms) && parts[1].Length > 0)
            {
                cursor = new PageCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[1]);
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NullReferenceException)
        {
        }

        return cursor is not null;
    }
}
