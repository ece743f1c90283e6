using System.Globalization;
using SafetyPatrol.Audit;
using SafetyPatrol.Visitors;
using SafetyPatrol.Web.Auth;
using SafetyPatrol.Web.Print;

namespace SafetyPatrol.Web.Api;

/// <summary>
/// Visitors at the gate, for guards, the console and admins only. Every read of visitor records is written
/// to the audit log with who read what; the ID-card number never leaves the server but masked.
/// </summary>
public static class VisitorEndpoints
{
    public static void MapVisitorEndpoints(this IEndpointRouteBuilder app)
    {
        // A visitor of a site the user does not see is not there (docs/interface.md §13).
        var visitors = app.MapGroup("/api/visitors").RequireAuthorization(Policies.Gate)
            .InScopeOf(async (grains, id) => Guid.TryParse(id, out _) && await grains.GetGrain<IVisitorGrain>(id).Get() is { } v ? [v.HostRoomId] : null);

        visitors.MapPost("/", async (VisitorBody? body, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            if (await scope.RefusePlace(http.User, body?.HostRoomId,
                () => ApiProblem.Invalid("hostRoomId", ProblemText.Of("hostRoom", ("room", body!.HostRoomId)))) is { } refused)
            {
                return refused;
            }

            var result = await grains.GetGrain<IVisitorDeskGrain>(0).Register(new NewVisitor(TextLimits.Clean(body?.Name), TextLimits.Clean(body?.Phone),
                body?.IdNumber, TextLimits.Clean(body?.HostName), body?.HostRoomId, TextLimits.Clean(body?.Purpose), body?.ExpectedDeparture,
                Blank(body?.PhotoId), http.User.UserName()));
            return result.Visitor is { } visitor
                ? Results.Created($"/api/visitors/{visitor.Id}", visitor)
                : ApiProblem.Invalid(result.Problems!);
        }).WithSummary("Register a visitor at the gate and issue a pass");

        visitors.MapGet("/", async (bool? onSite, string? date, string? q, string? pass, string? idNumber, int? limit, HttpContext http, IGrainFactory grains) =>
        {
            DateOnly? day = null;
            if (date is not null)
            {
                if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    return ApiProblem.Invalid("date", ProblemText.Of("day"));
                }

                day = parsed;
            }

            // A day is each of the user's sites' own (the desk takes them a time zone at a time).
            var found = await grains.GetGrain<IVisitorDeskGrain>(0).Find(new VisitorSearch(onSite, day, Blank(pass)?.ToUpperInvariant(), Blank(q), Blank(idNumber), Math.Clamp(limit ?? 200, 1, 1000))
            {
                Sites = SiteScope.Filter(http.User),
            });

            // What was asked, but never the ID-card number itself: only its mask.
            var masked = Blank(idNumber) is { } number ? IdCard.Problem(IdCard.Normalize(number)) is null ? IdCard.Mask(IdCard.Normalize(number)) : "?" : null;
            await Read(http, grains, null, new { visitors = found.Count, onSite, date, q, pass, idNumber = masked });
            return Results.Ok(found);
        }).WithSummary("Find visitors: on site now, by day, name, pass or ID number");

        // Where a visitor may go: the rooms of the site, for the gate's picker (the guard does not see the console's site tree).
        visitors.MapGet("/places", async (HttpContext http, IGrainFactory grains, SiteScope scope) =>
                await scope.Keep(http.User, await grains.GetGrain<IVisitorDeskGrain>(0).Places(), p => [p.RoomId]))
            .WithSummary("The hosts and places a visitor can be registered to visit");

        visitors.MapGet("/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            var visitor = Guid.TryParse(id, out _) ? await grains.GetGrain<IVisitorGrain>(id).Get() : null;
            if (visitor is null)
            {
                return ApiProblem.NotFound("noVisitor", ("id", id));
            }

            await Read(http, grains, id, new { pass = visitor.Pass });
            return Results.Ok(visitor);
        }).WithSummary("A visitor's record (the read is audited)");

        visitors.MapGet("/{id}/pass.svg", async (string id, IGrainFactory grains) =>
            (Guid.TryParse(id, out _) ? await grains.GetGrain<IVisitorGrain>(id).Get() : null) is { } visitor
                ? Results.Text(CheckpointLabels.Svg(visitor.Pass), "image/svg+xml")
                : ApiProblem.NotFound("noVisitor", ("id", id)))
                    .WithSummary("A visitor's pass with its QR code (SVG)");

        visitors.MapPost("/{id}/checkout", async (string id, HttpContext http, IGrainFactory grains) =>
            Answer(Guid.TryParse(id, out _) ? await grains.GetGrain<IVisitorGrain>(id).CheckOut(http.User.UserName()) : new VisitorResult(VisitorOutcome.NotFound, null), id))
            .WithSummary("Check a visitor out at the gate")
            .ProducesProblem(StatusCodes.Status409Conflict);

        // At the gate: the pass's QR code scanned (a scanner types it), or its code typed.
        visitors.MapPost("/checkout", async (PassBody? body, HttpContext http, IGrainFactory grains) =>
            string.IsNullOrWhiteSpace(body?.Pass)
                ? ApiProblem.Invalid("pass", ProblemText.Of("passRequired"))
                : Answer(await grains.GetGrain<IVisitorDeskGrain>(0).CheckOutByPass(body.Pass, http.User.UserName()), body.Pass))
            .WithSummary("Check a visitor out by the code on their pass")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>Writes a read of visitor records to the audit log: who, which (<paramref name="detail"/>'s fields), from where.</summary>
    public static async Task Read(HttpContext http, IGrainFactory grains, string? target, object detail) =>
        await grains.GetGrain<IAuditGrain>(0).Record(new AuditRecord(http.User.UserName(), $"GET {http.Request.Path}", target,
            System.Text.Json.JsonSerializer.Serialize(detail, AuditTrail.DetailJson),
            http.Connection.RemoteIpAddress?.ToString(), StatusCodes.Status200OK) { SiteId = await AuditTrail.SiteOf(http, null) });

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static IResult Answer(VisitorResult result, string what) => result.Outcome switch
    {
        VisitorOutcome.Done => Results.Ok(result.Visitor),
        VisitorOutcome.Conflict => ApiProblem.Status(StatusCodes.Status409Conflict,
            ProblemText.Of("visitorCheckedOut", ("at", result.Visitor!.DepartedAt?.ToString("u", CultureInfo.InvariantCulture)), ("by", result.Visitor.CheckedOutBy))),
        _ => ApiProblem.NotFound("noVisitorOn", ("what", what)),
    };
}

public sealed record VisitorBody(string? Name, string? Phone, string? IdNumber, string? HostName, string? HostRoomId, string? Purpose,
    DateTimeOffset? ExpectedDeparture, string? PhotoId);

public sealed record PassBody(string? Pass);
