using SafetyPatrol.Audit;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        // Read only: nothing in the API changes or removes an entry.
        app.MapGet("/api/audit", async (DateTimeOffset? from, DateTimeOffset? to, string? user, string? action, string? format, int? limit, IGrainFactory grains) =>
        {
            if (format is not (null or "json" or "csv"))
            {
                return Results.Problem("format is json or csv.", statusCode: StatusCodes.Status400BadRequest);
            }

            var entries = await grains.GetGrain<IAuditGrain>(0).Query(new AuditQuery(from, to, user?.ToLowerInvariant(), action, Math.Clamp(limit ?? 1000, 1, 100_000)));
            return format == "csv"
                ? Csv.File("audit.csv", [["at", "user", "action", "target", "outcome", "address", "detail"],
                    .. entries.Select(e => new object?[] { e.At, e.User, e.Action, e.Target, e.Outcome, e.Address, e.Detail })])
                : Results.Ok(entries);
        }).WithSummary("The audit log: who did what and when, by user, action and time (JSON or CSV)").RequireAuthorization(Policies.Admin);
    }
}
