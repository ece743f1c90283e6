using System.Globalization;
using Microsoft.Extensions.Options;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Notifications;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Notifications;
using SafetyPatrol.Web;

namespace SafetyPatrol.Silo.Notifications;

/// <summary>
/// What a message about an alert says, the same on every channel: severity, type, message, place, time in the site's time
/// zone and a link to the console, in the channel's language (its <c>Language</c>, Chinese unless set), from the console's
/// own strings (<see cref="Strings"/>).
/// </summary>
public sealed class AlertText(SiteCatalog catalog, IOptions<NotifyOptions> options)
{
    /// <summary>The site an alert is of: by its place, or the first site when it names none.</summary>
    public SiteEntry Site(Alert alert) => catalog.Sites[catalog.SiteOf(alert.DeviceId, alert.CheckpointId, alert.RoomId, alert.BuildingId, alert.RouteId)];

    public string ConsoleUrl(string alertId) => $"{(options.Value.PublicUrl ?? "").TrimEnd('/')}/#/alerts/{alertId}";

    /// <summary>One line: "[紧急] 报警：烟感报警" or "[Critical] Alarm: Smoke".</summary>
    public string Title(Delivery delivery, string language)
    {
        var strings = Strings.For(language);
        var alert = delivery.Alert!;
        return strings.T("notify.title", new Dictionary<string, string>
        {
            ["severity"] = strings.T("severity." + alert.Severity),
            ["event"] = strings.T("notify." + delivery.Event),
            ["type"] = strings.TypeName(alert.Type),
        });
    }

    /// <summary>What happened, as the console says it.</summary>
    public string Message(Alert alert, string language) => Strings.For(language).Message(alert);

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
    public string Markdown(Delivery delivery, string language)
    {
        var alert = delivery.Alert!;
        var strings = Strings.For(language);
        return $"""
            **{Title(delivery, language)}**
            > {Message(alert, language)}

            - {strings.T("notify.place")}: {Place(alert)}
            - {strings.T("notify.time")}: {Time(alert, alert.RaisedAt)}
            - {strings.T("notify.source")}: {alert.Source ?? "-"}
            - {strings.T("notify.level")}: {alert.EscalationLevel}

            [{strings.T("notify.open")}]({ConsoleUrl(alert.Id)})
            """;
    }

    /// <summary>The message as plain text, for email.</summary>
    public string Plain(Delivery delivery, string language)
    {
        var alert = delivery.Alert!;
        var strings = Strings.For(language);
        return $"""
            {Title(delivery, language)}
            {Message(alert, language)}

            {strings.T("notify.place")}: {Place(alert)}
            {strings.T("notify.time")}: {Time(alert, alert.RaisedAt)}
            {strings.T("notify.source")}: {alert.Source ?? "-"}
            {strings.T("notify.level")}: {alert.EscalationLevel}

            {ConsoleUrl(alert.Id)}

            {Site(alert).Name} · SafetyPatrol · {strings.T("notify.delivery")} {delivery.DeliveryId}
            """;
    }
}
