using SafetyPatrol.Alerts;
using SafetyPatrol.Notifications;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

public static class NotificationEndpoints
{
    private static readonly string[] Statuses = [Delivery.Pending, Delivery.Sent, Delivery.Failed];

    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        // Who was told what, when and whether it arrived (CONTRACT §8).
        app.MapGet("/api/notifications", async (string? alertId, string? status, int? limit, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            if (status is not null && !Statuses.Contains(status))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["One of pending, sent, failed."] });
            }

            var query = new DeliveryQuery(string.IsNullOrWhiteSpace(alertId) ? null : alertId, status, Math.Clamp(limit ?? 500, 1, 5000));
            var deliveries = await grains.GetGrain<INotificationQueryGrain>(0).Query(query);
            if (SiteScope.SitesOf(http.User) is null)
            {
                return Results.Ok(deliveries);
            }

            // A delivery is of its alert's site (docs/interface.md §13); the log keeps the alert's id only.
            var alerts = (await Task.WhenAll(deliveries.Select(d => d.AlertId).Distinct().Select(id => grains.GetGrain<IAlertGrain>(id).Get())))
                .OfType<Alert>().ToDictionary(a => a.Id);
            return Results.Ok(await scope.Keep(http.User, deliveries,
                d => alerts.GetValueOrDefault(d.AlertId) is { } a ? [a.SiteId, a.DeviceId, a.CheckpointId, a.RoomId, a.BuildingId, a.RouteId] : [SiteScope.Nowhere]));
        }).WithSummary("Notifications sent (or being tried) for alerts, by alert and status").RequireAuthorization(Policies.Reader);
    }
}
