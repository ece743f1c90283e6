using SafetyPatrol.Grains;
using SafetyPatrol.Patrols;
using SafetyPatrol.Users;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

public static class PatrolEndpoints
{
    public static void MapPatrolEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/checkins", async (CheckInBody? body, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            var errors = new Dictionary<string, ProblemText>();
            if (string.IsNullOrWhiteSpace(body?.CheckpointId))
            {
                errors["checkpointId"] = ProblemText.Of("required", ("max", TextLimits.Name));
            }

            if (string.IsNullOrWhiteSpace(body?.Code))
            {
                errors["code"] = ProblemText.Of("required", ("max", TextLimits.Name));
            }

            if (body?.Findings?.Any(f => string.IsNullOrWhiteSpace(f.Item) || f.Ok is null) == true)
            {
                errors["findings"] = ProblemText.Of("finding.shape");
            }
            else if (body?.Findings is { Count: > TextLimits.Findings })
            {
                errors["findings"] = ProblemText.Of("finding.count", ("max", TextLimits.Findings));
            }
            else if (body?.Findings?.Any(f => f.Item!.Length > TextLimits.Item || f.Note?.Length > TextLimits.Note) == true)
            {
                errors["findings"] = ProblemText.Of("finding.length", ("item", TextLimits.Item), ("note", TextLimits.Note));
            }

            if (body?.Findings?.Any(f => f.PhotoId is { } photo && !Guid.TryParse(photo, out _) || f.Value is { } v && !double.IsFinite(v)) == true)
            {
                errors["findings"] = ProblemText.Of("finding.values");
            }

            if (body?.Code is { Length: > TextLimits.Name } || body?.CheckpointId is { Length: > TextLimits.Name })
            {
                errors["code"] = ProblemText.Of("tooLong", ("max", TextLimits.Name));
            }

            if (errors.Count > 0)
            {
                return ApiProblem.Invalid(errors);
            }

            IResult NoCheckpoint() => ApiProblem.NotFound("noCheckpoint", ("id", body!.CheckpointId));
            if (!await grains.GetGrain<ISiteGrain>(0).HasCheckpoint(body!.CheckpointId!.Trim()))
            {
                return NoCheckpoint();
            }

            if (await scope.RefusePlace(http.User, body.CheckpointId.Trim(), NoCheckpoint) is { } refused)
            {
                return refused;
            }

            var findings = body.Findings?.Select(f => new Finding(f.Item!.Trim(), f.Ok!.Value, TextLimits.Clean(f.Note), f.Value, f.PhotoId)).ToList() ?? [];
            var result = await grains.GetGrain<ICheckpointGrain>(body.CheckpointId!.Trim())
                .CheckIn(new CheckInRequest(http.User.UserName(), body.Code!, findings));
            return result.Outcome switch
            {
                CheckInOutcome.Recorded => Results.Created($"/api/checkins/{result.CheckIn!.Id}", result.CheckIn),
                CheckInOutcome.Duplicate => Results.Ok(result.CheckIn),
                CheckInOutcome.WrongCode => ApiProblem.Status(StatusCodes.Status422UnprocessableEntity, ProblemText.Of("wrongCode"), title: "Wrong code"),
                CheckInOutcome.TooManyWrongCodes => RateLimits.TooMany(http, result.RetryAfter ?? TimeSpan.FromMinutes(5)),
                CheckInOutcome.NotOnChecklist => ApiProblem.Invalid("findings", ProblemText.Of("finding.notOnChecklist")),
                _ => NoCheckpoint(),
            };
        })
            .WithSummary("Check in at a checkpoint with its code and the checklist answers")
            .RequireAuthorization(Policies.Officer).RequireRateLimiting(RateLimits.CheckIn).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapGet("/api/checkins", async (string? checkpointId, string? officer, DateTimeOffset? from, DateTimeOffset? to, int? limit, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            // Officers read their own check-ins only; a user with roles per site, at the sites where they are an officer.
            var perSite = http.User.HasClaim(c => c.Type == SiteScope.AccountRoleClaim);
            if (http.User.IsInRole(Roles.Officer) && !perSite)
            {
                officer = http.User.UserName();
            }

            var checkIns = await grains.GetGrain<ILedgerGrain>(0).CheckIns(new CheckInQuery(checkpointId, officer, from, to, Math.Clamp(limit ?? 500, 1, 10_000))
            {
                Sites = SiteScope.Filter(http.User), FirstSite = await scope.FirstSite(),
            });
            if (perSite)
            {
                var officerAt = await Task.WhenAll(checkIns.Select(async c => await scope.RoleAtPlace(http.User, c.CheckpointId) == Roles.Officer));
                checkIns = [.. checkIns.Where((c, i) => !officerAt[i] || c.Officer == http.User.UserName())];
            }

            return Results.Ok(checkIns);
        }).WithSummary("List check-ins, newest first, by checkpoint, officer and time").RequireAuthorization();

        app.MapGet("/api/rounds", async (string? routeId, DateTimeOffset? from, DateTimeOffset? to, int? limit, HttpContext http, IGrainFactory grains, SiteScope scope) =>
            Results.Ok(await grains.GetGrain<ILedgerGrain>(0).Rounds(new RoundQuery(routeId, from, to, Math.Clamp(limit ?? 500, 1, 10_000))
            {
                Sites = SiteScope.Filter(http.User), FirstSite = await scope.FirstSite(),
            })))
            .WithSummary("List patrol rounds of the routes, with the checkpoints visited and missed")
            .RequireAuthorization(Policies.Reader);

        app.MapGet("/api/checkpoints/{id}", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<ISiteGrain>(0).HasCheckpoint(id) && await grains.GetGrain<ICheckpointGrain>(id).GetInfo() is { } info
                ? Results.Ok(info)
                : ApiProblem.NotFound("noCheckpoint", ("id", id)))
            .WithSummary("A checkpoint: its place, checklist, schedule and when it is next due")
            .RequireAuthorization().InScope(routeIdIsPlace: true);

        app.MapGet("/api/inspections/overdue", async (HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            var overdue = await grains.GetGrain<IPatrolBoardGrain>(0).GetOverdue();
            var directory = await scope.Directory();
            return SiteScope.SitesOf(http.User) is null ? overdue : [.. overdue.Where(c => SiteScope.Sees(http.User, SiteScope.SiteOf(directory, c.Id)))];
        })
            .WithSummary("Checkpoints whose inspection is overdue now")
            .RequireAuthorization();

        app.MapGet("/api/patrol/board", async (string? buildingId, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            var board = await grains.GetGrain<IPatrolBoardGrain>(0).GetBoard(buildingId);
            if (SiteScope.SitesOf(http.User) is null)
            {
                return board;
            }

            var directory = await scope.Directory();
            return new PatrolBoard(
                [.. board.Rounds.Where(r => SiteScope.Sees(http.User, SiteScope.SiteOf(directory, r.RouteId)))],
                [.. board.Checkpoints.Where(c => SiteScope.Sees(http.User, SiteScope.SiteOf(directory, c.Id)))]);
        })
            .WithSummary("The patrol board: every checkpoint's state and each route's current round")
            .RequireAuthorization().InScope();

        // The URL printed as a QR code at each checkpoint opens the officer page pre-filled.
        app.MapGet("/checkin", (HttpContext http) => Results.Redirect("/officer.html" + http.Request.QueryString))
            .WithSummary("Open the phone's check-in page for a scanned label");
    }
}

public sealed record CheckInBody(string? CheckpointId, string? Code, IReadOnlyList<FindingBody>? Findings);

/// <summary>A checklist answer; <c>value</c> is what the gauge showed, for a gauge item; <c>photoId</c> a photo uploaded first.</summary>
public sealed record FindingBody(string? Item, bool? Ok, string? Note, double? Value = null, string? PhotoId = null);
