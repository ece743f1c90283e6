using System.Text.Json.Serialization;
using SafetyPatrol.Alerts;

namespace SafetyPatrol.Notifications;

/// <summary>
/// One message to one channel about one alert event (docs/interface.md §8). Kept in the store, so a restart
/// sends what was pending with the same <see cref="DeliveryId"/>; <see cref="Alert"/> is the alert as it
/// was when the event happened, which is what the message says.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Delivery(
    string DeliveryId,
    string AlertId,
    string Channel,
    string Event,
    int Route,
    string Status,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    [property: JsonIgnore] Alert? Alert = null)
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}

/// <summary>The events a delivery is about.</summary>
public static class NotifyEvent
{
    public const string Raised = "alert.raised";
    public const string Reactivated = "alert.reactivated";
    public const string Escalated = "alert.escalated";
    public const string Reminder = "alert.reminder";
}

/// <summary>Filter of <c>GET /api/notifications</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record DeliveryQuery(string? AlertId, string? Status, int Limit = 500)
{
    /// <summary>Only of these sites' alerts (null: every site); an alert without a site is <see cref="FirstSite"/>'s.</summary>
    [Id(3)]
    public IReadOnlyList<string>? Sites { get; init; }

    [Id(4)]
    public string? FirstSite { get; init; }
}

/// <summary>Reads the deliveries for the API.</summary>
public interface INotificationQueryGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<Delivery>> Query(DeliveryQuery query);
}
