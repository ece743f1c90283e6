using SafetyPatrol.Alerts;
using SafetyPatrol.Notifications;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

public static class NotificationEndpoints
{
    private static readonly string[] Statuses = [Delivery.Pending, Delivery.Sent, Delivery.Failed];

    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        // Who was told what, when and whether it arrived (docs/interface.md §8).
        app.MapGet("/api/notifications", async (string? alertId, string? status, int? limit, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            if (status is not null && !Statuses.Contains(status))
            {
                return ApiProblem.Invalid("status", ProblemText.Of("deliveryStatus"));
            }

            // A delivery is of its alert's site (docs/interface.md §13).
            var query = new DeliveryQuery(string.IsNullOrWhiteSpace(alertId) ? null : alertId, status, Math.Clamp(limit ?? 500, 1, 5000))
            {
                Sites = SiteScope.Filter(http.User), FirstSite = await scope.FirstSite(),
            };
            return Results.Ok(await grains.GetGrain<INotificationQueryGrain>(0).Query(query));
        }).WithSummary("Notifications sent (or being tried) for alerts, by alert and status").RequireAuthorization(Policies.Reader);
    }
}
