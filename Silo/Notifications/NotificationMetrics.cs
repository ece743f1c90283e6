using System.Diagnostics.Metrics;

namespace SafetyPatrol.Silo.Notifications;

/// <summary>Notification attempts by outcome (<c>sent</c>, <c>failed</c>, <c>retrying</c>) and channel: <c>safetypatrol_notifications_total</c>.</summary>
public static class NotificationMetrics
{
    public const string MeterName = "SafetyPatrol.Notifications";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("safetypatrol.notifications", description: "Notification attempts by status and channel");

    public static void Delivered(string status, string channel) =>
        Deliveries.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("channel", channel));
}
