using SafetyPatrol.Paging;
using SafetyPatrol.Audit;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        // Read only: nothing in the API changes or removes an entry.
        app.MapGet("/api/audit", async (DateTimeOffset? from, DateTimeOffset? to, string? user, string? action, string? format, int? limit, string? cursor,
            HttpContext http, IGrainFactory grains) =>
        {
            if (format is not (null or "json" or "csv"))
            {
                return ApiProblem.Invalid("format", ProblemText.Of("format", ("formats", "json, csv")));
            }

            PageCursor? after = null;
            if (cursor is not null && !PageCursor.TryDecode(cursor, out after))
            {
                return Paging.BadCursor();
            }

            // JSON a page at a time (the admin page's "Older"); CSV everything asked for, up to the limit.
            var size = Math.Clamp(limit ?? 1000, 1, 100_000);
            // An admin given sites reads what was done at them, and what is of no site (accounts, sign-ins: the system they administer).
            var query = new AuditQuery(from, to, Blank(user)?.ToLowerInvariant(), Blank(action), format == "csv" ? size : size + 1, after) { Sites = SiteScope.Filter(http.User) };
            var entries = await grains.GetGrain<IAuditGrain>(0).Query(query);
            return format == "csv"
                ? Csv.File("audit.csv", [["at", "user", "action", "target", "outcome", "address", "detail", "site"],
                    .. entries.Select(e => new object?[] { e.At, e.User, e.Action, e.Target, e.Outcome, e.Address, e.Detail, e.SiteId })])
                : Results.Ok(Paging.Page(http, entries, size, PageCursor.Of));
        })
            .WithSummary("The audit log, newest first: who did what and when, by user, action and time, a page at a time (JSON) or all (CSV)")
            .RequireAuthorization(Policies.Admin);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
