using System.Globalization;
using Microsoft.Extensions.Options;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Notifications;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Notifications;

namespace SafetyPatrol.Silo.Notifications;

/// <summary>
/// What a message about an alert says, the same on every channel: severity, type, place, time in
/// the site's time zone and a link to the console; in Chinese first, with English beside it.
/// </summary>
public sealed class AlertText(SiteCatalog catalog, IOptions<NotifyOptions> options)
{
    private static readonly Dictionary<string, string> SeverityNames = new()
    {
        [Severities.Critical] = "紧急 Critical",
        [Severities.Major] = "重要 Major",
        [Severities.Minor] = "次要 Minor",
        [Severities.Warning] = "提示 Warning",
    };

    private static readonly Dictionary<string, string> EventNames = new()
    {
        [NotifyEvent.Raised] = "报警 Alarm",
        [NotifyEvent.Reactivated] = "再次报警 Alarm again",
        [NotifyEvent.Escalated] = "升级 Escalated",
        [NotifyEvent.Reminder] = "提醒 Reminder: not acknowledged",
    };

    /// <summary>The site an alert is of: by its place, or the first site when it names none.</summary>
    public SiteEntry Site(Alert alert) => catalog.Sites[catalog.SiteOf(alert.DeviceId, alert.CheckpointId, alert.RoomId, alert.BuildingId, alert.RouteId)];

    public string ConsoleUrl(string alertId) => $"{(options.Value.PublicUrl ?? "").TrimEnd('/')}/#/alerts/{alertId}";

    /// <summary>One line: "[紧急 Critical] 报警 Alarm: fire.smoke".</summary>
    public string Title(Delivery delivery) =>
        $"[{SeverityNames.GetValueOrDefault(delivery.Alert!.Severity, delivery.Alert.Severity)}] {EventNames.GetValueOrDefault(delivery.Event, delivery.Event)}: {delivery.Alert.Type}";

    /// <summary>Where: building / room, or the route of a patrol alert.</summary>
    public string Place(Alert alert)
    {
        var site = Site(alert);
        var building = site.Definition.Buildings.FirstOrDefault(b => b.Id == alert.BuildingId)?.Name ?? alert.BuildingId;
        var room = alert.RoomId is { } id && catalog.Rooms.TryGetValue(id, out var entry) ? entry.Room.Name : alert.RoomId;
        var route = alert.RouteId is { } r && catalog.Routes.TryGetValue(r, out var definition) ? definition.Name : alert.RouteId;
        return string.Join(" / ", new[] { building, room, route }.Where(p => !string.IsNullOrEmpty(p))) is { Length: > 0 } place ? place : site.Name;
    }

    /// <summary>When, in the time zone of the alert's site, labelled with it.</summary>
    public string Time(Alert alert, DateTimeOffset at)
    {
        var zone = Site(alert).TimeZone;
        return TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + $" ({zone.Id})";
    }

    /// <summary>The message as markdown, for the group robots.</summary>
    public string Markdown(Delivery delivery)
    {
        var alert = delivery.Alert!;
        return $"""
            **{Title(delivery)}**
            > {alert.Message}

            - 地点 Place: {Place(alert)}
            - 时间 Time: {Time(alert, alert.RaisedAt)}
            - 设备 Source: {alert.Source ?? "-"}
            - 升级 Escalation level: {alert.EscalationLevel}

            [打开控制台 Open the console]({ConsoleUrl(alert.Id)})
            """;
    }

    /// <summary>The message as plain text, for email.</summary>
    public string Plain(Delivery delivery)
    {
        var alert = delivery.Alert!;
        return $"""
            {Title(delivery)}
            {alert.Message}

            地点 Place: {Place(alert)}
            时间 Time: {Time(alert, alert.RaisedAt)}
            设备 Source: {alert.Source ?? "-"}
            升级 Escalation level: {alert.EscalationLevel}

            {ConsoleUrl(alert.Id)}

            {Site(alert).Name} · SafetyPatrol · delivery {delivery.DeliveryId}
            """;
    }
}
