using SafetyPatrol.Paging;
using SafetyPatrol.Alerts;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

public static class AlertEndpoints
{
    private static readonly string[] Statuses = ["open", "acknowledged", "resolved", "all", "unresolved"];

    public static void MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        // The alarm stream, with operators' notes, is the console's: operators and admins.
        // An alert of a site the user does not see is not there; nor is a building or room of one (docs/interface.md §13).
        // Supervisors read them; operators and admins act on them.
        var alerts = app.MapGroup("/api/alerts").RequireAuthorization(Policies.Reader).InScope()
            .InScopeOf(async (grains, id) => await grains.GetGrain<IAlertGrain>(id).Get() is { } a ? [a.SiteId, a.DeviceId, a.CheckpointId, a.RoomId, a.BuildingId, a.RouteId] : null);

        alerts.MapGet("/", async (IGrainFactory grains, HttpContext http, string? status, string? buildingId, string? roomId, string? siteId, int? limit, string? cursor) =>
        {
            status ??= AlertStatus.Open;
            if (!Statuses.Contains(status))
            {
                return ApiProblem.Invalid("status", ProblemText.Of("alertStatus"));
            }

            if (limit is < 1 or > 1000)
            {
                return ApiProblem.Invalid("limit", ProblemText.Of("range", ("min", 1), ("max", 1000)));
            }

            PageCursor? after = null;
            if (cursor is not null && !PageCursor.TryDecode(cursor, out after))
            {
                return Paging.BadCursor();
            }

            // The body stays the array of docs/interface.md §4; a next page is named in headers.
            var size = limit ?? 100;
            var fetched = await grains.GetGrain<IAlertQueryGrain>(0).Query(new AlertQuery(status, Blank(buildingId), Blank(roomId), size + 1, After: after,
                Sites: Blank(siteId) is { } one ? [one] : SiteScope.Filter(http.User)));
            return Results.Ok(Paging.Page(http, fetched, size, PageCursor.Of));
        }).WithSummary("List alerts, newest first, by status, site, building and room, a page at a time");

        // Floods and common causes (docs/interface.md §9): what the console shows as one row each.
        alerts.MapGet("/groups", (string? siteId, HttpContext http, IGrainFactory grains) =>
                grains.GetGrain<IAlertQueryGrain>(0).Groups(Blank(siteId) is { } one ? [one] : SiteScope.Filter(http.User)))
            .WithSummary("Open alerts grouped by common cause (a flood, a node lost)");

        // Alarm load (docs/interface.md §9): by default the last 24 hours.
        alerts.MapGet("/kpis", async (DateTimeOffset? from, DateTimeOffset? to, string? siteId, HttpContext http, IGrainFactory grains) =>
        {
            if (from is { } f && to is { } t && (t <= f || t - f > TimeSpan.FromDays(MaxKpiDays)))
            {
                return ApiProblem.Invalid("to", ProblemText.Of("kpiRange", ("days", MaxKpiDays)));
            }

            return Results.Ok(await grains.GetGrain<IAlertQueryGrain>(0).Kpis(from, to, Blank(siteId) is { } one ? [one] : SiteScope.Filter(http.User)));
        }).WithSummary("Alarm-load figures (ISA-18.2) over a time range");

        alerts.MapGet("/{id}", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<IAlertGrain>(id).Get() is { } alert ? Results.Ok(alert) : NotFound(id))
                .WithSummary("An alert with its history");

        alerts.MapPost("/{id}/acknowledge", async (string id, NoteRequest? body, HttpContext http, IGrainFactory grains) =>
            TooLong(body) ?? (await grains.GetGrain<IAlertGrain>(id).Acknowledge(http.User.UserName(), TextLimits.Clean(body?.Note)) is { } alert ? Results.Ok(alert) : NotFound(id)))
                .WithSummary("Acknowledge an alert, with a note").RequireAuthorization(Policies.Operator);

        alerts.MapPost("/{id}/resolve", async (string id, NoteRequest? body, HttpContext http, IGrainFactory grains) =>
            TooLong(body) ?? (await grains.GetGrain<IAlertGrain>(id).Resolve(http.User.UserName(), TextLimits.Clean(body?.Note)) is { } alert ? Results.Ok(alert) : NotFound(id)))
                .WithSummary("Resolve an alert, with a note").RequireAuthorization(Policies.Operator);

        // Alarm handling (docs/interface.md §9): many at once in a flood; shelving, with a time limit and a reason.
        alerts.MapPost("/acknowledge", async (BulkAcknowledgeRequest? body, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            if (body?.Ids is not { Count: > 0 and <= MaxBulk } ids || ids.Any(string.IsNullOrWhiteSpace))
            {
                return ApiProblem.Invalid("ids", ProblemText.Of("alertIds", ("max", MaxBulk)));
            }

            if (TooLong(new NoteRequest(body.Note)) is { } tooLong)
            {
                return tooLong;
            }

            var user = http.User.UserName();
            var note = TextLimits.Clean(body.Note);
            var seen = await Task.WhenAll(ids.Distinct().Select(async id => (Id: id, Seen: SiteScope.SitesOf(http.User) is null
                || await grains.GetGrain<IAlertGrain>(id).Get() is { } alert && await scope.Sees(http.User, alert))));
            var answers = await Task.WhenAll(seen.Where(s => s.Seen).Select(s => grains.GetGrain<IAlertGrain>(s.Id).Acknowledge(user, note)));
            return Results.Ok(new BulkAcknowledgeResponse([.. answers.OfType<Alert>()]));
        }).WithSummary("Acknowledge several alerts at once").RequireAuthorization(Policies.Operator);

        alerts.MapPost("/{id}/shelve", async (string id, ShelveRequest? body, HttpContext http, IGrainFactory grains) =>
        {
            if (HandlingRequest.Problems(body?.Note, body?.Minutes, minutesRequired: true) is { Count: > 0 } errors)
            {
                return ApiProblem.Invalid(errors);
            }

            return await grains.GetGrain<IAlertGrain>(id).Shelve(http.User.UserName(), TimeSpan.FromMinutes(body!.Minutes!.Value), TextLimits.Clean(body.Note)!) is { } alert
                ? Results.Ok(alert)
                : NotFound(id);
        }).WithSummary("Shelve an alert for a while: off the console, back when the time is up").RequireAuthorization(Policies.Operator);

        alerts.MapPost("/{id}/unshelve", async (string id, NoteRequest? body, HttpContext http, IGrainFactory grains) =>
            TooLong(body) ?? (await grains.GetGrain<IAlertGrain>(id).Unshelve(http.User.UserName(), TextLimits.Clean(body?.Note)) is { } alert ? Results.Ok(alert) : NotFound(id)))
                .WithSummary("End an alert's shelving now").RequireAuthorization(Policies.Operator);
    }

    public const int MaxKpiDays = 31;

    /// <summary>Alerts one bulk acknowledgement takes.</summary>
    public const int MaxBulk = 1000;


    private static IResult? TooLong(NoteRequest? body) => body?.Note is { Length: > TextLimits.Note }
        ? ApiProblem.Invalid("note", ProblemText.Of("tooLong", ("max", TextLimits.Note)))
        : null;

    private static IResult NotFound(string id) => ApiProblem.NotFound("noAlert", ("id", id));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

public sealed record NoteRequest(string? Note);

public sealed record BulkAcknowledgeRequest(IReadOnlyList<string>? Ids, string? Note);

public sealed record BulkAcknowledgeResponse(IReadOnlyList<Alert> Alerts);

public sealed record ShelveRequest(int? Minutes, string? Note);
