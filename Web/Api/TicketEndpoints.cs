using SafetyPatrol.Tickets;
using SafetyPatrol.Users;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

/// <summary>Repair tickets (docs/interface.md §10): opened by the console or an officer, worked by technicians, signed off by the reporter.</summary>
public static class TicketEndpoints
{
    public static void MapTicketEndpoints(this IEndpointRouteBuilder app)
    {
        // A ticket of a site the user does not see is not there (docs/interface.md §13).
        Func<IGrainFactory, string, Task<string?[]?>> ticketPlaces = async (grains, id) =>
            Guid.TryParse(id, out _) && await grains.GetGrain<ITicketGrain>(id).Get() is { } t ? [t.RoomId, t.BuildingId] : null;

        app.MapPost("/api/tickets", async (TicketBody? body, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            var errors = new Dictionary<string, ProblemText>();
            IResult NoPlace() => ApiProblem.NotFound("noPlace", ("room", body?.RoomId), ("building", body?.BuildingId));
            if ((await scope.RefusePlace(http.User, Id(body?.RoomId), NoPlace) ?? await scope.RefusePlace(http.User, Id(body?.BuildingId), NoPlace)) is { } refused)
            {
                return refused;
            }

            if (TextLimits.Clean(body?.Title) is not { Length: <= TextLimits.Item })
            {
                errors["title"] = ProblemText.Of("required", ("max", TextLimits.Item));
            }

            if (body?.Description is { Length: > TextLimits.Note })
            {
                errors["description"] = ProblemText.Of("tooLong", ("max", TextLimits.Note));
            }

            if (Id(body?.Assignee) is { } assignee && await grains.GetGrain<IUserGrain>(assignee.ToLowerInvariant()).Get() is null)
            {
                errors["assignee"] = ProblemText.Of("noUser", ("id", assignee));
            }

            if (errors.Count > 0)
            {
                return ApiProblem.Invalid(errors);
            }

            var result = await grains.GetGrain<ITicketDeskGrain>(0).Create(new NewTicket(TextLimits.Clean(body!.Title)!, Id(body.BuildingId), Id(body.RoomId),
                TextLimits.Clean(body.Description), Id(body.AlertId), Id(body.Assignee)?.ToLowerInvariant(), http.User.UserName()));
            return result.Ticket is { } ticket ? Results.Created($"/api/tickets/{ticket.Id}", ticket) : Answer(result);
        }).WithSummary("Open a repair ticket, for a room or an alert, perhaps assigned to a technician").RequireAuthorization(Policies.Reporter);

        app.MapGet("/api/tickets", async (string? status, string? assignee, int? limit, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            // Technicians see the tickets they work, officers those they reported; the console sees all. A user with
            // roles per site (docs/interface.md §13) is asked for all and given what their role at each ticket's site shows.
            var user = http.User;
            var query = new TicketQuery(status, assignee?.ToLowerInvariant(), Limit: Math.Clamp(limit ?? 500, 1, 5000))
            {
                Sites = SiteScope.Filter(user), FirstSite = await scope.FirstSite(),
            };
            var perSite = user.HasClaim(c => c.Type == SiteScope.AccountRoleClaim);
            query = user.IsConsole() || perSite ? query
                : user.IsInRole(Roles.Technician) ? query with { Assignee = user.UserName() }
                : query with { Reporter = user.UserName() };
            var tickets = await grains.GetGrain<ITicketDeskGrain>(0).Query(query);
            if (perSite)
            {
                var shown = await Task.WhenAll(tickets.Select(async t => Shows(await scope.RoleAtPlace(user, t.RoomId, t.BuildingId), t, user.UserName())));
                tickets = [.. tickets.Where((_, i) => shown[i])];
            }

            return Results.Ok(tickets);
        }).WithSummary("List repair tickets by status and assignee (a technician sees theirs)").RequireAuthorization();

        app.MapGet("/api/tickets/{id}", async (string id, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            var ticket = Guid.TryParse(id, out _) ? await grains.GetGrain<ITicketGrain>(id).Get() : null;
            var user = http.User;
            return ticket is not null && (await scope.IsConsoleAt(user, ticket.RoomId, ticket.BuildingId) || ticket.Assignee == user.UserName() || ticket.Reporter == user.UserName())
                ? Results.Ok(ticket)
                : ApiProblem.NotFound("noTicket", ("id", id));
        }).WithSummary("A repair ticket with its history").RequireAuthorization().InScopeOf(ticketPlaces);

        app.MapPatch("/api/tickets/{id}", async (string id, TicketChangeBody? body, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            if (body?.Status is { } status && !TicketStatus.CanBeSet(status))
            {
                return ApiProblem.Invalid("status", ProblemText.Of("ticket.status"));
            }

            if (body?.Note is { Length: > TextLimits.Note })
            {
                return ApiProblem.Invalid("note", ProblemText.Of("tooLong", ("max", TextLimits.Note)));
            }

            if (body?.Assignee is { } assignee && await grains.GetGrain<IUserGrain>(assignee.ToLowerInvariant()).Get() is null)
            {
                return ApiProblem.Invalid("assignee", ProblemText.Of("noUser", ("id", assignee)));
            }

            var ticket = Guid.TryParse(id, out _) ? grains.GetGrain<ITicketGrain>(id) : null;
            var console = await WorksConsoleAt(ticket, http.User, scope);
            var change = new TicketChange(body?.Status, Id(body?.Assignee)?.ToLowerInvariant(), TextLimits.Clean(body?.Note), http.User.UserName(), !console);
            return Answer(ticket is not null ? await ticket.Change(change) : new TicketResult(TicketOutcome.NotFound, null));
        })
            .WithSummary("Assign a ticket, or move it on: started, done")
            .RequireAuthorization(Policies.Repairer).InScopeOf(ticketPlaces).ProducesProblem(StatusCodes.Status409Conflict);

        app.MapPost("/api/tickets/{id}/sign-off", async (string id, SignOffBody? body, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            if (body?.Accepted is not { } accepted || TextLimits.Clean(body.Note) is not { Length: <= TextLimits.Note } note)
            {
                return ApiProblem.Invalid("note", ProblemText.Of("ticket.signOffNote", ("max", TextLimits.Note)));
            }

            var ticket = Guid.TryParse(id, out _) ? grains.GetGrain<ITicketGrain>(id) : null;
            var console = await WorksConsoleAt(ticket, http.User, scope);
            var signOff = new TicketSignOff(accepted, note, http.User.UserName(), console);
            return Answer(ticket is not null ? await ticket.SignOff(signOff) : new TicketResult(TicketOutcome.NotFound, null));
        })
            .WithSummary("Accept a repair and sign it off, or send it back as not fixed")
            .RequireAuthorization().InScopeOf(ticketPlaces).ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>Whether the user works the console at the ticket's site (their role there, docs/interface.md §13).</summary>
    private static async Task<bool> WorksConsoleAt(ITicketGrain? ticket, System.Security.Claims.ClaimsPrincipal user, SiteScope scope) =>
        ticket is not null && await ticket.Get() is { } current ? await scope.IsConsoleAt(user, current.RoomId, current.BuildingId) : user.IsConsole();

    /// <summary>Whether a user of <paramref name="role"/> at a ticket's site sees it: the console all, a technician those they work, others those they reported.</summary>
    private static bool Shows(string? role, Ticket ticket, string username) => role switch
    {
        Roles.Operator or Roles.Admin => true,
        Roles.Technician => ticket.Assignee == username,
        _ => ticket.Reporter == username,
    };

    private static string? Id(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static IResult Answer(TicketResult result) => result.Outcome switch
    {
        TicketOutcome.Done => Results.Ok(result.Ticket),
        TicketOutcome.Forbidden => ApiProblem.Status(StatusCodes.Status403Forbidden, result.Problem!),
        TicketOutcome.Conflict => ApiProblem.Status(StatusCodes.Status409Conflict, result.Problem!),
        _ => ApiProblem.Status(StatusCodes.Status404NotFound, result.Problem ?? ProblemText.Of("noSuchTicket")),
    };
}

public sealed record TicketBody(string? Title, string? BuildingId, string? RoomId, string? Description, string? AlertId, string? Assignee);

public sealed record TicketChangeBody(string? Status, string? Assignee, string? Note);

public sealed record SignOffBody(bool? Accepted, string? Note);
